#pragma once

#include "lockstep/io/Multiplexer.h"

#include <poll.h>

#include <cstdint>
#include <vector>

namespace lockstep {

// poll(2): one pollfd per watched fd in an array the kernel copies in and out on every call, with no
// FD_SETSIZE limit. The loop afterwards examines every entry's revents. Cost grows with the watched
// fds like select's, without select's ceiling.
class PollMultiplexer final : public Multiplexer {
public:
    explicit PollMultiplexer(int wakeFd);

    [[nodiscard]] MuxKind kind() const override { return MuxKind::Poll; }
    void add(int fd) override;
    void remove(int fd) override;
    [[nodiscard]] std::size_t size() const override { return m_fds.size() - m_first; }
    [[nodiscard]] int handedPerWait() const override { return static_cast<int>(size()); }
    MuxWaitResult wait(int timeoutMs, std::vector<int>& ready) override;

private:
    std::vector<pollfd> m_fds; // [0] is the wake fd when there is one
    std::size_t m_first = 0;   // index of the first watched fd
    std::vector<std::int32_t> m_slot; // by fd: its index in m_fds, -1 if not watched (O(1) removal)
};

} // namespace lockstep
