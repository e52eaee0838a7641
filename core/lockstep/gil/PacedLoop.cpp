#include "lockstep/gil/PacedLoop.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <mutex>
#include <vector>

namespace lockstep {

namespace {

// A breaker nobody ever sets, for measuring.
const std::atomic<std::uint32_t> kNeverBreak { 0 };

constexpr int kMaxSpin = 1 << 20;

} // namespace

std::int64_t PacedLoop::threadCpuNs()
{
    timespec ts {};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

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
    const PacedLoop loop = calibrateNow(nsPerTurn);
    cache.emplace(key, loop);
    return loop;
}

PacedLoop PacedLoop::calibrateNow(double nsPerTurn)
{
    // Each sample lasts about 1 ms: long enough to average out timer resolution, short enough
    // that most run undisturbed.
    constexpr double kSampleNs = 1'000'000;
    constexpr int kReps = 7;
    auto turnsFor = [](double perTurnNs) {
        return static_cast<std::int64_t>(std::clamp(kSampleNs / std::max(perTurnNs, 0.1), 1000.0, 1e7));
    };

    PacedLoop loop;
    loop.m_target = nsPerTurn;
    // The core's speed moves while we measure: a build beside us, or the hypervisor's other
    // guests on the same physical core. So every candidate is measured *relative* to a reference
    // loop sampled right before it (a slow phase slows both alike; the median of the ratios is
    // kept), and cost = ratio x the reference's own cost. That cost is the median of all the
    // reference's samples over the calibration (~160 ms), the speed later turns will typically
    // see. Not a low percentile: this host's vCPUs run at one speed most of the time, with brief
    // windows (100-300 ms, ~7% of the time) at twice that speed; a calibration that caught one
    // made every later turn twice too slow (CI: calibrated 59 ns, count(10^7) took 1176 ms).
    constexpr int kProbe = 256;
    const PacedLoop reference = withSpin(kProbe);
    const std::int64_t referenceTurns = turnsFor(reference.measureNsPerTurn(1'000, 1));
    std::vector<double> referenceSamples;
    // Warm up first: a core that was idle may run at a lower clock for a few milliseconds, and a
    // calibration made then would make every later turn too fast. The warm-up's last two thirds
    // are reference samples too.
    for (const std::int64_t start = threadCpuNs(); threadCpuNs() - start < 30'000'000;) {
        const double ns = reference.measureNsPerTurn(referenceTurns, 1);
        if (threadCpuNs() - start > 10'000'000) referenceSamples.push_back(ns);
    }
    auto relative = [&](int spin) {
        const PacedLoop candidate = withSpin(spin);
        const std::int64_t turns = turnsFor(candidate.measureNsPerTurn(1'000, 1));
        std::vector<double> ratios;
        for (int r = 0; r < kReps; ++r) {
            const double ref = reference.measureNsPerTurn(referenceTurns, 1);
            referenceSamples.push_back(ref);
            ratios.push_back(candidate.measureNsPerTurn(turns, 1) / ref);
        }
        std::nth_element(ratios.begin(), ratios.begin() + kReps / 2, ratios.end());
        return ratios[kReps / 2];
    };
    // The cost of a turn grows about linearly with the spin count: start from two points (an
    // empty turn and the reference) and home in with the secant method in units of the reference,
    // keeping the closest point.
    int s0 = 0;
    double c0 = relative(s0);
    int s1 = kProbe;
    double c1 = 1.0;
    double referenceNs = 0;
    auto updateReference = [&] {
        std::vector<double> sorted = referenceSamples;
        std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
        referenceNs = sorted[sorted.size() / 2];
    };
    updateReference();
    auto goal = [&] { return nsPerTurn / referenceNs; };
    int best = std::abs(c0 - goal()) < std::abs(c1 - goal()) ? s0 : s1;
    double bestRatio = best == s0 ? c0 : c1;
    for (int step = 0; step < 8 && std::abs(bestRatio - goal()) > 0.02 * goal(); ++step) {
        const double slope = std::max((c1 - c0) / static_cast<double>(s1 - s0), 1e-6);
        // Noise can make a slope look tiny: never jump more than 4x beyond the points measured.
        const int limit = std::min(kMaxSpin, 4 * std::max(s0, s1) + kProbe);
        const int s2 = std::clamp(static_cast<int>(std::lround(s1 + (goal() - c1) / slope)), 0, limit);
        if (s2 == s1 || (s2 == 0 && s1 == 0)) break;
        const double c2 = relative(s2);
        updateReference();
        s0 = s1;
        c0 = c1;
        s1 = s2;
        c1 = c2;
        if (std::abs(c2 - goal()) < std::abs(bestRatio - goal())) {
            best = s2;
            bestRatio = c2;
        }
    }
    const double bestCost = bestRatio * referenceNs;
    loop.m_spin = best;
    loop.m_measured = bestCost;
    loop.m_reference = referenceNs;
    std::sort(referenceSamples.begin(), referenceSamples.end());
    loop.m_spread = referenceSamples[referenceSamples.size() * 9 / 10] / referenceSamples[referenceSamples.size() / 10];
    return loop;
}

} // namespace lockstep
