// Lesson views on synthetic traces that mimic what the engine records: each view reconstructs the
// state at the cursor, so these tests move the cursor forward, back and forward again.

#include "test_views_traces.h"

#include "views/ConditionView.h"
#include "views/FdGridView.h"
#include "views/GeneratorView.h"
#include "views/GilView.h"
#include "views/StateBoard.h"
#include "views/TraceReplay.h"
#include "views/ViewFactory.h"
#include "views/WaitForGraphView.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QImage>
#include <QSet>

#include <limits>
#include <memory>
#include <random>

using namespace lockstep;
using namespace lockstep::ui;
using namespace lockstep::viewtest;

static void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }

namespace {

constexpr std::int64_t kEnd = std::numeric_limits<std::int64_t>::max();

// A view's pixels say something: not one flat colour, several colours, a fair share of ink.
void expectNotBlank(const QImage& img, const char* what)
{
    ASSERT_FALSE(img.isNull()) << what;
    const QRgb bg = img.pixel(0, 0);
    QSet<QRgb> colours;
    qint64 differing = 0;
    for (int y = 0; y < img.height(); y += 2) {
        for (int x = 0; x < img.width(); x += 2) {
            const QRgb c = img.pixel(x, y);
            if (c != bg) ++differing;
            if (colours.size() < 64) colours.insert(c);
        }
    }
    const qint64 sampled = static_cast<qint64>(img.width() / 2) * (img.height() / 2);
    EXPECT_GT(differing, sampled / 50) << what << ": almost everything is background";
    EXPECT_GE(colours.size(), 8) << what << ": too few colours";
}

QImage render(LessonView& view, QSize size, const char* pngName = nullptr)
{
    view.resize(size);
    const QImage img = view.grab().toImage();
    if (const char* dir = std::getenv("LOCKSTEP_VIEWS_PNG_DIR"); dir && pngName) {
        QDir().mkpath(QString::fromLocal8Bit(dir));
        const QString file = QString::fromLatin1(pngName) + QStringLiteral(".png");
        img.save(QString::fromLocal8Bit(dir) + QLatin1Char('/') + file);
    }
    return img;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// TraceReplay: checkpoints and live continuation give exactly what a fresh replay gives.

namespace {
struct SumModel {
    std::int64_t sum = 0;
    std::int64_t count = 0;
    void reset(const Trace&) {}
    void apply(const Trace&, const Event& e)
    {
        sum += e.value;
        ++count;
    }
};
} // namespace

TEST(TraceReplay, RandomSeeksMatchPrefixSums)
{
    TraceBuilder b;
    const ActorId a = b.addActor(ActorKind::Thread, "T");
    std::vector<std::int64_t> prefix{0};
    for (int i = 0; i < 60'000; ++i) {
        Event e;
        e.ts = i * 10;
        e.actor = a;
        e.value = (i * 7919) % 1000;
        b.append(e);
        prefix.push_back(prefix.back() + e.value);
    }
    TraceReplay<SumModel> replay;
    EXPECT_TRUE(replay.setTrace(b.snapshot()));
    std::mt19937 rng(7);
    for (int k = 0; k < 200; ++k) {
        const int i = static_cast<int>(rng() % 60'000);
        replay.seek(static_cast<std::int64_t>(i) * 10); // events with ts <= cursor: i + 1 of them
        ASSERT_EQ(replay.applied(), static_cast<std::size_t>(i + 1));
        ASSERT_EQ(replay.model().count, i + 1);
        ASSERT_EQ(replay.model().sum, prefix[static_cast<std::size_t>(i + 1)]);
    }
    replay.seek(-1);
    EXPECT_EQ(replay.model().count, 0);
}

TEST(TraceReplay, NewSnapshotOfTheSameRunContinues)
{
    TraceBuilder b;
    const ActorId a = b.addActor(ActorKind::Thread, "T");
    auto add = [&](int from, int to) {
        for (int i = from; i < to; ++i) {
            Event e;
            e.ts = i;
            e.actor = a;
            e.value = 1;
            b.append(e);
        }
    };
    add(0, 100);
    TraceReplay<SumModel> replay;
    EXPECT_TRUE(replay.setTrace(b.snapshot()));
    replay.seek(kEnd);
    EXPECT_EQ(replay.model().sum, 100);
    add(100, 250);
    EXPECT_FALSE(replay.setTrace(b.snapshot())) << "a later snapshot of the same run must continue";
    replay.seek(kEnd);
    EXPECT_EQ(replay.model().sum, 250);

    TraceBuilder other;
    other.addActor(ActorKind::Thread, "T");
    for (int i = 0; i < 300; ++i) {
        Event e;
        e.ts = i;
        e.actor = a;
        e.value = 2;
        other.append(e);
    }
    EXPECT_TRUE(replay.setTrace(other.snapshot())) << "another run must start over";
    replay.seek(kEnd);
    EXPECT_EQ(replay.model().sum, 600);
}

// ---------------------------------------------------------------------------------------------
// Wait-for graph

TEST(WaitForGraphView, DeadlockCycleIsNamedAndAllFourCoffmanConditionsTick)
{
    const DeadlockTrace d = deadlockTrace();
    WaitForGraphView view;
    ASSERT_TRUE(view.appliesTo(*d.trace));
    view.setTrace(d.trace);
    view.setCursor(kEnd);
    EXPECT_TRUE(view.deadlocked());
    EXPECT_EQ(view.cycleText(), QStringLiteral("T1 waits for lock_b held by T2, which waits for lock_a held by T1"));
    const auto c = view.coffman();
    EXPECT_TRUE(c.mutualExclusion);
    EXPECT_TRUE(c.holdAndWait);
    EXPECT_TRUE(c.noPreemption);
    EXPECT_TRUE(c.circularWait);
    // Frozen at the deadlock: the teardown's releases after it do not dissolve the cycle.
    EXPECT_EQ(view.model().holds().holds().size(), 2u);
    EXPECT_EQ(view.nodeCount(), 4);
}

TEST(WaitForGraphView, BeforeTheDeadlockNotAllConditionsHold)
{
    const DeadlockTrace d = deadlockTrace();
    WaitForGraphView view;
    view.setTrace(d.trace);
    view.setCursor(10 * kMs + 500'000); // T1 waits for lock_b; T2 has not asked for lock_a yet
    EXPECT_FALSE(view.deadlocked());
    EXPECT_TRUE(view.cycleText().isEmpty());
    const auto c = view.coffman();
    EXPECT_TRUE(c.mutualExclusion);
    EXPECT_TRUE(c.holdAndWait);
    EXPECT_TRUE(c.noPreemption);
    EXPECT_FALSE(c.circularWait);
    EXPECT_FALSE(c.all());
}

TEST(WaitForGraphView, ScrubbingBackUnticksAndForwardTicksAgain)
{
    const DeadlockTrace d = deadlockTrace();
    WaitForGraphView view;
    view.setTrace(d.trace);
    view.setCursor(kEnd);
    ASSERT_TRUE(view.coffman().all());
    view.setCursor(2 * kMs + 500'000); // before the second acquire
    auto c = view.coffman();
    EXPECT_FALSE(view.deadlocked());
    EXPECT_FALSE(c.mutualExclusion);
    EXPECT_FALSE(c.holdAndWait);
    EXPECT_FALSE(c.circularWait);
    EXPECT_TRUE(c.noPreemption) << "lock_a is held by T1 and nobody can take it away";
    view.setCursor(kMs); // nothing held yet
    EXPECT_FALSE(view.coffman().noPreemption);
    view.setCursor(11 * kMs + 600'000);
    EXPECT_TRUE(view.coffman().all());
    EXPECT_EQ(view.cycleText(), QStringLiteral("T1 waits for lock_b held by T2, which waits for lock_a held by T1"));
}

TEST(WaitForGraphView, PhilosophersCycleGoesRoundTheTable)
{
    WaitForGraphView view;
    view.setTrace(philosophersTrace(5));
    view.setCursor(kEnd);
    EXPECT_TRUE(view.coffman().all());
    EXPECT_EQ(view.cycleText(),
              QStringLiteral("P0 waits for fork1 held by P1, which waits for fork2 held by P2, which waits for fork3 "
                             "held by P3, which waits for fork4 held by P4, which waits for fork0 held by P0"));
    EXPECT_EQ(view.nodeCount(), 10);
    // Seating: each philosopher sits between the fork it holds and the fork it waits for.
    const auto ring = view.seating();
    ASSERT_EQ(ring.size(), 10u);
    EXPECT_TRUE(edgesJoinNeighbours(view.model(), ring));
    // And before the deadlock too (the seating does not move while scrubbing).
    view.setCursor(12 * kMs);
    EXPECT_EQ(view.seating(), ring);
    EXPECT_TRUE(edgesJoinNeighbours(view.model(), ring));
}

TEST(WaitForGraphView, SelfDeadlockNamesItself)
{
    WaitForGraphView view;
    const auto trace = selfDeadlockTrace();
    EXPECT_TRUE(view.appliesTo(*trace)) << "one thread can deadlock on its own";
    view.setTrace(trace);
    view.setCursor(kEnd);
    EXPECT_EQ(view.cycleText(), QStringLiteral("T1 waits for lock held by itself"));
    EXPECT_TRUE(view.coffman().all());
}

TEST(WaitForGraphView, AppliesOnlyToRunsWithLocks)
{
    WaitForGraphView view;
    EXPECT_FALSE(view.appliesTo(*gilTrace().trace));
    EXPECT_FALSE(view.appliesTo(*fdTrace(10, "poll").trace));
    EXPECT_FALSE(view.appliesTo(*conditionTrace().trace)) << "a Condition's own locks are the condition view's";
}

// ---------------------------------------------------------------------------------------------
// State board

TEST(StateBoard, CardsShowStateHoldsAndWaits)
{
    const DeadlockTrace d = deadlockTrace();
    StateBoard board;
    board.setAnimated(false);
    ASSERT_TRUE(board.appliesTo(*d.trace));
    board.setTrace(d.trace);
    EXPECT_EQ(board.cardCount(), 3);
    board.setCursor(10 * kMs + 500'000);
    EXPECT_EQ(board.cardState(d.t1), State::Blocked);
    EXPECT_EQ(board.holdsOf(d.t1), QStringList{QStringLiteral("lock_a")});
    EXPECT_EQ(board.waitsForOf(d.t1), QStringLiteral("lock_b"));
    EXPECT_EQ(board.cardState(d.t2), State::Sleeping);
    board.setCursor(kEnd);
    EXPECT_EQ(board.cardState(d.t1), State::Terminated);
    EXPECT_TRUE(board.holdsOf(d.t1).isEmpty());
    board.setCursor(2 * kMs);
    EXPECT_EQ(board.cardState(d.t1), State::Running);
    EXPECT_EQ(board.holdsOf(d.t1), QStringList{QStringLiteral("lock_a")});
    EXPECT_TRUE(board.waitsForOf(d.t1).isEmpty());
}

TEST(StateBoard, GilHolderAndWaiter)
{
    const GilTrace g = gilTrace();
    StateBoard board;
    board.setAnimated(false);
    board.setTrace(g.trace);
    board.setCursor(3 * kMs);
    EXPECT_EQ(board.holdsOf(g.t1), QStringList{QStringLiteral("GIL")});
    EXPECT_EQ(board.cardState(g.t2), State::Ready);
    EXPECT_EQ(board.waitsForOf(g.t2), QStringLiteral("GIL"));
}

TEST(StateBoard, ConditionWaiterLockIsNotShownAsHeld)
{
    const ConditionTrace c = conditionTrace();
    StateBoard board;
    board.setAnimated(false);
    board.setTrace(c.trace);
    board.setCursor(3 * kMs);
    EXPECT_EQ(board.cardState(c.xiaoai), State::Waiting);
    EXPECT_TRUE(board.holdsOf(c.xiaoai).isEmpty());
    EXPECT_EQ(board.waitsForOf(c.xiaoai), QStringLiteral("cond"));
    board.setCursor(kEnd);
    EXPECT_EQ(board.holdsOf(c.xiaoai), QStringList{QStringLiteral("cond.lock")});
}

TEST(StateBoard, AnimatedCardsSettleOnTheNewColour)
{
    const DeadlockTrace d = deadlockTrace();
    StateBoard board;
    board.setTrace(d.trace);
    board.show();
    board.setCursor(2 * kMs);
    board.setCursor(10 * kMs + 500'000);
    EXPECT_EQ(board.cardState(d.t1), State::Blocked);
    expectNotBlank(render(board, {1280, 800}), "board mid-fade");
}

// ---------------------------------------------------------------------------------------------
// GIL

TEST(GilView, HolderWaitersDropRequestAndSwitches)
{
    const GilTrace g = gilTrace();
    GilView view;
    ASSERT_TRUE(view.appliesTo(*g.trace));
    view.setTrace(g.trace);
    view.setCursor(3 * kMs);
    EXPECT_EQ(view.holderName(), QStringLiteral("T1"));
    EXPECT_EQ(view.waiterNames(), QStringList{QStringLiteral("T2")});
    EXPECT_FALSE(view.dropRequested());
    EXPECT_EQ(view.switches(), 1u) << "CPython's switch_number counts the first take";
    view.setCursor(7 * kMs + 5'000); // T2's timeout set the drop request; T1 has not dropped yet
    EXPECT_TRUE(view.dropRequested());
    EXPECT_EQ(view.holderName(), QStringLiteral("T1"));
    view.setCursor(7 * kMs + 25'000);
    EXPECT_FALSE(view.dropRequested());
    EXPECT_EQ(view.holderName(), QStringLiteral("T2"));
    EXPECT_EQ(view.waiterNames(), QStringList{QStringLiteral("T1")});
    EXPECT_EQ(view.switches(), 2u);
    view.setCursor(kEnd);
    EXPECT_EQ(view.switches(), 5u);
    view.setCursor(3 * kMs);
    EXPECT_EQ(view.switches(), 1u);
    view.setCursor(kMs / 2);
    EXPECT_EQ(view.switches(), 0u);
    EXPECT_EQ(view.model().intervalNs(), 5 * kMs);
}

TEST(GilView, SwitchIntervalComesFromTheTraceOrDefaultsToFiveMs)
{
    GilView view;
    view.setTrace(gilTrace(2 * kMs, true).trace);
    view.setCursor(kEnd);
    EXPECT_EQ(view.model().intervalNs(), 2 * kMs);
    EXPECT_TRUE(view.model().intervalFromTrace());
    EXPECT_EQ(view.intervalNs(), 2 * kMs);
    view.setTrace(gilTrace(3 * kMs, false).trace);
    view.setCursor(kEnd);
    EXPECT_EQ(view.model().intervalNs(), 5 * kMs);
    EXPECT_FALSE(view.model().intervalFromTrace());
    // Without the counter the view measures it: request -> drop request after one interval.
    EXPECT_NEAR(static_cast<double>(view.intervalNs()), 3e6, 0.05e6);
}

// The engine's "machine busy" mark (no free core for the effect): the view shows it from the
// instant it was recorded, never before, and never computes it itself.
TEST(GilView, AMachineBusyMarkIsShownFromItsInstant)
{
    Writer w;
    const ActorId main = w.b.addActor(ActorKind::Thread, "MainThread");
    const ActorId gil = w.b.addActor(ActorKind::Gil, "GIL");
    w.state(0, gil, State::Free);
    w.event(1 * kMs, EventKind::GilTaken, main, gil, 1);
    w.state(1 * kMs, gil, State::Held, main);
    const std::string note = "machine busy: 0.4 of 2 cores were free, this mode needs 2: what it shows here is not "
                             "what a quiet machine shows";
    w.event(5 * kMs, EventKind::Mark, {}, {}, 0, note);
    GilView view;
    view.setTrace(w.done(10 * kMs));
    view.resize(900, 600);
    view.setCursor(2 * kMs);
    EXPECT_TRUE(view.model().machineNote().empty());
    const QImage before = view.grab().toImage();
    view.setCursor(10 * kMs);
    EXPECT_EQ(view.model().machineNote(), note);
    EXPECT_NE(view.grab().toImage(), before) << "the note is drawn";
}

// ---------------------------------------------------------------------------------------------
// Condition

TEST(ConditionView, BothLayersAndTheDialogue)
{
    const ConditionTrace c = conditionTrace();
    ConditionView view;
    ASSERT_TRUE(view.appliesTo(*c.trace));
    view.setTrace(c.trace);
    view.setCursor(3 * kMs);
    EXPECT_EQ(view.model().lock(), c.lock);
    ASSERT_EQ(view.model().waiters().size(), 1u);
    EXPECT_EQ(view.model().waiters()[0].thread, c.xiaoai);
    EXPECT_EQ(view.model().waiters()[0].lock, c.waiter);
    EXPECT_EQ(view.model().waiters()[0].status, ConditionModel::WaiterStatus::Queued);
    EXPECT_TRUE(view.ownerName().isEmpty()) << "wait() released the lock";
    view.setCursor(5 * kMs + 500'000);
    EXPECT_EQ(view.ownerName(), QStringLiteral("天猫精灵"));
    EXPECT_EQ(view.transcript(), QStringList{QStringLiteral("天猫精灵: 小爱同学")});
    view.setCursor(6 * kMs + 50);
    ASSERT_EQ(view.model().waiters().size(), 1u);
    EXPECT_EQ(view.model().waiters()[0].status, ConditionModel::WaiterStatus::Released);
    ASSERT_EQ(view.model().notifies().size(), 1u);
    EXPECT_EQ(view.model().notifies()[0].woken, std::vector<ActorId>{c.xiaoai});
    view.setCursor(kEnd);
    EXPECT_TRUE(view.model().waiters().empty());
    EXPECT_EQ(view.ownerName(), QStringLiteral("小爱"));
    EXPECT_EQ(view.transcript(), (QStringList{QStringLiteral("天猫精灵: 小爱同学"), QStringLiteral("小爱: 在")}));
}

// ---------------------------------------------------------------------------------------------
// fd grid

TEST(FdGridView, OneCellPerFd)
{
    const FdTrace f = fdTrace(2000, "poll");
    FdGridView view;
    ASSERT_TRUE(view.appliesTo(*f.trace));
    view.setTrace(f.trace);
    view.setCursor(kEnd);
    EXPECT_EQ(view.cellCount(), 2000);
    EXPECT_EQ(view.muxKind(), QStringLiteral("poll"));
    EXPECT_EQ(view.model().watched(), 2000);
    EXPECT_EQ(view.model().lastCall().copied, 2000);
    EXPECT_EQ(view.model().lastCall().scanned, 2000);
    EXPECT_EQ(view.model().calls(), 3u);
    EXPECT_EQ(view.model().readyNow(), 10);
    EXPECT_EQ(view.fdSetSizeCell(), 1024 - 5) << "fd 1024 is the 1020th cell";
    view.setCursor(kMs);
    EXPECT_EQ(view.model().readyNow(), 0);
    EXPECT_EQ(view.model().calls(), 0u);
}

TEST(FdGridView, SixteenThousandCellsFitAndShrink)
{
    const FdTrace f = fdTrace(16000, "epoll-lt");
    FdGridView view;
    view.setTrace(f.trace);
    view.setCursor(kEnd);
    EXPECT_EQ(view.cellCount(), 16000);
    EXPECT_EQ(view.model().lastCall().copied, 0);
    EXPECT_EQ(view.model().lastCall().scanned, 10);
    expectNotBlank(render(view, {1280, 800}), "16000 fds");
    EXPECT_GE(view.cellPitch(), 2);
    const int bigPitch = view.cellPitch();
    FdGridView few;
    few.setTrace(fdTrace(20, "select").trace);
    few.setCursor(kEnd);
    render(few, {1280, 800});
    EXPECT_GT(few.cellPitch(), bigPitch) << "fewer fds, bigger cells";
}

// ---------------------------------------------------------------------------------------------
// Generator

TEST(GeneratorView, StateFollowsTheScript)
{
    const GeneratorTrace g = averagerTrace();
    GeneratorView view;
    ASSERT_TRUE(view.appliesTo(*g.trace));
    view.setTrace(g.trace);
    EXPECT_EQ(view.generator(), g.gen);
    EXPECT_EQ(view.caller(), g.main);
    view.setCursor(kMs / 2);
    EXPECT_EQ(view.generatorState(), QStringLiteral("GEN_CREATED"));
    view.setCursor(g.afterOp[0]);
    EXPECT_EQ(view.generatorState(), QStringLiteral("GEN_SUSPENDED"));
    view.setCursor(2 * kMs + 150);
    EXPECT_EQ(view.generatorState(), QStringLiteral("GEN_RUNNING"));
    view.setCursor(kEnd);
    EXPECT_EQ(view.generatorState(), QStringLiteral("GEN_CLOSED"));
    EXPECT_EQ(view.transferLabels(),
              (QStringList{QStringLiteral("next()"), QStringLiteral("yield None"), QStringLiteral("send(10)"),
                           QStringLiteral("yield 10.0"), QStringLiteral("send(20)"), QStringLiteral("yield 15.0"),
                           QStringLiteral("next()"), QStringLiteral("return [2, 15.0] (StopIteration)")}));
    view.setCursor(g.afterOp[1]);
    EXPECT_EQ(view.generatorState(), QStringLiteral("GEN_SUSPENDED"));
    EXPECT_EQ(view.transferLabels().size(), 4);
}

TEST(GeneratorView, YieldFromShowsTheDelegationChain)
{
    const GeneratorTrace g = delegatorTrace();
    GeneratorView view;
    view.setTrace(g.trace);
    view.setCursor(g.afterOp[0]);
    EXPECT_EQ(view.generator(), g.gen) << "the caller drives delegator, not its subgenerator";
    EXPECT_EQ(view.caller(), g.main);
    const auto chain = view.delegationChain();
    ASSERT_EQ(chain.size(), 2u);
    EXPECT_EQ(chain[0], g.gen);
    EXPECT_EQ(view.generatorState(), QStringLiteral("GEN_SUSPENDED"));
}

// ---------------------------------------------------------------------------------------------
// Factory and rendering

TEST(ViewFactory, OneOfEachAndAppliesToPicksTheLessonsViews)
{
    QWidget parent;
    const auto views = ViewFactory::createViews(&parent);
    ASSERT_EQ(views.size(), 11u);
    const DeadlockTrace d = deadlockTrace();
    int applying = 0;
    for (LessonView* v : views) {
        EXPECT_FALSE(v->title().isEmpty());
        EXPECT_EQ(v->parent(), &parent);
        if (v->appliesTo(*d.trace)) ++applying;
    }
    EXPECT_EQ(applying, 2) << "state board and wait-for graph";
    int gilApplying = 0;
    const auto g = gilTrace();
    for (LessonView* v : views)
        if (v->appliesTo(*g.trace)) ++gilApplying;
    EXPECT_EQ(gilApplying, 2) << "state board and GIL view";
}

TEST(LessonViews, EveryViewRendersSomethingAtClassroomSizes)
{
    struct Case {
        const char* name;
        std::unique_ptr<LessonView> view;
        std::shared_ptr<const Trace> trace;
        std::int64_t cursor;
    };
    const DeadlockTrace d = deadlockTrace();
    std::vector<Case> cases;
    cases.push_back({"board_deadlock", std::make_unique<StateBoard>(), d.trace, 10 * kMs + 500'000});
    cases.push_back({"board_gil", std::make_unique<StateBoard>(), gilTrace().trace, 8 * kMs});
    cases.push_back({"waitfor_deadlock", std::make_unique<WaitForGraphView>(), d.trace, kEnd});
    cases.push_back({"waitfor_before", std::make_unique<WaitForGraphView>(), d.trace, 10 * kMs + 500'000});
    cases.push_back({"waitfor_philosophers", std::make_unique<WaitForGraphView>(), philosophersTrace(5), kEnd});
    cases.push_back({"gil", std::make_unique<GilView>(), gilTrace().trace, 7 * kMs + 5'000});
    cases.push_back({"condition", std::make_unique<ConditionView>(), conditionTrace().trace, 6 * kMs + 50});
    cases.push_back({"fd_select", std::make_unique<FdGridView>(), fdTrace(1000, "select").trace, kEnd});
    cases.push_back({"fd_epoll16000", std::make_unique<FdGridView>(), fdTrace(16000, "epoll-et").trace, kEnd});
    cases.push_back({"generator", std::make_unique<GeneratorView>(), averagerTrace().trace, 3 * kMs + 500});
    cases.push_back({"generator_yield_from", std::make_unique<GeneratorView>(), delegatorTrace().trace, kEnd});
    for (Case& c : cases) {
        c.view->setSource(QStringLiteral("def averager():\n    total, count, avg = 0, 0, None\n    while True:\n"
                                         "        x = yield avg\n        if x is None:\n"
                                         "            return [count, avg]\n"));
        c.view->setTrace(c.trace);
        c.view->setCursor(c.cursor);
        expectNotBlank(render(*c.view, {1280, 800}, c.name), c.name);
        expectNotBlank(render(*c.view, {1920, 1080}, (std::string(c.name) + "_1080").c_str()), c.name);
        // As a tab / the board panel of the main window on a laptop.
        expectNotBlank(render(*c.view, {900, 480}, (std::string(c.name) + "_small").c_str()), c.name);
        c.view->setScale(2.0);
        expectNotBlank(render(*c.view, {1920, 1080}), c.name);
    }
}

TEST(LessonViews, EmptyViewsSayWhatIsMissing)
{
    QWidget parent;
    for (LessonView* v : ViewFactory::createViews(&parent)) {
        v->resize(800, 600);
        const QImage img = v->grab().toImage();
        EXPECT_FALSE(img.isNull());
        v->setTrace(nullptr);
        v->setCursor(0);
    }
}
