#include "lockstep/trace/TraceClock.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>

namespace lockstep {

namespace traceclock {

bool detectInvariantTsc()
{
#if defined(__x86_64__) || defined(__i386__)
    // LOCKSTEP_CLOCK=monotonic forces the fallback (to compare the two, or on a machine whose
    // flags lie).
    if (const char* forced = std::getenv("LOCKSTEP_CLOCK"); forced && std::string(forced) == "monotonic") return false;
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("flags", 0) != 0) continue;
        const auto has = [&](const char* flag) {
            return (" " + line + " ").find(std::string(" ") + flag + " ") != std::string::npos;
        };
        return has("constant_tsc") && has("nonstop_tsc");
    }
#endif
    return false;
}

// A tick and the CLOCK_MONOTONIC ns of the same moment: of three back-to-back reads, the one whose
// two tick reads lie closest, so that a preemption between the reads does not skew the pair.
std::pair<std::int64_t, std::int64_t> readPair()
{
    std::int64_t bestGap = INT64_MAX;
    std::pair<std::int64_t, std::int64_t> best { 0, 0 };
    for (int i = 0; i < 3; ++i) {
        const std::int64_t a = ticks();
        const std::int64_t m = monotonicNs();
        const std::int64_t b = ticks();
        if (b - a < bestGap) {
            bestGap = b - a;
            best = { a + (b - a) / 2, m };
        }
    }
    return best;
}

namespace {

double measureNsPerTick()
{
    if (!usesTsc()) return 1.0;
    const auto [t0, n0] = readPair();
    std::int64_t n = n0;
    while (n - n0 < 2'000'000)
        n = monotonicNs();
    const auto [t1, n1] = readPair();
    if (t1 <= t0) return 1.0;
    return static_cast<double>(n1 - n0) / static_cast<double>(t1 - t0);
}

} // namespace

std::int64_t monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double initialNsPerTick()
{
    static const double rate = measureNsPerTick();
    return rate;
}

} // namespace traceclock

void TickCalibration::anchor()
{
    m_nsPerTick.store(traceclock::initialNsPerTick(), std::memory_order_relaxed);
    if (!traceclock::usesTsc()) {
        const std::int64_t now = traceclock::monotonicNs();
        m_mono0.store(now, std::memory_order_relaxed);
        m_t0.store(now, std::memory_order_relaxed);
        return;
    }
    const auto [t, mono] = traceclock::readPair();
    m_mono0.store(mono, std::memory_order_relaxed);
    m_t0.store(t, std::memory_order_relaxed);
}

void TickCalibration::measure()
{
    if (!traceclock::usesTsc()) return;
    const auto [t, mono] = traceclock::readPair();
    const std::int64_t dt = t - m_t0.load(std::memory_order_relaxed);
    const std::int64_t dns = mono - m_mono0.load(std::memory_order_relaxed);
    // Below 50 ms the process-wide estimate (2 ms, best of three reads) is as good; beyond, the
    // error of the two reads shrinks with the baseline.
    if (dns < 50'000'000 || dt <= 0) return;
    m_nsPerTick.store(static_cast<double>(dns) / static_cast<double>(dt), std::memory_order_relaxed);
}

std::int64_t TickCalibration::toNs(std::int64_t ticks) const
{
    const std::int64_t dt = ticks - m_t0.load(std::memory_order_relaxed);
    const double rate = m_nsPerTick.load(std::memory_order_relaxed);
    if (rate == 1.0) return dt;
    return static_cast<std::int64_t>(std::llround(static_cast<double>(dt) * rate));
}

std::int64_t TickCalibration::toTicks(std::int64_t ns) const
{
    const double rate = m_nsPerTick.load(std::memory_order_relaxed);
    const std::int64_t t0 = m_t0.load(std::memory_order_relaxed);
    if (rate == 1.0) return t0 + ns;
    // Saturating: INT64_MAX ns ("never") stays beyond every tick.
    const double dt = static_cast<double>(ns) / rate;
    if (dt >= 9.0e18) return INT64_MAX;
    if (dt <= -9.0e18) return INT64_MIN;
    return t0 + static_cast<std::int64_t>(std::llround(dt));
}

} // namespace lockstep
