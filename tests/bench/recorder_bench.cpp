// Cost of recording one event, and of an instrumented Lock acquire/release against a plain
// std::mutex lock/unlock. Targets (issue 16, README "Performance"): one event <= 12 ns (anchor:
// Tracy's 2.25 ns per zone), Lock acquire+release <= 80 ns. After the runs a table prints each
// figure beside its target and the ratios (event against a bare clock read, lock against
// std::mutex), in thread CPU time per operation so that a busy machine does not inflate them.
#include "lockstep/engine/RunContext.h"
#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/LessonRunner.h"
#include "lockstep/sync/Lock.h"
#include "lockstep/trace/TraceBuilder.h"
#include "lockstep/trace/TraceClock.h"
#include "lockstep/trace/TraceRecorder.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <time.h>

using namespace lockstep;

namespace {

double threadCpuNs()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

// CPU ns per operation of every run of a benchmark (repetitions included): the table takes medians.
std::map<std::string, std::vector<double>>& samples()
{
    static std::map<std::string, std::vector<double>> s;
    return s;
}

// Times the loop of one benchmark run in the calling thread's CPU time.
class CpuTimer {
public:
    CpuTimer(std::string name, const benchmark::State& state)
        : m_name(std::move(name)), m_state(state), m_t0(threadCpuNs())
    {
    }
    ~CpuTimer()
    {
        if (m_state.iterations() > 0)
            samples()[m_name].push_back((threadCpuNs() - m_t0) / static_cast<double>(m_state.iterations()));
    }
    CpuTimer(const CpuTimer&) = delete;
    CpuTimer& operator=(const CpuTimer&) = delete;

private:
    std::string m_name;
    const benchmark::State& m_state;
    double m_t0;
};

double median(std::vector<double> v)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

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
                *builder = TraceBuilder(); // keep memory flat over millions of events
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        });
    }
    const ActorId me(static_cast<std::uint32_t>(state.thread_index()));
    std::int64_t i = 0;
    {
        const CpuTimer timer(state.threads() == 1 ? "event" : "event (2 threads)", state);
        for (auto _ : state)
            recorder->record(EventKind::Mark, me, {}, ++i);
    }
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

// The clock alone: what an event costs at least.
static void BM_TraceClockTicks(benchmark::State& state)
{
    const CpuTimer timer("clock", state);
    for (auto _ : state)
        benchmark::DoNotOptimize(traceclock::ticks());
}
BENCHMARK(BM_TraceClockTicks);

static void BM_SteadyClockNow(benchmark::State& state)
{
    const CpuTimer timer("steady_clock", state);
    for (auto _ : state)
        benchmark::DoNotOptimize(std::chrono::steady_clock::now());
}
BENCHMARK(BM_SteadyClockNow);

static void BM_PlainMutexLockUnlock(benchmark::State& state)
{
    std::mutex m;
    const CpuTimer timer("std::mutex", state);
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
    // As in a run: a consumer drains the recorder, so the writer's chunks are recycled.
    std::atomic<bool> draining { true };
    std::thread drainer([&] {
        TraceBuilder builder;
        while (draining.load()) {
            ctx.recorder().drainInto(builder, false, 0);
            builder = TraceBuilder(); // keep memory flat over millions of events
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    {
        const CpuTimer timer("Lock", state);
        for (auto _ : state) {
            lock.acquire();
            lock.release();
        }
    }
    draining = false;
    drainer.join();
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

// The figures beside their targets and anchors.
static void printSummary()
{
    auto& s = samples();
    const auto get = [&](const char* name) { return s.contains(name) ? median(s[name]) : 0.0; };
    const double event = get("event");
    const double clock = get("clock");
    const double steady = get("steady_clock");
    const double mutex = get("std::mutex");
    const double lock = get("Lock");
    std::printf("\n== Recorder and lock, thread CPU ns per operation (medians)\n");
    std::printf("trace clock (%s): %.1f ns; steady_clock::now(): %.1f ns\n",
        traceclock::usesTsc() ? "TSC" : "CLOCK_MONOTONIC", clock, steady);
    std::printf("record one event: %.1f ns (target <= 12 ns: %s; Tracy 2.25 ns per zone: x%.1f; clock read x%.1f)\n",
        event, event <= 12 ? "met" : "NOT met", event / 2.25, clock > 0 ? event / clock : 0.0);
    if (s.contains("event (2 threads)"))
        std::printf("record one event, 2 threads: %.1f ns each\n", get("event (2 threads)"));
    std::printf("Lock acquire+release: %.1f ns (target <= 80 ns: %s; std::mutex %.1f ns: x%.1f)\n", lock,
        lock <= 80 ? "met" : "NOT met", mutex, mutex > 0 ? lock / mutex : 0.0);
}

int main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    printSummary();
    benchmark::Shutdown();
    return 0;
}
