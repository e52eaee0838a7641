// The trace clock (TSC ticks converted at drain time, or CLOCK_MONOTONIC) and the lock's batched,
// quiet fast path: stamps agree with CLOCK_MONOTONIC, events of one lock keep the order its mutex
// gave them, and holds nobody waited for still show in the graph and in its events.

#include "test_sync_helpers.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/sync/Lock.h"
#include "lockstep/trace/Coffman.h"
#include "lockstep/trace/TraceClock.h"
#include "lockstep/trace/TraceRecorder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace lockstep {
namespace {

// An event's stamp lies between the recorder's now() read just before and just after it was
// recorded, over a run long enough that a wrong tick rate would show (0.3 s: 1e-4 off is 30 us).
TEST(TraceClock, StampsAgreeWithTheMonotonicClock)
{
    TraceRecorder rec;
    const ActorId me = rec.registerActor(ActorKind::Thread, "T");
    std::vector<std::pair<std::int64_t, std::int64_t>> windows;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
    for (int i = 0; std::chrono::steady_clock::now() < until; ++i) {
        const std::int64_t before = rec.now();
        rec.record(EventKind::Mark, me, {}, i);
        const std::int64_t after = rec.now();
        windows.emplace_back(before, after);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    TraceBuilder builder;
    rec.drainInto(builder, true);
    const auto trace = builder.snapshot();
    std::size_t marks = 0;
    for (const Event& e : trace->events()) {
        if (e.kind != EventKind::Mark) continue;
        const auto [before, after] = windows.at(static_cast<std::size_t>(e.value));
        // 5 us of slack for the two clocks' reads and the rate measured over this short run.
        EXPECT_GE(e.ts, before - 5'000) << "event " << e.value;
        EXPECT_LE(e.ts, after + 5'000) << "event " << e.value;
        ++marks;
    }
    EXPECT_EQ(marks, windows.size());
    std::printf("trace clock: %s\n", traceclock::usesTsc() ? "TSC" : "CLOCK_MONOTONIC");
}

// Events stamped in ns by their producer (a child process's report) come out with that stamp.
TEST(TraceClock, EventsRecordedWithAStampKeepIt)
{
    TraceRecorder rec;
    const ActorId me = rec.registerActor(ActorKind::Thread, "T");
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
    Event e;
    e.kind = EventKind::Mark;
    e.actor = me;
    e.ts = rec.now() - 20'000'000;
    rec.recordEvent(e);
    TraceBuilder builder;
    rec.drainInto(builder, true);
    const auto trace = builder.snapshot();
    const Event& back = trace->events().back();
    ASSERT_EQ(back.kind, EventKind::Mark);
    EXPECT_NEAR(static_cast<double>(back.ts), static_cast<double>(e.ts), 2'000.0);
}

} // namespace

namespace synctest {
namespace {

// Two threads hand one lock back and forth as fast as they can (no one blocks for long, so most
// holds take the quiet path): in the trace the lock's Acquired and Released alternate, each
// Acquired is by the thread its Held state names, and the hold edges pair up.
TEST_F(SyncTest, LockEventsKeepTheOrderTheLockGaveThem)
{
    Lock& l = make<Lock>("l");
    constexpr int kRounds = 20000;
    for (int t = 0; t < 2; ++t)
        ctx.spawn("T" + std::to_string(t + 1), [&] {
            for (int i = 0; i < kRounds; ++i) {
                l.acquire();
                l.release();
            }
        });
    const TracePtr trace = finish();
    ActorId holder;
    int acquired = 0;
    int edges = 0;
    for (const Event& e : trace->events()) {
        if (e.target != l.id() && e.actor != l.id()) continue;
        switch (e.kind) {
        case EventKind::Acquired:
            ASSERT_FALSE(holder.valid()) << "acquired while " << holder.value << " held it, at " << e.ts;
            holder = e.actor;
            ++acquired;
            break;
        case EventKind::Released:
            ASSERT_EQ(e.actor, holder);
            holder = ActorId {};
            break;
        case EventKind::HoldEdgeAdded:
            ++edges;
            break;
        case EventKind::HoldEdgeRemoved:
            --edges;
            break;
        default:
            break;
        }
        ASSERT_GE(edges, 0);
        ASSERT_LE(edges, 1);
    }
    EXPECT_EQ(acquired, 2 * kRounds);
    EXPECT_EQ(edges, 0);
    EXPECT_TRUE(ctx.graph().snapshot().holds.empty());
}

// A hold nobody waited for stays in its thread's own list, yet the graph shows it, hold and wait
// sees it when its holder waits, and a deadlock through two such holds is found.
TEST_F(SyncTest, QuietHoldsJoinTheGraphWhenTheyMatter)
{
    Lock& warmup = make<Lock>("warmup"); // the run's first hold goes through the graph
    warmup.acquire();
    warmup.release();
    Lock& a = make<Lock>("a");
    Lock& b = make<Lock>("b");
    a.acquire();
    EXPECT_EQ(ctx.graph().snapshot().holds, (std::vector<std::pair<ActorId, ActorId>> { { a.id(), mainThread } }));

    std::atomic<bool> holdsB { false };
    const ActorId t = ctx.spawn("T", [&] {
        b.acquire();
        holdsB = true;
        a.acquire(); // waits for main, which then waits for b: the cycle
    });
    ASSERT_TRUE(eventually([&] { return holdsB.load() && a.waitingCount() == 1; }));
    // T's hold of b was quiet; its wait for a brought it (and main's hold of a) into the graph.
    EXPECT_EQ(ctx.graph().coffman(CoffmanCondition::HoldAndWait), CoffmanStatus::Met);
    EXPECT_THROW(b.acquire(), Cancelled);
    ctx.joinAll();
    EXPECT_EQ(ctx.outcome(), RunOutcome::Deadlocked);
    EXPECT_EQ(ctx.deadlockCycle(), (std::vector<ActorId> { mainThread, b.id(), t, a.id() }));
}

} // namespace
} // namespace synctest
} // namespace lockstep
