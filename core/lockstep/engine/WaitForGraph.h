#pragma once

#include "lockstep/trace/Coffman.h"
#include "lockstep/trace/Ids.h"

#include <array>
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
    // thread starts waiting for resource; `timed` waits (acquire with timeout) never form deadlocks.
    void addWait(ActorId thread, ActorId resource, bool timed);
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
};

} // namespace lockstep
