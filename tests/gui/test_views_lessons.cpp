// Lesson views over real runs of the lessons (the engine, not a script of expected events): each
// view must tell the same story as the run's summary.

#include "LessonRuns.h"
#include "test_views_traces.h"

#include "gui/Translations.h"
#include "render/EngineText.h"
#include "views/ConditionView.h"
#include "views/FdGridView.h"
#include "views/GeneratorView.h"
#include "views/GilView.h"
#include "views/StateBoard.h"
#include "views/WaitForGraphView.h"

#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/LessonRunner.h"
#include "lockstep/trace/Coffman.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QImage>
#include <QRegularExpression>
#include <QSet>

#include <array>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>

using namespace lockstep;
using namespace lockstep::ui;

static void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }

namespace {

constexpr std::int64_t kEnd = std::numeric_limits<std::int64_t>::max();

RunResult run(const std::string& lesson, const std::string& variant, std::map<std::string, std::string> params = {})
{
    return viewtest::runShipped(lesson, variant, std::move(params));
}

QString source(const std::string& lesson)
{
    return QString::fromStdString(LessonLoader::find(lesson, LOCKSTEP_SOURCE_LESSONS).python);
}

void look(LessonView& view, const std::string& name)
{
    view.resize(1920, 1080);
    const QImage img = view.grab().toImage();
    ASSERT_FALSE(img.isNull());
    QSet<QRgb> colours;
    for (int y = 0; y < img.height(); y += 4)
        for (int x = 0; x < img.width() && colours.size() < 16; x += 4) colours.insert(img.pixel(x, y));
    EXPECT_GE(colours.size(), 8) << name << " looks blank";
    if (const char* dir = std::getenv("LOCKSTEP_VIEWS_PNG_DIR")) {
        QDir().mkpath(QString::fromLocal8Bit(dir));
        img.save(QString::fromLocal8Bit(dir) + QStringLiteral("/real_") + QString::fromStdString(name)
                 + QStringLiteral(".png"));
    }
}

std::int64_t firstTs(const Trace& t, EventKind kind)
{
    for (const Event& e : t.events())
        if (e.kind == kind) return e.ts;
    return -1;
}

// When each answer of `gen` to `caller` (yield / return / raise) has been given and the state
// change that follows it recorded.
std::vector<std::int64_t> replyTimes(const Trace& t, ActorId gen, ActorId caller)
{
    std::vector<std::int64_t> out;
    const auto& events = t.events();
    for (std::size_t i = 0; i < events.size(); ++i) {
        const Event& e = events[i];
        const bool reply = (e.kind == EventKind::GenYield || e.kind == EventKind::GenReturn
                            || e.kind == EventKind::GenRaise)
            && e.actor == gen && e.target == caller;
        if (!reply) continue;
        std::int64_t ts = e.ts;
        if (i + 1 < events.size() && events[i + 1].kind == EventKind::StateChange && events[i + 1].actor == gen)
            ts = events[i + 1].ts;
        out.push_back(ts);
    }
    return out;
}

QString summaryName(const nlohmann::json& v) { return QString::fromStdString(v.get<std::string>()); }

// The trace as text, for failure messages.
std::string dump(const Trace& t, std::size_t max = 200)
{
    std::string out;
    for (std::size_t i = 0; i < t.eventCount() && i < max; ++i) {
        const Event& e = t.events()[i];
        out += std::to_string(e.ts) + " " + std::string(eventKindName(e.kind)) + " " + std::string(t.actorName(e.actor))
            + " -> " + std::string(t.actorName(e.target)) + " v=" + std::to_string(e.value) + " '"
            + std::string(t.text(e)) + "' " + (e.kind == EventKind::StateChange ? std::string(stateName(e.state)) : "")
            + "\n";
    }
    return out;
}

} // namespace

