#include "lockstep/gil/GilCore.h"

#include <algorithm>

namespace lockstep {

GilCore::GilCore(std::chrono::nanoseconds interval, Observer* observer)
    // CPython clamps the interval to at least 1 µs (take_gil: "interval >= 1 ? interval : 1").
    : m_interval(std::max(interval, std::chrono::nanoseconds(1000))), m_observer(observer)
{
}

void GilCore::setDropRequest()
{
    m_evalBreaker.fetch_or(kDropRequestBit, std::memory_order_relaxed);
    m_dropRequests.fetch_add(1, std::memory_order_relaxed);
}

void GilCore::resetDropRequest()
{
    m_evalBreaker.fetch_and(~kDropRequestBit, std::memory_order_relaxed);
}

GilCore::Result GilCore::take(Holder me)
{
    std::unique_lock lock(m_mutex);
    if (cancelled()) return Result::Cancelled;

    if (m_locked) {
        if (m_observer != nullptr) m_observer->onWaitBegin(me);
        while (m_locked) {
            const std::uint64_t savedSwitchNumber = m_switchNumber;
            const auto deadline = std::chrono::steady_clock::now() + m_interval;
            // COND_TIMED_WAIT: one timed wait; a spurious or early wake-up simply loops.
            const bool timedOut = m_cond.wait_until(lock, deadline) == std::cv_status::timeout;
            if (cancelled()) return Result::Cancelled;
            // Timed out and nobody switched meanwhile: ask the holder to drop the GIL.
            if (timedOut && m_locked && m_switchNumber == savedSwitchNumber) {
                setDropRequest();
                if (m_observer != nullptr) m_observer->onDropRequest(me);
            }
        }
    }

    bool switched = false;
    {
        // FORCE_SWITCHING: last_holder changes under switch_mutex, so a dropper waiting in drop()
        // sees the change and is woken by the signal below.
        std::lock_guard switchLock(m_switchMutex);
        m_locked = true;
        m_holder.store(me, std::memory_order_relaxed);
        if (m_lastHolder != me) {
            m_lastHolder = me;
            ++m_switchNumber;
            m_switches.store(m_switchNumber, std::memory_order_relaxed);
            switched = true;
        }
        m_switchCond.notify_one();
    }
    // A request made for us is fulfilled now; one made while we waited for another reason too.
    if (dropRequested()) resetDropRequest();
    if (m_observer != nullptr) m_observer->onTaken(me, switched);
    return Result::Ok;
}

GilCore::Result GilCore::drop(Holder me, bool mayWaitForSwitch)
{
    bool requested = false;
    {
        std::lock_guard lock(m_mutex);
        m_locked = false;
        m_holder.store(0, std::memory_order_relaxed);
        requested = dropRequested();
        if (m_observer != nullptr) m_observer->onDropped(me, requested);
        m_cond.notify_one();
    }
    if (mayWaitForSwitch && dropRequested()) {
        std::unique_lock switchLock(m_switchMutex);
        // Not switched yet: wait until another thread has taken the GIL.
        if (m_lastHolder == me) {
            resetDropRequest();
            // CPython waits once; looping on the predicate also survives spurious wake-ups.
            m_switchCond.wait(switchLock, [&] { return m_lastHolder != me || cancelled(); });
        }
    }
    return cancelled() ? Result::Cancelled : Result::Ok;
}

void GilCore::cancel()
{
    m_cancelled.store(true, std::memory_order_release);
    m_evalBreaker.fetch_or(kCancelBit, std::memory_order_relaxed);
    {
        std::lock_guard lock(m_mutex);
        m_cond.notify_all();
    }
    {
        std::lock_guard lock(m_switchMutex);
        m_switchCond.notify_all();
    }
}

} // namespace lockstep
