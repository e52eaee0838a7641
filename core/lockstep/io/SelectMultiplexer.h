#pragma once

#include "lockstep/io/Multiplexer.h"

#include <sys/select.h>

#include <string>
#include <vector>

namespace lockstep {

// select(2) as a classic event loop uses it: the fd_set is rebuilt from the watched list before
// every call (select overwrites it with the result), the kernel checks every fd up to the highest
// one, and the loop afterwards tests every watched fd with FD_ISSET. All three costs grow with the
// number of watched fds, whatever number of them is ready.
class SelectMultiplexer final : public Multiplexer {
public:
    // CPython's ValueError message for an fd that does not fit into an fd_set.
    static constexpr const char* kOutOfRange = "filedescriptor out of range in select()";
    // Highest fd an fd_set can hold is FD_SETSIZE - 1: setting a bit above it is undefined behaviour.
    static constexpr int kSetSize = FD_SETSIZE;

    // Throws InputError if wakeFd does not fit into an fd_set.
    explicit SelectMultiplexer(int wakeFd);

    // Throws InputError(kOutOfRange ...) for an fd outside 0..FD_SETSIZE-1, before touching any fd_set.
    static void checkFd(int fd);
    [[nodiscard]] static std::string outOfRangeMessage(int fd);

    [[nodiscard]] MuxKind kind() const override { return MuxKind::Select; }
    void add(int fd) override;
    void remove(int fd) override;
    [[nodiscard]] std::size_t size() const override { return m_fds.size(); }
    [[nodiscard]] int handedPerWait() const override { return static_cast<int>(m_fds.size()); }
    MuxWaitResult wait(int timeoutMs, std::vector<int>& ready) override;

private:
    std::vector<int> m_fds; // ascending, so the loop scans "up to the highest fd"
    int m_wakeFd = -1;
};

} // namespace lockstep
