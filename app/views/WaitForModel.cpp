#include "views/WaitForModel.h"

#include <algorithm>

namespace lockstep::ui {

bool WaitForModel::drawn(const Trace& trace, ActorId resource)
{
    if (m_locks.contains(resource)) return true;
    const ActorInfo* info = trace.actor(resource);
    if (!info || (info->kind != ActorKind::Lock && info->kind != ActorKind::RLock)) return false;
    const ActorInfo* parent = trace.actor(info->parent);
    return !(parent && parent->kind == ActorKind::Condition);
}

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

void WaitForModel::apply(const Trace& trace, const Event& e)
{
    switch (e.kind) {
    case EventKind::StateChange: {
        // Only for the thread's glyph and label: which state it is in is drawn, never judged.
        const ActorInfo* info = trace.actor(e.actor);
        if (!info || !isExecutor(info->kind)) return;
        auto it = std::find_if(m_states.begin(), m_states.end(), [&](auto& s) { return s.first == e.actor; });
        if (it == m_states.end()) m_states.emplace_back(e.actor, e.state);
        else it->second = e.state;
        return;
    }
    case EventKind::HoldEdgeAdded:
        if (!drawn(trace, e.target)) return;
        participate(e.actor, e.target);
        m_holds.acquired(e.actor, e.target, e.ts, static_cast<int>(std::max<std::int64_t>(e.value, 1)));
        return;
    case EventKind::HoldEdgeRemoved:
        if (!drawn(trace, e.target)) return;
        m_holds.released(e.actor, e.target, static_cast<int>(std::max<std::int64_t>(e.value, 0)));
        return;
    case EventKind::WaitEdgeAdded:
        std::erase_if(m_waits, [&](const Wait& w) { return w.thread == e.actor; });
        if (!drawn(trace, e.target)) return;
        participate(e.actor, e.target);
        m_waits.push_back({ e.actor, e.target, e.value != 0, e.ts });
        return;
    case EventKind::WaitEdgeRemoved:
        std::erase_if(m_waits, [&](const Wait& w) { return w.thread == e.actor; });
        return;
    case EventKind::CycleEdge:
        if (e.value == 0) m_pendingCycle.clear();
        m_pendingCycle.push_back(e.actor);
        m_pendingCycle.push_back(e.target);
        return;
    case EventKind::Coffman: {
        const auto change = coffmanChange(e);
        if (!change) return;
        m_facts[static_cast<std::size_t>(change->condition)]
            = { true, change->status, e.text, e.actor, e.target, e.ts };
        if (change->condition == CoffmanCondition::CircularWait) {
            m_cycle = change->status == CoffmanStatus::Met ? m_pendingCycle : std::vector<ActorId> {};
            m_pendingCycle.clear();
        }
        return;
    }
    case EventKind::Deadlock:
        m_deadlocked = true;
        m_deadlockTs = e.ts;
        m_deadlockText = e.text;
        return;
    default:
        return;
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

WaitForModel::Coffman WaitForModel::coffman() const
{
    const auto met = [&](CoffmanCondition c) { return fact(c).status == CoffmanStatus::Met; };
    return { met(CoffmanCondition::MutualExclusion), met(CoffmanCondition::HoldAndWait),
        met(CoffmanCondition::NoPreemption), met(CoffmanCondition::CircularWait) };
}

} // namespace lockstep::ui