TEST(RealLessonViews, DeadlockOppositeOrderShowsTheSummaryCycle)
{
    const RunResult r = run("deadlock", "opposite-order");
    ASSERT_TRUE(r.trace);
    ASSERT_TRUE(r.summary.value("deadlocked", false)) << r.summary.dump();
    WaitForGraphView view;
    view.setSource(source("deadlock"));
    ASSERT_TRUE(view.appliesTo(*r.trace));
    view.setTrace(r.trace);
    view.setCursor(kEnd);
    EXPECT_TRUE(view.deadlocked());
    EXPECT_TRUE(view.coffman().all());
    const QString text = view.cycleText();
    // Every actor of the engine's cycle is named, threads and locks alternating as "waits for ...
    // held by ...", once per thread.
    const auto& cycle = r.summary.at("cycle");
    ASSERT_EQ(cycle.size(), 4u) << r.summary.dump();
    for (const auto& n : cycle) EXPECT_TRUE(text.contains(summaryName(n))) << text.toStdString();
    EXPECT_EQ(text.count(QStringLiteral("waits for")), 2) << text.toStdString();
    // The engine's cycle, rotated to start at its first thread, reads the same way.
    const QString t0 = summaryName(cycle[0]), l0 = summaryName(cycle[1]), t1 = summaryName(cycle[2]),
                  l1 = summaryName(cycle[3]);
    const QString a = QStringLiteral("%1 waits for %2 held by %3, which waits for %4 held by %1").arg(t0, l0, t1, l1);
    const QString b = QStringLiteral("%1 waits for %2 held by %3, which waits for %4 held by %1").arg(t1, l1, t0, l0);
    EXPECT_TRUE(text == a || text == b) << text.toStdString();
    look(view, "deadlock_waitfor");

    // Just before the deadlock event: the cycle is not reported as a deadlock.
    const std::int64_t ts = firstTs(*r.trace, EventKind::Deadlock);
    ASSERT_GT(ts, 0);
    view.setCursor(ts - 1);
    EXPECT_FALSE(view.deadlocked());
    view.setCursor(0);
    EXPECT_FALSE(view.coffman().mutualExclusion);
    EXPECT_FALSE(view.coffman().circularWait);

    StateBoard board;
    board.setAnimated(false);
    board.setSource(source("deadlock"));
    board.setTrace(r.trace);
    board.setCursor(ts);
    int blocked = 0;
    for (const ActorInfo& info : r.trace->actors())
        if (info.kind == ActorKind::Thread && board.cardState(info.id) == State::Blocked) ++blocked;
    EXPECT_EQ(blocked, 2);
    look(board, "deadlock_board");
}

