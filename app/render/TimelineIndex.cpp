#include "render/TimelineIndex.h"

#include <algorithm>
#include <functional>

namespace lockstep::ui {

namespace {
const std::vector<HoldChange> kNoHolds;
const std::vector<EventIndex> kNoEvents;

constexpr std::uint64_t bit(EventKind k) { return std::uint64_t{1} << static_cast<unsigned>(k); }
} // namespace

bool TimelineIndex::isMarker(EventKind kind)
{
    switch (kind) {
    case EventKind::Notify:
    case EventKind::Deadlock:
    case EventKind::Stalled:
    case EventKind::Error:
    case EventKind::GilDropRequest:
    case EventKind::Fork:
    case EventKind::Exit:
    case EventKind::Reap:
    case EventKind::Say:
    case EventKind::Mark:
    case EventKind::AcquireTimedOut:
    case EventKind::GenSend:
    case EventKind::GenThrow:
    case EventKind::GenClose:
    case EventKind::GenYield:
    case EventKind::GenReturn:
    case EventKind::GenRaise: return true;
    default: return false;
    }
}

bool TimelineIndex::isGlobalMarker(EventKind kind) { return kind == EventKind::Deadlock || kind == EventKind::Stalled; }

bool TimelineIndex::isLockKind(ActorKind kind)
{
    return kind == ActorKind::Lock || kind == ActorKind::RLock || kind == ActorKind::Semaphore;
}

void TimelineIndex::clear()
{
    m_runKey = nullptr;
    m_processed = 0;
    m_lanes.clear();
    m_laneOfActor.clear();
    m_resources.clear();
    m_perActor.clear();
    m_global.clear();
    m_markerKinds = 0;
    m_hasGil = false;
}

bool TimelineIndex::update(const Trace& trace)
{
    const std::size_t n = trace.eventCount();
    const void* key = n ? static_cast<const void*>(&trace.events()[0]) : nullptr;
    bool restarted = false;
    if ((m_runKey && key != m_runKey) || n < m_processed) {
        clear();
        restarted = true;
    }
    if (key) m_runKey = key;
    rebuildLanes(trace);
    if (n > m_processed) {
        scan(trace, m_processed, n);
        m_processed = n;
    }
    return restarted;
}

int TimelineIndex::laneOf(ActorId actor) const
{
    return actor.valid() && actor.value < m_laneOfActor.size() ? m_laneOfActor[actor.value] : -1;
}

const std::vector<HoldChange>& TimelineIndex::holds(ActorId resource) const
{
    if (!resource.valid() || resource.value >= m_resources.size()) return kNoHolds;
    const Resource& r = m_resources[resource.value];
    return r.fromEvents.empty() ? r.fromStates : r.fromEvents;
}

ActorId TimelineIndex::holderAt(ActorId resource, std::int64_t t) const
{
    const auto& h = holds(resource);
    auto it = std::upper_bound(h.begin(), h.end(), t, [](std::int64_t v, const HoldChange& c) { return v < c.start; });
    if (it == h.begin()) return {};
    return std::prev(it)->holder;
}

const std::vector<EventIndex>& TimelineIndex::markers(ActorId actor) const
{
    return actor.valid() && actor.value < m_perActor.size() ? m_perActor[actor.value].markers : kNoEvents;
}

const std::vector<EventIndex>& TimelineIndex::alarms(ActorId actor) const
{
    return actor.valid() && actor.value < m_perActor.size() ? m_perActor[actor.value].alarms : kNoEvents;
}

TimelineIndex::Resource& TimelineIndex::resource(ActorId id)
{
    if (m_resources.size() <= id.value) m_resources.resize(id.value + 1);
    return m_resources[id.value];
}

TimelineIndex::PerActor& TimelineIndex::perActor(ActorId id)
{
    if (m_perActor.size() <= id.value) m_perActor.resize(id.value + 1);
    return m_perActor[id.value];
}

ActorKind TimelineIndex::kindOf(const Trace& trace, ActorId id) const
{
    const ActorInfo* a = trace.actor(id);
    return a ? a->kind : ActorKind::Fd; // unknown: treat as a resource without a lane
}

void TimelineIndex::rebuildLanes(const Trace& trace)
{
    const auto& actors = trace.actors();
    m_lanes.clear();
    m_laneOfActor.assign(actors.size(), -1);
    m_hasGil = false;

    // Executors as a forest: a thread under its process, a coroutine under its thread.
    std::vector<std::vector<ActorId>> children(actors.size());
    std::vector<ActorId> roots;
    for (const auto& a : actors) {
        if (!isExecutor(a.kind)) continue;
        const ActorInfo* p = trace.actor(a.parent);
        if (p && isExecutor(p->kind) && p->id != a.id)
            children[p->id.value].push_back(a.id);
        else
            roots.push_back(a.id);
    }
    int series = 0;
    std::vector<bool> seen(actors.size(), false);
    std::function<void(ActorId, int)> visit = [&](ActorId id, int depth) {
        if (seen[id.value]) return; // parent cycles cannot happen, but a bad trace must not hang us
        seen[id.value] = true;
        m_laneOfActor[id.value] = static_cast<int>(m_lanes.size());
        m_lanes.push_back(Lane{LaneKind::Executor, id, std::min(depth, 4), series++});
        for (ActorId c : children[id.value]) visit(c, depth + 1);
    };
    for (ActorId r : roots) visit(r, 0);

    for (const auto& a : actors) {
        if (a.kind != ActorKind::Gil) continue;
        m_hasGil = true;
        m_laneOfActor[a.id.value] = static_cast<int>(m_lanes.size());
        m_lanes.push_back(Lane{LaneKind::Gil, a.id, 0, -1});
    }
    for (const auto& a : actors) {
        if (!isLockKind(a.kind)) continue;
        m_laneOfActor[a.id.value] = static_cast<int>(m_lanes.size());
        m_lanes.push_back(Lane{LaneKind::Lock, a.id, 0, -1});
    }
}

void TimelineIndex::push(std::vector<HoldChange>& v, const HoldChange& c)
{
    if (!v.empty()) {
        HoldChange& last = v.back();
        if (last.holder == c.holder && last.holders == c.holders) return;
        if (last.start == c.start) {
            // Two changes at one instant: only the later is ever visible.
            last = c;
            if (v.size() >= 2 && v[v.size() - 2].holder == c.holder && v[v.size() - 2].holders == c.holders)
                v.pop_back();
            return;
        }
    }
    v.push_back(c);
}

void TimelineIndex::noteHolders(Resource& r, std::int64_t ts)
{
    HoldChange c;
    c.start = ts;
    c.holders = static_cast<std::uint32_t>(r.current.size());
    if (!r.current.empty()) c.holder = r.current.front().first;
    push(r.fromEvents, c);
}

void TimelineIndex::scan(const Trace& trace, std::size_t from, std::size_t to)
{
    const auto& events = trace.events();
    for (std::size_t i = from; i < to; ++i) {
        const Event& e = events[i];
        switch (e.kind) {
        case EventKind::Acquired:
        case EventKind::GilTaken: {
            if (!e.target.valid() || !e.actor.valid()) break;
            const ActorKind k = kindOf(trace, e.target);
            if (!isLockKind(k) && k != ActorKind::Gil) break;
            Resource& r = resource(e.target);
            if (e.kind == EventKind::GilTaken) r.current.clear(); // one holder, whatever we missed
            auto it =
                std::find_if(r.current.begin(), r.current.end(), [&](const auto& h) { return h.first == e.actor; });
            if (it != r.current.end() && k != ActorKind::Semaphore)
                ++it->second; // RLock recursion
            else
                r.current.emplace_back(e.actor, 1);
            noteHolders(r, e.ts);
            break;
        }
        case EventKind::Released:
        case EventKind::GilDropped: {
            if (!e.target.valid()) break;
            const ActorKind k = kindOf(trace, e.target);
            if (!isLockKind(k) && k != ActorKind::Gil) break;
            Resource& r = resource(e.target);
            auto it =
                std::find_if(r.current.begin(), r.current.end(), [&](const auto& h) { return h.first == e.actor; });
            // A Lock may be released by another thread than its holder (CPython allows it): then
            // the oldest holder lets go, as the engine's wait-for graph assumes too.
            if (it == r.current.end() && !r.current.empty()) it = r.current.begin();
            if (it != r.current.end() && --it->second <= 0) r.current.erase(it);
            noteHolders(r, e.ts);
            break;
        }
        case EventKind::StateChange: {
            if (!e.actor.valid()) break;
            const ActorKind k = kindOf(trace, e.actor);
            if (!isLockKind(k) && k != ActorKind::Gil) break;
            Resource& r = resource(e.actor);
            HoldChange c;
            c.start = e.ts;
            if (e.state == State::Held) {
                c.holder = e.target;
                c.holders = 1;
            }
            push(r.fromStates, c);
            break;
        }
        default: break;
        }

        if (!isMarker(e.kind)) continue;
        const EventIndex index(i);
        m_markerKinds |= bit(e.kind);
        if (isGlobalMarker(e.kind)) {
            m_global.push_back(index);
            continue;
        }
        // On the lane of the actor that did it; failing that, of what it concerned.
        ActorId where;
        if (laneOf(e.actor) >= 0)
            where = e.actor;
        else if (laneOf(e.target) >= 0)
            where = e.target;
        if (!where.valid()) {
            m_global.push_back(index);
            continue;
        }
        PerActor& p = perActor(where);
        if (e.kind == EventKind::Error)
            p.alarms.push_back(index);
        else
            p.markers.push_back(index);
    }
}

} // namespace lockstep::ui
