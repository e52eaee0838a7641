#pragma once

#include "lockstep/trace/Ids.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <vector>

namespace lockstep {

enum class GateMode : std::uint8_t {
    Free,   // no gating: full speed
    Paced,  // at most `rate` operations per second across the run (speed control of a live run)
    Step,   // every operation parks until the controller releases it
};

// Every instrumented operation of an engine thread calls pass() first. In Step mode the thread
// parks there until the controller releases it: stepAny() (the gate picks, deterministic for a
// seed) or stepThread(T) (the user is the scheduler). Cancel releases everybody.
class StepGate {
public:
    explicit StepGate(std::uint64_t seed = 0);

    void setMode(GateMode mode);
    [[nodiscard]] GateMode mode() const { return m_mode.load(std::memory_order_relaxed); }
    void setRate(double opsPerSecond); // for Paced mode
    [[nodiscard]] double rate() const;

    // Engine side. Returns immediately in Free mode (one relaxed atomic load). Throws Cancelled
    // when the gate has been cancelled.
    void pass(ActorId who)
    {
        if (m_mode.load(std::memory_order_relaxed) == GateMode::Free && !m_cancelled.load(std::memory_order_relaxed))
            return;
        passSlow(who);
    }

    // Controller side. `settled` tells whether every live engine thread is either parked or
    // blocked (so the choice among parked threads is deterministic); the gate waits up to
    // `settleTimeout` for that before choosing.
    void setSettledPredicate(std::function<bool(std::size_t parkedCount)> settled);
    // Both return once the released thread has come to rest again (or after the timeout).
    bool stepAny(std::chrono::milliseconds settleTimeout = std::chrono::milliseconds(250));
    bool stepThread(ActorId who, std::chrono::milliseconds timeout = std::chrono::milliseconds(250));
    [[nodiscard]] std::vector<ActorId> parked() const;
    // Wait until at least one thread is parked (or timeout). For tests and the GUI's step button.
    bool waitForParked(std::chrono::milliseconds timeout);
    [[nodiscard]] std::uint64_t stepsTaken() const { return m_steps.load(); }

    void cancel();                 // release all parked threads; pass() throws Cancelled from now on
    void notifyStateChanged();     // an engine thread blocked/unblocked/exited: re-check settledness

private:
    void passSlow(ActorId who);
    void releaseAndSettle(std::unique_lock<std::mutex>& lock, ActorId who, std::chrono::milliseconds timeout);

    std::atomic<GateMode> m_mode{GateMode::Free};
    std::atomic<bool> m_cancelled{false};
    std::atomic<std::uint64_t> m_steps{0};
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<ActorId> m_parked;     // threads waiting at the gate
    std::vector<ActorId> m_released;   // tickets handed out, not yet consumed
    std::function<bool(std::size_t)> m_settled;
    std::mt19937_64 m_rng;
    double m_rate = 1000.0;
    std::chrono::steady_clock::time_point m_nextSlot{};
};

} // namespace lockstep
