#pragma once

#include "views/HoldTable.h"

#include "lockstep/trace/Trace.h"

#include <cstdint>
#include <unordered_set>
#include <vector>

namespace lockstep::ui {

// Both layers of a CPython-style Condition at the cursor: the underlying lock and its owner, and
// the queue of waiters, each with its own waiter lock (WaiterAllocated -> WaiterQueued ->
// WaiterReleased by a notify -> gone at WaitEnd); the notifies with whom each one woke; and what
// the threads said (Say events), errors and a stall (after which the model stays as it was: the
// rest is the run being torn down).
class ConditionModel {
public:
    enum class WaiterStatus : std::uint8_t { Allocated, Queued, Released };
    struct Waiter {
        ActorId thread;
        ActorId lock;          // the waiter's own lock
        WaiterStatus status = WaiterStatus::Allocated;
        std::int64_t since = 0;
        ActorId releasedBy;
    };
    struct NotifyCall {
        std::int64_t ts = 0;
        ActorId notifier;
        std::int64_t n = 1;
        bool all = false;
        std::vector<ActorId> woken; // threads whose waiter lock this notify released
    };
    struct Line {
        std::int64_t ts = 0;
        ActorId speaker;
        TextId text;
    };

    void reset(const Trace& trace);
    void apply(const Trace& trace, const Event& e);

    [[nodiscard]] ActorId condition() const { return m_condition; }
    [[nodiscard]] ActorId lock() const { return m_lock; }
    [[nodiscard]] ActorId owner() const;
    [[nodiscard]] const std::vector<Waiter>& waiters() const { return m_waiters; }
    [[nodiscard]] const std::vector<NotifyCall>& notifies() const { return m_notifies; }
    [[nodiscard]] const std::vector<Line>& dialogue() const { return m_dialogue; }
    [[nodiscard]] const std::vector<Line>& errors() const { return m_errors; }
    [[nodiscard]] bool stalled() const { return m_stalled; }
    [[nodiscard]] TextId stallText() const { return m_stallText; }
    [[nodiscard]] int waits() const { return m_waits; }
    // Executors that used the condition or its lock, in order of appearance.
    [[nodiscard]] const std::vector<ActorId>& threads() const { return m_threads; }
    [[nodiscard]] State stateOf(ActorId thread) const;

private:
    void noteThread(ActorId thread);
    Waiter* waiterFor(const Event& e);

    ActorId m_condition;
    ActorId m_lock;
    HoldTable m_holds;
    std::vector<Waiter> m_waiters;
    std::vector<NotifyCall> m_notifies;
    std::vector<Line> m_dialogue;
    std::vector<Line> m_errors;
    std::vector<ActorId> m_threads;
    std::vector<std::pair<ActorId, State>> m_states;
    std::unordered_set<ActorId> m_waiterLocks;
    std::vector<ActorId> m_pendingWaitBegin; // threads between WaitBegin and their first release
    bool m_stalled = false;
    TextId m_stallText;
    int m_waits = 0;
};

} // namespace lockstep::ui
