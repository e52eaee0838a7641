// Cost of the GIL model: what one hand-over of the GIL between two threads costs, with the bare
// algorithm (GilCore) and with the instrumented Gil that records every step; and the cost of one
// turn of the Python-paced countdown loop.

#include "lockstep/engine/RunContext.h"
#include "lockstep/gil/Gil.h"
#include "lockstep/gil/GilCore.h"
#include "lockstep/gil/PacedLoop.h"
#include "lockstep/gil/PyThreadState.h"
#include "lockstep/trace/TraceBuilder.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace lockstep;

namespace {

constexpr std::int64_t kSwitchesPerIteration = 2000;

std::int64_t elapsedNs(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
}

void reportSwitches(benchmark::State& state, std::int64_t switches, std::int64_t ns)
{
    state.counters["switches"] = static_cast<double>(switches);
    state.counters["ns_per_switch"]
        = static_cast<double>(ns) / static_cast<double>(std::max<std::int64_t>(switches, 1));
}

// Two CPU-bound threads under one GilCore with the smallest interval CPython allows (1 µs): every
// hand-over goes through the whole path: timed wait expires, drop request, eval-breaker check,
// drop, forced-switch wait, take.
void BM_GilCoreForcedSwitch(benchmark::State& state)
{
    const PacedLoop loop = PacedLoop::withSpin(0);
    std::int64_t switches = 0;
    std::int64_t ns = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        GilCore gil(std::chrono::microseconds(1));
        std::atomic<bool> stop { false };
        auto body = [&](GilCore::Holder me) {
            (void)gil.take(me);
            while (!stop.load(std::memory_order_relaxed)) {
                if (loop.run(1'000'000, gil.evalBreaker()) > 0 && gil.dropRequested()) {
                    (void)gil.drop(me);
                    (void)gil.take(me);
                }
                if (static_cast<std::int64_t>(gil.switchNumber()) >= kSwitchesPerIteration) stop.store(true);
            }
            (void)gil.drop(me, false);
        };
        std::thread a(body, 1);
        std::thread b(body, 2);
        a.join();
        b.join();
        switches += static_cast<std::int64_t>(gil.switchNumber());
        ns += elapsedNs(t0);
    }
    reportSwitches(state, switches, ns);
}
BENCHMARK(BM_GilCoreForcedSwitch)->UseRealTime()->Unit(benchmark::kMillisecond);

// Times the hand-over itself: from the moment a waiter sets the drop request to the moment it
// holds the GIL (holder notices at its next turn, drops, signals; waiter wakes and takes).
class HandOverClock final : public GilCore::Observer {
public:
    void onDropRequest(GilCore::Holder) override { m_requested = std::chrono::steady_clock::now(); }
    void onTaken(GilCore::Holder, bool switched) override
    {
        if (!switched || m_requested == std::chrono::steady_clock::time_point {}) return;
        m_totalNs += elapsedNs(m_requested);
        ++m_count;
        m_requested = {};
    }
    // Callbacks run under the GIL's mutex: read these after the threads were joined.
    std::int64_t m_totalNs = 0;
    std::int64_t m_count = 0;

private:
    std::chrono::steady_clock::time_point m_requested {};
};

void BM_GilCoreHandOverLatency(benchmark::State& state)
{
    const PacedLoop loop = PacedLoop::withSpin(0);
    std::int64_t totalNs = 0;
    std::int64_t handOvers = 0;
    for (auto _ : state) {
        HandOverClock clock;
        GilCore gil(std::chrono::microseconds(state.range(0)), &clock);
        std::atomic<bool> stop { false };
        auto body = [&](GilCore::Holder me) {
            (void)gil.take(me);
            while (!stop.load(std::memory_order_relaxed)) {
                if (loop.run(1'000'000, gil.evalBreaker()) > 0 && gil.dropRequested()) {
                    (void)gil.drop(me);
                    (void)gil.take(me);
                }
                if (static_cast<std::int64_t>(gil.switchNumber()) >= 500) stop.store(true);
            }
            (void)gil.drop(me, false);
        };
        std::thread a(body, 1);
        std::thread b(body, 2);
        a.join();
        b.join();
        totalNs += clock.m_totalNs;
        handOvers += clock.m_count;
    }
    state.counters["hand_overs"] = static_cast<double>(handOvers);
    state.counters["ns_per_hand_over"]
        = static_cast<double>(totalNs) / static_cast<double>(std::max<std::int64_t>(handOvers, 1));
}
BENCHMARK(BM_GilCoreHandOverLatency)->Arg(100)->Arg(1000)->UseRealTime()->Unit(benchmark::kMillisecond);