namespace {

// The engine's wait-for facts at time t, folded here straight from the trace's events (not through
// the view's model), the way the engine's WaitForGraph recorded them.
struct EngineFacts {
    std::array<std::optional<std::pair<CoffmanStatus, std::string>>, kCoffmanCount> coffman;
    std::set<std::pair<std::uint32_t, std::uint32_t>> waits;              // (thread, lock)
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t> holds; // (lock, thread) -> levels
    std::vector<ActorId> cycle;
    bool deadlocked = false;
};

EngineFacts factsAt(const Trace& t, std::int64_t ts)
{
    EngineFacts f;
    std::vector<ActorId> steps;
    for (const Event& e : t.events()) {
        if (e.ts > ts) break;
        if (e.kind == EventKind::WaitEdgeAdded) f.waits.insert({e.actor.value, e.target.value});
        if (e.kind == EventKind::WaitEdgeRemoved) f.waits.erase({e.actor.value, e.target.value});
        if (e.kind == EventKind::HoldEdgeAdded || e.kind == EventKind::HoldEdgeRemoved) {
            if (e.value > 0) f.holds[{e.target.value, e.actor.value}] = e.value;
            else f.holds.erase({e.target.value, e.actor.value});
        }
        if (e.kind == EventKind::CycleEdge) steps.insert(steps.end(), {e.actor, e.target});
        if (e.kind == EventKind::Deadlock) f.deadlocked = true;
        if (const auto c = coffmanChange(e)) {
            f.coffman[static_cast<std::size_t>(c->condition)] = {{c->status, std::string(t.text(e))}};
            if (c->condition == CoffmanCondition::CircularWait)
                f.cycle = c->status == CoffmanStatus::Met ? steps : std::vector<ActorId>{};
        }
    }
    return f;
}

// At every moment of the run at which something was recorded, the wait-for view shows exactly the
// engine's facts: each Coffman condition's status and reason, every edge, the cycle.
void expectViewIsTheEngine(const RunResult& r, WaitForGraphView& view)
{
    std::set<std::int64_t> times;
    for (const Event& e : r.trace->events()) times.insert(e.ts);
    for (const std::int64_t ts : times) {
        view.setCursor(ts);
        const EngineFacts f = factsAt(*r.trace, ts);
        const WaitForModel& m = view.model();
        const auto rows = view.checklist();
        ASSERT_EQ(rows.size(), kCoffmanCount);
        for (std::size_t i = 0; i < kCoffmanCount; ++i) {
            const auto c = static_cast<CoffmanCondition>(i);
            const auto& fact = m.fact(c);
            const CoffmanStatus engine = f.coffman[i] ? f.coffman[i]->first : CoffmanStatus::Unmet;
            ASSERT_EQ(fact.recorded, f.coffman[i].has_value()) << coffmanConditionName(c) << " at " << ts;
            ASSERT_EQ(fact.status, engine) << coffmanConditionName(c) << " at " << ts;
            ASSERT_EQ(rows[i].status, engine) << coffmanConditionName(c) << " at " << ts;
            if (f.coffman[i]) {
                ASSERT_EQ(rows[i].evidence, QString::fromStdString(f.coffman[i]->second)) << "at " << ts;
            }
        }
        std::set<std::pair<std::uint32_t, std::uint32_t>> waits;
        for (const auto& w : m.waits()) waits.insert({w.thread.value, w.lock.value});
        ASSERT_EQ(waits, f.waits) << "at " << ts;
        std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t> holds;
        for (const auto& h : m.holds().holds()) holds[{h.lock.value, h.thread.value}] = h.count;
        ASSERT_EQ(holds, f.holds) << "at " << ts;
        ASSERT_EQ(m.cycle(), f.cycle) << "at " << ts;
        ASSERT_EQ(view.deadlocked(), f.deadlocked) << "at " << ts;
    }
}

} // namespace

TEST(RealLessonViews, WaitForViewShowsTheEngineFactsAtEveryStepOfTrylockBackoff)
{
    const RunResult r = run("deadlock", "trylock-backoff");
    ASSERT_TRUE(r.trace);
    ASSERT_GE(r.summary.value("retries", 0L), 1L) << r.summary.dump();
    WaitForGraphView view;
    ASSERT_TRUE(view.appliesTo(*r.trace));
    view.setTrace(r.trace);
    expectViewIsTheEngine(r, view);
    // And what that story is: giving a lock back broke no preemption, and no cycle ever closed.
    view.setCursor(kEnd);
    EXPECT_EQ(view.model().fact(CoffmanCondition::NoPreemption).status, CoffmanStatus::Broken);
    EXPECT_FALSE(view.coffman().noPreemption);
    EXPECT_FALSE(view.coffman().circularWait);
    EXPECT_TRUE(view.checklist()[2].evidence.contains(QStringLiteral("no preemption broken")));
    look(view, "deadlock_trylock_waitfor");
}

TEST(RealLessonViews, WaitForViewShowsTheEngineFactsAtEveryStepOfOppositeOrder)
{
    const RunResult r = run("deadlock", "opposite-order");
    ASSERT_TRUE(r.trace);
    WaitForGraphView view;
    view.setTrace(r.trace);
    expectViewIsTheEngine(r, view);
    view.setCursor(kEnd);
    EXPECT_TRUE(view.coffman().all());
    EXPECT_EQ(view.model().cycle().size(), 4u);
}

