#include "views/WaitForModel.h"

#include <algorithm>
#include <functional>

namespace lockstep::ui {

namespace {

bool isTrackedLockKind(const Trace& trace, ActorId id)
{
    const ActorInfo* info = trace.actor(id);
    return info && (info->kind == ActorKind::Lock || info->kind == ActorKind::RLock);
}

} // namespace

void WaitForModel::participate(ActorId thread, ActorId lock)
{
    m_locks.insert(lock);
    if (!m_placed.contains(lock) && !m_placed.contains(thread)) {
        m_participants.push_back(lock);
        m_placed.insert(lock);
    }
    if (m_placed.insert(thread).second) m_participants.push_back(thread);
    if (m_placed.insert(lock).second) m_participants.push_back(lock);
}

void WaitForModel::clearWait(ActorId thread)
{
    std::erase_if(m_waits, [&](const Wait& w) { return w.thread == thread; });
}

void WaitForModel::apply(const Trace& trace, const Event& e)
{
    if (m_deadlocked) return; // frozen at the moment the cycle closed
    switch (e.kind) {
    case EventKind::WaiterAllocated:
        if (e.target.valid()) {
            m_waiterLocks.insert(e.target);
            // A waiter lock is never a participant, even if it slipped in before it was known.
            if (m_locks.erase(e.target) > 0) std::erase(m_participants, e.target);
        }
        return;
    case EventKind::StateChange: {
        if (m_locks.contains(e.actor)) return;
        const ActorInfo* info = trace.actor(e.actor);
        if (!info || !isExecutor(info->kind)) return;
        auto it = std::find_if(m_states.begin(), m_states.end(), [&](auto& s) { return s.first == e.actor; });
        if (it == m_states.end()) m_states.emplace_back(e.actor, e.state);
        else it->second = e.state;
        if (e.state == State::Terminated) clearWait(e.actor);
        return;
    }
    case EventKind::Deadlock:
        m_deadlocked = true;
        m_deadlockTs = e.ts;
        m_deadlockText = e.text;
        return;
    default:
        break;
    }
    if (e.kind != EventKind::AcquireRequest && e.kind != EventKind::Acquired && e.kind != EventKind::Released
        && e.kind != EventKind::AcquireTimedOut)
        return;
    if (!e.target.valid() || !e.actor.valid() || m_waiterLocks.contains(e.target)
        || !isTrackedLockKind(trace, e.target))
        return;
    switch (e.kind) {
    case EventKind::AcquireRequest:
        participate(e.actor, e.target);
        clearWait(e.actor);
        m_waits.push_back({e.actor, e.target, e.ts});
        break;
    case EventKind::Acquired:
        participate(e.actor, e.target);
        clearWait(e.actor);
        m_holds.apply(trace, e);
        m_everHeld = true;
        break;
    case EventKind::AcquireTimedOut:
        clearWait(e.actor);
        break;
    case EventKind::Released:
        m_holds.apply(trace, e);
        break;
    default:
        break;
    }
}

std::optional<ActorId> WaitForModel::waitOf(ActorId thread) const
{
    for (const Wait& w : m_waits)
        if (w.thread == thread) return w.lock;
    return std::nullopt;
}

State WaitForModel::stateOf(ActorId thread) const
{
    for (const auto& s : m_states)
        if (s.first == thread) return s.second;
    return State::New;
}

std::vector<ActorId> WaitForModel::cycle() const
{
    // Each thread waits for at most one lock, so following thread -> lock -> holder is a walk in
    // a graph of tiny out-degree; a depth-first search from each waiting thread finds any cycle.
    std::vector<ActorId> best;
    std::vector<ActorId> path;
    std::unordered_set<ActorId> onPath;
    std::function<bool(ActorId, ActorId)> dfs = [&](ActorId start, ActorId thread) -> bool {
        const auto lock = waitOf(thread);
        if (!lock) return false;
        path.push_back(thread);
        path.push_back(*lock);
        onPath.insert(thread);
        for (ActorId holder : m_holds.holdersOf(*lock)) {
            if (holder == start) return true;
            if (!onPath.contains(holder) && holder.value > start.value && dfs(start, holder)) return true;
        }
        onPath.erase(thread);
        path.pop_back();
        path.pop_back();
        return false;
    };
    std::vector<ActorId> starts;
    for (const Wait& w : m_waits) starts.push_back(w.thread);
    std::sort(starts.begin(), starts.end());
    // Starting from the smallest thread id and only visiting larger ids finds every cycle exactly
    // once, already rotated to its smallest thread.
    for (ActorId s : starts) {
        path.clear();
        onPath.clear();
        if (dfs(s, s)) return path;
    }
    return best;
}

WaitForModel::Evidence WaitForModel::mutualExclusionEvidence() const
{
    for (const Wait& w : m_waits) {
        const auto holders = m_holds.holdersOf(w.lock);
        if (!holders.empty()) return {w.thread, w.lock, holders.front()};
    }
    return {};
}

WaitForModel::Evidence WaitForModel::holdAndWaitEvidence() const
{
    for (const Wait& w : m_waits) {
        for (ActorId held : m_holds.heldBy(w.thread))
            if (m_locks.contains(held)) return {w.thread, w.lock, held};
    }
    return {};
}

std::optional<HoldTable::Hold> WaitForModel::firstHold() const
{
    for (const auto& h : m_holds.holds())
        if (m_locks.contains(h.lock)) return h;
    return std::nullopt;
}

WaitForModel::Coffman WaitForModel::coffman() const
{
    Coffman c;
    c.mutualExclusion = mutualExclusionEvidence().thread.valid();
    c.holdAndWait = holdAndWaitEvidence().thread.valid();
    c.noPreemption = m_everHeld;
    c.circularWait = !cycle().empty() || m_deadlocked;
    return c;
}

} // namespace lockstep::ui