// The raw hand-over: two threads passing the GIL back and forth on their own (as around I/O), no
// timer involved: one drop (signal) plus one take (wake-up) per switch.
void BM_GilCorePingPong(benchmark::State& state)
{
    std::int64_t switches = 0;
    std::int64_t ns = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        GilCore gil(std::chrono::seconds(1));
        std::atomic<GilCore::Holder> turn { 1 };
        auto body = [&](GilCore::Holder me, GilCore::Holder other) {
            for (std::int64_t i = 0; i < kSwitchesPerIteration / 2; ++i) {
                while (turn.load(std::memory_order_acquire) != me) { }
                (void)gil.take(me);
                turn.store(other, std::memory_order_release);
                (void)gil.drop(me);
            }
        };
        std::thread a(body, 1, 2);
        std::thread b(body, 2, 1);
        a.join();
        b.join();
        switches += static_cast<std::int64_t>(gil.switchNumber());
        ns += elapsedNs(t0);
    }
    reportSwitches(state, switches, ns);
}
BENCHMARK(BM_GilCorePingPong)->UseRealTime()->Unit(benchmark::kMillisecond);

// The instrumented Gil with two PyThreadStates (events, thread states, accounting), 1 µs interval.
void BM_InstrumentedGilForcedSwitch(benchmark::State& state)
{
    const PacedLoop loop = PacedLoop::withSpin(0);
    std::int64_t switches = 0;
    std::int64_t events = 0;
    std::int64_t ns = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        RunContext ctx;
        std::atomic<bool> stop { false };
        {
            Gil gil(ctx, std::chrono::microseconds(1));
            for (int t = 0; t < 2; ++t) {
                ctx.spawn("T" + std::to_string(t), [&] {
                    PyThreadState ts(ctx, RunContext::currentActor(), gil, loop);
                    ts.start();
                    while (!stop.load(std::memory_order_relaxed)) {
                        ts.count(100'000);
                        if (static_cast<std::int64_t>(gil.switches()) >= kSwitchesPerIteration) stop.store(true);
                    }
                    ts.finish();
                });
            }
            ctx.joinAll();
            switches += static_cast<std::int64_t>(gil.switches());
        }
        ns += elapsedNs(t0);
        state.PauseTiming();
        TraceBuilder builder;
        events += static_cast<std::int64_t>(ctx.recorder().drainInto(builder, true));
        state.ResumeTiming();
    }
    reportSwitches(state, switches, ns);
    state.counters["events_per_switch"]
        = static_cast<double>(events) / static_cast<double>(std::max<std::int64_t>(switches, 1));
}
BENCHMARK(BM_InstrumentedGilForcedSwitch)->UseRealTime()->Unit(benchmark::kMillisecond);

// One turn of the countdown: the bare loop (eval-breaker check only) and the calibrated one.
void BM_PacedLoopTurn(benchmark::State& state)
{
    const double target = static_cast<double>(state.range(0));
    const PacedLoop loop = target > 0 ? PacedLoop::calibrated(target) : PacedLoop::withSpin(0);
    const std::atomic<std::uint32_t> breaker { 0 };
    constexpr std::int64_t kTurns = 1'000'000;
    std::int64_t ns = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(loop.run(kTurns, breaker));
        ns += elapsedNs(t0);
    }
    state.SetItemsProcessed(state.iterations() * kTurns);
    state.counters["ns_per_turn"] = static_cast<double>(ns) / static_cast<double>(state.iterations() * kTurns);
}
BENCHMARK(BM_PacedLoopTurn)->Arg(0)->Arg(20)->Arg(30)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
