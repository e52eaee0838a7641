// Lock and RLock: CPython semantics, events, wait-for graph, deadlocks, cancellation, step gate.

#include "test_sync_helpers.h"

#include "lockstep/sync/Lock.h"
#include "lockstep/sync/RLock.h"
#include "lockstep/sync/ScopedAcquire.h"
#include "lockstep/sync/SyncEvent.h"

#include <algorithm>
#include <atomic>
#include <cmath>

namespace lockstep::synctest {
namespace {

using Pair = std::pair<ActorId, ActorId>;

TEST_F(SyncTest, LockAcquireReleaseAndPythonErrors)
{
    Lock& l = make<Lock>("l");
    EXPECT_FALSE(l.locked());
    EXPECT_TRUE(l.acquire());
    EXPECT_TRUE(l.locked());
    EXPECT_TRUE(l.isOwned());
    EXPECT_EQ(l.owner(), mainThread);
    EXPECT_FALSE(l.acquire(false));   // non-reentrant: a second try fails...
    EXPECT_FALSE(l.acquire(true, 0)); // ...also with timeout 0
    l.release();
    EXPECT_FALSE(l.locked());
    EXPECT_FALSE(l.owner());
    expectPyError([&] { l.release(); }, "RuntimeError", "release unlocked lock");
    expectPyError([&] { l.acquire(false, 1.0); }, "ValueError", "can't specify a timeout for a non-blocking call");
    expectPyError([&] { l.acquire(true, std::nan("")); }, "ValueError", "Invalid value NaN (not a number)");
    EXPECT_FALSE(l.locked());

    const TracePtr trace = finish();
    EXPECT_EQ(events(*trace, EventKind::Acquired, mainThread, l.id()).size(), 1u);
    EXPECT_EQ(events(*trace, EventKind::AcquireTimedOut, mainThread, l.id()).size(), 2u);
    EXPECT_EQ(events(*trace, EventKind::Released, mainThread, l.id()).size(), 1u);
    // The lock's own lane: Free, Held by main, Free.
    const std::vector<std::pair<State, ActorId>> expected{
        {State::Free, {}}, {State::Held, mainThread}, {State::Free, {}}};
    EXPECT_EQ(states(*trace, l.id()), expected);
}

TEST_F(SyncTest, LockMayBeReleasedByAnotherThread)
{
    Lock& l = make<Lock>("l");
    ASSERT_TRUE(l.acquire());
    const ActorId t = ctx.spawn("T", [&] { l.release(); });
    const TracePtr trace = finish();
    EXPECT_FALSE(l.locked());
    ASSERT_EQ(events(*trace, EventKind::Released, t, l.id()).size(), 1u);
    EXPECT_EQ(ctx.graph().snapshot().holds.size(), 0u) << "the holder record goes with the release";
}

TEST_F(SyncTest, LockBlocksAContenderUntilReleased)
{
    Lock& l = make<Lock>("l");
    ASSERT_TRUE(l.acquire());
    std::atomic<bool> got{false};
    const ActorId t = ctx.spawn("T", [&] {
        l.acquire();
        got = true;
        l.release();
    });
    ASSERT_TRUE(eventually([&] { return l.waitingCount() == 1; }));
    EXPECT_FALSE(got.load());
    const WaitForGraph::Snapshot g = ctx.graph().snapshot();
    EXPECT_EQ(g.holds, (std::vector<Pair>{{l.id(), mainThread}}));
    EXPECT_EQ(g.waits, (std::vector<Pair>{{t, l.id()}}));
    l.release();
    const TracePtr trace = finish();
    EXPECT_TRUE(got.load());

    // T: request (untimed), Blocked on l, then Acquired after main's Released.
    const auto requests = events(*trace, EventKind::AcquireRequest, t, l.id());
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].value, -1);
    EXPECT_TRUE(hasState(*trace, t, State::Blocked, l.id()));
    const long mainReleased = indexOf(*trace, EventKind::Released, mainThread, l.id());
    const long tAcquired = indexOf(*trace, EventKind::Acquired, t, l.id());
    ASSERT_GE(mainReleased, 0);
    EXPECT_GT(tAcquired, mainReleased);
    const std::vector<std::pair<State, ActorId>> lane{
        {State::Free, {}}, {State::Held, mainThread}, {State::Free, {}}, {State::Held, t}, {State::Free, {}}};
    EXPECT_EQ(states(*trace, l.id()), lane);
    const WaitForGraph::Snapshot after = ctx.graph().snapshot();
    EXPECT_TRUE(after.holds.empty());
    EXPECT_TRUE(after.waits.empty());
}

