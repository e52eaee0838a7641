#pragma once

#include "lockstep/trace/Ids.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace lockstep {

class ConnectionSet;
class RunContext;

// The server ends as the trace shows them: one Fd actor per connection ("fd 7") and its readiness
// for what the server watches (readable or idle). The client driver makes an fd readable by writing,
// the server makes it idle by draining it; whoever changes it records the change, once, so the
// trace grows with what changes and not with the number of fds watched.
class FdBoard {
public:
    // poll-style masks recorded as FdReady values.
    static constexpr std::int64_t kReadable = 1;
    static constexpr std::int64_t kWritable = 4;
    static constexpr std::int64_t kHangup = 16;

    // Creates the Fd actors (initial state FdIdle) for every server end of `connections`.
    FdBoard(RunContext& ctx, const ConnectionSet& connections);

    [[nodiscard]] int size() const { return static_cast<int>(m_actors.size()); }
    [[nodiscard]] ActorId actor(int index) const { return m_actors[static_cast<std::size_t>(index)]; }
    // Connection index of a server fd, -1 if it is none of them.
    [[nodiscard]] int indexOfServerFd(int fd) const;
    [[nodiscard]] bool readable(int index) const;

    // Record that the fd turned readable / idle (no-op if it already was); `by` did it.
    void markReadable(int index, ActorId by, std::int32_t line);
    void markIdle(int index, ActorId by, std::int32_t line);
    // The peer closed its end: the fd reads as readable with nothing to read (POLLIN | POLLHUP).
    void markHangup(int index, ActorId by, std::int32_t line);
    // The server unregistered and closed it: the fd's actor ends (state Terminated).
    void markClosed(int index, ActorId by, std::int32_t line);

private:
    void change(int index, bool readable, ActorId by, std::int32_t line);

    RunContext& m_ctx;
    std::vector<ActorId> m_actors;
    std::vector<int> m_indexByFd;
    std::unique_ptr<std::atomic<bool>[]> m_readable;
};

} // namespace lockstep
