#pragma once
// concurrent.futures.Future as CPython 3.11 writes it (Lib/concurrent/futures/_base.py), on the
// engine's instrumented Condition (an RLock inside, as threading.Condition()), with the waiters
// as_completed() and wait() install on it. Every state change is recorded (a Mark on the future's
// actor naming the state), so the trace shows PENDING -> RUNNING -> FINISHED or CANCELLED ->
// CANCELLED_AND_NOTIFIED as CPython names them.

#include "lockstep/engine/RunContext.h"
#include "lockstep/sync/Condition.h"
#include "lockstep/sync/Lock.h"
#include "lockstep/sync/SyncEvent.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lockstep {

enum class FutureState : std::uint8_t { Pending, Running, Cancelled, CancelledAndNotified, Finished };
[[nodiscard]] const char* futureStateName(FutureState s); // "PENDING", ...

class Future;

// _base._Waiter and its kinds: collects futures as they finish and sets its event.
class FutureWaiter {
public:
    enum class Kind { AsCompleted, FirstCompleted };
    FutureWaiter(RunContext& ctx, Kind kind, const std::string& name);
    void addResult(Future* f) { add(f); }
    void addException(Future* f) { add(f); }
    void addCancelled(Future* f) { add(f); }
    // as_completed: take what finished since the last call (under the waiter's lock), clear the event.
    std::vector<Future*> takeFinished();
    [[nodiscard]] const std::vector<Future*>& finished() const { return m_finished; }
    SyncEvent& event() { return m_event; }

private:
    void add(Future* f);
    Kind m_kind;
    SyncEvent m_event;
    Lock m_lock; // _AsCompletedWaiter.lock
    std::vector<Future*> m_finished;
};

class Future {
public:
    Future(RunContext& ctx, int index, std::string name);
    Future(const Future&) = delete;
    Future& operator=(const Future&) = delete;

    bool cancel();
    [[nodiscard]] bool cancelled();
    [[nodiscard]] bool running();
    [[nodiscard]] bool done();
    // The worker's side (_WorkItem.run).
    bool setRunningOrNotifyCancel();
    void setResult(std::int64_t value);
    void setException(std::string type, std::string message);
    // result(): the value, or throws PyError (the task's exception, or CancelledError).
    std::int64_t result(double timeoutSeconds = -1);
    void addDoneCallback(std::function<void(Future&)> fn);

    // What as_completed / wait do under the future's condition.
    Condition& condition() { return m_cond; }
    [[nodiscard]] FutureState stateLocked() const { return m_state; } // caller holds condition()
    void addWaiterLocked(FutureWaiter* w) { m_waiters.push_back(w); }
    void removeWaiterLocked(FutureWaiter* w);

    [[nodiscard]] int index() const { return m_index; }
    [[nodiscard]] ActorId id() const { return m_id; }
    // For the summary: states in order, with when each began (ns since the run started).
    [[nodiscard]] const std::vector<std::pair<FutureState, std::int64_t>>& history() const { return m_history; }
    [[nodiscard]] const std::optional<std::int64_t>& value() const { return m_result; }
    [[nodiscard]] const std::string& exceptionType() const { return m_excType; }

private:
    void setState(FutureState s);
    void invokeCallbacks();

    RunContext& m_ctx;
    int m_index;
    ActorId m_id;
    Condition m_cond;
    FutureState m_state = FutureState::Pending;
    std::optional<std::int64_t> m_result;
    std::string m_excType, m_excMessage;
    std::vector<FutureWaiter*> m_waiters;
    std::vector<std::function<void(Future&)>> m_callbacks;
    std::vector<std::pair<FutureState, std::int64_t>> m_history;
    std::mutex m_historyMutex;
};

} // namespace lockstep