TEST_F(SyncTest, LockTimedAcquireGivesUp)
{
    Lock& l = make<Lock>("l");
    ASSERT_TRUE(l.acquire());
    std::atomic<bool> result{true};
    std::atomic<double> waited{0};
    const ActorId t = ctx.spawn("T", [&] {
        const auto start = std::chrono::steady_clock::now();
        result = l.acquire(true, 0.02);
        waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    });
    const TracePtr trace = finish();
    EXPECT_FALSE(result.load());
    EXPECT_GE(waited.load(), 0.02) << "a timed acquire must not give up early";
    const auto timedOut = events(*trace, EventKind::AcquireTimedOut, t, l.id());
    ASSERT_EQ(timedOut.size(), 1u);
    EXPECT_EQ(timedOut[0].value, 20'000'000);
    EXPECT_TRUE(hasState(*trace, t, State::Blocked, l.id()));
    EXPECT_TRUE(ctx.graph().snapshot().waits.empty());
    EXPECT_EQ(ctx.outcome(), RunOutcome::Running);
    l.release();
}

TEST_F(SyncTest, LockTakenTwiceByOneThreadIsADeadlockCycleOfOne)
{
    Lock& l = make<Lock>("l");
    std::atomic<bool> passed{false};
    const ActorId t = ctx.spawn("T", [&] {
        l.acquire();
        l.acquire(); // blocks forever: the graph closes [T, l] and the run is cancelled
        passed = true;
    });
    const TracePtr trace = finish();
    EXPECT_FALSE(passed.load());
    EXPECT_EQ(ctx.outcome(), RunOutcome::Deadlocked);
    EXPECT_EQ(ctx.deadlockCycle(), (std::vector<ActorId>{t, l.id()}));
    const auto deadlocks = events(*trace, EventKind::Deadlock);
    ASSERT_EQ(deadlocks.size(), 1u);
    EXPECT_EQ(deadlocks[0].actor, t);
    EXPECT_EQ(deadlocks[0].target, l.id());
    EXPECT_EQ(trace->text(deadlocks[0]), "T -> l");
    // The trace ends with the deadlock standing: T blocked on the lock it holds.
    EXPECT_EQ(states(*trace, t).back().first, State::Blocked);
    EXPECT_EQ(ctx.liveThreads(), 0u);
}

TEST_F(SyncTest, LockOrderInversionIsADeadlockAndEveryThreadUnwinds)
{
    Lock& a = make<Lock>("a");
    Lock& b = make<Lock>("b");
    SyncEvent& t1Holds = make<SyncEvent>("t1 holds a");
    SyncEvent& t2Holds = make<SyncEvent>("t2 holds b");
    std::atomic<int> cancelled{0};
    const auto body = [&](Lock& first, Lock& second, SyncEvent& mine, SyncEvent& other) {
        ScopedAcquire hold(first);
        mine.set();
        other.wait();
        try {
            second.acquire();
        } catch (const Cancelled&) {
            ++cancelled;
            throw;
        }
    };
    const ActorId t1 = ctx.spawn("T1", [&] { body(a, b, t1Holds, t2Holds); });
    const ActorId t2 = ctx.spawn("T2", [&] { body(b, a, t2Holds, t1Holds); });
    const TracePtr trace = finish();
    EXPECT_EQ(ctx.outcome(), RunOutcome::Deadlocked);
    // Rotated to start at the lowest thread: T1 waits for b held by T2, which waits for a held by T1.
    EXPECT_EQ(ctx.deadlockCycle(), (std::vector<ActorId>{t1, b.id(), t2, a.id()}));
    EXPECT_EQ(cancelled.load(), 2) << dump(*trace);
    EXPECT_EQ(ctx.liveThreads(), 0u);
    ASSERT_EQ(events(*trace, EventKind::Deadlock).size(), 1u);
    EXPECT_EQ(trace->text(events(*trace, EventKind::Deadlock)[0]), "T1 -> b -> T2 -> a");
    // Unwinding released what each thread held (ScopedAcquire), so nothing is left in the graph.
    EXPECT_FALSE(a.locked());
    EXPECT_FALSE(b.locked());
    EXPECT_TRUE(ctx.graph().snapshot().holds.empty());
    EXPECT_TRUE(ctx.graph().snapshot().waits.empty());
}

