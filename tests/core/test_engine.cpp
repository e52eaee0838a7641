#include "lockstep/engine/RunContext.h"
#include "lockstep/engine/WaitForGraph.h"
#include "lockstep/trace/Coffman.h"
#include "lockstep/trace/TraceBuilder.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>

using namespace lockstep;
using namespace std::chrono_literals;

// Lets cancel() wake threads waiting on a plain condition variable of the test.
class CvWaker final : public Wakeable {
public:
    CvWaker(RunContext& ctx, std::mutex& m, std::condition_variable& cv) : m_ctx(ctx), m_m(m), m_cv(cv)
    {
        m_ctx.addWakeable(this);
    }
    ~CvWaker() override { m_ctx.removeWakeable(this); }
    CvWaker(const CvWaker&) = delete;
    CvWaker& operator=(const CvWaker&) = delete;
    void wakeAll() override
    {
        { std::lock_guard l(m_m); }
        m_cv.notify_all();
    }

private:
    RunContext& m_ctx;
    std::mutex& m_m;
    std::condition_variable& m_cv;
};

TEST(WaitForGraph, FindsTheCycleTheMomentItCloses)
{
    WaitForGraph g;
    std::vector<ActorId> reported;
    int calls = 0;
    g.setDeadlockCallback([&](const std::vector<ActorId>& c) {
        reported = c;
        ++calls;
    });
    const ActorId t1(1), t2(2), a(10), b(11);
    g.addHolder(a, t1);
    g.addHolder(b, t2);
    g.addWait(t1, b, false);
    EXPECT_EQ(calls, 0);
    g.addWait(t2, a, false); // closes T2 -> a -> T1 -> b -> T2
    ASSERT_EQ(calls, 1);
    // Handed over from its lowest thread, whichever thread closed it.
    EXPECT_EQ(reported, (std::vector<ActorId>{t1, b, t2, a}));
    EXPECT_TRUE(g.findAnyCycle().has_value());
    g.removeWait(t2);
    EXPECT_FALSE(g.findAnyCycle().has_value());
}

TEST(WaitForGraph, TimedWaitsAndFreeLocksAreNotDeadlocks)
{
    WaitForGraph g;
    int calls = 0;
    g.setDeadlockCallback([&](const std::vector<ActorId>&) { ++calls; });
    const ActorId t1(1), t2(2), a(10), b(11);
    g.addHolder(a, t1);
    g.addHolder(b, t2);
    g.addWait(t1, b, true); // acquire(timeout=...) will give up by itself
    g.addWait(t2, a, false);
    EXPECT_EQ(calls, 0);
    g.removeHolder(a, t1);
    EXPECT_FALSE(g.findCycleFrom(t2).has_value());
}

TEST(WaitForGraph, SelfDeadlockIsACycleOfLengthOne)
{
    WaitForGraph g;
    std::vector<ActorId> reported;
    g.setDeadlockCallback([&](const std::vector<ActorId>& c) { reported = c; });
    g.addHolder(ActorId(5), ActorId(1));
    g.addWait(ActorId(1), ActorId(5), false);
    EXPECT_EQ(reported, (std::vector<ActorId>{ActorId(1), ActorId(5)}));
}

namespace {
// The Coffman changes a graph with a recorder wrote, as "condition=status: reason".
std::vector<std::string> coffmanLog(TraceRecorder& rec)
{
    TraceBuilder b;
    rec.drainInto(b, true);
    const auto trace = b.snapshot();
    std::vector<std::string> out;
    for (const Event& e : trace->events())
        if (const auto c = coffmanChange(e))
            out.push_back(std::string(coffmanConditionName(c->condition)) + "=" + std::string(coffmanStatusName(c->status))
                          + ": " + std::string(trace->text(e)));
    return out;
}
} // namespace

// T1 holds a, T2 holds b, in a graph that records into `rec`.
struct TwoHolders {
    TraceRecorder rec;
    WaitForGraph g;
    ActorId t1, t2, a, b;
    TwoHolders()
    {
        g.setRecorder(&rec);
        t1 = rec.registerActor(ActorKind::Thread, "T1");
        t2 = rec.registerActor(ActorKind::Thread, "T2");
        a = rec.registerActor(ActorKind::Lock, "a");
        b = rec.registerActor(ActorKind::Lock, "b");
        g.addHolder(a, t1);
        g.addHolder(b, t2);
    }
};

