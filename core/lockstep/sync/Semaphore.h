#pragma once

#include "lockstep/engine/RunContext.h"
#include "lockstep/sync/WaitQueue.h"

#include <cstddef>
#include <mutex>
#include <string>

namespace lockstep {

// threading.Semaphore; with `bounded`, threading.BoundedSemaphore. CPython semantics
// (Lib/threading.py 3.11): acquire(blocking=True, timeout=None) waits while the value is 0 (blocked
// threads are woken in FIFO order, one per released unit, and re-check the value); release(n) adds
// n and wakes n waiters. Errors: value < 0 -> ValueError "semaphore initial value must be >= 0";
// release(n < 1) -> ValueError "n must be one or more"; a bounded release above the initial value ->
// ValueError "Semaphore released too many times"; acquire(blocking=false, timeout >= 0) ->
// ValueError "can't specify timeout for non-blocking acquire". Timeouts: seconds, < 0 = None.
//
// Events: at construction ObjectCapacity (actor = semaphore, value = the initial value, text = the
// class name) and ObjectLevel (value = the count). Then (actor = thread, target = semaphore): AcquireRequest (value = timeout ns), Acquired /
// AcquireTimedOut, Released (value = the semaphore's value afterwards). The semaphore's own state
// is Held (target = last acquirer) while its value is 0 (an acquire would block), Free otherwise.
// A blocked acquirer is Blocked on the semaphore (timed with a timeout) and has a wait edge in the
// wait-for graph. Holders are recorded only with setTracksHolders(true): "who holds a unit" is only
// meaningful when the semaphore is used as a lock (e.g. BoundedSemaphore(1) forks); for signalling
// semaphores (released by threads that never acquired) it would invent deadlock cycles.
class Semaphore : public Wakeable {
public:
    Semaphore(RunContext& ctx, std::string name, int value = 1, bool bounded = false);
    ~Semaphore() override;
    Semaphore(const Semaphore&) = delete;
    Semaphore& operator=(const Semaphore&) = delete;

    bool acquire(bool blocking = true, double timeoutSeconds = -1);
    void release(int n = 1);
    [[nodiscard]] int value() const;
    [[nodiscard]] bool bounded() const { return m_bounded; }
    // Threads blocked in acquire() now.
    [[nodiscard]] std::size_t waitingCount() const;
    // Record acquirers as holders in the wait-for graph (so cycles through this semaphore count as
    // deadlocks). Set before the run's threads use it.
    void setTracksHolders(bool on) { m_tracksHolders = on; }
    [[nodiscard]] ActorId id() const { return m_id; }
    [[nodiscard]] RunContext& context() const { return m_ctx; }
    void wakeAll() override;

protected:
    // Called first by the most-derived destructor (see RunContext::removeWakeable).
    void unregisterWakeable();

private:
    bool m_registered = true;
    RunContext& m_ctx;
    ActorId m_id;
    mutable std::mutex m_mutex;
    WaitQueue m_waiters;
    int m_value;
    int m_initial;
    bool m_bounded;
    bool m_tracksHolders = false;
};

class BoundedSemaphore final : public Semaphore {
public:
    BoundedSemaphore(RunContext& ctx, std::string name, int value = 1) : Semaphore(ctx, std::move(name), value, true) {}
    ~BoundedSemaphore() override { unregisterWakeable(); }
};

} // namespace lockstep