TEST_F(SyncTest, TimedWaitsNeverCloseADeadlock)
{
    Lock& a = make<Lock>("a");
    Lock& b = make<Lock>("b");
    SyncEvent& t1Holds = make<SyncEvent>("t1 holds a");
    SyncEvent& t2Holds = make<SyncEvent>("t2 holds b");
    std::atomic<bool> t2Got{true};
    ctx.spawn("T1", [&] {
        a.acquire();
        t1Holds.set();
        t2Holds.wait();
        b.acquire(); // untimed: waits until T2 gives up and releases b
        b.release();
        a.release();
    });
    ctx.spawn("T2", [&] {
        b.acquire();
        t2Holds.set();
        t1Holds.wait();
        t2Got = a.acquire(true, 0.05); // timed: the cycle never counts as a deadlock
        if (t2Got) a.release();
        b.release();
    });
    const TracePtr trace = finish();
    EXPECT_FALSE(t2Got.load());
    EXPECT_EQ(ctx.outcome(), RunOutcome::Running);
    EXPECT_TRUE(events(*trace, EventKind::Deadlock).empty());
    EXPECT_FALSE(ctx.graph().findAnyCycle().has_value());
}

TEST_F(SyncTest, CancelUnblocksLockAcquire)
{
    Lock& l = make<Lock>("l");
    ASSERT_TRUE(l.acquire());
    std::atomic<bool> sawCancelled{false};
    const ActorId t = ctx.spawn("T", [&] {
        try {
            l.acquire();
        } catch (const Cancelled&) {
            sawCancelled = true;
            throw;
        }
    });
    ASSERT_TRUE(eventually([&] { return l.waitingCount() == 1; }));
    ctx.cancel();
    const TracePtr trace = finish();
    EXPECT_TRUE(sawCancelled.load());
    EXPECT_EQ(ctx.liveThreads(), 0u);
    EXPECT_EQ(l.waitingCount(), 0u);
    EXPECT_EQ(ctx.outcome(), RunOutcome::Cancelled);
    EXPECT_EQ(ctx.graph().snapshot().waits, std::vector<Pair>{}) << "the wait edge goes with the wait";
    // Recorded up to the cancel only: the unwinding (back to running, terminated) is not the program's.
    EXPECT_EQ(states(*trace, t).back().first, State::Blocked);
}

TEST_F(SyncTest, RLockIsReentrantAndOnlyTheOwnerReleases)
{
    RLock& r = make<RLock>("r");
    EXPECT_TRUE(r.acquire());
    EXPECT_TRUE(r.acquire());
    EXPECT_TRUE(r.acquire(false));
    EXPECT_EQ(r.count(), 3);
    EXPECT_TRUE(r.isOwned());
    EXPECT_EQ(ctx.graph().snapshot().holds, (std::vector<Pair>(3, {r.id(), mainThread})));

    std::string otherRelease;
    std::atomic<bool> otherTry{true};
    std::atomic<bool> otherOwns{true};
    ctx.spawn("T", [&] {
        otherOwns = r.isOwned();
        otherTry = r.acquire(false);
        otherRelease = outcome([&] { r.release(); });
    });
    ctx.joinAll();
    EXPECT_FALSE(otherOwns.load());
    EXPECT_FALSE(otherTry.load());
    EXPECT_EQ(otherRelease, "RuntimeError: cannot release un-acquired lock");

    r.release();
    r.release();
    EXPECT_EQ(r.count(), 1);
    r.release();
    EXPECT_EQ(r.count(), 0);
    EXPECT_FALSE(r.locked());
    expectPyError([&] { r.release(); }, "RuntimeError", "cannot release un-acquired lock");
    expectPyError([&] { r.acquire(false, 0.5); }, "ValueError", "can't specify a timeout for a non-blocking call");

    const TracePtr trace = finish();
    std::vector<std::int64_t> levels;
    for (const Event& e : events(*trace, EventKind::Acquired, mainThread, r.id())) levels.push_back(e.value);
    for (const Event& e : events(*trace, EventKind::Released, mainThread, r.id())) levels.push_back(e.value);
    EXPECT_EQ(levels, (std::vector<std::int64_t>{1, 2, 3, 2, 1, 0}));
    // Held once (at the first level), Free once (at the last).
    const std::vector<std::pair<State, ActorId>> lane{{State::Free, {}}, {State::Held, mainThread}, {State::Free, {}}};
    EXPECT_EQ(states(*trace, r.id()), lane);
    EXPECT_TRUE(ctx.graph().snapshot().holds.empty());
}

