#pragma once

#include "lockstep/trace/IndexIterator.h"
#include "lockstep/trace/Trace.h"

#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
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

// Holder changes of one resource, in time order, with a vector's read interface. Stored in blocks
// that never move: a live run appends to it every frame, and a vector's doubling would copy all of
// it within one GUI frame (the GIL's list of a 20M-event run is ~5M changes, 80 MB).
class HoldList {
public:
    using value_type = HoldChange;

    using const_iterator = IndexIterator<HoldList, HoldChange>;

    [[nodiscard]] std::size_t size() const { return m_size; }
    [[nodiscard]] bool empty() const { return m_size == 0; }
    const HoldChange& operator[](std::size_t i) const { return m_blocks[i >> kBlockBits][i & (kBlock - 1)]; }
    const HoldChange& front() const { return (*this)[0]; }
    const HoldChange& back() const { return (*this)[m_size - 1]; }
    HoldChange& back() { return m_blocks[(m_size - 1) >> kBlockBits][(m_size - 1) & (kBlock - 1)]; }
    const_iterator begin() const { return { this, 0 }; }
    const_iterator end() const { return { this, m_size }; }

    void push_back(const HoldChange& c)
    {
        const std::size_t block = m_size >> kBlockBits;
        if (block == m_blocks.size()) {
            m_blocks.emplace_back();
            // The first block grows as a vector does (a lock with three changes stays small);
            // the others get their full size at once, so they never move.
            if (block > 0) m_blocks.back().reserve(kBlock);
        }
        m_blocks[block].push_back(c);
        ++m_size;
    }
    void pop_back()
    {
        --m_size;
        m_blocks[m_size >> kBlockBits].pop_back();
    }

private:
    static constexpr std::size_t kBlockBits = 12; // 4,096 changes (64 KiB) a block
    static constexpr std::size_t kBlock = std::size_t { 1 } << kBlockBits;

    std::vector<std::vector<HoldChange>> m_blocks;
    std::size_t m_size = 0;
};

// Data derived from a trace that the timeline needs and the trace does not index: the lanes, who
// holds each lock / the GIL over time, and the instant markers per actor. Built in one pass over
// the events and updated incrementally: a live run hands in a new snapshot each frame, and only the
// events appended since the last update are scanned (snapshots of one run share their storage).
// Opening a 10M-event trace scans them all, so the scan reads the events chunk by chunk, prefetched,
// and decides per event with two table look-ups (its kind, its actor's role), not a switch and a
// trace query per event.
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
    [[nodiscard]] const HoldList& holds(ActorId resource) const;
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
    // What an actor is to the holder tracking (from its ActorKind, once per snapshot).
    enum class Role : std::uint8_t { None, Lock, Semaphore, Gil };
    struct Resource {
        HoldList fromEvents; // Acquired/Released, GilTaken/GilDropped
        HoldList fromStates; // the resource's own Held/Free state changes
        std::vector<std::pair<ActorId, int>> current; // holders now (with recursion counts)
        ActorId stateHolder;
    };
    struct PerActor {
        std::vector<EventIndex> markers;
        std::vector<EventIndex> alarms;
    };

    void scan(const Trace& trace, std::size_t from, std::size_t to);
    void scanRun(std::span<const Event> events, std::size_t first);
    void take(Resource& r, const Event& e, Role role, bool exclusive);
    void give(Resource& r, const Event& e);
    void addMarker(const Event& e, EventIndex index, std::uint8_t flags);
    void rebuildLanes(const Trace& trace);
    static void noteHolders(Resource& r, std::int64_t ts);
    static void push(HoldList& v, const HoldChange& c);
    PerActor& perActor(ActorId id);

    const void* m_runKey = nullptr; // address of the first event: equal for snapshots of one run
    std::size_t m_processed = 0;
    std::vector<Lane> m_lanes;
    std::vector<int> m_laneOfActor;
    std::vector<Role> m_roles; // by actor id
    std::vector<ActorId> m_resourceIds; // actors whose role is not None
    std::vector<Resource> m_resources; // by actor id, up to the last resource
    std::vector<PerActor> m_perActor;
    std::vector<EventIndex> m_global;
    std::uint64_t m_markerKinds = 0;
    bool m_hasGil = false;
};

} // namespace lockstep::ui
