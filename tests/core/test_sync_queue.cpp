// queue.Queue: bounded blocking FIFO, Full/Empty, task_done/join, events, cancellation.

#include "test_sync_helpers.h"

#include "lockstep/sync/Queue.h"

#include <atomic>

namespace lockstep::synctest {
namespace {

using nlohmann::json;

TEST_F(SyncTest, QueueIsFifoAndRaisesFullAndEmpty)
{
    Queue& q = make<Queue>("q", 2);
    EXPECT_TRUE(q.empty());
    q.put(1);
    q.put("two");
    EXPECT_TRUE(q.full());
    EXPECT_EQ(q.qsize(), 2u);
    expectPyError([&] { q.put(3, false); }, "Full", "");
    expectPyError([&] { q.put(3, true, 0); }, "Full", "");
    expectPyError([&] { q.put(3, true, 0.01); }, "Full", "");
    EXPECT_EQ(q.get(), json(1));
    EXPECT_EQ(q.get(false), json("two"));
    expectPyError([&] { q.get(false); }, "Empty", "");
    expectPyError([&] { q.get(true, 0.01); }, "Empty", "");
    expectPyError([&] { q.get(false, 5.0); }, "Empty", ""); // block=false ignores the timeout

    Queue& unbounded = make<Queue>("u");
    for (int i = 0; i < 100; ++i) unbounded.put(i, false);
    EXPECT_FALSE(unbounded.full());

    const TracePtr trace = finish();
    const auto puts = events(*trace, EventKind::Put, mainThread, q.id());
    ASSERT_EQ(puts.size(), 2u);
    EXPECT_EQ(puts[0].value, 1);
    EXPECT_EQ(trace->text(puts[0]), "1");
    EXPECT_EQ(puts[1].value, 2);
    EXPECT_EQ(trace->text(puts[1]), "'two'"); // repr(), as Python would print it
    const auto gets = events(*trace, EventKind::Get, mainThread, q.id());
    ASSERT_EQ(gets.size(), 2u);
    EXPECT_EQ(gets[0].value, 1);
    EXPECT_EQ(gets[1].value, 0);
}

TEST_F(SyncTest, QueueBlocksProducersAndConsumers)
{
    Queue& q = make<Queue>("q", 1);
    std::vector<json> got; // only the consumer touches it until join
    const ActorId consumer = ctx.spawn("consumer", [&] {
        for (int i = 0; i < 5; ++i) got.push_back(q.get());
    });
    ASSERT_TRUE(eventually([&] { return q.waitingGetters() == 1; }));
    const ActorId producer = ctx.spawn("producer", [&] {
        for (int i = 0; i < 5; ++i) q.put(i);
    });
    const TracePtr trace = finish();
    EXPECT_EQ(got, (std::vector<json>{0, 1, 2, 3, 4}));
    EXPECT_TRUE(hasState(*trace, consumer, State::Blocked, q.id()));
    EXPECT_EQ(events(*trace, EventKind::Put, producer, q.id()).size(), 5u);
    EXPECT_EQ(events(*trace, EventKind::Get, consumer, q.id()).size(), 5u);
    // The bound holds at every moment: qsize after a put never exceeds 1.
    for (const Event& e : events(*trace, EventKind::Put, producer, q.id())) EXPECT_LE(e.value, 1);
}

TEST_F(SyncTest, QueueBlockedPutWaitsForRoom)
{
    Queue& q = make<Queue>("q", 1);
    q.put("a");
    std::atomic<bool> putDone{false};
    const ActorId producer = ctx.spawn("producer", [&] {
        q.put("b");
        putDone = true;
    });
    ASSERT_TRUE(eventually([&] { return q.waitingPutters() == 1; }));
    EXPECT_FALSE(putDone.load());
    EXPECT_EQ(q.get(), json("a"));
    const TracePtr trace = finish();
    EXPECT_TRUE(putDone.load());
    EXPECT_EQ(q.get(false), json("b"));
    EXPECT_TRUE(hasState(*trace, producer, State::Blocked, q.id()));
}

TEST_F(SyncTest, QueueTaskDoneAndJoin)
{
    Queue& q = make<Queue>("q");
    q.join(); // nothing unfinished: returns at once
    q.put("x");
    q.put("y");
    EXPECT_EQ(q.unfinishedTasks(), 2);
    std::atomic<bool> joined{false};
    const ActorId joiner = ctx.spawn("joiner", [&] {
        q.join();
        joined = true;
    });
    ASSERT_TRUE(eventually([&] { return q.waitingJoiners() == 1; }));
    q.get();
    q.taskDone();
    EXPECT_EQ(q.waitingJoiners(), 1u) << "one task is still unfinished";
    EXPECT_FALSE(joined.load());
    q.get();
    q.taskDone();
    const TracePtr trace = finish();
    EXPECT_TRUE(joined.load());
    expectPyError([&] { q.taskDone(); }, "ValueError", "task_done() called too many times");
    EXPECT_TRUE(hasState(*trace, joiner, State::Waiting, q.id()));
    const auto notifies = events(*trace, EventKind::Notify, mainThread, q.id());
    ASSERT_EQ(notifies.size(), 1u);
    EXPECT_EQ(notifies[0].value, 1);
}

TEST_F(SyncTest, CancelUnblocksQueueGetPutAndJoin)
{
    Queue& full = make<Queue>("full", 1);
    full.put(0);
    Queue& empty = make<Queue>("empty", 1);
    std::atomic<int> cancelled{0};
    const auto counting = [&](const std::function<void()>& op) {
        return [&cancelled, op] {
            try {
                op();
            } catch (const Cancelled&) {
                ++cancelled;
                throw;
            }
        };
    };
    ctx.spawn("getter", counting([&] { empty.get(); }));
    ctx.spawn("timed getter", counting([&] { empty.get(true, 30.0); }));
    ctx.spawn("putter", counting([&] { full.put(1); }));
    ctx.spawn("joiner", counting([&] { full.join(); }));
    ASSERT_TRUE(eventually([&] {
        return empty.waitingGetters() == 2 && full.waitingPutters() == 1 && full.waitingJoiners() == 1;
    }));
    ctx.cancel();
    finish();
    EXPECT_EQ(cancelled.load(), 4);
    EXPECT_EQ(ctx.liveThreads(), 0u);
    EXPECT_EQ(empty.waitingGetters(), 0u);
    EXPECT_EQ(full.waitingPutters(), 0u);
    EXPECT_EQ(full.waitingJoiners(), 0u);
}

} // namespace
} // namespace lockstep::synctest