TEST_F(SyncTest, RLockBlocksOthersUntilEveryLevelIsReleased)
{
    RLock& r = make<RLock>("r");
    r.acquire();
    r.acquire();
    std::atomic<bool> got{false};
    const ActorId t = ctx.spawn("T", [&] {
        r.acquire();
        got = true;
        r.release();
    });
    ASSERT_TRUE(eventually([&] { return r.waitingCount() == 1; }));
    EXPECT_EQ(ctx.graph().snapshot().waits, (std::vector<Pair>{{t, r.id()}}));
    r.release();
    EXPECT_EQ(r.waitingCount(), 1u) << "one level is still held";
    EXPECT_FALSE(got.load());
    r.release();
    finish();
    EXPECT_TRUE(got.load());
}

TEST_F(SyncTest, RLockReleaseSaveAndAcquireRestore)
{
    RLock& r = make<RLock>("r");
    expectPyError([&] { r.releaseSave(); }, "RuntimeError", "cannot release un-acquired lock");
    r.acquire();
    r.acquire();
    r.acquire();
    const int saved = r.releaseSave();
    EXPECT_EQ(saved, 3);
    EXPECT_FALSE(r.locked());
    EXPECT_TRUE(ctx.graph().snapshot().holds.empty());
    std::atomic<bool> otherGot{false};
    ctx.spawn("T", [&] {
        otherGot = r.acquire(false);
        if (otherGot) r.release();
    });
    ctx.joinAll();
    EXPECT_TRUE(otherGot.load());
    r.acquireRestore(saved);
    EXPECT_EQ(r.count(), 3);
    EXPECT_EQ(r.owner(), mainThread);
    EXPECT_EQ(ctx.graph().snapshot().holds.size(), 3u);
    for (int i = 0; i < 3; ++i) r.release();
}

TEST_F(SyncTest, CancelUnblocksRLockAcquire)
{
    RLock& r = make<RLock>("r");
    r.acquire();
    std::atomic<bool> sawCancelled{false};
    ctx.spawn("T", [&] {
        try {
            r.acquire(true, 30.0); // timed waits are cancellable too
        } catch (const Cancelled&) {
            sawCancelled = true;
            throw;
        }
    });
    ASSERT_TRUE(eventually([&] { return r.waitingCount() == 1; }));
    ctx.cancel();
    finish();
    EXPECT_TRUE(sawCancelled.load());
    EXPECT_EQ(r.waitingCount(), 0u);
    EXPECT_EQ(ctx.liveThreads(), 0u);
}

TEST_F(SyncTest, StepGateParksEveryLockOperationBeforeItHappens)
{
    Lock& l = make<Lock>("l");
    ctx.gate().setMode(GateMode::Step);
    const ActorId t = ctx.spawn("T", [&] {
        l.acquire();
        l.release();
    });
    const auto parkedT = [&] {
        const auto p = ctx.gate().parked();
        return std::find(p.begin(), p.end(), t) != p.end();
    };
    ASSERT_TRUE(eventually(parkedT));
    EXPECT_FALSE(l.locked()) << "parked before acquiring";
    ASSERT_TRUE(ctx.gate().stepThread(t));
    ASSERT_TRUE(eventually([&] { return l.locked() && parkedT(); })); // now parked before release()
    EXPECT_TRUE(l.locked());
    ASSERT_TRUE(ctx.gate().stepThread(t));
    const TracePtr trace = finish();
    EXPECT_FALSE(l.locked());
    EXPECT_EQ(ctx.gate().stepsTaken(), 2u);
    EXPECT_EQ(events(*trace, EventKind::Released, t, l.id()).size(), 1u);
    ctx.gate().setMode(GateMode::Free);
}

} // namespace
} // namespace lockstep::synctest