TEST(RealLessonViews, PhilosophersCycleHasEveryPhilosopher)
{
    const RunResult r = run("deadlock", "philosophers", {{"n", "5"}, {"fix", "none"}});
    ASSERT_TRUE(r.trace);
    WaitForGraphView view;
    view.setTrace(r.trace);
    view.setCursor(kEnd);
    if (!r.summary.value("deadlocked", false)) GTEST_SKIP() << "this run did not deadlock: " << r.summary.dump();
    EXPECT_TRUE(view.deadlocked());
    EXPECT_EQ(view.cycleText().count(QStringLiteral("waits for")), 5) << view.cycleText().toStdString();
    EXPECT_TRUE(view.coffman().all());
    // Whatever order the threads happened to start in, the cycle is the ring.
    EXPECT_TRUE(viewtest::edgesJoinNeighbours(view.model(), view.seating()));
    look(view, "philosophers_waitfor");
}

TEST(RealLessonViews, OrderedLocksNeverCloseACycle)
{
    const RunResult r = run("deadlock", "ordered");
    ASSERT_TRUE(r.trace);
    ASSERT_FALSE(r.summary.value("deadlocked", true));
    WaitForGraphView view;
    view.setTrace(r.trace);
    // At no cursor position does the view find a cycle.
    for (const Event& e : r.trace->events()) {
        view.setCursor(e.ts);
        ASSERT_FALSE(view.coffman().circularWait) << "at " << e.ts;
    }
}

TEST(RealLessonViews, SelfDeadlockNamesItself)
{
    const RunResult r = run("deadlock", "self-deadlock");
    ASSERT_TRUE(r.trace);
    WaitForGraphView view;
    ASSERT_TRUE(view.appliesTo(*r.trace));
    view.setTrace(r.trace);
    view.setCursor(kEnd);
    EXPECT_TRUE(view.deadlocked());
    EXPECT_TRUE(view.cycleText().endsWith(QStringLiteral("held by itself"))) << view.cycleText().toStdString();
}

TEST(RealLessonViews, ConditionDialogueMatchesTheTranscript)
{
    const RunResult r = run("condition", "correct");
    ASSERT_TRUE(r.trace);
    ConditionView view;
    ASSERT_TRUE(view.appliesTo(*r.trace));
    WaitForGraphView waitFor;
    EXPECT_FALSE(waitFor.appliesTo(*r.trace)) << "the condition's locks are the condition view's";
    view.setTrace(r.trace);
    view.setCursor(kEnd);
    QStringList expected;
    for (const auto& line : r.summary.at("transcript")) expected << summaryName(line);
    EXPECT_EQ(view.transcript(), expected);
    EXPECT_EQ(static_cast<int>(view.model().notifies().size()), r.summary.value("notifies", -1));
    EXPECT_EQ(view.model().waits(), r.summary.value("waits", -1));
    EXPECT_TRUE(view.model().lock().valid());
    look(view, "condition_end");
    // Midway: someone waits on its own waiter lock.
    bool sawQueued = false;
    for (const Event& e : r.trace->events()) {
        if (e.kind != EventKind::WaiterQueued) continue;
        view.setCursor(e.ts);
        for (const auto& w : view.model().waiters())
            if (w.status == ConditionModel::WaiterStatus::Queued && w.lock == e.target) sawQueued = true;
        break;
    }
    EXPECT_TRUE(sawQueued);
}

TEST(RealLessonViews, ConditionWrongStartLosesTheFirstNotify)
{
    const RunResult r = run("condition", "wrong-start");
    ASSERT_TRUE(r.trace);
    ConditionView view;
    view.setTrace(r.trace);
    view.setCursor(kEnd);
    EXPECT_EQ(view.model().stalled(), r.summary.value("stalled", false));
    ASSERT_FALSE(view.model().notifies().empty());
    EXPECT_TRUE(view.model().notifies().front().woken.empty()) << "nobody waited for the first notify";
    look(view, "condition_wrong_start");
}

