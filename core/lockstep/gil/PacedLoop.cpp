#include "lockstep/gil/PacedLoop.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <mutex>

namespace lockstep {

namespace {

// A breaker nobody ever sets, for measuring.
const std::atomic<std::uint32_t> kNeverBreak { 0 };

constexpr int kMaxSpin = 1 << 20;

std::int64_t threadCpuNs()
{
    timespec ts {};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

PacedLoop PacedLoop::withSpin(int spin)
{
    PacedLoop loop;
    loop.m_spin = std::clamp(spin, 0, kMaxSpin);
    return loop;
}

std::int64_t PacedLoop::run(std::int64_t n, const std::atomic<std::uint32_t>& breaker) const
{
    const int spin = m_spin;
    std::uint64_t burn = 0;
    while (n > 0) {
        if (breaker.load(std::memory_order_relaxed) != 0) break;
        for (int i = 0; i < spin; ++i) {
            burn += static_cast<std::uint64_t>(i);
            // Keeps the dependency chain (and so the time it costs) without any memory traffic.
            asm volatile("" : "+r"(burn));
        }
        --n;
    }
    asm volatile("" : : "r"(burn));
    return n;
}

double PacedLoop::measureNsPerTurn(std::int64_t turns, int reps) const
{
    double best = 0;
    for (int r = 0; r < reps; ++r) {
        // CPU time of this thread, not wall time: on a shared machine the thread may lose its core
        // in the middle of a sample, and that must not make the loop look slower than it is.
        const std::int64_t t0 = threadCpuNs();
        run(turns, kNeverBreak);
        const double perTurn = static_cast<double>(threadCpuNs() - t0) / static_cast<double>(turns);
        // The fastest sample is the one least disturbed (cache misses after a migration, ...).
        if (r == 0 || perTurn < best) best = perTurn;
    }
    return best;
}

PacedLoop PacedLoop::calibrated(double nsPerTurn)
{
    static std::mutex cacheMutex;
    static std::map<std::int64_t, PacedLoop> cache;
    const auto key = static_cast<std::int64_t>(std::llround(nsPerTurn * 1000));
    std::lock_guard lock(cacheMutex);
    if (auto it = cache.find(key); it != cache.end()) return it->second;

    // Each measurement lasts about 2 ms: long enough to average out timer resolution, short
    // enough that most of them run without being preempted.
    constexpr double kSampleNs = 2'000'000;
    constexpr int kReps = 5;
    auto turnsFor = [](double perTurnNs) {
        return static_cast<std::int64_t>(std::clamp(kSampleNs / std::max(perTurnNs, 0.1), 1000.0, 1e7));
    };

    PacedLoop loop;
    loop.m_target = nsPerTurn;
    // The cost of a turn grows about linearly with the spin count: start from two points (an
    // empty turn and a probe) and home in with the secant method, keeping the closest point. A
    // short first probe sizes the samples, as an empty turn costs anything from 0.3 ns (Release)
    // to tens of ns (ThreadSanitizer).
    auto measure = [&](int spin) {
        const PacedLoop candidate = withSpin(spin);
        const double rough = candidate.measureNsPerTurn(1'000, 1);
        return candidate.measureNsPerTurn(turnsFor(rough), kReps);
    };
    constexpr int kProbe = 256;
    // Warm up first: a core that was idle may run at a lower clock for a few milliseconds, and a
    // calibration made then would make every later turn too fast.
    const PacedLoop warmUp = withSpin(kProbe);
    for (const std::int64_t start = threadCpuNs(); threadCpuNs() - start < 30'000'000;)
        warmUp.run(10'000, kNeverBreak);
    int s0 = 0;
    double c0 = measure(s0);
    int s1 = kProbe;
    double c1 = measure(s1);
    int best = std::abs(c0 - nsPerTurn) < std::abs(c1 - nsPerTurn) ? s0 : s1;
    double bestCost = best == s0 ? c0 : c1;
    for (int step = 0; step < 8 && std::abs(bestCost - nsPerTurn) > 0.02 * nsPerTurn; ++step) {
        const double slope = std::max((c1 - c0) / static_cast<double>(s1 - s0), 0.01);
        // Noise can make a slope look tiny: never jump more than 4x beyond the points measured.
        const int limit = std::min(kMaxSpin, 4 * std::max(s0, s1) + kProbe);
        const int s2 = std::clamp(static_cast<int>(std::lround(s1 + (nsPerTurn - c1) / slope)), 0, limit);
        if (s2 == s1 || (s2 == 0 && s1 == 0)) break;
        const double c2 = measure(s2);
        s0 = s1;
        c0 = c1;
        s1 = s2;
        c1 = c2;
        if (std::abs(c2 - nsPerTurn) < std::abs(bestCost - nsPerTurn)) {
            best = s2;
            bestCost = c2;
        }
    }
    loop.m_spin = best;
    const double cost = bestCost;
    loop.m_measured = cost;
    cache.emplace(key, loop);
    return loop;
}

} // namespace lockstep
