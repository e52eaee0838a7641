#include "lockstep/trace/ChromeTraceWriter.h"
#include "lockstep/trace/TraceBuilder.h"
#include "lockstep/trace/TraceRecorder.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>
#include <thread>

using namespace lockstep;

namespace {
Event stateEvent(std::int64_t ts, ActorId a, State s, ActorId target = {})
{
    Event e;
    e.ts = ts;
    e.actor = a;
    e.target = target;
    e.kind = EventKind::StateChange;
    e.state = s;
    return e;
}
} // namespace

TEST(TraceBuilder, SpansFollowStateChangesAndQueriesUseTime)
{
    TraceBuilder b;
    const ActorId t1 = b.addActor(ActorKind::Thread, "T1");
    const ActorId lock = b.addActor(ActorKind::Lock, "lock_a");
    b.append(stateEvent(0, t1, State::Running));
    b.append(stateEvent(100, t1, State::Blocked, lock));
    b.append(stateEvent(100, t1, State::Blocked, lock)); // repeated state: no new span
    b.append(stateEvent(250, t1, State::Running));
    b.setEndTs(400);
    auto trace = b.snapshot();

    ASSERT_EQ(trace->spans(t1).size(), 3u);
    EXPECT_EQ(trace->stateAt(t1, 50), State::Running);
    EXPECT_EQ(trace->stateAt(t1, 100), State::Blocked);
    EXPECT_EQ(trace->spans(t1)[1].target, lock);
    EXPECT_EQ(trace->stateAt(t1, 399), State::Running);
    EXPECT_EQ(trace->timeIn(t1, State::Blocked), 150);
    EXPECT_EQ(trace->timeIn(t1, State::Running), 100 + 150);
    EXPECT_EQ(trace->lowerBound(101).value, 3u);
    auto [first, last] = trace->range(100, 250);
    EXPECT_EQ(first.value, 1u);
    EXPECT_EQ(last.value, 3u);
    // The lock is the target of the blocked events, so they are indexed under it too.
    EXPECT_EQ(trace->eventsOf(lock).size(), 2u);
    EXPECT_EQ(trace->findActor("lock_a"), lock);
}

TEST(TraceBuilder, SnapshotsAreImmutableWhileTheBuilderGrows)
{
    TraceBuilder b;
    const ActorId t = b.addActor(ActorKind::Thread, "T");
    for (int i = 0; i < 20000; ++i) b.append(stateEvent(i, t, i % 2 ? State::Running : State::Ready));
    auto before = b.snapshot();
    for (int i = 20000; i < 70000; ++i) b.append(stateEvent(i, t, i % 2 ? State::Running : State::Ready));
    auto after = b.snapshot();
    EXPECT_EQ(before->eventCount(), 20000u);
    EXPECT_EQ(after->eventCount(), 70000u);
    EXPECT_EQ(before->spans(t).size(), 20000u);
    EXPECT_EQ(before->events()[19999].ts, 19999);
    EXPECT_EQ(after->events()[69999].ts, 69999);
    // Out-of-order input is clamped, keeping time order (binary searches rely on it).
    b.append(stateEvent(5, t, State::Blocked));
    EXPECT_EQ(b.snapshot()->events().back().ts, 69999);
}

TEST(TraceRecorder, MergesManyThreadsInTimeOrderWithoutLosingEvents)
{
    TraceRecorder rec;
    constexpr int kThreads = 4;
    constexpr int kPerThread = 20000;
    std::vector<ActorId> ids;
    for (int t = 0; t < kThreads; ++t) ids.push_back(rec.registerActor(ActorKind::Thread, "T" + std::to_string(t)));
    TraceBuilder builder;
    std::atomic<int> done{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) rec.record(EventKind::Mark, ids[t], {}, i);
            done.fetch_add(1);
        });
    // Drain concurrently, as the GUI does once per frame.
    while (done.load() < kThreads) rec.drainInto(builder, false, 0);
    for (auto& th : threads) th.join();
    rec.drainInto(builder, true);
    auto trace = builder.snapshot();
    ASSERT_EQ(trace->eventCount(), static_cast<std::size_t>(kThreads * kPerThread + kThreads)); // + ActorCreated
    std::vector<std::int64_t> next(kThreads, 0);
    for (std::size_t i = 1; i < trace->eventCount(); ++i) ASSERT_LE(trace->events()[i - 1].ts, trace->events()[i].ts);
    for (const Event& e : trace->events()) {
        if (e.kind != EventKind::Mark) continue;
        const auto t = static_cast<std::size_t>(e.actor.value);
        ASSERT_EQ(e.value, next[t]) << "per-thread order lost";
        ++next[t];
    }
}

