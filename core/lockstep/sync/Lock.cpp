#include "lockstep/sync/Lock.h"

#include "lockstep/engine/PyError.h"

namespace lockstep {

Lock::Lock(RunContext& ctx, std::string name, ActorId parent) : LockBase(ctx, ActorKind::Lock, std::move(name), parent)
{
}

Lock::Lock(RunContext& ctx, std::string name, ActorId parent, bool internal)
    : LockBase(ctx, ActorKind::Lock, std::move(name), parent, internal)
{
}

std::shared_ptr<Lock> Lock::makeConditionWaiter(RunContext& ctx, std::string name, ActorId condition)
{
    return std::shared_ptr<Lock>(new Lock(ctx, std::move(name), condition, true));
}

bool Lock::acquire(bool blocking, double timeoutSeconds)
{
    const ActorId me = RunContext::currentActor();
    passGate(me);
    return acquireLevels(me, Timeout::lockAcquire(blocking, timeoutSeconds), 1, false);
}

void Lock::release()
{
    const ActorId me = RunContext::currentActor();
    passGate(me);
    std::lock_guard lock(m_mutex);
    if (m_count == 0) throw PyError("RuntimeError", "release unlocked lock");
    dropLevels(me, 1);
}

bool Lock::isOwned() const { return locked(); }

int Lock::releaseSave()
{
    release();
    return 0;
}

void Lock::acquireRestore(int /*saved*/) { acquire(); }

} // namespace lockstep