TEST(WaitForGraph, RecordsTheCoffmanConditionsOfABackOff)
{
    TwoHolders w;
    auto& [rec, g, t1, t2, a, b] = w;
    g.addWait(t1, b, true); // acquire(timeout=...) while holding a
    g.removeWait(t1);
    g.acquireFailed(t1, b);
    g.removeHolder(a, t1); // gives a back: no preemption is broken for good
    g.addHolder(a, t1);
    EXPECT_EQ(g.coffman(CoffmanCondition::NoPreemption), CoffmanStatus::Broken);
    EXPECT_EQ(coffmanLog(rec), (std::vector<std::string>{
                                   "no_preemption=met: only T1 can release a: nobody can take it away",
                                   "mutual_exclusion=met: T1 waits for b, held by T2: one holder at a time",
                                   "hold_and_wait=met: T1 holds a while it waits for b (with a timeout)",
                                   "mutual_exclusion=unmet: no thread waits for a held lock",
                                   "hold_and_wait=unmet: no thread waits while holding a lock",
                                   "no_preemption=broken: T1 gave a back after a failed timed acquire of b (trylock): "
                                   "no preemption broken",
                               }));
}

TEST(WaitForGraph, RecordsTheCycleBeforeCircularWait)
{
    TwoHolders w;
    auto& [rec, g, t1, t2, a, b] = w;
    g.addWait(t2, a, false);
    g.addWait(t1, b, false);
    const auto log = coffmanLog(rec);
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back(), "circular_wait=met: T1 -> b -> T2 -> a -> T1: every thread in the cycle waits for the next, "
                          "without a timeout");
    g.removeWait(t1);
    EXPECT_EQ(g.coffman(CoffmanCondition::CircularWait), CoffmanStatus::Unmet);
}

TEST(RunContext, CancelWakesASleepingThreadPromptly)
{
    RunContext ctx;
    std::atomic<bool> finished{false};
    ctx.spawn("sleeper", [&] {
        RunContext::current()->sleepFor(std::chrono::hours(1));
        finished = true; // never reached: the sleep throws Cancelled
    });
    const auto t0 = std::chrono::steady_clock::now();
    ctx.cancel();
    ctx.joinAll();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 500ms);
    EXPECT_FALSE(finished.load());
    EXPECT_EQ(ctx.outcome(), RunOutcome::Cancelled);
    EXPECT_EQ(ctx.liveThreads(), 0u);
}

TEST(RunContext, ThreadStatesAreRecorded)
{
    RunContext ctx;
    const ActorId t = ctx.spawn("worker", [&] { RunContext::current()->sleepFor(1ms); });
    ctx.joinAll();
    TraceBuilder b;
    ctx.recorder().drainInto(b, true);
    auto trace = b.snapshot();
    std::vector<State> states;
    for (const auto& s : trace->spans(t)) states.push_back(s.state);
    EXPECT_EQ(states, (std::vector<State>{State::New, State::Running, State::Sleeping, State::Running,
                                          State::Terminated}));
}

TEST(RunContext, AnExceptionInAThreadIsRecordedAndFailsTheRun)
{
    RunContext ctx;
    ctx.spawn("bad", [] { throw std::runtime_error("boom"); });
    ctx.joinAll();
    EXPECT_EQ(ctx.outcome(), RunOutcome::Failed);
    ASSERT_EQ(ctx.errors().size(), 1u);
    EXPECT_NE(ctx.errors()[0].find("boom"), std::string::npos);
}

TEST(RunContext, TrackedFdsAreClosedAndStrangersLeftAlone)
{
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    {
        RunContext ctx;
        ctx.trackFd(sv[0]);
        ctx.closeFd(sv[1]); // not tracked: must not be closed
        EXPECT_EQ(ctx.openFdCount(), 1u);
    }
    EXPECT_EQ(::fcntl(sv[0], F_GETFD), -1); // closed by the context
    EXPECT_NE(::fcntl(sv[1], F_GETFD), -1);
    ::close(sv[1]);
}

TEST(RunContext, StallIsDetectedWhenEveryThreadWaitsUntimed)
{
    RunOptions options;
    options.stallCheck = 20ms;
    RunContext ctx(options);
    std::mutex m;
    std::condition_variable cv;
    CvWaker waker(ctx, m, cv);
    const ActorId cond = ctx.addActor(ActorKind::Condition, "cond");
    for (int i = 0; i < 2; ++i)
        ctx.spawn("W" + std::to_string(i), [&] {
            RunContext::BlockScope scope(ctx, State::Waiting, cond, false);
            std::unique_lock lock(m);
            ctx.wait(cv, lock, [] { return false; });
        });
    // The watchdog in the runner polls checkStalled(); here we poll it ourselves.
    while (!ctx.checkStalled() && !ctx.cancelled()) std::this_thread::yield();
    ctx.joinAll();
    EXPECT_EQ(ctx.outcome(), RunOutcome::Stalled);
}

