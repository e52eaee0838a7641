#pragma once

#include "lockstep/sync/LockBase.h"

namespace lockstep {

// threading.RLock: reentrant; only the owner may release. release() by a thread that does not own
// it raises PyError("RuntimeError", "cannot release un-acquired lock"). Each recursion level is one
// holder entry in the wait-for graph.
class RLock final : public LockBase {
public:
    RLock(RunContext& ctx, std::string name, ActorId parent = {});
    ~RLock() override { unregisterWakeable(); }
    bool acquire(bool blocking = true, double timeoutSeconds = -1) override;
    void release() override;
    [[nodiscard]] bool isOwned() const override;
    // Releases every level at once (as _thread.RLock._release_save; raises "cannot release
    // un-acquired lock" when not locked) and returns the level to restore.
    int releaseSave() override;
    void acquireRestore(int saved) override;
    // Current recursion level (0 = free).
    [[nodiscard]] int count() const;
};

} // namespace lockstep
