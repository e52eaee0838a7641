#include "lockstep/engine/StepGate.h"

#include "lockstep/engine/Cancelled.h"

#include <algorithm>
#include <exception>
#include <thread>

namespace lockstep {

StepGate::StepGate(std::uint64_t seed) : m_rng(seed) {}

void StepGate::setMode(GateMode mode)
{
    {
        std::lock_guard lock(m_mutex);
        m_mode.store(mode, std::memory_order_relaxed);
        if (mode != GateMode::Step) {
            // Leaving step mode: everybody parked may go on.
            for (ActorId a : m_parked) m_released.push_back(a);
        }
        m_nextSlot = std::chrono::steady_clock::now();
    }
    m_cv.notify_all();
}

void StepGate::setRate(double opsPerSecond)
{
    std::lock_guard lock(m_mutex);
    m_rate = std::clamp(opsPerSecond, 0.01, 1e9);
}

double StepGate::rate() const
{
    std::lock_guard lock(m_mutex);
    return m_rate;
}

void StepGate::setSettledPredicate(std::function<bool(std::size_t)> settled)
{
    std::lock_guard lock(m_mutex);
    m_settled = std::move(settled);
}

void StepGate::passSlow(ActorId who)
{
    std::unique_lock lock(m_mutex);
    if (m_cancelled.load()) {
        // Releases run from destructors while a Cancelled unwinds the thread: let them through.
        if (std::uncaught_exceptions() > 0) return;
        throw Cancelled();
    }
    const GateMode mode = m_mode.load(std::memory_order_relaxed);
    if (mode == GateMode::Paced) {
        // A shared token bucket: operations across all threads are spaced 1/rate apart.
        const auto now = std::chrono::steady_clock::now();
        const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(1.0 / m_rate));
        const auto slot = std::max(m_nextSlot, now);
        m_nextSlot = slot + period;
        m_cv.wait_until(lock, slot, [&] {
            return m_cancelled.load() || m_mode.load(std::memory_order_relaxed) != GateMode::Paced;
        });
        if (m_cancelled.load()) throw Cancelled();
        if (m_mode.load(std::memory_order_relaxed) != GateMode::Step) return;
    }
    if (m_mode.load(std::memory_order_relaxed) != GateMode::Step) return;

    m_parked.push_back(who);
    m_cv.notify_all(); // the controller may be waiting for threads to park
    m_cv.wait(lock, [&] {
        return m_cancelled.load() || std::find(m_released.begin(), m_released.end(), who) != m_released.end();
    });
    m_parked.erase(std::find(m_parked.begin(), m_parked.end(), who));
    if (auto it = std::find(m_released.begin(), m_released.end(), who); it != m_released.end())
        m_released.erase(it);
    if (m_cancelled.load()) throw Cancelled();
}

bool StepGate::stepAny(std::chrono::milliseconds settleTimeout)
{
    std::unique_lock lock(m_mutex);
    // Wait until every live thread is parked or blocked, so the set we choose from does not depend
    // on how fast the OS happened to schedule threads: the choice is then a function of the seed.
    auto pending = [&] {
        std::size_t n = 0;
        for (ActorId a : m_parked)
            if (std::find(m_released.begin(), m_released.end(), a) == m_released.end()) ++n;
        return n;
    };
    m_cv.wait_for(lock, settleTimeout, [&] {
        if (m_cancelled.load()) return true;
        const std::size_t n = pending();
        return n > 0 && (!m_settled || m_settled(n));
    });
    std::vector<ActorId> candidates;
    for (ActorId a : m_parked)
        if (std::find(m_released.begin(), m_released.end(), a) == m_released.end()) candidates.push_back(a);
    if (candidates.empty()) return false;
    std::sort(candidates.begin(), candidates.end());
    const ActorId chosen = candidates[m_rng() % candidates.size()];
    releaseAndSettle(lock, chosen, settleTimeout);
    return true;
}

void StepGate::releaseAndSettle(std::unique_lock<std::mutex>& lock, ActorId who, std::chrono::milliseconds timeout)
{
    // One step = the released thread performs its operation and comes to rest again (parks at its
    // next operation, blocks, or ends). Waiting for that makes steps sequential, so the next
    // choice is made from a settled state and "one event per step" holds for the viewer.
    m_released.push_back(who);
    m_steps.fetch_add(1);
    m_cv.notify_all();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    m_cv.wait_until(lock, deadline, [&] {
        return m_cancelled.load() || std::find(m_released.begin(), m_released.end(), who) == m_released.end();
    });
    m_cv.wait_until(lock, deadline, [&] {
        if (m_cancelled.load() || m_mode.load(std::memory_order_relaxed) != GateMode::Step) return true;
        std::size_t n = 0;
        for (ActorId a : m_parked)
            if (std::find(m_released.begin(), m_released.end(), a) == m_released.end()) ++n;
        return m_settled ? m_settled(n) : std::find(m_parked.begin(), m_parked.end(), who) != m_parked.end();
    });
}

bool StepGate::stepThread(ActorId who, std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    const bool parked = m_cv.wait_for(lock, timeout, [&] {
        return m_cancelled.load() || (std::find(m_parked.begin(), m_parked.end(), who) != m_parked.end() &&
                                      std::find(m_released.begin(), m_released.end(), who) == m_released.end());
    });
    if (!parked || m_cancelled.load()) return false;
    releaseAndSettle(lock, who, timeout);
    return true;
}

std::vector<ActorId> StepGate::parked() const
{
    std::lock_guard lock(m_mutex);
    std::vector<ActorId> out;
    for (ActorId a : m_parked)
        if (std::find(m_released.begin(), m_released.end(), a) == m_released.end()) out.push_back(a);
    std::sort(out.begin(), out.end());
    return out;
}

bool StepGate::waitForParked(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    return m_cv.wait_for(lock, timeout, [&] {
        if (m_cancelled.load()) return true;
        for (ActorId a : m_parked)
            if (std::find(m_released.begin(), m_released.end(), a) == m_released.end()) return true;
        return false;
    }) && !m_cancelled.load();
}

void StepGate::cancel()
{
    {
        std::lock_guard lock(m_mutex);
        m_cancelled.store(true);
    }
    m_cv.notify_all();
}

void StepGate::notifyStateChanged()
{
    // Take the mutex so a controller between its predicate check and its wait cannot miss this.
    { std::lock_guard lock(m_mutex); }
    m_cv.notify_all();
}

} // namespace lockstep
