#pragma once

#include <atomic>
#include <cstdint>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace lockstep {

// The recorder's time source. The hot path reads raw ticks: the CPU's time-stamp counter where it
// is invariant (x86 with constant_tsc and nonstop_tsc: one rate on every core, also in deep sleep),
// which costs a few ns against ~25-80 ns for clock_gettime on a virtual machine's kvm-clock; and
// CLOCK_MONOTONIC in ns elsewhere (then a tick is a ns). Ticks become ns at drain time through a
// TickCalibration anchored to CLOCK_MONOTONIC when the run started and re-measured at every drain,
// so the trace's times stay CLOCK_MONOTONIC's however long the run.
namespace traceclock {

[[nodiscard]] bool detectInvariantTsc();
// Whether ticks() reads the TSC (decided once per process from /proc/cpuinfo). Inline: the hot
// path pays a guard-byte load, not a call.
[[nodiscard]] inline bool usesTsc()
{
    static const bool tsc = detectInvariantTsc();
    return tsc;
}

// CLOCK_MONOTONIC (std::chrono::steady_clock) in ns.
[[nodiscard]] std::int64_t monotonicNs();

// A tick and the CLOCK_MONOTONIC ns of one moment (the closest of three reads).
[[nodiscard]] std::pair<std::int64_t, std::int64_t> readPair();

// A process-wide estimate of ns per tick, measured once (about 2 ms) on first use: what
// conversions use until a recorder has a baseline of its own. 1.0 without the TSC.
[[nodiscard]] double initialNsPerTick();

// Ticks now. The lfence keeps the TSC read from moving before earlier loads (as the kernel's
// rdtsc_ordered does for clock_gettime): an event recorded after a thread saw another's event
// never gets an earlier stamp.
[[nodiscard]] inline std::int64_t ticks()
{
#if defined(__x86_64__) || defined(__i386__)
    if (usesTsc()) [[likely]] {
        _mm_lfence();
        return static_cast<std::int64_t>(__rdtsc());
    }
#endif
    return monotonicNs();
}

// Ticks now, without the fence: may be read a few ns early, so callers order what needs ordering
// themselves (TraceRecorder::recordBatch takes a floor, kept per lock under its mutex).
[[nodiscard]] inline std::int64_t ticksUnordered()
{
#if defined(__x86_64__) || defined(__i386__)
    if (usesTsc()) [[likely]]
        return static_cast<std::int64_t>(__rdtsc());
#endif
    return monotonicNs();
}

} // namespace traceclock

// ns since an anchor = (ticks - anchor ticks) * ns per tick. The rate is refined by the consumer
// (measure()) and read by any thread: kept in one atomic so readers never see a torn value.
class TickCalibration {
public:
    // Anchors at now: tick t0 is ns 0 on this calibration (CLOCK_MONOTONIC `monoNs` then).
    void anchor();
    // Re-measures the rate against CLOCK_MONOTONIC over the whole time since the anchor (once the
    // baseline is long enough to beat the clocks' jitter).
    void measure();

    [[nodiscard]] std::int64_t anchorTicks() const { return m_t0.load(std::memory_order_relaxed); }
    [[nodiscard]] std::int64_t anchorMonoNs() const { return m_mono0.load(std::memory_order_relaxed); }
    [[nodiscard]] double nsPerTick() const { return m_nsPerTick.load(std::memory_order_relaxed); }

    [[nodiscard]] std::int64_t toNs(std::int64_t ticks) const;
    [[nodiscard]] std::int64_t toTicks(std::int64_t ns) const;

private:
    std::atomic<std::int64_t> m_t0 { 0 };
    std::atomic<std::int64_t> m_mono0 { 0 };
    std::atomic<double> m_nsPerTick { 1.0 };
};

} // namespace lockstep