TEST(RealLessonViews, GilSwitchesMatchTheSummary)
{
    const RunResult r = run("gil", "cpu-threads", {{"count", "4000000"}, {"switch_interval_ms", "1"}});
    ASSERT_TRUE(r.trace);
    GilView view;
    view.setSource(source("gil"));
    ASSERT_TRUE(view.appliesTo(*r.trace));
    view.setTrace(r.trace);
    view.setCursor(kEnd);
    EXPECT_EQ(static_cast<std::int64_t>(view.switches()), r.summary.value("gil_switches", std::int64_t{-1}))
        << r.summary.dump();
    EXPECT_GT(view.switches(), 0u);
    EXPECT_NEAR(static_cast<double>(view.intervalNs()), 1e6, 0.5e6) << "the switch interval, from the trace";
    // Mid-run: somebody holds the GIL. A hand-over leaves it free for some microseconds, so look
    // at the first moment after the middle at which a thread has just taken it.
    std::int64_t mid = r.trace->endTs() / 2;
    for (auto i = r.trace->lowerBound(mid).value; i < r.trace->eventCount(); ++i)
        if (r.trace->events()[i].kind == EventKind::GilTaken) {
            mid = r.trace->events()[i].ts;
            break;
        }
    view.setCursor(mid);
    EXPECT_FALSE(view.holderName().isEmpty());
    look(view, "gil_mid");
    StateBoard board;
    board.setAnimated(false);
    board.setSource(source("gil"));
    board.setTrace(r.trace);
    board.setCursor(mid);
    look(board, "gil_board");
}

TEST(RealLessonViews, FdGridHasOneCellPerWatchedFd)
{
    const RunResult r = run("iomux", "select", {{"fds", "300"}, {"rounds", "20"}, {"warmup", "2"}});
    ASSERT_TRUE(r.trace);
    FdGridView view;
    view.setSource(source("iomux"));
    ASSERT_TRUE(view.appliesTo(*r.trace));
    view.setTrace(r.trace);
    view.setCursor(kEnd);
    EXPECT_EQ(view.cellCount(), 300);
    EXPECT_EQ(view.muxKind(), QStringLiteral("select"));
    EXPECT_EQ(view.model().watched(), 300);
    EXPECT_GE(view.model().lastCall().copied, 300);
    EXPECT_GE(view.model().lastCall().scanned, 300);
    look(view, "iomux_select");

    const RunResult e = run("iomux", "epoll-lt", {{"fds", "2000"}, {"rounds", "20"}, {"warmup", "2"}});
    ASSERT_TRUE(e.trace);
    view.setTrace(e.trace);
    view.setCursor(kEnd);
    EXPECT_EQ(view.cellCount(), 2000);
    EXPECT_EQ(view.muxKind(), QStringLiteral("epoll-lt"));
    // Mid-run some fd is readable, and epoll examined only the ready ones.
    bool sawReady = false;
    for (const Event& ev : e.trace->events()) {
        if (ev.kind == EventKind::MuxWaitEnd && ev.value > 0) {
            view.setCursor(ev.ts);
            sawReady = view.model().readyNow() > 0;
            view.setCursor(ev.ts + 1); // past the scan that follows
            break;
        }
    }
    EXPECT_TRUE(sawReady);
    EXPECT_LT(view.model().lastCall().scanned, 2000) << "epoll examines the ready list only";
    look(view, "iomux_epoll");

    // hang_up(): right after the clients closed their ends every cell shows a hang-up; at the end
    // the server has closed them all and nothing is ready any more.
    std::int64_t lastHangUp = -1;
    for (const Event& ev : e.trace->events())
        if (ev.kind == EventKind::FdReady && (ev.value & FdGridModel::kHangup) != 0) lastHangUp = ev.ts;
    ASSERT_GE(lastHangUp, 0);
    view.setCursor(lastHangUp);
    EXPECT_EQ(view.model().readyNow(), 2000);
    look(view, "iomux_hangup");
    view.setCursor(kEnd);
    EXPECT_EQ(view.model().readyNow(), 0);
}

