// Semaphore, BoundedSemaphore and Event (SyncEvent): CPython semantics, events, cancellation.

#include "test_sync_helpers.h"

#include "lockstep/sync/Semaphore.h"
#include "lockstep/sync/SyncEvent.h"

#include <atomic>
#include <cmath>
#include <mutex>

namespace lockstep::synctest {
namespace {

using Pair = std::pair<ActorId, ActorId>;

TEST_F(SyncTest, SemaphoreCountsAndRaisesPythonErrors)
{
    Semaphore& s = make<Semaphore>("s", 2);
    EXPECT_TRUE(s.acquire());
    EXPECT_TRUE(s.acquire());
    EXPECT_EQ(s.value(), 0);
    EXPECT_FALSE(s.acquire(false));
    EXPECT_FALSE(s.acquire(true, 0));
    EXPECT_FALSE(s.acquire(true, 0.01));
    s.release(3); // a plain Semaphore may go above its initial value
    EXPECT_EQ(s.value(), 3);
    expectPyError([&] { s.release(0); }, "ValueError", "n must be one or more");
    expectPyError([&] { s.acquire(false, 1.0); }, "ValueError", "can't specify timeout for non-blocking acquire");
    expectPyError([&] { Semaphore bad(ctx, "bad", -1); }, "ValueError", "semaphore initial value must be >= 0");

    const TracePtr trace = finish();
    std::vector<std::int64_t> after;
    for (const Event& e : events(*trace, EventKind::Acquired, mainThread, s.id())) after.push_back(e.value);
    EXPECT_EQ(after, (std::vector<std::int64_t>{1, 0}));
    const auto released = events(*trace, EventKind::Released, mainThread, s.id());
    ASSERT_EQ(released.size(), 1u);
    EXPECT_EQ(released[0].value, 3);
    EXPECT_EQ(events(*trace, EventKind::AcquireTimedOut, mainThread, s.id()).size(), 3u);
    // Held while an acquire would block (value 0), Free otherwise.
    const std::vector<std::pair<State, ActorId>> lane{{State::Free, {}}, {State::Held, mainThread}, {State::Free, {}}};
    EXPECT_EQ(states(*trace, s.id()), lane);
}

TEST_F(SyncTest, BoundedSemaphoreRefusesExtraReleases)
{
    BoundedSemaphore& b = make<BoundedSemaphore>("b", 2);
    EXPECT_TRUE(b.bounded());
    expectPyError([&] { b.release(); }, "ValueError", "Semaphore released too many times");
    b.acquire();
    b.acquire();
    expectPyError([&] { b.release(3); }, "ValueError", "Semaphore released too many times");
    b.release(2);
    EXPECT_EQ(b.value(), 2);
}

TEST_F(SyncTest, SemaphoreWakesBlockedAcquirersInArrivalOrder)
{
    Semaphore& s = make<Semaphore>("s", 0);
    std::mutex orderMutex;
    std::vector<ActorId> order;
    std::vector<ActorId> threads;
    for (int i = 0; i < 3; ++i) {
        threads.push_back(ctx.spawn("T" + std::to_string(i), [&] {
            s.acquire();
            std::lock_guard lock(orderMutex);
            order.push_back(RunContext::currentActor());
        }));
        ASSERT_TRUE(eventually([&] { return s.waitingCount() == threads.size(); }));
    }
    const auto done = [&] {
        std::lock_guard lock(orderMutex);
        return order.size();
    };
    s.release();
    ASSERT_TRUE(eventually([&] { return done() == 1; }));
    s.release(2); // wakes the next two
    const TracePtr trace = finish();
    ASSERT_EQ(order.size(), 3u);
    EXPECT_EQ(order[0], threads[0]);
    EXPECT_EQ(s.value(), 0);
    for (const ActorId t : threads) {
        EXPECT_TRUE(hasState(*trace, t, State::Blocked, s.id()));
        EXPECT_EQ(events(*trace, EventKind::Acquired, t, s.id()).size(), 1u);
    }
}

TEST_F(SyncTest, SemaphoreTimedAcquireGivesUpAndIsNotADeadlock)
{
    Semaphore& s = make<Semaphore>("s", 0);
    std::atomic<bool> got{true};
    const ActorId t = ctx.spawn("T", [&] { got = s.acquire(true, 0.02); });
    const TracePtr trace = finish();
    EXPECT_FALSE(got.load());
    const auto timedOut = events(*trace, EventKind::AcquireTimedOut, t, s.id());
    ASSERT_EQ(timedOut.size(), 1u);
    EXPECT_EQ(timedOut[0].value, 20'000'000);
    EXPECT_EQ(s.waitingCount(), 0u);
    EXPECT_TRUE(ctx.graph().snapshot().waits.empty());
}

TEST_F(SyncTest, SemaphoreWaitsShowInTheGraphAndHoldersOnlyWhenTracked)
{
    Semaphore& signal = make<Semaphore>("signal", 0);
    const ActorId t = ctx.spawn("T", [&] { signal.acquire(); });
    ASSERT_TRUE(eventually([&] { return signal.waitingCount() == 1; }));
    EXPECT_EQ(ctx.graph().snapshot().waits, (std::vector<Pair>{{t, signal.id()}}));
    signal.release();
    ctx.joinAll();
    EXPECT_TRUE(ctx.graph().snapshot().holds.empty()) << "a signalling semaphore has no holders";

    // Used as a lock, with holders tracked, a semaphore taken twice by one thread is a deadlock.
    BoundedSemaphore& fork = make<BoundedSemaphore>("fork", 1);
    fork.setTracksHolders(true);
    const ActorId u = ctx.spawn("U", [&] {
        fork.acquire();
        fork.acquire();
    });
    finish();
    EXPECT_EQ(ctx.outcome(), RunOutcome::Deadlocked);
    EXPECT_EQ(ctx.deadlockCycle(), (std::vector<ActorId>{u, fork.id()}));
}

TEST_F(SyncTest, CancelUnblocksSemaphoreAcquire)
{
    Semaphore& s = make<Semaphore>("s", 0);
    std::atomic<int> cancelled{0};
    for (int i = 0; i < 2; ++i)
        ctx.spawn("T" + std::to_string(i), [&, i] {
            try {
                if (i == 0) s.acquire();
                else s.acquire(true, 30.0);
            } catch (const Cancelled&) {
                ++cancelled;
                throw;
            }
        });
    ASSERT_TRUE(eventually([&] { return s.waitingCount() == 2; }));
    ctx.cancel();
    finish();
    EXPECT_EQ(cancelled.load(), 2);
    EXPECT_EQ(s.waitingCount(), 0u);
    EXPECT_EQ(ctx.liveThreads(), 0u);
    EXPECT_TRUE(ctx.graph().snapshot().waits.empty());
}

TEST_F(SyncTest, EventSetWakesEveryWaiter)
{
    SyncEvent& e = make<SyncEvent>("e");
    EXPECT_FALSE(e.isSet());
    std::atomic<int> woke{0};
    std::vector<ActorId> threads;
    for (int i = 0; i < 3; ++i) {
        threads.push_back(ctx.spawn("T" + std::to_string(i), [&] {
            if (e.wait()) ++woke;
        }));
        ASSERT_TRUE(eventually([&] { return e.waitingCount() == threads.size(); }));
    }
    e.set();
    EXPECT_TRUE(e.isSet());
    EXPECT_TRUE(e.wait()); // already set: returns at once
    e.clear();
    EXPECT_FALSE(e.isSet());
    EXPECT_FALSE(e.wait(0));
    EXPECT_FALSE(e.wait(0.01));
    const TracePtr trace = finish();
    EXPECT_EQ(woke.load(), 3);
    const auto notifies = events(*trace, EventKind::Notify, mainThread, e.id());
    ASSERT_EQ(notifies.size(), 1u);
    EXPECT_EQ(notifies[0].value, 3);
    for (const ActorId t : threads) {
        EXPECT_TRUE(hasState(*trace, t, State::Waiting, e.id()));
        const auto ends = events(*trace, EventKind::WaitEnd, t, e.id());
        ASSERT_EQ(ends.size(), 1u);
        EXPECT_EQ(ends[0].value, 1);
    }
    // The flag as the event's state: Free, Held (set by main), Free (cleared by main).
    const std::vector<std::pair<State, ActorId>> lane{
        {State::Free, {}}, {State::Held, mainThread}, {State::Free, mainThread}};
    EXPECT_EQ(states(*trace, e.id()), lane);
    EXPECT_FALSE(ctx.graph().findAnyCycle().has_value());
}

TEST_F(SyncTest, EventWaitersWokenBySetReturnTrueEvenIfClearedAtOnce)
{
    // CPython: set() notifies every waiter of that moment; each returns True from wait(), whatever
    // the flag is when it gets to run.
    SyncEvent& e = make<SyncEvent>("e");
    std::atomic<int> trueCount{0};
    for (int i = 0; i < 2; ++i)
        ctx.spawn("T" + std::to_string(i), [&] {
            if (e.wait(30.0)) ++trueCount;
        });
    ASSERT_TRUE(eventually([&] { return e.waitingCount() == 2; }));
    e.set();
    e.clear();
    finish();
    EXPECT_EQ(trueCount.load(), 2);
}

TEST_F(SyncTest, EventTimedWaitReturnsFalse)
{
    SyncEvent& e = make<SyncEvent>("e");
    std::atomic<bool> result{true};
    const ActorId t = ctx.spawn("T", [&] { result = e.wait(0.02); });
    const TracePtr trace = finish();
    EXPECT_FALSE(result.load());
    const auto begins = events(*trace, EventKind::WaitBegin, t, e.id());
    ASSERT_EQ(begins.size(), 1u);
    EXPECT_EQ(begins[0].value, 20'000'000);
    EXPECT_EQ(events(*trace, EventKind::WaitEnd, t, e.id())[0].value, 0);
    EXPECT_EQ(e.waitingCount(), 0u);
}

TEST_F(SyncTest, CancelUnblocksEventWait)
{
    SyncEvent& e = make<SyncEvent>("e");
    std::atomic<bool> sawCancelled{false};
    ctx.spawn("T", [&] {
        try {
            e.wait();
        } catch (const Cancelled&) {
            sawCancelled = true;
            throw;
        }
    });
    ASSERT_TRUE(eventually([&] { return e.waitingCount() == 1; }));
    ctx.cancel();
    finish();
    EXPECT_TRUE(sawCancelled.load());
    EXPECT_EQ(e.waitingCount(), 0u);
    EXPECT_EQ(ctx.liveThreads(), 0u);
}

} // namespace
} // namespace lockstep::synctest
