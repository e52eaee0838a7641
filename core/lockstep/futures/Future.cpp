#include "lockstep/futures/Future.h"

#include "lockstep/engine/PyError.h"
#include "lockstep/sync/ScopedAcquire.h"

#include <algorithm>

namespace lockstep {

const char* futureStateName(FutureState s)
{
    switch (s) {
    case FutureState::Pending:
        return "PENDING";
    case FutureState::Running:
        return "RUNNING";
    case FutureState::Cancelled:
        return "CANCELLED";
    case FutureState::CancelledAndNotified:
        return "CANCELLED_AND_NOTIFIED";
    case FutureState::Finished:
        return "FINISHED";
    }
    return "?";
}

namespace {

bool isDone(FutureState s)
{
    return s == FutureState::Cancelled || s == FutureState::CancelledAndNotified || s == FutureState::Finished;
}

} // namespace

FutureWaiter::FutureWaiter(RunContext& ctx, Kind kind, const std::string& name)
    : m_kind(kind), m_event(ctx, name + ".event"), m_lock(ctx, name + ".lock")
{
}

void FutureWaiter::add(Future* f)
{
    // _AsCompletedWaiter takes its lock around the append; _FirstCompletedWaiter does not.
    if (m_kind == Kind::AsCompleted) m_lock.acquire();
    m_finished.push_back(f);
    if (m_kind == Kind::AsCompleted) m_lock.release();
    m_event.set();
}

std::vector<Future*> FutureWaiter::takeFinished()
{
    m_lock.acquire();
    std::vector<Future*> out = std::move(m_finished);
    m_finished.clear();
    m_event.clear();
    m_lock.release();
    return out;
}

Future::Future(RunContext& ctx, int index, std::string name)
    : m_ctx(ctx), m_index(index), m_id(ctx.addActor(ActorKind::Future, name)), m_cond(ctx, name + "._condition")
{
    setState(FutureState::Pending);
}

void Future::setState(FutureState s)
{
    m_state = s;
    const std::int64_t now = m_ctx.recorder().now();
    {
        std::lock_guard lock(m_historyMutex);
        m_history.emplace_back(s, now);
    }
    m_ctx.recorder().recordText(EventKind::Mark, m_id, futureStateName(s), RunContext::currentActor());
}

void Future::removeWaiterLocked(FutureWaiter* w)
{
    m_waiters.erase(std::remove(m_waiters.begin(), m_waiters.end(), w), m_waiters.end());
}

bool Future::cancel()
{
    {
        const ScopedAcquire h(m_cond);
        if (m_state == FutureState::Running || m_state == FutureState::Finished) return false;
        if (m_state == FutureState::Cancelled || m_state == FutureState::CancelledAndNotified) return true;
        setState(FutureState::Cancelled);
        m_cond.notifyAll();
    }
    invokeCallbacks();
    return true;
}

bool Future::cancelled()
{
    const ScopedAcquire h(m_cond);
    return m_state == FutureState::Cancelled || m_state == FutureState::CancelledAndNotified;
}

bool Future::running()
{
    const ScopedAcquire h(m_cond);
    return m_state == FutureState::Running;
}

bool Future::done()
{
    const ScopedAcquire h(m_cond);
    return isDone(m_state);
}

bool Future::setRunningOrNotifyCancel()
{
    const ScopedAcquire h(m_cond);
    if (m_state == FutureState::Cancelled) {
        setState(FutureState::CancelledAndNotified);
        for (FutureWaiter* w : m_waiters)
            w->addCancelled(this);
        return false; // self._condition.notify_all() is not needed here
    }
    if (m_state == FutureState::Pending) {
        setState(FutureState::Running);
        return true;
    }
    throw std::logic_error("Future in unexpected state");
}

void Future::setResult(std::int64_t value)
{
    {
        const ScopedAcquire h(m_cond);
        if (isDone(m_state)) throw PyError("InvalidStateError", std::string(futureStateName(m_state)));
        m_result = value;
        setState(FutureState::Finished);
        for (FutureWaiter* w : m_waiters)
            w->addResult(this);
        m_cond.notifyAll();
    }
    invokeCallbacks();
}

void Future::setException(std::string type, std::string message)
{
    {
        const ScopedAcquire h(m_cond);
        if (isDone(m_state)) throw PyError("InvalidStateError", std::string(futureStateName(m_state)));
        m_excType = std::move(type);
        m_excMessage = std::move(message);
        setState(FutureState::Finished);
        for (FutureWaiter* w : m_waiters)
            w->addException(this);
        m_cond.notifyAll();
    }
    invokeCallbacks();
}

std::int64_t Future::result(double timeoutSeconds)
{
    const ScopedAcquire h(m_cond);
    const auto outcome = [&]() -> std::optional<std::int64_t> {
        if (m_state == FutureState::Cancelled || m_state == FutureState::CancelledAndNotified)
            throw PyError("CancelledError", "");
        if (m_state == FutureState::Finished) {
            if (!m_excType.empty()) throw PyError(m_excType, m_excMessage);
            return m_result;
        }
        return std::nullopt;
    };
    if (auto r = outcome()) return *r;
    // Cancelled from wait() leaves without the lock; ScopedAcquire ignores the failed release then.
    m_cond.wait(timeoutSeconds);
    if (auto r = outcome()) return *r;
    throw PyError("TimeoutError", "");
}

void Future::addDoneCallback(std::function<void(Future&)> fn)
{
    {
        const ScopedAcquire h(m_cond);
        if (!isDone(m_state)) {
            m_callbacks.push_back(std::move(fn));
            return;
        }
    }
    fn(*this); // already done: it runs at once, in the caller
}

void Future::invokeCallbacks()
{
    for (auto& cb : m_callbacks)
        cb(*this);
}

} // namespace lockstep
