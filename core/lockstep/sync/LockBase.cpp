#include "lockstep/sync/LockBase.h"

#include "lockstep/sync/GraphWait.h"

#include <array>
#include <optional>

namespace lockstep {

LockBase::LockBase(RunContext& ctx, ActorKind kind, std::string name, ActorId parent)
    : LockBase(ctx, kind, std::move(name), parent, false)
{
}

LockBase::LockBase(RunContext& ctx, ActorKind kind, std::string name, ActorId parent, bool internal)
    : m_ctx(ctx), m_id(ctx.addActor(kind, std::move(name), parent)), m_internal(internal)
{
    m_ctx.recorder().recordState(m_id, State::Free);
    // A Condition's waiter locks live for one wait() only; the Condition wakes them on cancel, so
    // that the run never holds a pointer to a lock that a returning wait() is destroying.
    if (!m_internal) {
        m_ctx.addWakeable(this);
        m_registered = true;
    }
}

LockBase::~LockBase()
{
    unregisterWakeable();
}

void LockBase::unregisterWakeable()
{
    if (!m_registered) return;
    m_ctx.removeWakeable(this);
    m_registered = false;
}

bool LockBase::locked() const
{
    std::lock_guard lock(m_mutex);
    return m_count > 0;
}

ActorId LockBase::owner() const
{
    std::lock_guard lock(m_mutex);
    return m_owner;
}

std::size_t LockBase::waitingCount() const
{
    std::lock_guard lock(m_mutex);
    return m_waiting;
}

void LockBase::wakeAll()
{
    // Taking the mutex orders this with a waiter's "cancelled()?" check: it is either before the
    // check (and sees the flag) or already inside cv.wait (and gets the notification).
    { std::lock_guard lock(m_mutex); }
    m_cv.notify_all();
}

void LockBase::passGate(ActorId me)
{
    if (!m_internal) m_ctx.gate().pass(me);
}

bool LockBase::acquireLevels(ActorId me, const Timeout& timeout, int levels, bool reentrant)
{
    TraceRecorder& rec = m_ctx.recorder();
    rec.record(EventKind::AcquireRequest, me, m_id, timeout.ns());

    // Both end after `lock` is unlocked (reverse order of declaration): entering/leaving a thread
    // state and adding a wait edge may call into the run (a deadlock cancels it and wakes every
    // primitive, this one included), which must never happen under m_mutex.
    std::optional<RunContext::BlockScope> blocked;
    GraphWait edge(m_ctx.graph());
    std::unique_lock lock(m_mutex);

    if (m_count == 0 || (reentrant && m_owner == me)) {
        take(me, levels);
        return true;
    }
    if (timeout.isNonBlocking()) {
        rec.record(EventKind::AcquireTimedOut, me, m_id, 0);
        if (!m_internal) m_ctx.graph().acquireFailed(me, m_id);
        return false;
    }
    // A contender from before the lock's mutex is let go: from here on, holds and releases of this
    // lock go through the wait-for graph (see WaitForGraph::addQuietHolder).
    ++m_contenders;
    struct Contending {
        std::size_t& count;
        ~Contending() { --count; } // under m_mutex: every way out of the wait below relocks it
    } contending { m_contenders };
    if (!m_internal) {
        const ActorId holder = m_owner;
        lock.unlock();
        try {
            blocked.emplace(m_ctx, State::Blocked, m_id, timeout.isTimed());
            edge.add(me, m_id, timeout.isTimed(), holder);
        } catch (...) {
            lock.lock(); // for ~Contending
            throw;
        }
        lock.lock();
    }

    ++m_waiting;
    bool ok = true;
    const auto isFree = [this] { return m_count == 0; };
    try {
        if (timeout.isForever()) m_ctx.wait(m_cv, lock, isFree);
        else ok = m_ctx.waitUntil(m_cv, lock, timeout.deadline(), isFree);
        // A lock freed by a cancelled thread unwinding must not let this one carry on: once the run
        // is cancelled, every blocking call ends with Cancelled.
        m_ctx.throwIfCancelled();
    } catch (...) {
        --m_waiting;
        throw;
    }
    --m_waiting;
    edge.remove();
    if (!ok) {
        rec.record(EventKind::AcquireTimedOut, me, m_id, timeout.ns());
        if (!m_internal) m_ctx.graph().acquireFailed(me, m_id);
        return false;
    }
    take(me, levels);
    return true;
}

namespace {

// One event of a lock's batch; a StateChange passes the lock's new state.
Event lockEvent(EventKind kind, ActorId actor, ActorId target, std::int64_t value = 0, State state = State::New)
{
    Event e;
    e.kind = kind;
    e.actor = actor;
    e.target = target;
    e.value = value;
    e.state = state;
    return e;
}

} // namespace

void LockBase::take(ActorId me, int levels)
{
    const bool wasFree = m_count == 0;
    m_owner = me;
    m_count += levels;
    // The events of one acquire share a stamp and go in one batch: the hold edge, Acquired, and
    // the lock's Held state (what addHolder and the records below write one by one).
    std::array<Event, 3> batch;
    std::size_t n = 0;
    if (!m_internal) {
        const int quiet = levels == 1 && m_contenders == 0 ? m_ctx.graph().addQuietHolder(m_id, me) : -1;
        if (quiet >= 0)
            batch[n++] = lockEvent(EventKind::HoldEdgeAdded, me, m_id, quiet);
        else
            for (int i = 0; i < levels; ++i)
                m_ctx.graph().addHolder(m_id, me);
    }
    batch[n++] = lockEvent(EventKind::Acquired, me, m_id, m_count);
    if (wasFree) batch[n++] = lockEvent(EventKind::StateChange, m_id, me, 0, State::Held);
    m_lastTicks = m_ctx.recorder().recordBatch(batch.data(), n, m_lastTicks);
}

void LockBase::dropLevels(ActorId by, int levels)
{
    std::array<Event, 3> batch;
    std::size_t n = 0;
    if (!m_internal) {
        const int quiet = levels == 1 && m_contenders == 0 ? m_ctx.graph().removeQuietHolder(m_id, m_owner) : -1;
        if (quiet >= 0)
            batch[n++] = lockEvent(EventKind::HoldEdgeRemoved, m_owner, m_id, quiet);
        else
            for (int i = 0; i < levels; ++i)
                m_ctx.graph().removeHolder(m_id, m_owner);
    }
    m_count -= levels;
    batch[n++] = lockEvent(EventKind::Released, by, m_id, m_count);
    if (m_count == 0) {
        m_owner = ActorId{};
        batch[n++] = lockEvent(EventKind::StateChange, m_id, {}, 0, State::Free);
    }
    m_lastTicks = m_ctx.recorder().recordBatch(batch.data(), n, m_lastTicks);
    // Every blocked acquirer waits for "free"; whoever wakes takes it (or, if another thread
    // barged in first, waits again and is woken by that thread's release).
    if (m_count == 0 && m_waiting > 0) m_cv.notify_one();
}

} // namespace lockstep
