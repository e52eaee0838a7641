#include "render/TimelineIndex.h"

#include <algorithm>
#include <array>
#include <functional>

namespace lockstep::ui {

namespace {
const HoldList kNoHolds;
const std::vector<EventIndex> kNoEvents;

constexpr std::uint64_t bit(EventKind k)
{
    return std::uint64_t { 1 } << static_cast<unsigned>(k);
}

constexpr bool markerKind(EventKind kind)
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

// What the scan does with an event, by kind: one table look-up per event instead of a switch and
// the marker tests (most events of a long run are state changes that need neither).
enum KindFlag : std::uint8_t {
    kTake = 1, // Acquired, GilTaken: a holder more
    kGive = 2, // Released, GilDropped: a holder less
    kState = 4, // StateChange: maybe a resource's own Held / Free
    kMarker = 8, // an instant marker
    kGlobal = 16, // a marker across all lanes
    kAlarm = 32, // a marker among its actor's alarms
    kExclusive = 64, // GilTaken: one holder, whatever we missed
};

constexpr std::size_t kPrefetchAhead = 64; // events (measured: 16 too few, 128 no better)

constexpr std::size_t kKinds = 64; // markerKinds() is a 64-bit set over EventKind
static_assert(static_cast<std::size_t>(EventKind::ObjectDetach) < kKinds); // the last kind

constexpr std::array<std::uint8_t, kKinds> makeKindTable()
{
    std::array<std::uint8_t, kKinds> table {};
    for (std::size_t i = 0; i < kKinds; ++i) {
        const auto k = static_cast<EventKind>(i);
        std::uint8_t f = 0;
        if (k == EventKind::Acquired || k == EventKind::GilTaken) f |= kTake;
        if (k == EventKind::GilTaken) f |= kExclusive;
        if (k == EventKind::Released || k == EventKind::GilDropped) f |= kGive;
        if (k == EventKind::StateChange) f |= kState;
        if (markerKind(k)) f |= kMarker;
        if (k == EventKind::Deadlock || k == EventKind::Stalled) f |= kGlobal;
        if (k == EventKind::Error) f |= kAlarm;
        table[i] = f;
    }
    return table;
}
constexpr auto kKindTable = makeKindTable();

// Events from index i to the end of the storage chunk holding it (or of the view). A chunk is an
// array, so a scan over millions of events walks arrays instead of finding each event's chunk as
// events()[i] does. Chunk k holds chunkCapacity(k) events: a few growing ones, then kChunkSize each.
std::span<const Event> eventRun(const Trace::EventView& events, std::size_t i)
{
    using View = Trace::EventView;
    const std::size_t n = events.size();
    if (i >= n) return {};
    std::size_t start = 0;
    std::size_t k = 0;
    while (View::chunkCapacity(k) < View::kChunkSize && start + View::chunkCapacity(k) <= i)
        start += View::chunkCapacity(k++);
    const std::size_t capacity = View::chunkCapacity(k);
    const std::size_t end = start + (capacity < View::kChunkSize ? capacity : ((i - start) / capacity + 1) * capacity);
    return { &events[i], std::min(end, n) - i };
}

std::uint8_t flagsOf(EventKind k)
{
    const auto i = static_cast<std::size_t>(k);
    return i < kKinds ? kKindTable[i] : 0; // a kind newer than this table: nothing to index
}
} // namespace

bool TimelineIndex::isMarker(EventKind kind)
{
    return markerKind(kind);
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
    m_roles.clear();
    m_resourceIds.clear();
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

const HoldList& TimelineIndex::holds(ActorId resource) const
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

TimelineIndex::PerActor& TimelineIndex::perActor(ActorId id)
{
    if (m_perActor.size() <= id.value) m_perActor.resize(id.value + 1);
    return m_perActor[id.value];
}

void TimelineIndex::rebuildLanes(const Trace& trace)
{
    const auto& actors = trace.actors();
    m_lanes.clear();
    m_laneOfActor.assign(actors.size(), -1);
    m_hasGil = false;
    m_roles.assign(actors.size(), Role::None);
    m_resourceIds.clear();
    for (const auto& a : actors) {
        const Role role = a.kind == ActorKind::Gil ? Role::Gil
            : a.kind == ActorKind::Semaphore       ? Role::Semaphore
            : isLockKind(a.kind)                   ? Role::Lock
                                                   : Role::None;
        if (role == Role::None || a.id.value >= actors.size()) continue;
        m_roles[a.id.value] = role;
        m_resourceIds.push_back(a.id);
    }

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

void TimelineIndex::push(HoldList& v, const HoldChange& c)
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

void TimelineIndex::take(Resource& r, const Event& e, Role role, bool exclusive)
{
    if (exclusive || r.current.empty()) {
        // The common case (the GIL, a free lock), without looking for the actor among the holders.
        r.current.clear(); // GilTaken: one holder, whatever we missed
        r.current.emplace_back(e.actor, 1);
        push(r.fromEvents, HoldChange { e.ts, e.actor, 1 });
        return;
    }
    auto it = std::find_if(r.current.begin(), r.current.end(), [&](const auto& h) { return h.first == e.actor; });
    if (it != r.current.end() && role != Role::Semaphore)
        ++it->second; // RLock recursion
    else
        r.current.emplace_back(e.actor, 1);
    noteHolders(r, e.ts);
}

void TimelineIndex::give(Resource& r, const Event& e)
{
    if (r.current.size() == 1) {
        // One holder: it lets go whoever releases (see below), without the search.
        if (--r.current.front().second <= 0) r.current.clear();
        noteHolders(r, e.ts);
        return;
    }
    auto it = std::find_if(r.current.begin(), r.current.end(), [&](const auto& h) { return h.first == e.actor; });
    // A Lock may be released by another thread than its holder (CPython allows it): then the
    // oldest holder lets go, as the engine's wait-for graph assumes too.
    if (it == r.current.end() && !r.current.empty()) it = r.current.begin();
    if (it != r.current.end() && --it->second <= 0) r.current.erase(it);
    noteHolders(r, e.ts);
}

void TimelineIndex::addMarker(const Event& e, EventIndex index, std::uint8_t flags)
{
    m_markerKinds |= bit(e.kind);
    if (flags & kGlobal) {
        m_global.push_back(index);
        return;
    }
    // On the lane of the actor that did it; failing that, of what it concerned.
    ActorId where;
    if (laneOf(e.actor) >= 0)
        where = e.actor;
    else if (laneOf(e.target) >= 0)
        where = e.target;
    if (!where.valid()) {
        m_global.push_back(index);
        return;
    }
    PerActor& p = perActor(where);
    if (flags & kAlarm)
        p.alarms.push_back(index);
    else
        p.markers.push_back(index);
}

void TimelineIndex::scan(const Trace& trace, std::size_t from, std::size_t to)
{
    // Every resource's entry exists before the loop, which then indexes m_resources directly.
    if (!m_resourceIds.empty() && m_resources.size() <= m_resourceIds.back().value)
        m_resources.resize(m_resourceIds.back().value + 1);
    // Chunk by chunk: events()[i] would find each event's chunk again.
    for (std::size_t i = from; i < to;) {
        std::span<const Event> run = eventRun(trace.events(), i);
        if (run.empty()) break;
        run = run.first(std::min(run.size(), to - i));
        scanRun(run, i);
        i += run.size();
    }
}

void TimelineIndex::scanRun(std::span<const Event> events, std::size_t first)
{
    // In locals: the compiler cannot tell that the holder lists the loop writes are not these.
    const Role* const roles = m_roles.data();
    const std::size_t roleCount = m_roles.size();
    Resource* const resources = m_resources.data();
    const std::size_t n = events.size();
    for (std::size_t k = 0; k < n; ++k) {
        // The loop does too much per event for the CPU to run ahead on its own: without asking for
        // the events ~2.5 kB on in time it waits on memory for most of a 10M-event scan.
        __builtin_prefetch(events.data() + std::min(k + kPrefetchAhead, n - 1));
        const Event& e = events[k];
        const std::uint8_t flags = flagsOf(e.kind);
        if (flags == 0) continue;
        if (flags & (kTake | kGive | kState)) {
            // The resource: what Acquired/Released/GilTaken/GilDropped concern, or who changed state.
            const ActorId id = (flags & kState) ? e.actor : e.target;
            const Role role = id.value < roleCount ? roles[id.value] : Role::None;
            if (role != Role::None) {
                Resource& r = resources[id.value];
                if (flags & kTake) {
                    if (e.actor.valid()) take(r, e, role, flags & kExclusive);
                } else if (flags & kGive) {
                    give(r, e);
                } else {
                    HoldChange c;
                    c.start = e.ts;
                    if (e.state == State::Held) {
                        c.holder = e.target;
                        c.holders = 1;
                    }
                    push(r.fromStates, c);
                }
            }
        }
        if (flags & kMarker) addMarker(e, EventIndex(first + k), flags);
    }
}

} // namespace lockstep::ui
