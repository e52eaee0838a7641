#include "lockstep/sync/RLock.h"

#include "lockstep/engine/PyError.h"

#include <algorithm>

namespace lockstep {

RLock::RLock(RunContext& ctx, std::string name, ActorId parent)
    : LockBase(ctx, ActorKind::RLock, std::move(name), parent)
{
}

bool RLock::acquire(bool blocking, double timeoutSeconds)
{
    const ActorId me = RunContext::currentActor();
    passGate(me);
    return acquireLevels(me, Timeout::lockAcquire(blocking, timeoutSeconds), 1, true);
}

void RLock::release()
{
    const ActorId me = RunContext::currentActor();
    passGate(me);
    std::lock_guard lock(m_mutex);
    if (m_count == 0 || m_owner != me) throw PyError("RuntimeError", "cannot release un-acquired lock");
    dropLevels(me, 1);
}

bool RLock::isOwned() const
{
    std::lock_guard lock(m_mutex);
    return m_count > 0 && m_owner == RunContext::currentActor();
}

int RLock::releaseSave()
{
    const ActorId me = RunContext::currentActor();
    passGate(me);
    std::lock_guard lock(m_mutex);
    // Like _thread.RLock._release_save: only "is it locked" is checked (Condition.wait checked
    // ownership before calling it).
    if (m_count == 0) throw PyError("RuntimeError", "cannot release un-acquired lock");
    const int saved = m_count;
    dropLevels(me, saved);
    return saved;
}

void RLock::acquireRestore(int saved)
{
    const ActorId me = RunContext::currentActor();
    passGate(me);
    acquireLevels(me, Timeout::forever(), std::max(saved, 1), false);
}

int RLock::count() const
{
    std::lock_guard lock(m_mutex);
    return m_count;
}

} // namespace lockstep
