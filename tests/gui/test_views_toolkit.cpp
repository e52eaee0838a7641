// The thread toolkit's view (SyncObjectsView) over real primitives on real threads: what it shows
// at a cursor must be what the Event, Semaphore and Queue recorded by then.

// Before any Qt header: Qt's `forever` macro would rewrite Timeout::forever() in these.
#include "lockstep/engine/RunContext.h"
#include "lockstep/sync/Queue.h"
#include "lockstep/sync/Semaphore.h"
#include "lockstep/sync/SyncEvent.h"
#include "lockstep/trace/TraceBuilder.h"

#include "views/SyncObjectsView.h"

#include <gtest/gtest.h>

#include <QDir>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <thread>
#include <vector>

using namespace lockstep;
using namespace lockstep::ui;
using namespace std::chrono_literals;

namespace {

void save(QWidget& w, const std::string& name)
{
    if (const char* dir = std::getenv("LOCKSTEP_VIEWS_PNG_DIR")) {
        QDir().mkpath(QString::fromLocal8Bit(dir));
        w.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/toolkit_") + QString::fromStdString(name)
            + QStringLiteral(".png"));
    }
}

// Polls (from the test's own thread, which is no engine thread) until `done`, for at most 10 s.
void until(const std::function<bool()>& done)
{
    for (int i = 0; i < 10'000 && !done(); ++i)
        std::this_thread::sleep_for(1ms);
    ASSERT_TRUE(done());
}

std::shared_ptr<const Trace> traceOf(RunContext& ctx)
{
    TraceBuilder b;
    ctx.recorder().drainInto(b, true);
    b.setFinished(true);
    return b.snapshot();
}

// The time of the n-th (1-based) event of `kind` on `target` by `actor` (any actor when invalid).
std::int64_t nthTs(const Trace& t, int n, EventKind kind, ActorId target, ActorId actor = {})
{
    for (const Event& e : t.events())
        if (e.kind == kind && e.target == target && (!actor.valid() || e.actor == actor) && --n == 0) return e.ts;
    ADD_FAILURE() << "no such event";
    return 0;
}

std::int64_t firstTs(const Trace& t, EventKind kind, ActorId target, ActorId actor = {})
{
    return nthTs(t, 1, kind, target, actor);
}

std::vector<std::string> waiterNames(const Trace& t, const SyncObjectsModel::Object& o)
{
    std::vector<std::string> out;
    for (const auto& w : o.waiters)
        out.push_back(std::string(t.actorName(w.thread)) + " " + w.call);
    return out;
}

} // namespace

TEST(SyncObjectsView, AnEventsFlagAndWaitersAreWhatItRecorded)
{
    RunContext ctx;
    SyncEvent start(ctx, "start");
    std::vector<int> results(4, -1);
    for (int i = 0; i < 3; ++i)
        ctx.spawn("runner" + std::to_string(i), [&, i] { results[static_cast<std::size_t>(i)] = start.wait(); });
    until([&] { return start.waitingCount() == 3; });
    ctx.spawn("starter", [&] { start.set(); });
    until([&] { return start.isSet(); });
    ctx.spawn("late", [&] {
        start.clear();
        results[3] = start.wait(0.02); // nobody sets it again: False after 20 ms
    });
    ctx.joinAll();
    ASSERT_EQ(results, (std::vector<int> { 1, 1, 1, 0 }));
    const auto trace = traceOf(ctx);
    const ActorId ev = *trace->findActor("start");

    SyncObjectsView view;
    view.resize(1280, 800);
    view.setTrace(trace);
    ASSERT_TRUE(view.appliesTo(*trace));
    // set() records the flag (the event's own state), then whom it woke.
    std::int64_t flagTs = 0;
    for (const Event& e : trace->events())
        if (e.kind == EventKind::StateChange && e.actor == ev && e.state == State::Held) {
            flagTs = e.ts;
            break;
        }
    const std::int64_t setTs = firstTs(*trace, EventKind::Notify, ev);
    view.setCursor(flagTs - 1);
    ASSERT_EQ(view.model().objects().size(), 1U);
    const auto& before = view.model().objects()[0];
    EXPECT_EQ(before.kind, SyncObjectsModel::Kind::Event);
    EXPECT_FALSE(before.flag);
    EXPECT_EQ(waiterNames(*trace, before).size(), 3U);
    save(view, "event_before_set");

    view.setCursor(setTs);
    const auto& after = view.model().objects()[0];
    EXPECT_TRUE(after.flag);
    EXPECT_EQ(trace->actorName(after.flagBy), "starter");
    ASSERT_FALSE(after.recent.empty());
    EXPECT_EQ(after.recent.back().text, "set()");
    EXPECT_EQ(after.recent.back().woke, 3);
    save(view, "event_set");

    view.setCursor(std::numeric_limits<std::int64_t>::max());
    const auto& end = view.model().objects()[0];
    EXPECT_FALSE(end.flag);
    EXPECT_TRUE(end.waiters.empty());
    EXPECT_EQ(trace->actorName(end.recent.back().thread), "late");
    EXPECT_EQ(end.recent.back().text, "wait() → False");
}

