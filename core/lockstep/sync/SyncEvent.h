#pragma once

#include "lockstep/engine/RunContext.h"
#include "lockstep/sync/WaitQueue.h"

#include <cstddef>
#include <mutex>
#include <string>

namespace lockstep {

// threading.Event (CPython 3.11: a flag plus Condition(Lock())). set() wakes every thread waiting
// at that moment, and each of them returns True even if the flag is cleared again before it runs;
// wait(timeout) returns the flag on entry, or whether it was woken (False on timeout). Timeouts:
// seconds, < 0 = None, 0 = do not block.
//
// Events: set() -> Notify (actor = thread, target = event, value = waiters woken); wait() ->
// WaitBegin (value = timeout ns) / WaitEnd (value 1 = signalled, 0 = timed out). The event's own
// state shows the flag: Held (set; target = the thread that set it) / Free (clear; target = the
// thread that cleared it). A waiting thread is Waiting on the event (timed with a timeout).
class SyncEvent final : public Wakeable {
public:
    SyncEvent(RunContext& ctx, std::string name);
    ~SyncEvent() override;
    SyncEvent(const SyncEvent&) = delete;
    SyncEvent& operator=(const SyncEvent&) = delete;

    void set();
    void clear();
    [[nodiscard]] bool isSet() const;
    bool wait(double timeoutSeconds = -1);
    // Threads blocked in wait() now.
    [[nodiscard]] std::size_t waitingCount() const;
    [[nodiscard]] ActorId id() const { return m_id; }
    [[nodiscard]] RunContext& context() const { return m_ctx; }
    void wakeAll() override;

private:
    RunContext& m_ctx;
    ActorId m_id;
    mutable std::mutex m_mutex;
    WaitQueue m_waiters;
    bool m_flag = false;
};

} // namespace lockstep
