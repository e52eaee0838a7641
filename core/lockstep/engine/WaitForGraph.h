#pragma once

#include "lockstep/trace/Coffman.h"
#include "lockstep/trace/Ids.h"

#include <array>
#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace lockstep {

class TraceRecorder;

// Live wait-for graph: thread -> resource it waits for -> thread(s) holding it. Primitives update it
// on every acquire / release / wait. A cycle of untimed waits is a deadlock; it is detected the
// moment the closing wait is added and reported through the callback (from the waiting thread).
//
// With a recorder the graph is also the one truth about itself: every edge it adds or removes is
// recorded (WaitEdge* / HoldEdge*), so is each cycle it finds (CycleEdge) and every change of the
// four Coffman conditions with its reason (Coffman). The events are recorded under the graph's
// mutex, so their order in the trace is the order the graph changed in.
class WaitForGraph {
public:
    using DeadlockCallback = std::function<void(const std::vector<ActorId>& cycle)>;

    void setDeadlockCallback(DeadlockCallback cb);
    // Set before any thread uses the graph; the recorder must outlive it.
    void setRecorder(TraceRecorder* recorder);

    void addHolder(ActorId resource, ActorId thread);     // thread now holds (one more count of) resource
    void removeHolder(ActorId resource, ActorId thread);  // thread released it (all counts of it for RLock: call per level)
    // The fast path of a single-owner lock nobody contends for (it calls these under its own mutex,
    // and only while no thread waits for it or is about to): the hold stays the thread's own
    // business (see "Holds nobody waits for" below). Return the thread's levels of the resource
    // after the change, for the HoldEdge event the caller records with its own; or -1 when the
    // change must go through addHolder / removeHolder (nothing was done).
    [[nodiscard]] int addQuietHolder(ActorId resource, ActorId thread);
    [[nodiscard]] int removeQuietHolder(ActorId resource, ActorId thread);
    // thread starts waiting for resource; `timed` waits (acquire with timeout) never form deadlocks.
    // `holder`: the resource's owner as the caller last saw it (single-owner locks), so that a hold
    // it kept to itself joins the graph now.
    void addWait(ActorId thread, ActorId resource, bool timed, ActorId holder = {});
    void removeWait(ActorId thread);
    // thread's acquire of resource failed (timed out or non-blocking): if it gives back what it holds
    // before it acquires anything else, no preemption is broken.
    void acquireFailed(ActorId thread, ActorId resource);

    // Cycle through `thread` of untimed waits, as [thread, resource, holder, resource, ...].
    [[nodiscard]] std::optional<std::vector<ActorId>> findCycleFrom(ActorId thread) const;
    [[nodiscard]] std::optional<std::vector<ActorId>> findAnyCycle() const;

    struct Snapshot {
        std::vector<std::pair<ActorId, ActorId>> holds;  // (resource, thread)
        std::vector<std::pair<ActorId, ActorId>> waits;  // (thread, resource)
    };
    [[nodiscard]] Snapshot snapshot() const;
    [[nodiscard]] CoffmanStatus coffman(CoffmanCondition c) const;

private:
    // Holds nobody waits for. Taking and releasing an uncontended lock must not write a cache line
    // every thread writes (the graph's mutex): such a hold is listed only in the holding thread's
    // own slot, with its HoldEdge events recorded as usual, and joins the shared graph
    // ("published") only when it starts to matter: when a thread waits for that lock, or the
    // holder itself waits or fails an acquire (hold and wait, no preemption). Cycles, mutual
    // exclusion and hold and wait only ever look at holds of waited-for resources and of waiting
    // threads, so they see exactly what they saw when every hold went through the graph.
    struct HeldEntry {
        ActorId resource;
        bool published = false; // also in m_holders / m_heldBy
    };
    struct alignas(64) ThreadSlot {
        std::atomic_flag busy = ATOMIC_FLAG_INIT; // a spin lock: held for a few instructions
        std::vector<HeldEntry> held; // every hold of the thread, with repeats (levels)
        std::atomic<bool> failed { false }; // mirrors m_failed.contains(thread)
        void lock()
        {
            while (busy.test_and_set(std::memory_order_acquire)) { }
        }
        void unlock() { busy.clear(std::memory_order_release); }
        // With the slot locked: the thread's levels of a resource, and its newest hold of it.
        [[nodiscard]] int levels(ActorId resource) const
        {
            int n = 0;
            for (const HeldEntry& e : held)
                n += e.resource == resource ? 1 : 0;
            return n;
        }
        [[nodiscard]] std::vector<HeldEntry>::reverse_iterator newest(ActorId resource)
        {
            auto it = held.rbegin();
            while (it != held.rend() && it->resource != resource)
                ++it;
            return it;
        }
    };
    static constexpr std::size_t kSlotChunk = 1024;
    static constexpr std::size_t kSlotChunks = 1024; // threads with ids beyond ~1M use the graph only
    // The slot of a thread (created on first use), or null beyond the table.
    ThreadSlot* slotFor(ActorId thread);
    [[nodiscard]] ThreadSlot* existingSlot(ActorId thread) const;
    // With m_mutex held: moves the thread's unpublished holds (of `only`, if valid) into the graph.
    void publishLocked(ActorId thread, ActorId only = {});
    void addHolderLocked(ActorId resource, ActorId thread, bool listed);
    void removeHolderLocked(ActorId resource, ActorId holder);
    [[nodiscard]] int levelsOf(ActorId resource, ActorId thread) const;

    std::optional<std::vector<ActorId>> findCycleLocked(ActorId start) const;
    [[nodiscard]] int levelsLocked(ActorId resource, ActorId thread) const;
    // Re-decides mutual exclusion and hold and wait after a change (the others change at their
    // own moments) and records what changed.
    void updateLocked();
    void setCoffmanLocked(
        CoffmanCondition c, CoffmanStatus s, ActorId thread, ActorId resource, const std::string& reason);
    void recordCycleLocked(const std::vector<ActorId>& cycle);
    [[nodiscard]] std::string nameLocked(ActorId id) const;

    mutable std::mutex m_mutex;
    std::unordered_map<ActorId, std::vector<ActorId>> m_holders; // resource -> holders (with repeats)
    std::unordered_map<ActorId, int> m_heldBy; // thread -> levels it holds, all resources
    struct WaitEdge {
        ActorId resource;
        bool timed = false;
    };
    std::unordered_map<ActorId, WaitEdge> m_waits;
    std::unordered_map<ActorId, ActorId> m_failed; // thread -> resource it failed to get while holding
    std::vector<ActorId> m_cycle; // the cycle circular wait was met with
    std::array<CoffmanStatus, kCoffmanCount> m_coffman {};
    DeadlockCallback m_callback;
    TraceRecorder* m_recorder = nullptr;
    // Set by the first hold that went through the graph (no preemption is met from then on): until
    // then every hold does.
    std::atomic<bool> m_firstHoldSeen { false };
    std::array<std::atomic<ThreadSlot*>, kSlotChunks> m_slots {};

public:
    WaitForGraph() = default;
    ~WaitForGraph();
    WaitForGraph(const WaitForGraph&) = delete;
    WaitForGraph& operator=(const WaitForGraph&) = delete;
};

} // namespace lockstep
