#pragma once

#include <atomic>
#include <cstdint>

namespace lockstep {

// The countdown `while n > 0: n -= 1` run at CPython's pace: every turn polls the eval breaker
// (one relaxed atomic load, as CPython's eval loop does on its backward jump) and then burns about
// as much CPU time as one turn of that loop costs the real interpreter. The burn is a spin loop
// whose length is calibrated at run time against a target in ns per turn, so the pace stays right
// on any machine and build (Debug, Release, under sanitizers) and the ratios students compare with
// python3 stay meaningful. Plain data: a forked child can run a copy without any setup.
class PacedLoop {
public:
    // A loop whose turns cost about `nsPerTurn` each. The first call for a target measures
    // (~30 ms); later calls reuse the result. Thread-safe.
    static PacedLoop calibrated(double nsPerTurn);
    // The same measurement made now, not cached (tests that retry at another moment).
    static PacedLoop calibrateNow(double nsPerTurn);
    // A loop spinning `spin` iterations per turn, uncalibrated (tests, benchmarks).
    static PacedLoop withSpin(int spin);

    // Runs up to `n` turns and returns how many are left: 0 when done, more when the breaker was
    // found non-zero at the top of a turn (the caller handles the request and calls run() again).
    std::int64_t run(std::int64_t n, const std::atomic<std::uint32_t>& breaker) const;

    // Measures the current cost of one turn: the fastest of `reps` runs of `turns` turns.
    [[nodiscard]] double measureNsPerTurn(std::int64_t turns, int reps) const;

    // This thread's CPU time (CLOCK_THREAD_CPUTIME_ID), in ns.
    static std::int64_t threadCpuNs();

    [[nodiscard]] double targetNsPerTurn() const { return m_target; }
    // What a turn cost when calibration finished (may exceed the target if even an empty turn is
    // slower, e.g. under ThreadSanitizer).
    [[nodiscard]] double calibratedNsPerTurn() const { return m_measured; }
    [[nodiscard]] int spin() const { return m_spin; }
    // How steady the core was while calibrating: the spread (90th / 10th percentile) of the
    // reference loop's cost over the calibration, about 1.05 on a quiet machine. Above ~1.3 the
    // machine was too busy for the calibration to be trusted to better than that factor.
    [[nodiscard]] double calibrationSpread() const { return m_spread; }
    // What the fixed reference loop cost per turn during the calibration: two calibrations made
    // at a different speed of the core (a hypervisor's neighbour came or went) differ in it.
    [[nodiscard]] double referenceNsPerTurn() const { return m_reference; }

private:
    int m_spin = 0;
    double m_target = 0;
    double m_measured = 0;
    double m_spread = 1;
    double m_reference = 0;
};

} // namespace lockstep
