// The futures lesson: CPython's ThreadPoolExecutor algorithm on real threads. Its variants show
// what the notes teach (workers reused, completion order vs submission order, cancel, exceptions,
// callbacks in the worker), and its `script` transcripts equal CPython's (tests/python/
// futures_oracle.py) on random cases whose finishing times are well separated.
#include "LessonTestSupport.h"

#include "lockstep/engine/CpuAvailability.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace lockstep;

namespace {

std::vector<std::string> transcriptOf(const RunResult& r)
{
    std::vector<std::string> out;
    for (const auto& l : r.summary.at("transcript"))
        out.push_back(l.get<std::string>());
    return out;
}

struct Case {
    std::vector<int> ms;
    std::vector<bool> raises;
    int workers = 1;
    std::string mode;
    int cancel = -1;

    [[nodiscard]] std::string tasks() const
    {
        std::string s;
        for (std::size_t i = 0; i < ms.size(); ++i)
            s += (i ? "," : "") + std::to_string(ms[i]) + (raises[i] ? "!" : "");
        return s;
    }
};

// When each future becomes done under CPython's schedule (work items FIFO, the first `workers`
// taken at once, a cancelled item notified when a worker reaches it), and whether that order is
// certain: no two completions of different workers closer than `gap`.
bool wellSeparated(const Case& c, int gapMs)
{
    const std::size_t n = c.ms.size();
    std::vector<int> freeAt(static_cast<std::size_t>(c.workers), 0);
    struct Done {
        int t;
        int worker;
    };
    std::vector<Done> done;
    for (std::size_t i = 0; i < n; ++i) {
        const auto w = static_cast<std::size_t>(std::min_element(freeAt.begin(), freeAt.end()) - freeAt.begin());
        const bool cancelled = static_cast<int>(i) == c.cancel && static_cast<int>(i) >= c.workers;
        if (cancelled) {
            done.push_back({ freeAt[w], static_cast<int>(w) });
            continue;
        }
        freeAt[w] += c.ms[i];
        done.push_back({ freeAt[w], static_cast<int>(w) });
    }
    for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = a + 1; b < n; ++b)
            if (done[a].worker != done[b].worker && std::abs(done[a].t - done[b].t) < gapMs) return false;
    return true;
}

} // namespace

TEST(FuturesLesson, WorkersAreStartedLazilyAndReused)
{
    const RunResult r = test::runLesson("futures", "pool-23-tasks");
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    EXPECT_EQ(r.summary.at("workers_started"), 5);
    std::set<std::string> workers;
    for (const auto& f : r.summary.at("futures")) {
        workers.insert(f.at("worker").get<std::string>());
        EXPECT_EQ(f.at("states"), nlohmann::json({ "PENDING", "RUNNING", "FINISHED" })) << f.dump();
        EXPECT_LE(f.at("submitted_ms").get<double>(), f.at("started_ms").get<double>());
        EXPECT_LT(f.at("started_ms").get<double>(), f.at("finished_ms").get<double>());
    }
    EXPECT_EQ(workers.size(), 5U) << "23 tasks on the same 5 threads";
    EXPECT_EQ(r.summary.at("transcript").size(), 23U);
}

TEST(FuturesLesson, CompletionOrderIsNotSubmissionOrder)
{
    const RunResult asCompleted = test::runLesson("futures", "as-completed");
    const RunResult map = test::runLesson("futures", "map-order");
    ASSERT_EQ(asCompleted.outcome, RunOutcome::Completed) << asCompleted.error;
    ASSERT_EQ(map.outcome, RunOutcome::Completed) << map.error;
    EXPECT_EQ(transcriptOf(asCompleted), (std::vector<std::string> { "3: 30", "1: 10", "2: 20", "0: 0" }));
    EXPECT_EQ(transcriptOf(map), (std::vector<std::string> { "0: 0", "1: 10", "2: 20", "3: 30" }));
}

TEST(FuturesLesson, ACancelledQueuedFutureIsNotifiedWhenAWorkerReachesIt)
{
    const RunResult r = test::runLesson("futures", "cancel");
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    EXPECT_EQ(
        transcriptOf(r), (std::vector<std::string> { "cancel 2: True", "0: 0", "1: 10", "2: cancelled", "3: 30" }));
    const auto& f2 = r.summary.at("futures").at(2);
    EXPECT_EQ(f2.at("states"), nlohmann::json({ "PENDING", "CANCELLED", "CANCELLED_AND_NOTIFIED" }));
    EXPECT_TRUE(f2.at("worker").is_null());
}

TEST(FuturesLesson, ShutdownWithoutWaitCancelsWhatIsStillQueuedAndReturnsAtOnce)
{
    const RunResult r = test::runLesson("futures", "shutdown"); // 2 workers, 5 tasks
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    EXPECT_EQ(transcriptOf(r),
        (std::vector<std::string> {
            "shutdown returned", "0: 0", "1: 10", "2: cancelled", "3: cancelled", "4: cancelled" }));
    const auto& fs = r.summary.at("futures");
    // Drained from the queue by shutdown: cancelled, and no worker ever reaches them to notify.
    for (std::size_t i = 2; i < 5; ++i) {
        EXPECT_EQ(fs.at(i).at("states"), nlohmann::json({ "PENDING", "CANCELLED" })) << i;
        EXPECT_TRUE(fs.at(i).at("worker").is_null());
    }
    EXPECT_EQ(fs.at(0).at("states").back(), "FINISHED");
    EXPECT_EQ(r.summary.at("workers_started"), 2);
}

