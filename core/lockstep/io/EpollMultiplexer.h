#pragma once

#include "lockstep/io/Multiplexer.h"

#include <sys/epoll.h>

#include <vector>

namespace lockstep {

// epoll(7): the watched set is registered once (epoll_ctl) and lives in the kernel; the kernel keeps
// a ready list filled by callbacks when data arrives, and epoll_wait copies out only that list. A
// wait therefore costs in proportion to the ready fds, not the watched ones.
// Level-triggered: an fd stays on the ready list while it is readable. Edge-triggered (EPOLLET): an
// fd is reported when new data arrives, and then not again until more arrives, so a reader that
// leaves data behind is never told about it.
class EpollMultiplexer final : public Multiplexer {
public:
    enum class Trigger : std::uint8_t { Level, Edge };

    // Creates the epoll instance (tracked by `ctx` when given). Throws std::system_error.
    EpollMultiplexer(Trigger trigger, int wakeFd, RunContext* ctx = nullptr);
    ~EpollMultiplexer() override;

    [[nodiscard]] MuxKind kind() const override
    {
        return m_trigger == Trigger::Edge ? MuxKind::EpollET : MuxKind::EpollLT;
    }
    void add(int fd) override;
    void remove(int fd) override;
    [[nodiscard]] std::size_t size() const override { return m_count; }
    [[nodiscard]] int handedPerWait() const override { return 0; }
    MuxWaitResult wait(int timeoutMs, std::vector<int>& ready) override;

private:
    static constexpr std::size_t kMaxEvents = 4096;

    Trigger m_trigger;
    int m_wakeFd = -1;
    RunContext* m_ctx = nullptr;
    int m_epfd = -1;
    std::size_t m_count = 0;
    std::vector<epoll_event> m_events;
};

} // namespace lockstep
