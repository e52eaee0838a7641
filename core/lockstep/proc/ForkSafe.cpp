#include "lockstep/proc/ForkSafe.h"

#include <cerrno>
#include <initializer_list>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace lockstep {

namespace {

void closeRange(unsigned first, unsigned last)
{
    if (first > last) return;
#ifdef SYS_close_range
    if (::syscall(SYS_close_range, first, last, 0) == 0) return;
#endif
    // Old kernel: close one by one up to a sane bound (close is async-signal-safe).
    const unsigned bound = last < 4096U ? last : 4096U;
    for (unsigned fd = first; fd <= bound; ++fd)
        ::close(static_cast<int>(fd));
}

} // namespace

int openPidFd(pid_t pid)
{
#ifdef SYS_pidfd_open
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

void closeFdsExcept(int keep, int alsoKeep)
{
    int lo = keep < alsoKeep || alsoKeep < 0 ? keep : alsoKeep;
    int hi = lo == keep ? alsoKeep : keep;
    if (hi < 0) hi = lo;
    unsigned next = 3;
    for (int k : { lo, hi }) {
        if (k < static_cast<int>(next)) continue;
        if (static_cast<unsigned>(k) > next) closeRange(next, static_cast<unsigned>(k) - 1);
        next = static_cast<unsigned>(k) + 1;
    }
    closeRange(next, ~0U);
}

void unblockAllSignals()
{
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

} // namespace lockstep
