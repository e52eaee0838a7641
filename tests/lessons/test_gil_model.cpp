// Unit tests of the GIL model (GilCore, Gil, PacedLoop, PyThreadState) and of ProcessPool.

#include "test_gil_support.h"

#include "lockstep/engine/RunContext.h"
#include "lockstep/gil/Gil.h"
#include "lockstep/gil/GilCore.h"
#include "lockstep/gil/PacedLoop.h"
#include "lockstep/gil/PyThreadState.h"
#include "lockstep/proc/ProcessPool.h"
#include "lockstep/trace/TraceBuilder.h"

#include <gtest/gtest.h>

#include <cstdio>

#include <algorithm>
#include <sstream>
#include <vector>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

using namespace lockstep;
using namespace std::chrono_literals;

namespace {

// Counts the callbacks and lets a test wait for "somebody is waiting for the GIL".
class CountingObserver final : public GilCore::Observer {
public:
    void onWaitBegin(GilCore::Holder) override
    {
        std::lock_guard lock(mutex);
        ++waits;
        cv.notify_all();
    }
    void onDropRequest(GilCore::Holder) override { requests.fetch_add(1); }
    void onTaken(GilCore::Holder who, bool) override { holder.store(who); }
    void onDropped(GilCore::Holder, bool) override { holder.store(0); }

    void waitForWaiters(int n)
    {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return waits >= n; });
    }

    std::mutex mutex;
    std::condition_variable cv;
    int waits = 0;
    std::atomic<int> requests { 0 };
    std::atomic<GilCore::Holder> holder { 0 };
};

// The eval loop of a thread under `gil`: count `turns`, yielding whenever asked.
void countUnder(GilCore& gil, GilCore::Holder me, const PacedLoop& loop, std::int64_t turns, std::atomic<int>& inside,
    std::atomic<int>& maxInside)
{
    ASSERT_EQ(gil.take(me), GilCore::Result::Ok);
    auto enter = [&] {
        const int now = inside.fetch_add(1) + 1;
        int seen = maxInside.load();
        while (now > seen && !maxInside.compare_exchange_weak(seen, now)) { }
    };
    enter();
    while ((turns = loop.run(turns, gil.evalBreaker())) > 0) {
        inside.fetch_sub(1);
        ASSERT_EQ(gil.drop(me), GilCore::Result::Ok);
        ASSERT_EQ(gil.take(me), GilCore::Result::Ok);
        enter();
    }
    inside.fetch_sub(1);
    ASSERT_EQ(gil.drop(me, false), GilCore::Result::Ok);
}

} // namespace

TEST(GilCore, OnlyOneThreadHoldsItAndWaitersForceSwitches)
{
    CountingObserver observer;
    GilCore gil(200us, &observer);
    // 20 ms of counting per thread at CPython's pace: each thread meets the others' requests.
    const PacedLoop loop = PacedLoop::calibrated(20.0);
    std::atomic<int> inside { 0 };
    std::atomic<int> maxInside { 0 };
    const std::int64_t turns = 1'000'000;
    std::vector<std::thread> threads;
    for (GilCore::Holder t = 1; t <= 3; ++t)
        threads.emplace_back([&, t] { countUnder(gil, t, loop, turns, inside, maxInside); });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(maxInside.load(), 1);
    // Three CPU-bound threads and a 200 µs interval: the GIL changed hands through drop requests.
    EXPECT_GT(gil.dropRequests(), 0U);
    EXPECT_GT(gil.switchNumber(), 2U);
    EXPECT_EQ(observer.requests.load(), static_cast<int>(gil.dropRequests()));
    EXPECT_EQ(gil.holder(), 0U);
}

// A waiter asks for a drop only when its whole timed wait passed without any switch: threads that
// hand the GIL over on their own (as around I/O) never see a drop request.
TEST(GilCore, NoDropRequestWhileTheGilChangesHandsByItself)
{
    GilCore gil(std::chrono::seconds(5));
    const int handOvers = giltest::kSanitized ? 300 : 2000;
    std::atomic<int> turn { 1 };
    auto player = [&](GilCore::Holder me, GilCore::Holder other) {
        for (int i = 0; i < handOvers; ++i) {
            ASSERT_EQ(gil.take(me), GilCore::Result::Ok);
            turn.store(static_cast<int>(other));
            ASSERT_EQ(gil.drop(me), GilCore::Result::Ok);
            // Give the other thread its chance before asking again (as a thread blocked in I/O).
            while (turn.load() != static_cast<int>(me) && !gil.cancelled())
                std::this_thread::yield();
        }
        turn.store(static_cast<int>(other));
    };
    std::thread a(player, 1, 2);
    std::thread b(player, 2, 1);
    a.join();
    b.join();
    EXPECT_EQ(gil.dropRequests(), 0U);
    EXPECT_GE(gil.switchNumber(), static_cast<std::uint64_t>(handOvers));
}