TEST(TraceRecorder, TextsAndActorsTravelWithTheEvents)
{
    TraceRecorder rec;
    const ActorId a = rec.registerActor(ActorKind::Thread, "XiaoAi");
    rec.recordText(EventKind::Say, a, "小爱: 在");
    TraceBuilder b;
    rec.drainInto(b, true);
    auto trace = b.snapshot();
    EXPECT_EQ(trace->actorName(a), "XiaoAi");
    ASSERT_EQ(trace->eventCount(), 2u);
    EXPECT_EQ(trace->text(trace->events()[1]), "小爱: 在");
}

TEST(TraceRecorder, DrainedChunksAreReusedAndNothingIsLostOrReordered)
{
    TraceRecorder rec;
    TraceBuilder builder;
    constexpr int kBatch = 3 * 4096 + 17; // a little more than three chunks per batch
    constexpr int kBatches = 20;
    std::int64_t value = 0;
    for (int b = 0; b < kBatches; ++b) {
        for (int i = 0; i < kBatch; ++i) rec.record(EventKind::Mark, ActorId(0), {}, value++);
        rec.drainInto(builder, true);
    }
    // Twenty batches of three chunks each, in a handful of chunks: the drained ones came back.
    EXPECT_LE(rec.chunksAllocated(), 6u);
    const auto trace = builder.snapshot();
    ASSERT_EQ(trace->eventCount(), static_cast<std::size_t>(kBatch) * kBatches);
    std::int64_t expect = 0;
    for (const Event& e : trace->events()) ASSERT_EQ(e.value, expect++);
}

TEST(TraceRecorder, StoppedRecorderKeepsOnlyWhatHappenedBeforeTheStop)
{
    TraceRecorder rec;
    const ActorId a = rec.registerActor(ActorKind::Thread, "T");
    rec.recordState(a, State::Blocked);
    const std::int64_t stop = rec.now();
    rec.stopAt(stop);
    EXPECT_TRUE(rec.stopped());
    // The teardown after the stop: not the program's, not recorded.
    rec.recordState(a, State::Running);
    rec.record(EventKind::Released, a);
    rec.recordText(EventKind::Mark, a, "unwinding");
    // An event that happened before the stop but arrives late (a child process's report) is kept.
    Event late;
    late.ts = stop - 1;
    late.actor = a;
    late.kind = EventKind::Mark;
    rec.recordEvent(late);
    Event after = late;
    after.ts = stop + 1;
    rec.recordEvent(after);
    TraceBuilder b;
    rec.drainInto(b, true);
    const auto trace = b.snapshot();
    std::size_t kept = 0;
    for (const Event& e : trace->events()) {
        EXPECT_LE(e.ts, stop);
        if (e.actor == a) ++kept;
    }
    EXPECT_EQ(kept, 3u); // created, Blocked and the late mark
    EXPECT_EQ(trace->stateAt(a, stop), State::Blocked);
    EXPECT_EQ(trace->endTs(), stop); // the trace ends at the stop, not when it was drained
}

TEST(ChromeTraceWriter, WritesValidTraceEventFormat)
{
    TraceBuilder b;
    const ActorId t1 = b.addActor(ActorKind::Thread, "T1");
    const ActorId gil = b.addActor(ActorKind::Gil, "GIL");
    b.append(stateEvent(0, t1, State::Running));
    Event taken;
    taken.ts = 1500;
    taken.actor = t1;
    taken.target = gil;
    taken.kind = EventKind::GilTaken;
    b.append(taken);
    b.append(stateEvent(2500, t1, State::Terminated));
    std::ostringstream out;
    ChromeTraceWriter::write(*b.snapshot(), out, {{"lesson", "gil"}});
    const auto doc = nlohmann::json::parse(out.str());
    ASSERT_TRUE(doc["traceEvents"].is_array());
    bool named = false, span = false, instant = false;
    for (const auto& e : doc["traceEvents"]) {
        ASSERT_TRUE(e.contains("ph") && e.contains("pid") && e.contains("tid") && e.contains("name"));
        if (e["ph"] == "M" && e["name"] == "thread_name" && e["args"]["name"] == "T1") named = true;
        if (e["ph"] == "X" && e["name"] == "running") {
            span = true;
            EXPECT_DOUBLE_EQ(e["dur"].get<double>(), 2.5); // µs
        }
        if (e["ph"] == "i" && e["name"] == "gil_taken") {
            instant = true;
            EXPECT_DOUBLE_EQ(e["ts"].get<double>(), 1.5);
            EXPECT_EQ(e["args"]["target"], "GIL");
        }
    }
    EXPECT_TRUE(named);
    EXPECT_TRUE(span);
    EXPECT_TRUE(instant);
}
