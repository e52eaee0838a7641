#pragma once

#include "lockstep/engine/RunContext.h"
#include "lockstep/sync/Timeout.h"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace lockstep {

// The waiting room of a primitive guarded by one std::mutex (Semaphore, SyncEvent, Queue), with
// CPython Condition semantics: waiters queue in arrival order and notify(n) hands a wakeup to each of
// the n longest-waiting threads, exactly once. A woken thread still re-checks the primitive's state
// (another thread may have barged in first), as Python code does after Condition.wait(). Every
// waiter sleeps on its own condition variable, so a wakeup reaches the chosen thread and no other.
//
// All members except the constructor are called with the owning primitive's mutex held.
class WaitQueue {
public:
    WaitQueue() = default;
    WaitQueue(const WaitQueue&) = delete;
    WaitQueue& operator=(const WaitQueue&) = delete;

    // Queues the caller and blocks (releasing `lock`) until notified (true), the timeout passes
    // (false; NonBlocking returns false at once) or the run is cancelled (throws Cancelled). The
    // caller is off the queue when this returns or throws.
    bool wait(RunContext& ctx, std::unique_lock<std::mutex>& lock, const Timeout& timeout);
    // Wakes the first n waiters in FIFO order; returns how many were woken.
    std::size_t notify(std::size_t n = 1);
    std::size_t notifyAll() { return notify(m_tickets.size()); }
    // Cancellation: wake every waiter so it sees ctx.cancelled(). Nobody is marked notified.
    void wakeAll();
    [[nodiscard]] std::size_t size() const { return m_tickets.size(); }
    [[nodiscard]] bool empty() const { return m_tickets.empty(); }

private:
    struct Ticket {
        std::condition_variable cv;
        bool notified = false;
    };
    void remove(Ticket* t);

    std::deque<Ticket*> m_tickets;
};

} // namespace lockstep
