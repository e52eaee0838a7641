#include "lockstep/sync/SyncEvent.h"

#include <optional>

namespace lockstep {

SyncEvent::SyncEvent(RunContext& ctx, std::string name)
    : m_ctx(ctx), m_id(ctx.addActor(ActorKind::SyncEvent, std::move(name)))
{
    ctx.recorder().recordState(m_id, State::Free);
    ctx.addWakeable(this);
}

SyncEvent::~SyncEvent() { m_ctx.removeWakeable(this); }

void SyncEvent::set()
{
    const ActorId me = RunContext::currentActor();
    m_ctx.gate().pass(me);
    std::lock_guard lock(m_mutex);
    m_flag = true;
    TraceRecorder& rec = m_ctx.recorder();
    rec.recordState(m_id, State::Held, me);
    const std::size_t woken = m_waiters.notifyAll();
    rec.record(EventKind::Notify, me, m_id, static_cast<std::int64_t>(woken));
}

void SyncEvent::clear()
{
    const ActorId me = RunContext::currentActor();
    m_ctx.gate().pass(me);
    std::lock_guard lock(m_mutex);
    m_flag = false;
    m_ctx.recorder().recordState(m_id, State::Free, me);
}

bool SyncEvent::isSet() const
{
    std::lock_guard lock(m_mutex);
    return m_flag;
}

bool SyncEvent::wait(double timeoutSeconds)
{
    const ActorId me = RunContext::currentActor();
    m_ctx.gate().pass(me);
    const Timeout timeout = Timeout::waitSeconds(timeoutSeconds);
    TraceRecorder& rec = m_ctx.recorder();
    rec.record(EventKind::WaitBegin, me, m_id, timeout.ns());

    std::optional<RunContext::BlockScope> waiting; // ends after `lock` is unlocked
    std::unique_lock lock(m_mutex);
    bool signaled = m_flag;
    if (!signaled && !timeout.isNonBlocking()) {
        lock.unlock();
        waiting.emplace(m_ctx, State::Waiting, m_id, timeout.isTimed());
        lock.lock();
        signaled = m_flag; // set() may have run while the mutex was free
        if (!signaled) signaled = m_waiters.wait(m_ctx, lock, timeout);
    }
    rec.record(EventKind::WaitEnd, me, m_id, signaled ? 1 : 0);
    return signaled;
}

std::size_t SyncEvent::waitingCount() const
{
    std::lock_guard lock(m_mutex);
    return m_waiters.size();
}

void SyncEvent::wakeAll()
{
    std::lock_guard lock(m_mutex);
    m_waiters.wakeAll();
}

} // namespace lockstep