TEST(RealLessonViews, GeneratorStateMatchesTheTranscriptAfterEachOp)
{
    for (const char* gen : {"averager", "guarded", "stubborn", "consumer", "delegator"}) {
        SCOPED_TRACE(gen);
        const RunResult r =
            run("generator", "script",
                {{"gen", gen}, {"script", "next;send:10;throw:ValueError;send:null;close;next"}});
        ASSERT_TRUE(r.trace);
        GeneratorView view;
        view.setSource(source("generator"));
        ASSERT_TRUE(view.appliesTo(*r.trace));
        view.setTrace(r.trace);
        const auto& transcript = r.summary.at("transcript");
        // Operation i starts with the caller's i-th send / throw / close to the driven generator and
        // ends with the generator's answer to the caller (and the state change right after it).
        // After the last operation the script ends and a suspended generator is finalised, so
        // the end of the trace is not "after the last operation".
        const std::vector<std::int64_t> after = replyTimes(*r.trace, view.generator(), view.caller());
        // close() on a closed generator does nothing at all (no transfer): it has no answer event.
        std::size_t next = 0;
        std::string state = "GEN_CREATED";
        for (std::size_t i = 0; i < transcript.size(); ++i) {
            const std::string expected = transcript[i].at("state").get<std::string>();
            if (transcript[i].at("op") == "close" && state == "GEN_CLOSED") {
                EXPECT_EQ(expected, "GEN_CLOSED");
                continue;
            }
            ASSERT_LT(next, after.size()) << r.summary.dump() << "\n" << dump(*r.trace);
            view.setCursor(after[next++]);
            state = view.generatorState().toStdString();
            EXPECT_EQ(state, expected) << "after op " << i << ": " << transcript[i].dump() << "\n" << dump(*r.trace);
        }
        EXPECT_EQ(next, after.size());
        view.setCursor(kEnd);
        look(view, std::string("generator_") + gen);
    }
}

TEST(RealLessonViews, YieldFromChainWhileDelegating)
{
    const RunResult r = run("generator", "script", {{"gen", "delegator"}, {"script", "next;send:4"}});
    ASSERT_TRUE(r.trace);
    GeneratorView view;
    view.setTrace(r.trace);
    // After send:4 answers (before the script's end finalises the generator with a close()).
    const auto after = replyTimes(*r.trace, view.generator(), view.caller());
    ASSERT_GE(after.size(), 2u) << dump(*r.trace);
    view.setCursor(after[1]);
    ASSERT_EQ(view.delegationChain().size(), 2u) << dump(*r.trace);
    EXPECT_EQ(view.delegationChain()[0], view.generator());
    EXPECT_EQ(view.generatorState(), QStringLiteral("GEN_SUSPENDED"));
    EXPECT_TRUE(view.transferLabels().contains(QStringLiteral("send(4)")));
    look(view, "generator_yield_from");
    view.setCursor(kEnd);
    EXPECT_EQ(view.generatorState(), QStringLiteral("GEN_CLOSED")) << "finalised when the script ends";
    EXPECT_EQ(view.delegationChain().size(), 1u);
}

