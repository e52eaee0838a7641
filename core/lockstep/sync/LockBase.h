#pragma once

#include "lockstep/engine/RunContext.h"
#include "lockstep/engine/Wakeable.h"
#include "lockstep/sync/Timeout.h"

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>

namespace lockstep {

// Common base of Lock and RLock, so a Condition can sit on either (as in CPython).
//
// A real lock: one std::mutex + std::condition_variable; a contended acquire really blocks in the
// kernel, and every wait goes through RunContext::wait/waitUntil, so cancel() ends it with
// Cancelled at once. Every public operation of a user-visible lock:
//   - passes the step gate first (ctx.gate().pass(currentActor()));
//   - records events, with actor = calling thread, target = this lock's actor:
//       AcquireRequest (value: timeout in ns, -1 none, 0 non-blocking), then Acquired (value: recursion
//       level after, 1 for Lock) or AcquireTimedOut; Released (value: level after, 0 = now free);
//     and this lock's own state: Held (target = owner thread) / Free;
//   - sets the thread's state Blocked on this lock while it blocks (timed when a timeout is given);
//   - keeps the wait-for graph up to date: addHolder per acquired level, addWait before blocking
//     (untimed waits may close a deadlock cycle; a Lock taken twice by one thread is the cycle
//     [thread, lock]), removeWait when the wait ends, removeHolder on release, acquireFailed when an
//     acquire gives up (the graph records all of it, and the Coffman conditions, as trace events).
// Acquire/release events and the lock's state changes are recorded while the lock's mutex is held,
// so the trace never shows the next owner before the previous one let go.
//
// The per-waiter locks a Condition allocates are "internal" (see Lock::makeConditionWaiter): they
// record events and lock states only, and skip the gate, the wait-for graph and thread states,
// because the Condition reports that thread as Waiting on the condition instead.
//
// Primitives must outlive the engine threads using them (join the run before destroying them).
class LockBase : public Wakeable {
public:
    LockBase(RunContext& ctx, ActorKind kind, std::string name, ActorId parent = {});
    ~LockBase() override;
    LockBase(const LockBase&) = delete;
    LockBase& operator=(const LockBase&) = delete;

    // threading.Lock.acquire(blocking=True, timeout=-1): timeout in seconds, < 0 = none. As in
    // CPython: timeout 0 tries once; NaN raises ValueError "Invalid value NaN (not a number)";
    // blocking=false with a timeout >= 0 raises ValueError "can't specify a timeout for a
    // non-blocking call". Returns whether the lock was acquired. Throws Cancelled when the run is
    // cancelled while waiting.
    virtual bool acquire(bool blocking = true, double timeoutSeconds = -1) = 0;
    // Raises PyError("RuntimeError", "release unlocked lock") (Lock) or
    // PyError("RuntimeError", "cannot release un-acquired lock") (RLock).
    virtual void release() = 0;
    [[nodiscard]] bool locked() const;
    // CPython's Condition._is_owned(): for RLock "owned by the calling thread"; for Lock "locked"
    // (by anybody: CPython's generic _is_owned can only tell that much).
    [[nodiscard]] virtual bool isOwned() const = 0;
    // Condition.wait() support (_release_save/_acquire_restore): release completely, returning the
    // recursion level; acquireRestore blocks (untimed) until it has the lock back at that level.
    virtual int releaseSave() = 0;
    virtual void acquireRestore(int saved) = 0;

    [[nodiscard]] ActorId id() const { return m_id; }
    [[nodiscard]] RunContext& context() const { return m_ctx; }
    // The thread holding the lock now (invalid when free). For a Lock: the thread that acquired it.
    [[nodiscard]] ActorId owner() const;
    // Threads blocked in acquire() right now (for views and for tests that must know a thread has
    // blocked before they go on).
    [[nodiscard]] std::size_t waitingCount() const;
    void wakeAll() override;

protected:
    // `internal`: a Condition's waiter lock (not a Wakeable of its own, no gate, no graph).
    LockBase(RunContext& ctx, ActorKind kind, std::string name, ActorId parent, bool internal);

    void passGate(ActorId me);
    // Acquire `levels` recursion levels once the lock is free (or at once if `reentrant` and the
    // caller owns it). Records AcquireRequest first.
    bool acquireLevels(ActorId me, const Timeout& timeout, int levels, bool reentrant);
    // With m_mutex held: give up `levels` levels (by thread `by`, who may not be the owner for a
    // Lock), record Released, and wake one blocked acquirer once the lock is free.
    void dropLevels(ActorId by, int levels);

    RunContext& m_ctx;
    ActorId m_id;
    const bool m_internal;
    // Called first thing by the final classes' destructors, while the vtable is still theirs:
    // cancel() may be calling wakeAll() concurrently (see RunContext::removeWakeable).
    void unregisterWakeable();
    bool m_registered = false;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    ActorId m_owner;          // guarded by m_mutex
    int m_count = 0;          // recursion level (0 = free; a Lock is 0 or 1)
    std::size_t m_waiting = 0; // in the wait on m_cv (waitingCount())
    std::size_t m_contenders = 0; // from deciding to wait until taking the lock or giving up
    std::int64_t m_lastTicks = 0; // stamp of this lock's last batch (TraceRecorder::recordBatch)

private:
    void take(ActorId me, int levels);
};

} // namespace lockstep
