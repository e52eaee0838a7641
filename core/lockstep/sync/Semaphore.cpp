#include "lockstep/sync/Semaphore.h"

#include "lockstep/engine/PyError.h"
#include "lockstep/sync/GraphWait.h"

#include <cmath>
#include <optional>

namespace lockstep {

namespace {
int checkedInitial(int value)
{
    if (value < 0) throw PyError("ValueError", "semaphore initial value must be >= 0");
    return value;
}
} // namespace

Semaphore::Semaphore(RunContext& ctx, std::string name, int value, bool bounded)
    : m_ctx(ctx), m_id(ctx.addActor(ActorKind::Semaphore, std::move(name))), m_value(checkedInitial(value)),
      m_initial(value), m_bounded(bounded)
{
    TraceRecorder& rec = ctx.recorder();
    rec.recordState(m_id, m_value > 0 ? State::Free : State::Held);
    // What a view needs before the first acquire: the class, the initial value and the count.
    rec.record(EventKind::ObjectCapacity, m_id, {}, m_initial, rec.intern(bounded ? "BoundedSemaphore" : "Semaphore"));
    rec.record(EventKind::ObjectLevel, m_id, {}, m_value);
    ctx.addWakeable(this);
}

Semaphore::~Semaphore() { unregisterWakeable(); }

void Semaphore::unregisterWakeable()
{
    if (!m_registered) return;
    m_ctx.removeWakeable(this);
    m_registered = false;
}

bool Semaphore::acquire(bool blocking, double timeoutSeconds)
{
    const ActorId me = RunContext::currentActor();
    m_ctx.gate().pass(me);
    if (!blocking && timeoutSeconds >= 0)
        throw PyError("ValueError", "can't specify timeout for non-blocking acquire");
    // CPython would spin forever on a NaN timeout; here it gives up at once.
    const Timeout timeout = !blocking ? Timeout::nonBlocking()
                            : std::isnan(timeoutSeconds) ? Timeout::waitSeconds(0)
                                                         : Timeout::waitSeconds(timeoutSeconds);
    TraceRecorder& rec = m_ctx.recorder();
    rec.record(EventKind::AcquireRequest, me, m_id, timeout.ns());

    // Ends after `lock` is unlocked (see LockBase::acquireLevels).
    std::optional<RunContext::BlockScope> blocked;
    GraphWait edge(m_ctx.graph());
    std::unique_lock lock(m_mutex);
    bool rc = false;
    // CPython: `while self._value == 0: ... self._cond.wait(timeout)` then take one unit. The value
    // is checked before the deadline, so a unit released just after the timeout is still taken.
    for (;;) {
        if (m_value > 0) {
            --m_value;
            rc = true;
            break;
        }
        if (timeout.isNonBlocking() || timeout.expired()) break;
        if (!blocked) {
            lock.unlock();
            blocked.emplace(m_ctx, State::Blocked, m_id, timeout.isTimed());
            edge.add(me, m_id, timeout.isTimed());
            lock.lock();
            continue; // the value may have changed meanwhile
        }
        m_waiters.wait(m_ctx, lock, timeout);
    }
    edge.remove();
    if (!rc) {
        rec.record(EventKind::AcquireTimedOut, me, m_id, timeout.ns());
        m_ctx.graph().acquireFailed(me, m_id);
        return false;
    }
    if (m_tracksHolders) m_ctx.graph().addHolder(m_id, me);
    rec.record(EventKind::Acquired, me, m_id, m_value);
    if (m_value == 0) rec.recordState(m_id, State::Held, me);
    return true;
}

void Semaphore::release(int n)
{
    const ActorId me = RunContext::currentActor();
    m_ctx.gate().pass(me);
    if (n < 1) throw PyError("ValueError", "n must be one or more");
    std::lock_guard lock(m_mutex);
    if (m_bounded && m_value + n > m_initial) throw PyError("ValueError", "Semaphore released too many times");
    const bool wasEmpty = m_value == 0;
    m_value += n;
    if (m_tracksHolders)
        for (int i = 0; i < n; ++i) m_ctx.graph().removeHolder(m_id, me); // me, else the oldest holder
    TraceRecorder& rec = m_ctx.recorder();
    rec.record(EventKind::Released, me, m_id, m_value);
    if (wasEmpty) rec.recordState(m_id, State::Free);
    m_waiters.notify(static_cast<std::size_t>(n));
}

int Semaphore::value() const
{
    std::lock_guard lock(m_mutex);
    return m_value;
}

std::size_t Semaphore::waitingCount() const
{
    std::lock_guard lock(m_mutex);
    return m_waiters.size();
}

void Semaphore::wakeAll()
{
    std::lock_guard lock(m_mutex);
    m_waiters.wakeAll();
}

} // namespace lockstep