TEST(FuturesLesson, CallbacksRunInTheWorkerThatFinishedTheTask)
{
    const RunResult r = test::runLesson("futures", "callbacks");
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const auto& futures = r.summary.at("futures");
    ASSERT_EQ(r.summary.at("callbacks").size(), 3U);
    for (const auto& cb : r.summary.at("callbacks"))
        EXPECT_EQ(cb.at("thread"), futures.at(cb.at("index").get<std::size_t>()).at("worker")) << cb.dump();
}

TEST(FuturesPython, ScriptTranscriptsEqualCPythonsOnRandomCases)
{
    if (!test::havePython()) GTEST_SKIP() << "python3 is not installed";
    const char* seedEnv = std::getenv("LOCKSTEP_FUTURES_SEED");
    std::mt19937 rng(seedEnv ? static_cast<unsigned>(std::atoi(seedEnv)) : 20261207U);
    const std::vector<std::string> modes = { "as_completed", "map", "wait_first", "shutdown" };
    int compared = 0;
    for (int attempt = 0; attempt < 400 && compared < 10; ++attempt) {
        Case c;
        const int n = 2 + static_cast<int>(rng() % 4);
        for (int i = 0; i < n; ++i) {
            c.ms.push_back(80 * (1 + static_cast<int>(rng() % 4)));
            c.raises.push_back(rng() % 4 == 0);
        }
        c.workers = 1 + static_cast<int>(rng() % 3);
        c.mode = modes[rng() % modes.size()];
        c.cancel = rng() % 3 == 0 ? static_cast<int>(rng() % static_cast<unsigned>(n)) : -1;
        if (!wellSeparated(c, 40)) continue;
        const std::string args
            = "'" + c.tasks() + "' " + std::to_string(c.workers) + " " + c.mode + " " + std::to_string(c.cancel);
        const nlohmann::json py = nlohmann::json::parse(test::runPython("futures_oracle.py", args), nullptr, false);
        ASSERT_TRUE(py.is_object()) << args;
        const RunResult en = test::runLesson("futures", "script",
            { { "tasks", c.tasks() }, { "workers", std::to_string(c.workers) }, { "mode", c.mode },
                { "cancel", std::to_string(c.cancel) } });
        ASSERT_EQ(en.outcome, RunOutcome::Completed) << en.error;
        EXPECT_EQ(en.summary.at("transcript"), py.at("transcript")) << "case " << args;
        ++compared;
    }
    EXPECT_EQ(compared, 10);
}

// ProcessPoolExecutor on real processes: the same transcripts as CPython's (fork start method) on
// random cases whose outcome CPython itself does not leave to chance. A cancel is tried only on
// the first task (always RUNNING in the call queue by then: False), or, with map, on one past the
// call queue's max_workers + 1 items (never there yet: True). Between those, and with
// shutdown(cancel_futures=True), what the manager thread moved before the cancel depends on when
// it got the GIL, and python3 itself prints different transcripts from run to run. And when the
// manager notifies such a cancelled future (which as_completed and wait report) depends on whether
// a worker process has already taken the first item when the manager tops the call queue up: a
// race between the worker processes' start and the manager thread, on both sides (a run under
// ThreadSanitizer, whose threads are slower than the children's few system calls, loses it the
// other way).
TEST(FuturesPython, ProcessPoolTranscriptsEqualCPythonsOnRandomCases)
{
    if (!test::havePython()) GTEST_SKIP() << "python3 is not installed";
    const char* seedEnv = std::getenv("LOCKSTEP_FUTURES_SEED");
    std::mt19937 rng(seedEnv ? static_cast<unsigned>(std::atoi(seedEnv)) : 20261208U);
    const std::vector<std::string> modes = { "as_completed", "map", "wait_first" };
    int compared = 0;
    for (int attempt = 0; attempt < 400 && compared < 6; ++attempt) {
        Case c;
        const int n = 2 + static_cast<int>(rng() % 5);
        for (int i = 0; i < n; ++i) {
            c.ms.push_back(80 * (1 + static_cast<int>(rng() % 4)));
            c.raises.push_back(rng() % 4 == 0);
        }
        c.workers = 1 + static_cast<int>(rng() % 3);
        c.mode = modes[rng() % modes.size()];
        const int lastSafe = c.workers + 1;
        if (rng() % 2 == 0) c.cancel = -1;
        else if (rng() % 2 == 0) c.cancel = 0;
        else if (n > lastSafe && c.mode == "map")
            c.cancel = lastSafe + static_cast<int>(rng() % static_cast<unsigned>(n - lastSafe));
        else c.cancel = -1;
        if (!wellSeparated(c, 40)) continue;
        const std::string args = "'" + c.tasks() + "' " + std::to_string(c.workers) + " " + c.mode + " "
            + std::to_string(c.cancel) + " processes";
        // Up to three runs of each side: a run where the machine stalls a process for longer than
        // the gap between two finishing times can swap them on either side.
        nlohmann::json py, en;
        bool same = false;
        for (int run = 0; run < 3 && !same; ++run) {
            py = nlohmann::json::parse(test::runPython("futures_oracle.py", args), nullptr, false);
            ASSERT_TRUE(py.is_object()) << args;
            const RunResult r = test::runLesson("futures", "script",
                { { "tasks", c.tasks() }, { "workers", std::to_string(c.workers) }, { "mode", c.mode },
                    { "cancel", std::to_string(c.cancel) }, { "executor", "processes" } });
            ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
            en = r.summary.at("transcript");
            same = en == py.at("transcript");
        }
        EXPECT_EQ(en, py.at("transcript")) << "case " << args;
        ++compared;
    }
    EXPECT_EQ(compared, 6);
}