TEST(SyncObjectsView, ASemaphoresCountAndItsQueueAreWhatItRecorded)
{
    RunContext ctx;
    Semaphore pool(ctx, "pool", 2);
    SyncEvent leave(ctx, "leave");
    for (int i = 0; i < 3; ++i) {
        ctx.spawn("conn" + std::to_string(i), [&] {
            pool.acquire();
            leave.wait();
            pool.release();
        });
        // One at a time, so that conn2 is the one left waiting.
        if (i < 2) until([&, i] { return pool.value() == 1 - i; });
    }
    until([&] { return pool.waitingCount() == 1; });
    ctx.spawn("closer", [&] { leave.set(); });
    ctx.joinAll();
    const auto trace = traceOf(ctx);
    const ActorId sem = *trace->findActor("pool");
    const ActorId conn2 = *trace->findActor("conn2");

    SyncObjectsView view;
    view.resize(1280, 800);
    view.setTrace(trace);
    // While conn2 waits: no unit left, and conn2 in acquire().
    view.setCursor(firstTs(*trace, EventKind::Notify, *trace->findActor("leave")) - 1);
    const auto* o = &view.model().objects()[0];
    ASSERT_EQ(o->id, sem);
    EXPECT_EQ(o->className, "Semaphore");
    EXPECT_EQ(o->capacity, 2);
    EXPECT_EQ(o->level, 0);
    EXPECT_EQ(waiterNames(*trace, *o), (std::vector<std::string> { "conn2 acquire()" }));
    save(view, "semaphore_full");
    // conn2 got its unit once somebody released one; at the end both units are back.
    view.setCursor(firstTs(*trace, EventKind::Acquired, sem, conn2));
    o = &view.model().objects()[0];
    EXPECT_TRUE(o->waiters.empty());
    EXPECT_EQ(o->recent.back().text, "acquire() → True");
    view.setCursor(std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(view.model().objects()[0].level, 2);
}

TEST(SyncObjectsView, AQueuesSlotsAndBlockedCallersAreWhatItRecorded)
{
    RunContext ctx;
    Queue jobs(ctx, "jobs", 2);
    SyncEvent more(ctx, "more");
    ctx.spawn("producer", [&] {
        for (int i = 1; i <= 3; ++i)
            jobs.put(i); // the third blocks: maxsize 2
    });
    until([&] { return jobs.waitingPutters() == 1; });
    ctx.spawn("consumer", [&] {
        for (int i = 0; i < 3; ++i) {
            if (i == 1) more.wait(); // one item only, until the producer has put 3
            jobs.get();
            jobs.taskDone();
        }
    });
    until([&] { return jobs.waitingPutters() == 0 && jobs.qsize() == 2; });
    ctx.spawn("boss", [&] {
        more.set();
        jobs.join();
    });
    ctx.joinAll();
    const auto trace = traceOf(ctx);
    const ActorId q = *trace->findActor("jobs");
    const ActorId producer = *trace->findActor("producer");

    SyncObjectsView view;
    view.resize(1280, 800);
    view.setTrace(trace);
    // The producer blocked in put(3): two items, full.
    view.setCursor(firstTs(*trace, EventKind::WaitBegin, q, producer));
    const auto* o = &view.model().objects()[0];
    ASSERT_EQ(o->id, q);
    EXPECT_EQ(o->className, "Queue");
    EXPECT_EQ(o->capacity, 2);
    EXPECT_EQ(o->items, (std::vector<std::string> { "1", "2" }));
    EXPECT_EQ(waiterNames(*trace, *o), (std::vector<std::string> { "producer put()" }));
    save(view, "queue_full");
    // The first get() made room: 3 went in behind 2 (the queue's third contents the producer left).
    view.setCursor(nthTs(*trace, 3, EventKind::ObjectLevel, producer, q));
    o = &view.model().objects()[0];
    EXPECT_EQ(o->items, (std::vector<std::string> { "2", "3" }));
    EXPECT_TRUE(o->waiters.empty());
    EXPECT_EQ(o->recent.back().text, "put(3)");
    save(view, "queue_after_get");
    view.setCursor(std::numeric_limits<std::int64_t>::max());
    o = &view.model().objects()[0];
    EXPECT_TRUE(o->items.empty());
    EXPECT_TRUE(o->waiters.empty());
    EXPECT_EQ(o->level, 0);
}
