#pragma once

#include "lockstep/sync/Lock.h"
#include "lockstep/sync/LockBase.h"

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lockstep {

// threading.Condition with CPython's two layers (Lib/threading.py, 3.11):
//   - an underlying lock (an RLock named "<name>.lock" by default, or the Lock/RLock given), which
//     acquire()/release() forward to and which wait() releases with releaseSave() and takes back
//     with acquireRestore() (untimed: a notified thread is Blocked on it until the notifier lets go);
//   - for every wait() a fresh waiter Lock ("<name>.waiterN", parent = the condition), acquired once,
//     appended to the waiter deque, and acquired again (Waiting on the condition, timed when a
//     timeout is given) until notify() releases it. notify(n) releases the first n waiters in FIFO
//     order and drops them from the deque; notify_all() is notify(len(waiters)). A waiter that timed
//     out removes itself only after it has the underlying lock back, so a notify() in between is
//     spent on it, exactly as in CPython.
// wait/notify/notify_all without owning the underlying lock raise PyError("RuntimeError",
// "cannot wait on un-acquired lock") / ("RuntimeError", "cannot notify on un-acquired lock");
// with a plain Lock underneath "owning" means "locked by anybody", as in CPython.
//
// Events (actor = calling thread): WaitBegin (target = condition, value = timeout ns, -1 none,
// 0 non-blocking), WaiterAllocated / WaiterQueued (target = waiter lock, value = waiting thread's
// actor id), the waiter lock's own AcquireRequest/Acquired/Released and Held/Free states, then
// WaitEnd (target = condition, value 1 notified / 0 timed out) and the waiter lock's Terminated
// state when wait() is done with it. notify: Notify (target = condition, value = n requested; text
// "notify_all" for notify_all), then per woken waiter WaiterReleased (target = waiter lock, value =
// waiting thread) followed by that lock's Released. The waiter locks never enter the wait-for graph
// (the waiting thread holds its own waiter lock, which would read as a self-deadlock): a condition
// wait is a Waiting state, left to the stall detector.
class Condition final : public Wakeable {
public:
    Condition(RunContext& ctx, std::string name, std::shared_ptr<LockBase> lock = nullptr);
    ~Condition() override;
    Condition(const Condition&) = delete;
    Condition& operator=(const Condition&) = delete;

    // `with cond:` = acquire() ... release() of the underlying lock.
    bool acquire(bool blocking = true, double timeoutSeconds = -1) { return m_lock->acquire(blocking, timeoutSeconds); }
    void release() { m_lock->release(); }
    // Condition.wait(timeout=None): timeout < 0 = None; 0 (or NaN) = do not block. Returns true if
    // notified, false on timeout. Throws Cancelled when the run is cancelled (the underlying lock is
    // then NOT re-acquired).
    bool wait(double timeoutSeconds = -1);
    // Condition.wait_for(predicate, timeout=None): same loop as CPython (one end time for all waits).
    bool waitFor(const std::function<bool()>& predicate, double timeoutSeconds = -1);
    void notify(int n = 1);
    void notifyAll();

    [[nodiscard]] LockBase& lock() const { return *m_lock; }
    [[nodiscard]] const std::shared_ptr<LockBase>& lockPtr() const { return m_lock; }
    [[nodiscard]] ActorId id() const { return m_id; }
    [[nodiscard]] RunContext& context() const { return m_ctx; }
    // len(self._waiters)
    [[nodiscard]] std::size_t waiterCount() const;
    // The deque's waiters front to back: (waiting thread, waiter lock).
    [[nodiscard]] std::vector<std::pair<ActorId, ActorId>> waiters() const;
    void wakeAll() override;

private:
    void notifyLocked(ActorId me, std::int64_t n, TextId text);
    void removeWaiter(const std::shared_ptr<Lock>& waiter);

    RunContext& m_ctx;
    std::string m_name;
    ActorId m_id;
    std::shared_ptr<LockBase> m_lock;
    TextId m_notifyAllText;
    mutable std::mutex m_mutex; // guards m_waiters, m_waiterSerial; taken before a waiter lock's mutex
    std::deque<std::shared_ptr<Lock>> m_waiters;
    int m_waiterSerial = 0;
};

} // namespace lockstep
