#pragma once

#include "views/HoldTable.h"

#include "lockstep/trace/Trace.h"

#include <cstdint>
#include <optional>
#include <unordered_set>
#include <vector>

namespace lockstep::ui {

// The wait-for graph rebuilt from lock events: hold edges (lock -> holder) from Acquired /
// Released, wait edges (thread -> lock) from AcquireRequest until Acquired / AcquireTimedOut.
// Only Lock and RLock actors take part; a Condition's private waiter locks are left out (a waiter
// holds its own waiter lock while waiting for it by design, which is not a deadlock).
// Once a Deadlock event is applied the model freezes: what follows is the run being torn down,
// and the lesson is the moment the cycle closed.
class WaitForModel {
public:
    struct Coffman {
        bool mutualExclusion = false; // a held lock is requested
        bool holdAndWait = false;     // a thread holds a lock while it waits for another
        bool noPreemption = false;    // a lock, once held, is never taken away (true once any is held)
        bool circularWait = false;    // the wait-for graph has a cycle
        [[nodiscard]] bool all() const { return mutualExclusion && holdAndWait && noPreemption && circularWait; }
    };
    struct Wait {
        ActorId thread;
        ActorId lock;
        std::int64_t since = 0;
    };
    // Evidence for one condition: who / which lock made it true (invalid ids when it is false).
    struct Evidence {
        ActorId thread;
        ActorId lock;
        ActorId other; // holder / other lock
    };

    void reset(const Trace&) {}
    void apply(const Trace& trace, const Event& e);

    [[nodiscard]] const HoldTable& holds() const { return m_holds; }
    [[nodiscard]] const std::vector<Wait>& waits() const { return m_waits; }
    [[nodiscard]] std::optional<ActorId> waitOf(ActorId thread) const;
    // Threads and locks in the order they first took part (a lock right before the first thread
    // that touched it).
    [[nodiscard]] const std::vector<ActorId>& participants() const { return m_participants; }
    [[nodiscard]] bool isLock(ActorId id) const { return m_locks.contains(id); }
    [[nodiscard]] State stateOf(ActorId thread) const;

    [[nodiscard]] bool deadlocked() const { return m_deadlocked; }
    [[nodiscard]] std::int64_t deadlockTs() const { return m_deadlockTs; }
    [[nodiscard]] TextId deadlockText() const { return m_deadlockText; }

    // A cycle [t0, r0, t1, r1, ...]: t_i waits for r_i, held by t_{i+1 mod k}. Rotated so that the
    // thread with the smallest id comes first. Empty when there is none.
    [[nodiscard]] std::vector<ActorId> cycle() const;
    [[nodiscard]] Coffman coffman() const;
    [[nodiscard]] Evidence mutualExclusionEvidence() const;
    [[nodiscard]] Evidence holdAndWaitEvidence() const;
    [[nodiscard]] std::optional<HoldTable::Hold> firstHold() const;

private:
    void participate(ActorId thread, ActorId lock);
    void clearWait(ActorId thread);

    HoldTable m_holds;
    std::vector<Wait> m_waits;
    std::vector<ActorId> m_participants;
    std::unordered_set<ActorId> m_locks;       // tracked locks
    std::unordered_set<ActorId> m_waiterLocks; // Condition waiter locks (ignored)
    std::unordered_set<ActorId> m_placed;
    std::vector<std::pair<ActorId, State>> m_states; // thread states (few threads: flat list)
    bool m_everHeld = false;
    bool m_deadlocked = false;
    std::int64_t m_deadlockTs = -1;
    TextId m_deadlockText;
};

} // namespace lockstep::ui