// FORCE_SWITCHING: after a requested drop, the dropper cannot win the GIL back before the
// requester has had it.
TEST(GilCore, RequestedDropWaitsUntilTheRequesterTookIt)
{
    CountingObserver observer;
    GilCore gil(1ms, &observer);
    ASSERT_EQ(gil.take(1), GilCore::Result::Ok);
    std::atomic<bool> requesterHad { false };
    std::thread requester([&] {
        ASSERT_EQ(gil.take(2), GilCore::Result::Ok);
        requesterHad.store(true);
        ASSERT_EQ(gil.drop(2, false), GilCore::Result::Ok);
    });
    observer.waitForWaiters(1);
    // Spin like the eval loop until the waiter's interval expired and it asked for the GIL.
    const PacedLoop loop = PacedLoop::withSpin(4);
    while (loop.run(1'000'000'000, gil.evalBreaker()) == 0) { }
    ASSERT_TRUE(gil.dropRequested());
    ASSERT_EQ(gil.drop(1), GilCore::Result::Ok);
    // drop() returned only once the requester had taken the GIL: that was the second switch.
    EXPECT_GE(gil.switchNumber(), 2U);
    ASSERT_EQ(gil.take(1), GilCore::Result::Ok);
    EXPECT_TRUE(requesterHad.load());
    ASSERT_EQ(gil.drop(1), GilCore::Result::Ok);
    requester.join();
    EXPECT_GE(gil.dropRequests(), 1U);
}

TEST(GilCore, CancelWakesAWaiterAndBreaksTheEvalLoop)
{
    CountingObserver observer;
    GilCore gil(std::chrono::seconds(10), &observer);
    ASSERT_EQ(gil.take(1), GilCore::Result::Ok);
    std::atomic<int> result { -1 };
    std::thread waiter([&] { result.store(static_cast<int>(gil.take(2))); });
    observer.waitForWaiters(1);
    gil.cancel();
    waiter.join();
    EXPECT_EQ(result.load(), static_cast<int>(GilCore::Result::Cancelled));
    // The holder's loop stops at its next turn.
    EXPECT_EQ(PacedLoop::withSpin(0).run(1000, gil.evalBreaker()), 1000);
    EXPECT_EQ(gil.take(3), GilCore::Result::Cancelled);
}

TEST(PacedLoop, RunsAllTurnsOrStopsAtTheBreaker)
{
    const PacedLoop loop = PacedLoop::withSpin(3);
    std::atomic<std::uint32_t> breaker { 0 };
    EXPECT_EQ(loop.run(12345, breaker), 0);
    EXPECT_EQ(loop.run(0, breaker), 0);
    breaker.store(GilCore::kDropRequestBit);
    EXPECT_EQ(loop.run(777, breaker), 777);
}

// How steady the core is right now: the spread (90th / 10th percentile) of a fixed loop's cost
// over `samples` short runs. About 1.05 on a quiet machine; a busy one (builds beside the test,
// the hypervisor's other guests) swings by 1.5x and more within milliseconds.
double unsteadiness(const std::vector<double>& costs)
{
    std::vector<double> v = costs;
    std::sort(v.begin(), v.end());
    return v[v.size() * 9 / 10] / v[v.size() / 10];
}

// The calibration tracks its target: twice the target, twice the time per turn (a ratio from one
// run; the absolute pace is a benchmark's business). The two loops are measured interleaved, many
// times, and the median of the pairwise ratios is judged: a core that slows down for a moment
// slows both halves of a pair alike. When the core's speed swings too much even for that (it
// spreads by more than 1.15x while calibrating, a fixed loop's cost by 1.3x while measuring, or
// the core ran more than 1.1x faster during one calibration than during the other), the test
// skips and says so: the calibration cannot be judged on such a machine.
TEST(PacedLoop, CalibrationScalesWithTheTarget)
{
    // Under sanitizers an empty turn may already cost more than CPython's pace: use larger targets.
    const double target = giltest::kSanitized ? 120.0 : 30.0;
    const std::int64_t turns = giltest::kSanitized ? 10'000 : 20'000;
    const PacedLoop fixed = PacedLoop::withSpin(128);
    // This host's core speed is bimodal (short fast windows, see PacedLoop::calibrated): a
    // calibration is judged only when both were made at the same core speed and the measuring
    // stayed steady. Up to four attempts, each with fresh calibrations; skip only if none was.
    std::string lastFigures;
    for (int attempt = 0; attempt < 4; ++attempt) {
        const PacedLoop slow = PacedLoop::calibrateNow(2 * target);
        const PacedLoop fast = PacedLoop::calibrateNow(target);
        std::vector<double> ratios, during;
        for (int pair = 0; pair < 41; ++pair) {
            // Alternate which loop goes first, so that a trend (a core clocking up) favours neither.
            const bool slowFirst = pair % 2 == 0;
            const double a = (slowFirst ? slow : fast).measureNsPerTurn(turns, 3);
            const double b = (slowFirst ? fast : slow).measureNsPerTurn(turns, 3);
            ratios.push_back(slowFirst ? a / b : b / a);
            during.push_back(fixed.measureNsPerTurn(turns, 1));
        }
        std::sort(ratios.begin(), ratios.end());
        const double median = ratios[ratios.size() / 2];
        std::ostringstream figures;
        figures << "attempt " << attempt << ": calibrated spins " << slow.spin() << " and " << fast.spin()
                << ", median ratio " << median << ", the core's spread " << slow.calibrationSpread() << "x and "
                << fast.calibrationSpread() << "x while calibrating, " << unsteadiness(during)
                << "x while measuring, reference loop " << slow.referenceNsPerTurn() << " and "
                << fast.referenceNsPerTurn() << " ns/turn";
        lastFigures = figures.str();
        const double speedChange = std::max(slow.referenceNsPerTurn(), fast.referenceNsPerTurn())
            / std::min(slow.referenceNsPerTurn(), fast.referenceNsPerTurn());
        if (unsteadiness(during) > 1.3 || speedChange > 1.1) {
            std::printf("not judged (core speed changed): %s\n", lastFigures.c_str());
            continue;
        }
        EXPECT_GT(slow.spin(), fast.spin()) << lastFigures;
        EXPECT_GT(median, 1.4) << lastFigures;
        EXPECT_LT(median, 2.8) << lastFigures;
        return;
    }
    GTEST_SKIP() << "machine busy: the core's speed changed between or during every attempt (" << lastFigures << ")";
}

// The instrumented Gil records the hand-over in order: request, drop request, dropped, taken.
TEST(Gil, RecordsRequestsHandOversAndTheGilState)
{
    RunContext ctx;
    const ActorId mainThread = ctx.addActor(ActorKind::Thread, "MainThread");
    ctx.adoptCurrentThread(mainThread);
    // About 20 ms of counting per thread at CPython's pace: many 500 µs intervals.
    const PacedLoop loop = PacedLoop::calibrated(20.0);
    std::vector<PyThreadState::Times> times(2);
    {
        Gil gil(ctx, 500us);
        for (int i = 0; i < 2; ++i) {
            ctx.spawn("Thread-" + std::to_string(i + 1), [&, i] {
                PyThreadState ts(ctx, RunContext::currentActor(), gil, loop);
                ts.start();
                ts.count(1'000'000);
                ts.finish();
                times[static_cast<std::size_t>(i)] = ts.times();
            });
        }
        ctx.joinAll();
        EXPECT_GT(gil.switches(), 1U);
    }
    TraceBuilder builder;
    ctx.recorder().drainInto(builder, true);
    builder.setFinished(true);
    const auto trace = builder.snapshot();
    const auto gilId = trace->findActor("GIL");
    ASSERT_TRUE(gilId.has_value());
    int requests = 0, dropRequests = 0, taken = 0, dropped = 0;
    ActorId holder;
    for (const Event& e : trace->events()) {
        switch (e.kind) {
        case EventKind::GilRequest:
            ++requests;
            break;
        case EventKind::GilDropRequest:
            ++dropRequests;
            break;
        case EventKind::GilTaken:
            ++taken;
            EXPECT_FALSE(holder.valid()) << "taken while held";
            holder = e.actor;
            break;
        case EventKind::GilDropped:
            ++dropped;
            EXPECT_EQ(holder, e.actor);
            holder = {};
            break;
        default:
            break;
        }
    }
    EXPECT_GT(dropRequests, 0);
    EXPECT_EQ(taken, dropped);
    EXPECT_EQ(requests, taken);
    for (const auto& t : times) {
        EXPECT_GT(t.runningNs, 0);
        EXPECT_GT(t.waitingGilNs, 0);
    }
}

namespace {

enum : std::int32_t { kHello = 7 };

int sayHello(const ChildChannel& channel, const void* arg)
{
    const auto index = *static_cast<const std::int64_t*>(arg);
    channel.report(kHello, index, ::getpid());
    return static_cast<int>(index) + 3;
}

int sleepForever(const ChildChannel& channel, const void*)
{
    channel.report(kHello);
    for (;;)
        ::pause();
}

} // namespace

// Children report through their pipes, exit, stay zombies until joined, and are reaped in the
// order of the joins.
TEST(ProcessPool, ChildrenReportExitAndAreReapedByJoin)
{
    RunContext ctx;
    const ActorId parent = ctx.addActor(ActorKind::Thread, "MainThread");
    ctx.adoptCurrentThread(parent);
    std::vector<std::int64_t> args = { 0, 1, 2 };
    std::vector<std::pair<std::size_t, ChildRecord>> records;
    {
        ProcessPool pool(ctx, parent);
        pool.setRecordHandler([&](std::size_t child, const ChildRecord& r) { records.emplace_back(child, r); });
        for (std::size_t i = 0; i < args.size(); ++i)
            pool.add("Process-" + std::to_string(i + 1));
        for (std::size_t i = 0; i < args.size(); ++i)
            pool.start(i, &sayHello, &args[i]);
        // Join the last one first: by the time the others are joined they have long exited.
        EXPECT_EQ(pool.join(2), 5);
        EXPECT_EQ(pool.join(0), 3);
        EXPECT_EQ(pool.join(1), 4);
        for (std::size_t i = 0; i < args.size(); ++i) {
            EXPECT_TRUE(pool.reaped(i));
            EXPECT_LE(pool.exitTs(i), pool.reapTs(i));
            errno = 0;
            EXPECT_EQ(::kill(pool.pid(i), 0), -1);
            EXPECT_EQ(errno, ESRCH);
        }
    }
    ASSERT_EQ(records.size(), 3U);
    for (const auto& [child, r] : records) {
        EXPECT_EQ(r.kind, kHello);
        EXPECT_EQ(r.a, static_cast<std::int64_t>(child));
        EXPECT_GT(r.ts, 0);
    }
    EXPECT_EQ(ctx.openFdCount(), 0U);

    TraceBuilder builder;
    ctx.recorder().drainInto(builder, true);
    builder.setFinished(true);
    const auto trace = builder.snapshot();
    for (int i = 1; i <= 3; ++i) {
        const auto proc = trace->findActor("Process-" + std::to_string(i));
        ASSERT_TRUE(proc.has_value());
        std::vector<State> states;
        for (std::size_t s = 0; s < trace->spans(*proc).size(); ++s)
            states.push_back(trace->spans(*proc)[s].state);
        EXPECT_EQ(states, (std::vector<State> { State::New, State::Running, State::Zombie, State::Terminated }));
    }
}

TEST(ProcessPool, CancelKillsAndReapsEveryChild)
{
    std::vector<pid_t> pids;
    {
        RunContext ctx;
        const ActorId parent = ctx.addActor(ActorKind::Thread, "MainThread");
        ctx.adoptCurrentThread(parent);
        ProcessPool pool(ctx, parent);
        std::atomic<int> hellos { 0 };
        pool.setRecordHandler([&](std::size_t, const ChildRecord&) { hellos.fetch_add(1); });
        for (int i = 0; i < 2; ++i)
            pool.add("sleeper");
        for (std::size_t i = 0; i < 2; ++i) {
            pool.start(i, &sleepForever, nullptr);
            pids.push_back(pool.pid(i));
        }
        std::thread canceller([&] { ctx.cancel(); });
        EXPECT_THROW(pool.join(0), Cancelled);
        canceller.join();
        pool.killAll();
        EXPECT_TRUE(pool.reaped(0));
        EXPECT_TRUE(pool.reaped(1));
    }
    for (pid_t pid : pids) {
        errno = 0;
        EXPECT_EQ(::kill(pid, 0), -1);
        EXPECT_EQ(errno, ESRCH);
    }
    siginfo_t info {};
    EXPECT_EQ(::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT), -1);
    EXPECT_EQ(errno, ECHILD);
}
