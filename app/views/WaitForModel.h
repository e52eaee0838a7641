#pragma once

#include "views/HoldTable.h"

#include "lockstep/trace/Coffman.h"
#include "lockstep/trace/Trace.h"

#include <array>
#include <cstdint>
#include <optional>
#include <unordered_set>
#include <vector>

namespace lockstep::ui {

// The engine's wait-for graph at a moment of the trace, as the graph itself recorded it: hold
// edges from HoldEdgeAdded / HoldEdgeRemoved, wait edges from WaitEdgeAdded / WaitEdgeRemoved, the
// Coffman conditions from Coffman events, the cycle from the CycleEdge steps the circular-wait
// event closes, the detector's verdict from Deadlock. Nothing is decided here: the model only
// folds those facts, so the view cannot disagree with the engine (or the run's summary).
// Lock and RLock actors take part in the drawing; a Condition's own lock belongs to the condition
// view, and the Condition's private waiter locks are never in the engine's graph.
class WaitForModel {
public:
    struct Coffman {
        bool mutualExclusion = false;
        bool holdAndWait = false;
        bool noPreemption = false;
        bool circularWait = false;
        [[nodiscard]] bool all() const { return mutualExclusion && holdAndWait && noPreemption && circularWait; }
    };
    // The last Coffman event of one condition (recorded = false before the first one).
    struct Fact {
        bool recorded = false;
        CoffmanStatus status = CoffmanStatus::Unmet;
        TextId reason;
        ActorId thread;
        ActorId resource;
        std::int64_t since = 0;
    };
    struct Wait {
        ActorId thread;
        ActorId lock;
        bool timed = false;
        std::int64_t since = 0;
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

    // The cycle the engine recorded [t0, r0, t1, r1, ...] (t_i waits for r_i, held by t_{i+1 mod k}),
    // while circular wait is met; empty otherwise.
    [[nodiscard]] const std::vector<ActorId>& cycle() const { return m_cycle; }
    [[nodiscard]] const Fact& fact(CoffmanCondition c) const { return m_facts[static_cast<std::size_t>(c)]; }
    [[nodiscard]] Coffman coffman() const;

private:
    [[nodiscard]] bool drawn(const Trace& trace, ActorId resource);
    void participate(ActorId thread, ActorId lock);

    HoldTable m_holds;
    std::vector<Wait> m_waits;
    std::vector<ActorId> m_participants;
    std::unordered_set<ActorId> m_locks; // drawn resources
    std::unordered_set<ActorId> m_placed;
    std::vector<std::pair<ActorId, State>> m_states; // thread states (few threads: flat list)
    std::array<Fact, kCoffmanCount> m_facts {};
    std::vector<ActorId> m_pendingCycle; // CycleEdge steps not yet closed by circular wait
    std::vector<ActorId> m_cycle;
    bool m_deadlocked = false;
    std::int64_t m_deadlockTs = -1;
    TextId m_deadlockText;
};

} // namespace lockstep::ui
