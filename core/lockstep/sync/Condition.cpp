#include "lockstep/sync/Condition.h"

#include "lockstep/engine/PyError.h"
#include "lockstep/sync/RLock.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

namespace lockstep {

Condition::Condition(RunContext& ctx, std::string name, std::shared_ptr<LockBase> lock)
    : m_ctx(ctx), m_name(std::move(name)), m_id(ctx.addActor(ActorKind::Condition, m_name))
{
    m_lock = lock ? std::move(lock) : std::make_shared<RLock>(ctx, m_name + ".lock", m_id);
    m_notifyAllText = ctx.recorder().intern("notify_all");
    ctx.recorder().recordState(m_id, State::Free);
    ctx.addWakeable(this);
}

Condition::~Condition() { m_ctx.removeWakeable(this); }

bool Condition::wait(double timeoutSeconds)
{
    const ActorId me = RunContext::currentActor();
    m_ctx.gate().pass(me);
    if (!m_lock->isOwned()) throw PyError("RuntimeError", "cannot wait on un-acquired lock");
    // Kind and payload only: the waiter's own acquire starts the clock, as in CPython.
    const Timeout requested = Timeout::waitSeconds(timeoutSeconds);
    TraceRecorder& rec = m_ctx.recorder();
    rec.record(EventKind::WaitBegin, me, m_id, requested.ns());

    std::string waiterName;
    {
        std::lock_guard lock(m_mutex);
        waiterName = m_name + ".waiter" + std::to_string(++m_waiterSerial);
    }
    std::shared_ptr<Lock> waiter = Lock::makeConditionWaiter(m_ctx, std::move(waiterName), m_id);
    rec.record(EventKind::WaiterAllocated, me, waiter->id(), me.value);
    waiter->acquire();

    // However wait() ends (normally, Cancelled, an error from the lock), the waiter leaves the deque
    // and its lane ends. On the normal path this runs after acquireRestore(), as CPython's finally.
    struct WaiterEnd {
        Condition& cond;
        const std::shared_ptr<Lock>& waiter;
        ~WaiterEnd()
        {
            cond.removeWaiter(waiter);
            cond.m_ctx.recorder().recordState(waiter->id(), State::Terminated);
        }
    } end{*this, waiter};
    {
        std::lock_guard lock(m_mutex);
        m_waiters.push_back(waiter);
        rec.record(EventKind::WaiterQueued, me, waiter->id(), me.value);
    }

    const int saved = m_lock->releaseSave();
    bool gotit = false;
    if (requested.isNonBlocking()) {
        gotit = waiter->acquire(false);
    } else {
        RunContext::BlockScope waiting(m_ctx, State::Waiting, m_id, requested.isTimed());
        gotit = requested.isForever() ? waiter->acquire() : waiter->acquire(true, requested.seconds());
    }
    m_lock->acquireRestore(saved);
    if (!gotit) removeWaiter(waiter);
    rec.record(EventKind::WaitEnd, me, m_id, gotit ? 1 : 0);
    return gotit;
}

bool Condition::waitFor(const std::function<bool()>& predicate, double timeoutSeconds)
{
    m_ctx.gate().pass(RunContext::currentActor());
    // CPython's loop. A NaN timeout would make it spin forever there; here it counts as 0.
    const bool none = timeoutSeconds < 0;
    double waittime = std::isnan(timeoutSeconds) ? 0.0 : timeoutSeconds;
    std::optional<std::chrono::steady_clock::time_point> endtime;
    bool result = predicate();
    while (!result) {
        if (!none) {
            const auto now = std::chrono::steady_clock::now();
            if (!endtime) {
                endtime = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(std::min(waittime, Timeout::kMaxSeconds)));
            } else {
                waittime = std::chrono::duration<double>(*endtime - now).count();
                if (waittime <= 0) break;
            }
        }
        wait(none ? -1.0 : waittime);
        result = predicate();
    }
    return result;
}

void Condition::notify(int n)
{
    const ActorId me = RunContext::currentActor();
    m_ctx.gate().pass(me);
    if (!m_lock->isOwned()) throw PyError("RuntimeError", "cannot notify on un-acquired lock");
    std::lock_guard lock(m_mutex);
    notifyLocked(me, n, TextId{});
}

void Condition::notifyAll()
{
    const ActorId me = RunContext::currentActor();
    m_ctx.gate().pass(me);
    if (!m_lock->isOwned()) throw PyError("RuntimeError", "cannot notify on un-acquired lock");
    std::lock_guard lock(m_mutex);
    notifyLocked(me, static_cast<std::int64_t>(m_waiters.size()), m_notifyAllText);
}

void Condition::notifyLocked(ActorId me, std::int64_t n, TextId text)
{
    TraceRecorder& rec = m_ctx.recorder();
    rec.record(EventKind::Notify, me, m_id, n, text);
    while (!m_waiters.empty() && n > 0) {
        std::shared_ptr<Lock> waiter = m_waiters.front();
        // Only notify() (under m_mutex) releases waiter locks, so "locked" cannot change before the
        // release below. CPython skips an already released waiter the same way (gh-92530).
        if (waiter->locked()) {
            rec.record(EventKind::WaiterReleased, me, waiter->id(), waiter->owner().value);
            waiter->release();
            --n;
        }
        m_waiters.pop_front();
    }
}

void Condition::removeWaiter(const std::shared_ptr<Lock>& waiter)
{
    std::lock_guard lock(m_mutex);
    auto it = std::find(m_waiters.begin(), m_waiters.end(), waiter);
    if (it != m_waiters.end()) m_waiters.erase(it);
}

std::size_t Condition::waiterCount() const
{
    std::lock_guard lock(m_mutex);
    return m_waiters.size();
}

std::vector<std::pair<ActorId, ActorId>> Condition::waiters() const
{
    std::lock_guard lock(m_mutex);
    std::vector<std::pair<ActorId, ActorId>> out;
    out.reserve(m_waiters.size());
    for (const auto& w : m_waiters) out.emplace_back(w->owner(), w->id());
    return out;
}

void Condition::wakeAll()
{
    // Every thread blocked on a waiter lock has its waiter in the deque (notify() pops a waiter only
    // after releasing it), so waking the deque reaches them all. The waiter locks themselves are not
    // registered with the run: they die with their wait() and the run must not outlive-point at them.
    std::lock_guard lock(m_mutex);
    for (const auto& w : m_waiters) w->wakeAll();
}

} // namespace lockstep
