#include "views/GilModel.h"

#include <algorithm>

namespace lockstep::ui {

GilModel::Gil& GilModel::gilSlot(ActorId id)
{
    for (Gil& g : m_gils)
        if (g.id == id) return g;
    m_gils.push_back({});
    m_gils.back().id = id;
    return m_gils.back();
}

const GilModel::Gil* GilModel::gil(ActorId id) const
{
    for (const Gil& g : m_gils)
        if (g.id == id) return &g;
    return nullptr;
}

GilModel::Member& GilModel::member(Gil& g, ActorId thread)
{
    for (Member& m : g.members)
        if (m.thread == thread) return m;
    g.members.push_back({});
    g.members.back().thread = thread;
    return g.members.back();
}

void GilModel::apply(const Trace& trace, const Event& e)
{
    switch (e.kind) {
    case EventKind::Mark:
        if (trace.text(e).rfind("machine busy:", 0) == 0) m_machineNote = std::string(trace.text(e));
        break;
    case EventKind::Counter:
        if (trace.text(e) == "switch_interval_ns" && e.value > 0) {
            m_intervalNs = e.value;
            m_intervalKnown = true;
        }
        break;
    case EventKind::GilRequest: {
        Gil& g = gilSlot(e.target);
        Member& m = member(g, e.actor);
        if (m.requestTs < 0) m.requestTs = e.ts;
        break;
    }
    case EventKind::GilTaken: {
        Gil& g = gilSlot(e.target);
        Member& m = member(g, e.actor);
        m.requestTs = -1;
        if (g.holder.valid() && g.holder != e.actor) {
            // A take without the previous holder's drop event: close its hold here.
            member(g, g.holder).heldNs += e.ts - g.holderSince;
        }
        g.holder = e.actor;
        g.holderSince = e.ts;
        g.lastTakenTs = e.ts;
        g.dropRequested = false;
        ++g.takes;
        // CPython's gil->switch_number: every take by a thread other than the last holder,
        // the very first take included (the engine's gil_switches counts the same way).
        if (g.lastTaker != e.actor) ++g.switches;
        g.lastTaker = e.actor;
        break;
    }
    case EventKind::GilDropRequest: {
        Gil& g = gilSlot(e.target);
        g.dropRequested = true;
        g.dropRequester = e.actor;
        g.dropRequestTs = e.ts;
        break;
    }
    case EventKind::GilDropped: {
        Gil& g = gilSlot(e.target);
        if (g.holder == e.actor) {
            member(g, e.actor).heldNs += e.ts - g.holderSince;
            g.holder = ActorId {};
        }
        break;
    }
    case EventKind::StateChange:
        for (Gil& g : m_gils) {
            for (Member& m : g.members) {
                if (m.thread != e.actor) continue;
                m.state = e.state;
                m.stateTarget = e.target;
                m.stateSince = e.ts;
                if (e.state == State::Terminated) m.requestTs = -1;
            }
        }
        // A thread Ready on a GIL it never requested still counts as one of its threads.
        if (e.state == State::Ready && e.target.valid()) {
            const ActorInfo* info = trace.actor(e.target);
            if (info && info->kind == ActorKind::Gil) {
                Member& m = member(gilSlot(e.target), e.actor);
                m.state = e.state;
                m.stateTarget = e.target;
                m.stateSince = e.ts;
            }
        }
        break;
    default:
        break;
    }
}

std::vector<const GilModel::Member*> GilModel::waiters(const Gil& g) const
{
    std::vector<const Member*> out;
    for (const Member& m : g.members) {
        if (m.thread == g.holder) continue;
        const bool readyOnGil = m.state == State::Ready && m.stateTarget == g.id;
        if (m.requestTs >= 0 || readyOnGil) out.push_back(&m);
    }
    auto since = [](const Member* m) { return m->requestTs >= 0 ? m->requestTs : m->stateSince; };
    std::stable_sort(out.begin(), out.end(), [&](const Member* a, const Member* b) { return since(a) < since(b); });
    return out;
}

std::int64_t GilModel::heldNs(const Gil& g, const Member& m, std::int64_t now) const
{
    std::int64_t total = m.heldNs;
    if (g.holder == m.thread) total += std::max<std::int64_t>(0, now - g.holderSince);
    return total;
}

} // namespace lockstep::ui
