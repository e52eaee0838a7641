#pragma once

#include "lockstep/sync/LockBase.h"

#include <memory>

namespace lockstep {

// threading.Lock: non-reentrant, may be released by any thread. Taking it twice from one thread
// blocks forever (self-deadlock: the wait-for graph shows the cycle [thread, lock]).
// release() of an unlocked lock raises PyError("RuntimeError", "release unlocked lock").
class Lock final : public LockBase {
public:
    Lock(RunContext& ctx, std::string name, ActorId parent = {});
    ~Lock() override { unregisterWakeable(); }

    // The fresh lock Condition.wait() allocates for one waiter (CPython's _allocate_lock()), an
    // actor of its own (kind Lock, parent = the condition) so views can show the waiter layer.
    // Internal: no step gate, no wait-for graph, no thread states (see LockBase).
    static std::shared_ptr<Lock> makeConditionWaiter(RunContext& ctx, std::string name, ActorId condition);

    bool acquire(bool blocking = true, double timeoutSeconds = -1) override;
    void release() override;
    [[nodiscard]] bool isOwned() const override;
    int releaseSave() override;              // release(); returns 0
    void acquireRestore(int saved) override; // acquire()

private:
    Lock(RunContext& ctx, std::string name, ActorId parent, bool internal);
};

} // namespace lockstep
