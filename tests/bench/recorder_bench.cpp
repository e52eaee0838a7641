// Cost of recording one event, and of an instrumented Lock acquire/release against a plain
// std::mutex lock/unlock. Target: <= 50 ns per recorded event on the project machine.
#include "lockstep/engine/RunContext.h"
#include "lockstep/runner/LessonRunner.h"
#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/sync/Lock.h"
#include "lockstep/trace/TraceBuilder.h"
#include "lockstep/trace/TraceRecorder.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

using namespace lockstep;

static void BM_RecordEvent(benchmark::State& state)
{
    // As in a run: the recording threads append while a consumer drains every millisecond (the
    // runner's and the window's pump), so retired chunks are recycled as they would be.
    static TraceRecorder* recorder = nullptr;
    static std::atomic<bool> draining{false};
    static std::thread* drainer = nullptr;
    static TraceBuilder* builder = nullptr;
    if (state.thread_index() == 0) {
        recorder = new TraceRecorder;
        builder = new TraceBuilder;
        draining = true;
        drainer = new std::thread([] {
            while (draining.load()) {
                recorder->drainInto(*builder, false, 0);
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        });
    }
    const ActorId me(static_cast<std::uint32_t>(state.thread_index()));
    std::int64_t i = 0;
    for (auto _ : state) recorder->record(EventKind::Mark, me, {}, ++i);
    state.SetItemsProcessed(state.iterations());
    if (state.thread_index() == 0) {
        draining = false;
        drainer->join();
        delete drainer;
        delete builder;
        delete recorder;
        recorder = nullptr;
    }
}
BENCHMARK(BM_RecordEvent)->Threads(1)->Threads(2)->UseRealTime();

static void BM_DrainIntoTrace(benchmark::State& state)
{
    for (auto _ : state) {
        state.PauseTiming();
        TraceRecorder recorder;
        for (int i = 0; i < 100000; ++i) recorder.record(EventKind::Mark, ActorId(0), {}, i);
        TraceBuilder builder;
        state.ResumeTiming();
        recorder.drainInto(builder, true);
        benchmark::DoNotOptimize(builder.snapshot());
    }
    state.SetItemsProcessed(state.iterations() * 100000);
}
BENCHMARK(BM_DrainIntoTrace)->Unit(benchmark::kMillisecond);

static void BM_PlainMutexLockUnlock(benchmark::State& state)
{
    std::mutex m;
    for (auto _ : state) {
        m.lock();
        m.unlock();
    }
}
BENCHMARK(BM_PlainMutexLockUnlock);

static void BM_InstrumentedLockAcquireRelease(benchmark::State& state)
{
    RunContext ctx;
    ctx.adoptCurrentThread(ctx.addActor(ActorKind::Thread, "bench"));
    Lock lock(ctx, "lock");
    for (auto _ : state) {
        lock.acquire();
        lock.release();
    }
}
BENCHMARK(BM_InstrumentedLockAcquireRelease);

// How long a cancel takes to bring a whole run down (threads joined, fds closed, children reaped).
static void BM_CancelRun(benchmark::State& state)
{
    const Lesson lesson = LessonLoader::find("counter");
    for (auto _ : state) {
        RunRequest req;
        req.lesson = lesson;
        req.params = {{"threads", "8"}, {"increments", "1000000"}};
        LessonRunner runner(std::move(req));
        runner.start();
        runner.wait(std::chrono::milliseconds(20));
        const auto t0 = std::chrono::steady_clock::now();
        runner.cancel();
        runner.wait();
        state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
}
BENCHMARK(BM_CancelRun)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(20);

BENCHMARK_MAIN();