TEST(RealLessonViews, LiveSnapshotsEndWhereAFreshReplayEnds)
{
    // A live run hands the views a new snapshot every frame with the cursor at its end; the views
    // continue from where they were. At the end they must agree with views fed the final trace.
    RunRequest req;
    req.lesson = LessonLoader::find("condition", LOCKSTEP_SOURCE_LESSONS);
    req.variant = "correct";
    LessonRunner runner(std::move(req));
    ConditionView live;
    StateBoard board;
    board.setAnimated(false);
    runner.start();
    int frames = 0;
    for (;;) {
        const bool done = runner.wait(std::chrono::milliseconds(2));
        const auto snap = runner.snapshot();
        if (snap) {
            live.setTrace(snap);
            live.setCursor(snap->endTs());
            board.setTrace(snap);
            board.setCursor(snap->endTs());
            ++frames;
        }
        if (done) break;
    }
    const RunResult r = runner.wait();
    ASSERT_TRUE(r.trace);
    live.setTrace(r.trace);
    live.setCursor(kEnd);
    ConditionView fresh;
    fresh.setTrace(r.trace);
    fresh.setCursor(kEnd);
    EXPECT_GT(frames, 0);
    EXPECT_EQ(live.transcript(), fresh.transcript());
    EXPECT_EQ(live.model().notifies().size(), fresh.model().notifies().size());
    EXPECT_EQ(live.model().waits(), fresh.model().waits());
    StateBoard freshBoard;
    freshBoard.setAnimated(false);
    freshBoard.setTrace(r.trace);
    freshBoard.setCursor(kEnd);
    EXPECT_EQ(board.cardCount(), freshBoard.cardCount());
    for (const ActorInfo& a : r.trace->actors()) {
        if (isExecutor(a.kind)) {
            EXPECT_EQ(board.cardState(a.id), freshBoard.cardState(a.id)) << a.name;
        }
    }
}

TEST(RealLessonViews, EngineMessagesAreShownInTheUiLanguage)
{
    // Every fixed message the engine writes into a trace (stalls, marks) is known to EngineText:
    // shown in Chinese in a Chinese UI with its numbers and names kept, unchanged in English.
    std::vector<std::string> texts;
    const auto collect = [&](const RunResult& r) {
        ASSERT_TRUE(r.trace);
        for (std::uint64_t i = 0; i < r.trace->eventCount(); ++i) {
            const Event& e = r.trace->event(EventIndex(i));
            if ((e.kind == EventKind::Stalled || e.kind == EventKind::Mark || e.kind == EventKind::Coffman)
                && e.text.valid())
                texts.emplace_back(r.trace->text(e));
        }
    };
    collect(run("condition", "wrong-start"));
    collect(run("deadlock", "trylock-backoff"));
    collect(run("deadlock", "opposite-order"));
    collect(run("iomux", "et-partial-read", {{"fds", "20"}, {"rounds", "5"}}));
    collect(run("iomux", "epoll-lt", {{"fds", "20"}, {"rounds", "5"}}));
    collect(run("iomux", "poll", {{"fds", "20"}, {"rounds", "5"}}));
    collect(run("gil", "cpu-sequential", {{"count", "1000"}}));
    ASSERT_GE(texts.size(), 6u);

    ASSERT_TRUE(Translations::install(Lang::Zh));
    for (const std::string& raw : texts) {
        const QString shown = EngineText::display(raw);
        EXPECT_NE(shown, QString::fromStdString(raw)) << raw << ": not translated";
        bool hasCjk = false;
        for (const QChar c : shown) hasCjk = hasCjk || (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF);
        EXPECT_TRUE(hasCjk) << raw;
        // The numbers of the message survive.
        static const QRegularExpression number(QStringLiteral("\\d+"));
        for (auto it = number.globalMatch(QString::fromStdString(raw)); it.hasNext();) {
            const QString n = it.next().captured();
            EXPECT_TRUE(shown.contains(n)) << raw << " lost " << n.toStdString();
        }
    }
    EXPECT_EQ(EngineText::display("RuntimeError: cannot wait on un-acquired lock"),
              QStringLiteral("RuntimeError: cannot wait on un-acquired lock"));
    ASSERT_TRUE(Translations::install(Lang::En));
    for (const std::string& raw : texts) EXPECT_EQ(EngineText::display(raw), QString::fromStdString(raw));
}
