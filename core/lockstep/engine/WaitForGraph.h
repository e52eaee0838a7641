#pragma once

#include "lockstep/trace/Ids.h"

#include <functional>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace lockstep {

// Live wait-for graph: thread -> resource it waits for -> thread(s) holding it. Primitives update it
// on every acquire / release / wait. A cycle of untimed waits is a deadlock; it is detected the
// moment the closing wait is added and reported through the callback (from the waiting thread).
class WaitForGraph {
public:
    using DeadlockCallback = std::function<void(const std::vector<ActorId>& cycle)>;

    void setDeadlockCallback(DeadlockCallback cb);

    void addHolder(ActorId resource, ActorId thread);     // thread now holds (one more count of) resource
    void removeHolder(ActorId resource, ActorId thread);  // thread released it (all counts of it for RLock: call per level)
    // thread starts waiting for resource; `timed` waits (acquire with timeout) never form deadlocks.
    void addWait(ActorId thread, ActorId resource, bool timed);
    void removeWait(ActorId thread);

    // Cycle through `thread` of untimed waits, as [thread, resource, holder, resource, ...].
    [[nodiscard]] std::optional<std::vector<ActorId>> findCycleFrom(ActorId thread) const;
    [[nodiscard]] std::optional<std::vector<ActorId>> findAnyCycle() const;

    struct Snapshot {
        std::vector<std::pair<ActorId, ActorId>> holds;  // (resource, thread)
        std::vector<std::pair<ActorId, ActorId>> waits;  // (thread, resource)
    };
    [[nodiscard]] Snapshot snapshot() const;

private:
    std::optional<std::vector<ActorId>> findCycleLocked(ActorId start) const;

    mutable std::mutex m_mutex;
    std::unordered_map<ActorId, std::vector<ActorId>> m_holders; // resource -> holders (with repeats)
    struct WaitEdge {
        ActorId resource;
        bool timed = false;
    };
    std::unordered_map<ActorId, WaitEdge> m_waits;
    DeadlockCallback m_callback;
};

} // namespace lockstep
