// Deadlock detector latency (closing acquire request -> Deadlock event; target <= 200 ms) and the
// cost of a whole deadlocked run, cancellation and clean-up included.
#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/LessonRunner.h"

#include <benchmark/benchmark.h>

using namespace lockstep;

static void BM_DeadlockDetectionLatency(benchmark::State& state)
{
    const Lesson lesson = LessonLoader::find("deadlock");
    const char* variant = state.range(0) == 0 ? "opposite-order" : "philosophers";
    double worst = 0;
    for (auto _ : state) {
        RunRequest req;
        req.lesson = lesson;
        req.variant = variant;
        req.params = {{"pause_ms", "5"}, {"n", "8"}};
        const RunResult r = LessonRunner::runToEnd(std::move(req));
        if (!r.summary.contains("detected_after_ms")) {
            state.SkipWithError("no deadlock detected");
            return;
        }
        const double ms = r.summary["detected_after_ms"].get<double>();
        worst = std::max(worst, ms);
        state.SetIterationTime(ms / 1000.0);
    }
    state.counters["worst_ms"] = worst;
}
BENCHMARK(BM_DeadlockDetectionLatency)->Arg(0)->Arg(1)->UseManualTime()->Unit(benchmark::kMicrosecond)->Iterations(30);

static void BM_DeadlockedRunEndToEnd(benchmark::State& state)
{
    const Lesson lesson = LessonLoader::find("deadlock");
    for (auto _ : state) {
        RunRequest req;
        req.lesson = lesson;
        req.variant = "opposite-order";
        req.params = {{"pause_ms", "1"}};
        benchmark::DoNotOptimize(LessonRunner::runToEnd(std::move(req)));
    }
}
BENCHMARK(BM_DeadlockedRunEndToEnd)->Unit(benchmark::kMillisecond)->Iterations(20);

static void BM_ScriptOpsPerSecond(benchmark::State& state)
{
    const Lesson lesson = LessonLoader::find("deadlock");
    for (auto _ : state) {
        RunRequest req;
        req.lesson = lesson;
        req.variant = "philosophers";
        req.params = {{"n", "4"}, {"fix", "hierarchy"}, {"meals", "100"}};
        const RunResult r = LessonRunner::runToEnd(std::move(req));
        state.counters["events"] = static_cast<double>(r.trace->eventCount());
    }
}
BENCHMARK(BM_ScriptOpsPerSecond)->Unit(benchmark::kMillisecond)->Iterations(5);

BENCHMARK_MAIN();
