#include "views/ConditionModel.h"

#include <algorithm>

namespace lockstep::ui {

void ConditionModel::reset(const Trace& trace)
{
    // The first Condition of the run, and its own lock: the Lock / RLock created as its child
    // before any waiter lock (Condition() makes "<name>.lock" unless given one).
    for (const ActorInfo& a : trace.actors()) {
        if (!m_condition.valid() && a.kind == ActorKind::Condition) m_condition = a.id;
        if (m_condition.valid() && !m_lock.valid() && a.parent == m_condition
            && (a.kind == ActorKind::Lock || a.kind == ActorKind::RLock))
            m_lock = a.id;
    }
}

void ConditionModel::noteThread(ActorId thread)
{
    if (thread.valid() && std::find(m_threads.begin(), m_threads.end(), thread) == m_threads.end())
        m_threads.push_back(thread);
}

State ConditionModel::stateOf(ActorId thread) const
{
    for (const auto& s : m_states)
        if (s.first == thread) return s.second;
    return State::New;
}

ActorId ConditionModel::owner() const
{
    if (!m_lock.valid()) return {};
    const auto holders = m_holds.holdersOf(m_lock);
    return holders.empty() ? ActorId{} : holders.front();
}

ConditionModel::Waiter* ConditionModel::waiterFor(const Event& e)
{
    for (Waiter& w : m_waiters)
        if (w.lock == e.target) return &w;
    return nullptr;
}

void ConditionModel::apply(const Trace& trace, const Event& e)
{
    // A stall ends the run by cancelling it; what follows is threads unwinding. The lesson is the
    // moment everybody waited, so the picture stays there.
    if (m_stalled) return;
    // A live run registers the condition after the first snapshot was taken: adopt it late. The
    // condition's own lock records its first state before any waiter lock exists.
    if ((!m_condition.valid() || !m_lock.valid()) && e.kind == EventKind::StateChange && e.actor.valid()) {
        const ActorInfo* info = trace.actor(e.actor);
        if (info && !m_condition.valid() && info->kind == ActorKind::Condition) m_condition = info->id;
        if (info && m_condition.valid() && !m_lock.valid() && info->parent == m_condition
            && (info->kind == ActorKind::Lock || info->kind == ActorKind::RLock) && !m_waiterLocks.contains(info->id))
            m_lock = info->id;
    }
    switch (e.kind) {
    case EventKind::StateChange: {
        const ActorInfo* info = trace.actor(e.actor);
        if (info && isExecutor(info->kind)) {
            auto it = std::find_if(m_states.begin(), m_states.end(), [&](auto& s) { return s.first == e.actor; });
            if (it == m_states.end()) m_states.emplace_back(e.actor, e.state);
            else it->second = e.state;
        } else if (e.state == State::Terminated && m_waiterLocks.contains(e.actor)) {
            std::erase_if(m_waiters, [&](const Waiter& w) { return w.lock == e.actor; });
        }
        break;
    }
    case EventKind::Acquired:
    case EventKind::Released:
        if (m_waiterLocks.contains(e.target)) break;
        m_holds.apply(trace, e);
        if (e.target == m_lock) noteThread(e.actor);
        // Without a child lock, the condition's lock is the one a waiter releases inside wait().
        if (e.kind == EventKind::Released
            && std::find(m_pendingWaitBegin.begin(), m_pendingWaitBegin.end(), e.actor) != m_pendingWaitBegin.end()) {
            if (!m_lock.valid()) m_lock = e.target;
            std::erase(m_pendingWaitBegin, e.actor);
        }
        break;
    case EventKind::WaitBegin:
        if (e.target != m_condition) break;
        noteThread(e.actor);
        ++m_waits;
        m_pendingWaitBegin.push_back(e.actor);
        break;
    case EventKind::WaiterAllocated: {
        m_waiterLocks.insert(e.target);
        const ActorId thread = e.actor.valid() ? e.actor : ActorId(static_cast<std::uint32_t>(e.value));
        m_waiters.push_back({thread, e.target, WaiterStatus::Allocated, e.ts, {}});
        break;
    }
    case EventKind::WaiterQueued:
        if (Waiter* w = waiterFor(e)) {
            w->status = WaiterStatus::Queued;
            w->since = e.ts;
        }
        break;
    case EventKind::WaiterReleased:
        if (Waiter* w = waiterFor(e)) {
            w->status = WaiterStatus::Released;
            w->since = e.ts;
            w->releasedBy = e.actor;
            if (!m_notifies.empty() && m_notifies.back().notifier == e.actor)
                m_notifies.back().woken.push_back(w->thread);
        }
        break;
    case EventKind::WaitEnd:
        if (e.target != m_condition) break;
        std::erase_if(m_waiters, [&](const Waiter& w) { return w.thread == e.actor; });
        std::erase(m_pendingWaitBegin, e.actor);
        break;
    case EventKind::Notify:
        if (e.target != m_condition) break;
        noteThread(e.actor);
        m_notifies.push_back({e.ts, e.actor, e.value, trace.text(e) == "notify_all", {}});
        break;
    case EventKind::Say:
        noteThread(e.actor);
        m_dialogue.push_back({e.ts, e.actor, e.text});
        break;
    case EventKind::Error:
        m_errors.push_back({e.ts, e.actor, e.text});
        break;
    case EventKind::Stalled:
        m_stalled = true;
        m_stallText = e.text;
        break;
    default:
        break;
    }
}

} // namespace lockstep::ui