TEST(RunContext, AnAdoptedThreadCountsAsLiveForStallDetection)
{
    RunOptions options;
    options.stallCheck = 5ms;
    RunContext ctx(options);
    std::mutex m;
    std::condition_variable cv;
    bool go = false;
    CvWaker waker(ctx, m, cv);
    const ActorId cond = ctx.addActor(ActorKind::Condition, "cond");
    const ActorId main = ctx.addActor(ActorKind::Thread, "MainThread");
    // The scenario's main thread is an adopted OS thread (here one of our own, so that the
    // binding does not outlive the context).
    std::thread mainThread([&] {
        ctx.adoptCurrentThread(main);
        ctx.spawn("W", [&] {
            RunContext::BlockScope scope(ctx, State::Waiting, cond, false);
            std::unique_lock lock(m);
            ctx.wait(cv, lock, [&] { return go; });
        });
        // The main thread runs (say a long computation without events) while W waits untimed:
        // W can still be woken by it, so this is no stall, however long it lasts.
        const auto until = std::chrono::steady_clock::now() + 10 * options.stallCheck;
        while (std::chrono::steady_clock::now() < until) EXPECT_FALSE(ctx.checkStalled());
        // Now the main thread waits untimed too: nobody is left to wake anybody.
        try {
            RunContext::BlockScope scope(ctx, State::Waiting, cond, false);
            std::unique_lock lock(m);
            ctx.wait(cv, lock, [&] { return go; });
        } catch (const Cancelled&) {
        }
    });
    while (!ctx.checkStalled() && !ctx.cancelled()) std::this_thread::yield();
    mainThread.join();
    ctx.joinAll();
    EXPECT_EQ(ctx.outcome(), RunOutcome::Stalled);
}

TEST(StepGate, StepModeReleasesOneOperationAtATime)
{
    RunContext ctx;
    ctx.gate().setMode(GateMode::Step);
    std::atomic<int> ops{0};
    const ActorId t = ctx.spawn("T", [&] {
        for (int i = 0; i < 3; ++i) {
            ctx.gate().pass(RunContext::currentActor());
            ops.fetch_add(1);
        }
    });
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(ctx.gate().waitForParked(5s));
        EXPECT_EQ(ops.load(), i);
        EXPECT_EQ(ctx.gate().parked(), std::vector<ActorId>{t});
        ASSERT_TRUE(ctx.gate().stepThread(t));
    }
    ctx.joinAll();
    EXPECT_EQ(ops.load(), 3);
    EXPECT_EQ(ctx.gate().stepsTaken(), 3u);
}

TEST(StepGate, StepAnyIsDeterministicForASeed)
{
    auto order = [](std::uint64_t seed) {
        RunOptions options;
        options.seed = seed;
        RunContext ctx(options);
        ctx.gate().setMode(GateMode::Step);
        std::mutex m;
        std::vector<std::string> log;
        for (const char* name : {"A", "B", "C"})
            ctx.spawn(name, [&, name] {
                for (int i = 0; i < 4; ++i) {
                    ctx.gate().pass(RunContext::currentActor());
                    std::lock_guard l(m);
                    log.emplace_back(name);
                }
            });
        for (int i = 0; i < 12; ++i) EXPECT_TRUE(ctx.gate().stepAny(5s));
        ctx.joinAll();
        std::string s;
        for (auto& x : log) s += x;
        return s;
    };
    const std::string first = order(7);
    EXPECT_EQ(first.size(), 12u);
    EXPECT_EQ(order(7), first);
    EXPECT_EQ(order(7), first);
}

TEST(StepGate, CancelReleasesParkedThreads)
{
    RunContext ctx;
    ctx.gate().setMode(GateMode::Step);
    ctx.spawn("T", [&] { ctx.gate().pass(RunContext::currentActor()); });
    ASSERT_TRUE(ctx.gate().waitForParked(5s));
    ctx.cancel();
    ctx.joinAll();
    EXPECT_EQ(ctx.liveThreads(), 0u);
}
