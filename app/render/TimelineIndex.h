#pragma once

#include "lockstep/trace/Trace.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lockstep::ui {

// What a timeline lane shows.
enum class LaneKind : std::uint8_t {
    Executor, // a thread, process or coroutine: its execution-state spans
    Gil,      // the GIL: who holds it, coloured by holder
    Lock,     // a Lock / RLock / Semaphore: who holds it
};

struct Lane {
    LaneKind kind = LaneKind::Executor;
    ActorId actor;
    int depth = 0;   // nesting (a thread inside a process is drawn indented)
    int series = -1; // executors: the index of its holder colour (Palette::seriesColor)
};

// A change of holder of a resource (GIL or lock): from `start` until the next change.
struct HoldChange {
    std::int64_t start = 0;
    ActorId holder;            // invalid: free
    std::uint32_t holders = 0; // how many hold it (semaphores); 0 when free
};

// Data derived from a trace that the timeline needs and the trace does not index: the lanes, who
// holds each lock / the GIL over time, and the instant markers per actor. Built in one pass over
// the events and updated incrementally: a live run hands in a new snapshot each frame, and only the
// events appended since the last update are scanned (snapshots of one run share their storage).
class TimelineIndex {
public:
    TimelineIndex() = default;
    explicit TimelineIndex(const Trace& trace) { update(trace); }

    // Brings the index up to date with `trace`. A snapshot of another run (or a shorter one) starts
    // over. Returns true when it started over.
    bool update(const Trace& trace);
    void clear();

    [[nodiscard]] const std::vector<Lane>& lanes() const { return m_lanes; }
    // Lane of an actor, or -1.
    [[nodiscard]] int laneOf(ActorId actor) const;
    [[nodiscard]] bool hasGil() const { return m_hasGil; }
    [[nodiscard]] std::size_t processedEvents() const { return m_processed; }

    // Holder changes of a resource, in time order (empty for non-resources).
    [[nodiscard]] const std::vector<HoldChange>& holds(ActorId resource) const;
    // Holder of a resource at time t (invalid when free or unknown).
    [[nodiscard]] ActorId holderAt(ActorId resource, std::int64_t t) const;
    // Instant markers drawn on an actor's lane (event indices, in time order).
    [[nodiscard]] const std::vector<EventIndex>& markers(ActorId actor) const;
    // Errors of an actor (drawn above its other markers so they are never folded away).
    [[nodiscard]] const std::vector<EventIndex>& alarms(ActorId actor) const;
    // Events drawn across all lanes (Deadlock, Stalled).
    [[nodiscard]] const std::vector<EventIndex>& globalMarkers() const { return m_global; }
    // Marker kinds seen so far, as a bit set over EventKind.
    [[nodiscard]] std::uint64_t markerKinds() const { return m_markerKinds; }

    // Whether an event of this kind is drawn as an instant marker on the timeline.
    [[nodiscard]] static bool isMarker(EventKind kind);
    [[nodiscard]] static bool isGlobalMarker(EventKind kind);
    // Actor kinds that get a lock-hold lane.
    [[nodiscard]] static bool isLockKind(ActorKind kind);

private:
    struct Resource {
        std::vector<HoldChange> fromEvents;           // Acquired/Released, GilTaken/GilDropped
        std::vector<HoldChange> fromStates;           // the resource's own Held/Free state changes
        std::vector<std::pair<ActorId, int>> current; // holders now (with recursion counts)
        ActorId stateHolder;
    };
    struct PerActor {
        std::vector<EventIndex> markers;
        std::vector<EventIndex> alarms;
    };

    void scan(const Trace& trace, std::size_t from, std::size_t to);
    void rebuildLanes(const Trace& trace);
    void noteHolders(Resource& r, std::int64_t ts);
    static void push(std::vector<HoldChange>& v, const HoldChange& c);
    Resource& resource(ActorId id);
    PerActor& perActor(ActorId id);
    [[nodiscard]] ActorKind kindOf(const Trace& trace, ActorId id) const;

    const void* m_runKey = nullptr; // address of the first event: equal for snapshots of one run
    std::size_t m_processed = 0;
    std::vector<Lane> m_lanes;
    std::vector<int> m_laneOfActor;
    std::vector<Resource> m_resources;
    std::vector<PerActor> m_perActor;
    std::vector<EventIndex> m_global;
    std::uint64_t m_markerKinds = 0;
    bool m_hasGil = false;
};

} // namespace lockstep::ui