// The point of the `processes` variant: CPU-bound tasks on threads take turns holding the one GIL
// (their CPU time adds up to the time they took, however many threads), while worker processes
// compute at the same time.
TEST(FuturesLesson, CpuBoundThreadsTakeTurnsUnderTheGilWhileProcessesComputeTogether)
{
    const RunResult threads = test::runLesson("futures", "threads-cpu");
    ASSERT_EQ(threads.outcome, RunOutcome::Completed) << threads.error;
    EXPECT_EQ(threads.summary.at("executor"), "threads");
    EXPECT_EQ(threads.summary.at("workers_started"), 4);
    // Only the GIL's holder burns CPU: never much more than one core's worth, on any machine.
    EXPECT_LE(threads.summary.at("parallelism").get<double>(), 1.1) << threads.summary.dump();
    // 4 x 200 ms of CPU and a 5 ms switch interval: the GIL changes hands many times.
    EXPECT_GE(threads.summary.at("gil_switches").get<int>(), 20) << threads.summary.dump();
    std::set<std::string> threadWorkers;
    for (const auto& f : threads.summary.at("futures")) {
        EXPECT_GE(f.at("cpu_ms").get<double>(), 200.0) << f.dump();
        threadWorkers.insert(f.at("worker").get<std::string>());
    }
    EXPECT_EQ(threadWorkers.size(), 4U);

    const CpuAvailability window;
    const auto t0 = std::chrono::steady_clock::now();
    const RunResult procs = test::runLesson("futures", "processes");
    const CpuAvailability::Reading machine = window.read();
    const double wallS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_EQ(procs.outcome, RunOutcome::Completed) << procs.error;
    EXPECT_EQ(procs.summary.at("executor"), "processes");
    EXPECT_EQ(procs.summary.at("workers_started"), 4);
    std::set<std::string> processWorkers;
    for (const auto& f : procs.summary.at("futures")) {
        EXPECT_GE(f.at("cpu_ms").get<double>(), 200.0) << f.dump();
        EXPECT_EQ(f.at("states"), nlohmann::json({ "PENDING", "RUNNING", "FINISHED" }));
        processWorkers.insert(f.at("worker").get<std::string>());
    }
    EXPECT_EQ(processWorkers, std::set<std::string>({ "ForkProcess-1", "ForkProcess-2", "ForkProcess-3", "ForkProcess-4" }));
    // Parallel only where a second core was free for it: otherwise say so rather than fail. The
    // reading counts the worker processes' CPU as the machine's (they are other processes).
    const double free = machine.freeCores + procs.summary.at("cpu_ms").get<double>() / 1000.0 / wallS;
    if (!machine.valid || machine.cores < 2 || free < 1.7)
        GTEST_SKIP() << "the machine left " << free << " of " << machine.cores
                     << " cores free during the process run; its parallelism was "
                     << procs.summary.at("parallelism");
    EXPECT_GE(procs.summary.at("parallelism").get<double>(), 1.4) << procs.summary.dump();
}

// A cancel that comes once the manager thread has moved a work item into the call queue fails:
// the future is RUNNING there, before any worker process has it (EXTRA_QUEUED_CALLS).
TEST(FuturesLesson, AProcessPoolFutureInTheCallQueueIsRunningAndCannotBeCancelled)
{
    const RunResult r = test::runLesson("futures", "script",
        { { "tasks", "200,200,200,200,200,200" }, { "workers", "1" }, { "mode", "as_completed" }, { "cancel", "0" },
            { "executor", "processes" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const auto t = transcriptOf(r);
    ASSERT_FALSE(t.empty());
    EXPECT_EQ(t.front(), "cancel 0: False");
    const auto& f0 = r.summary.at("futures").at(0);
    EXPECT_EQ(f0.at("states"), nlohmann::json({ "PENDING", "RUNNING", "FINISHED" }));
    // RUNNING came from the manager thread moving it to the call queue, before the worker took it.
    EXPECT_EQ(f0.at("worker"), "ForkProcess-1");
}
