#include "lockstep/proc/ChildChannel.h"

#include <cerrno>
#include <unistd.h>

namespace lockstep {

bool ChildChannel::report(std::int32_t kind, std::int64_t a, std::int64_t b, std::int32_t line) const
{
    ChildRecord record;
    record.ts = now();
    record.a = a;
    record.b = b;
    record.kind = kind;
    record.line = line;
    for (;;) {
        // At most PIPE_BUF bytes: the kernel writes the record whole or not at all.
        const ssize_t n = ::write(m_fd, &record, sizeof record);
        if (n == static_cast<ssize_t>(sizeof record)) return true;
        if (n < 0 && errno == EINTR) continue;
        return false;
    }
}

} // namespace lockstep
