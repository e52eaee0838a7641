#include "views/BoardModel.h"

#include <algorithm>

namespace lockstep::ui {

BoardModel::Actor& BoardModel::slot(ActorId id)
{
    if (id.value >= m_actors.size()) m_actors.resize(id.value + 1);
    return m_actors[id.value];
}

const BoardModel::Actor& BoardModel::actor(ActorId id) const
{
    static const Actor kNone;
    return id.valid() && id.value < m_actors.size() ? m_actors[id.value] : kNone;
}

void BoardModel::apply(const Trace& trace, const Event& e)
{
    if (!e.actor.valid()) return;
    switch (e.kind) {
    case EventKind::StateChange: {
        Actor& a = slot(e.actor);
        a.state = e.state;
        a.target = e.target;
        a.since = e.ts;
        if (e.line > 0) a.line = e.line;
        ++a.changes;
        break;
    }
    case EventKind::LineReached:
        slot(e.actor).line = e.line;
        break;
    case EventKind::Say:
        slot(e.actor).said = e.text;
        break;
    case EventKind::Error:
        slot(e.actor).error = e.text;
        break;
    case EventKind::Acquired:
    case EventKind::Released:
        m_holds.apply(trace, e);
        break;
    case EventKind::WaiterAllocated:
        if (e.target.valid()) m_waiterLocks.insert(e.target);
        break;
    case EventKind::GilTaken: {
        auto it = std::find_if(m_gilHolders.begin(), m_gilHolders.end(), [&](auto& g) { return g.first == e.target; });
        if (it == m_gilHolders.end()) m_gilHolders.emplace_back(e.target, e.actor);
        else it->second = e.actor;
        break;
    }
    case EventKind::GilDropped:
        for (auto& g : m_gilHolders)
            if (g.first == e.target && g.second == e.actor) g.second = ActorId{};
        break;
    default:
        break;
    }
}

std::vector<ActorId> BoardModel::locksHeldBy(ActorId thread) const
{
    std::vector<ActorId> out;
    for (const auto& h : m_holds.holds())
        if (h.thread == thread && !m_waiterLocks.contains(h.lock)) out.push_back(h.lock);
    return out;
}

std::vector<ActorId> BoardModel::gilsHeldBy(ActorId thread) const
{
    std::vector<ActorId> out;
    for (const auto& g : m_gilHolders)
        if (g.second == thread && g.first.valid()) out.push_back(g.first);
    return out;
}

} // namespace lockstep::ui
