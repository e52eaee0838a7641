#include "lockstep/io/FdBoard.h"

#include "lockstep/engine/RunContext.h"
#include "lockstep/io/ConnectionSet.h"

#include <string>

namespace lockstep {

FdBoard::FdBoard(RunContext& ctx, const ConnectionSet& connections)
    : m_ctx(ctx), m_readable(std::make_unique<std::atomic<bool>[]>(static_cast<std::size_t>(connections.size())))
{
    const int n = connections.size();
    m_actors.reserve(static_cast<std::size_t>(n));
    m_indexByFd.assign(static_cast<std::size_t>(connections.highestServerFd() + 1), -1);
    auto& rec = ctx.recorder();
    for (int i = 0; i < n; ++i) {
        const int fd = connections.serverFd(i);
        const ActorId id = ctx.addActor(ActorKind::Fd, "fd " + std::to_string(fd));
        rec.recordState(id, State::FdIdle);
        m_actors.push_back(id);
        m_indexByFd[static_cast<std::size_t>(fd)] = i;
        m_readable[static_cast<std::size_t>(i)].store(false, std::memory_order_relaxed);
    }
}

int FdBoard::indexOfServerFd(int fd) const
{
    if (fd < 0 || static_cast<std::size_t>(fd) >= m_indexByFd.size()) return -1;
    return m_indexByFd[static_cast<std::size_t>(fd)];
}

bool FdBoard::readable(int index) const
{
    return m_readable[static_cast<std::size_t>(index)].load(std::memory_order_acquire);
}

void FdBoard::markReadable(int index, ActorId by, std::int32_t line) { change(index, true, by, line); }

void FdBoard::markIdle(int index, ActorId by, std::int32_t line) { change(index, false, by, line); }

void FdBoard::markHangup(int index, ActorId by, std::int32_t line)
{
    m_readable[static_cast<std::size_t>(index)].store(true, std::memory_order_release);
    const ActorId fd = actor(index);
    auto& rec = m_ctx.recorder();
    rec.record(EventKind::FdReady, fd, by, kReadable | kHangup, {}, line);
    rec.recordState(fd, State::FdHangup, by, line);
}

void FdBoard::markClosed(int index, ActorId by, std::int32_t line)
{
    m_readable[static_cast<std::size_t>(index)].store(false, std::memory_order_release);
    m_ctx.recorder().recordState(actor(index), State::Terminated, by, line);
}

void FdBoard::change(int index, bool readable, ActorId by, std::int32_t line)
{
    if (m_readable[static_cast<std::size_t>(index)].exchange(readable, std::memory_order_acq_rel) == readable) return;
    const ActorId fd = actor(index);
    auto& rec = m_ctx.recorder();
    rec.record(EventKind::FdReady, fd, by, readable ? kReadable : 0, {}, line);
    rec.recordState(fd, readable ? State::FdReadable : State::FdIdle, by, line);
}

} // namespace lockstep
