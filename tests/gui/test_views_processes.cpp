// The process tree (view and export) over real runs of the processes lesson: it must tell the
// story the run's summary tells, at every moment the cursor is put on.

#include "LessonRuns.h"
#include "render/Palette.h"
#include "render/ProcessTreePainter.h"
#include "render/TimelineExporter.h"
#include "render/ViewPainter.h"
#include "views/FuturesView.h"
#include "views/IoModelsView.h"
#include "views/ProcessTreeView.h"
#include "views/ServersView.h"

#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/LessonRunner.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QImage>
#include <QSet>

#include <limits>
#include <map>
#include <set>
#include <string>

using namespace lockstep;
using namespace lockstep::ui;

namespace {

RunResult run(const std::string& lesson, const std::string& variant, std::map<std::string, std::string> params = {})
{
    return viewtest::runShipped(lesson, variant, std::move(params));
}

ActorId actor(const Trace& t, const std::string& name)
{
    for (const ActorInfo& a : t.actors())
        if (a.name == name) return a.id;
    return {};
}

std::int64_t firstTs(const Trace& t, EventKind kind, ActorId who = {})
{
    for (const Event& e : t.events())
        if (e.kind == kind && (!who.valid() || e.actor == who || e.target == who)) return e.ts;
    return -1;
}

void save(QWidget& w, const std::string& name)
{
    if (const char* dir = std::getenv("LOCKSTEP_VIEWS_PNG_DIR")) {
        QDir().mkpath(QString::fromLocal8Bit(dir));
        w.grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/proc_") + QString::fromStdString(name)
            + QStringLiteral(".png"));
    }
}

} // namespace

TEST(ProcessTreeView, ZombiesStayInTheTreeUntilReapedAsTheSummarySays)
{
    const RunResult r = run("processes", "sigchld-once", { { "children", "3" }, { "linger_ms", "300" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const Trace& t = *r.trace;
    ProcessTreeView view;
    view.resize(1280, 800);
    view.setTrace(r.trace);
    EXPECT_TRUE(view.appliesTo(t));

    // Halfway through main's linger: the handler reaped one child, two are zombies under main.
    const std::int64_t reaped = firstTs(t, EventKind::Reap, actor(t, "main"));
    ASSERT_GT(reaped, 0);
    view.setCursor(reaped + 150'000'000);
    const ProcessTreeModel& m = view.model();
    EXPECT_EQ(m.zombies(), 2);
    int zombiesUnderMain = 0;
    for (const auto& n : m.nodes())
        if (n.letter == 'Z' && !n.reaped && n.parent == actor(t, "main")) ++zombiesUnderMain;
    EXPECT_EQ(zombiesUnderMain, 2);
    save(view, "sigchld_once_linger");

    // At the end: every child reaped, by whom the summary says.
    view.setCursor(std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(view.model().zombies(), 0);
    for (const auto& p : r.summary.at("processes")) {
        const ProcessTreeModel::Node* n = view.model().node(actor(t, p.at("name")));
        ASSERT_NE(n, nullptr) << p.dump();
        EXPECT_TRUE(n->reaped) << p.dump();
        EXPECT_EQ(t.actor(n->reaper)->name, p.at("reaped_by").get<std::string>()) << p.dump();
        EXPECT_EQ(n->pid, p.at("pid").get<std::int64_t>());
        EXPECT_EQ(n->ppid, p.at("ppid_final").get<std::int64_t>());
        EXPECT_EQ(n->exitCode, p.at("exit_code").get<std::int64_t>());
    }
}

TEST(ProcessTreeView, TheOrphanGlidesFromItsParentToTheSubreaper)
{
    const RunResult r = run("processes", "orphan", { { "parent_ms", "60" }, { "orphan_ms", "600" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const Trace& t = *r.trace;
    const ActorId child = actor(t, "child"), main = actor(t, "main"), lockstep = actor(t, "lockstep");
    const std::int64_t reparent = firstTs(t, EventKind::Reparent, child);
    ASSERT_GT(reparent, 0);
    ProcessTreeView view;
    view.resize(1280, 800);
    view.setTrace(r.trace);

    view.setCursor(reparent - 1);
    EXPECT_EQ(view.model().node(child)->parent, main);
    view.grab();
    const QPointF before = view.cardCentre(child);

    view.setCursor(reparent + 2'000'000'000LL > t.endTs() ? t.endTs() - 1 : reparent + 2'000'000'000LL);
    EXPECT_EQ(view.model().node(child)->parent, lockstep);
    EXPECT_EQ(view.model().node(child)->previousParent, main);
    view.grab();
    const QPointF after = view.cardCentre(child);
    EXPECT_LT(after.y(), before.y()) << "one level up: from under main to beside it";

    view.setCursor(reparent + 100'000'000); // a third of the way
    view.grab();
    const QPointF midway = view.cardCentre(child);
    save(view, "orphan_glide");
    EXPECT_LT(midway.y(), before.y());
    EXPECT_GT(midway.y(), after.y());
}

TEST(ProcessTreeExport, APictureOfARunWithProcessesHasTheTreeBelowTheTimeline)
{
    const RunResult procs = run("processes", "zombie", { { "linger_ms", "200" } });
    const RunResult threads = run("counter", "");
    ASSERT_TRUE(procs.trace && threads.trace);
    ExportOptions o;
    EXPECT_TRUE(ProcessTreePainter::applies(*procs.trace));
    EXPECT_FALSE(ProcessTreePainter::applies(*threads.trace));
    const QSize withTree = timelineExportSize(*procs.trace, o);
    const QSize plain = timelineExportSize(*threads.trace, o);
    EXPECT_EQ(plain.height(), 1080);
    EXPECT_GE(withTree.height(), 1080);

    // The child is a zombie in the middle of the run: the tree panel shows its Z card in the
    // zombie colour, so that colour appears in the lower part of the picture.
    o.cursor = firstTs(*procs.trace, EventKind::Exit, actor(*procs.trace, "child")) + 100'000'000;
    const QImage img = renderTimelineImage(*procs.trace, o);
    ASSERT_FALSE(img.isNull());
    const QColor zombie = Palette::style(State::Zombie).fill;
    int zombiePixelsBelow = 0;
    for (int y = img.height() - 500; y < img.height(); y += 2)
        for (int x = 0; x < img.width(); x += 2)
            zombiePixelsBelow += QColor(img.pixel(x, y)) == zombie;
    EXPECT_GT(zombiePixelsBelow, 200) << "no zombie card in the tree panel";
    if (const char* dir = std::getenv("LOCKSTEP_VIEWS_PNG_DIR"))
        img.save(QString::fromLocal8Bit(dir) + QStringLiteral("/proc_export_zombie.png"));
}

TEST(ProcessTreeView, KernelObjectsShowWhatTheEngineRecorded)
{
    const RunResult r = run("ipc", "pipe", { { "total_kb", "128" }, { "reader_delay_ms", "150" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const Trace& t = *r.trace;
    ProcessTreeView view;
    view.resize(1280, 800);
    view.setTrace(r.trace);
    // Halfway through the reader's late start: the writer filled the pipe and is blocked on it.
    view.setCursor(120'000'000);
    const auto& objects = view.model().objects();
    ASSERT_EQ(objects.size(), 1U);
    EXPECT_EQ(objects[0].kind, ActorKind::Pipe);
    EXPECT_EQ(objects[0].capacity, r.summary.at("pipe_capacity").get<std::int64_t>());
    EXPECT_EQ(objects[0].level, objects[0].capacity) << "full";
    const ProcessTreeModel::Node* main = view.model().node(actor(t, "main"));
    ASSERT_NE(main, nullptr);
    EXPECT_EQ(main->stateTarget, objects[0].id);
    EXPECT_EQ(main->state, State::BlockedIo);
    // Who has which end: main writes, the reader reads (each closed the other end).
    int mainRoles = 0, readerRoles = 0;
    for (const auto& [process, roles] : objects[0].users) {
        if (process == actor(t, "main")) mainRoles = roles;
        if (process == actor(t, "reader")) readerRoles = roles;
    }
    EXPECT_EQ(mainRoles, 2);
    EXPECT_EQ(readerRoles, 1);
    save(view, "ipc_pipe_full");
    // At the end every end is closed and the pipe is empty.
    view.setCursor(std::numeric_limits<std::int64_t>::max());
    EXPECT_TRUE(view.model().objects()[0].users.empty());
    EXPECT_EQ(view.model().objects()[0].level, 0);
}

TEST(FuturesView, ThePoolAtTheCursorIsWhatTheEngineRecorded)
{
    const RunResult r = run("futures", "cancel"); // 4 x 100 ms on one worker, task 2 cancelled
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    FuturesView view;
    view.resize(1280, 800);
    view.setTrace(r.trace);
    EXPECT_TRUE(view.appliesTo(*r.trace));
    view.setCursor(150'000'000); // task 1 running, 2 and 3 still queued
    const auto& m = view.model();
    ASSERT_EQ(m.futures().size(), 4U);
    EXPECT_EQ(m.futures()[0].state, "FINISHED");
    EXPECT_EQ(m.futures()[1].state, "RUNNING");
    EXPECT_EQ(m.futures()[2].state, "CANCELLED");
    EXPECT_EQ(m.futures()[3].state, "PENDING");
    EXPECT_EQ(m.queued(), 2);
    EXPECT_EQ(m.queueItems(), (std::vector<std::string> { "2", "3" })); // the queue's own record
    ASSERT_EQ(m.workers().size(), 1U);
    EXPECT_EQ(m.workers()[0].task, 1);
    save(view, "futures_cancel_midway");
    view.setCursor(std::numeric_limits<std::int64_t>::max());
    EXPECT_EQ(view.model().futures()[2].state, "CANCELLED_AND_NOTIFIED");
    // What came back, in the order MainThread printed it, as the summary's transcript says.
    std::vector<std::string> printed = view.model().printed();
    std::vector<std::string> transcript;
    for (const auto& l : r.summary.at("transcript"))
        transcript.push_back(l.get<std::string>());
    EXPECT_EQ(printed, transcript);
    EXPECT_EQ(view.model().futures()[2].result, "cancelled");
    EXPECT_EQ(view.model().futures()[3].resultOrder, 4);
}

// A ProcessPoolExecutor: its workers are processes, and the queue shown is the call queue, whose
// items are RUNNING before any worker has them (the manager thread marked them when it moved them
// there).
TEST(FuturesView, AProcessPoolsCallQueueHoldsRunningFutures)
{
    const RunResult r = run("futures", "script",
        { { "tasks", "300,300,300,300,300" }, { "workers", "2" }, { "mode", "as_completed" }, { "cancel", "-1" },
            { "executor", "processes" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    FuturesView view;
    view.resize(1280, 800);
    view.setTrace(r.trace);
    ASSERT_TRUE(view.appliesTo(*r.trace));
    view.setCursor(150'000'000); // tasks 0 and 1 computing in the two processes
    const auto& m = view.model();
    EXPECT_TRUE(m.callQueue());
    ASSERT_EQ(m.futures().size(), 5U);
    ASSERT_EQ(m.workers().size(), 2U);
    std::set<int> running;
    for (const auto& w : m.workers()) {
        EXPECT_EQ(ViewPainter::actorName(*r.trace, w.id).left(12), QStringLiteral("ForkProcess-"));
        running.insert(w.task);
    }
    EXPECT_EQ(running, (std::set<int> { 0, 1 }));
    EXPECT_EQ(m.futures()[0].state, "RUNNING");
    EXPECT_EQ(m.futures()[1].state, "RUNNING");
    ASSERT_FALSE(m.queueItems().empty());
    EXPECT_EQ(static_cast<std::int64_t>(m.queueItems().size()), m.queued());
    for (const std::string& item : m.queueItems())
        EXPECT_EQ(m.futures()[static_cast<std::size_t>(std::stoi(item))].state, "RUNNING") << item;
    save(view, "futures_process_pool_midway");
    view.setCursor(std::numeric_limits<std::int64_t>::max());
    for (const auto& f : view.model().futures())
        EXPECT_EQ(f.state, "FINISHED");
    std::vector<std::string> transcript;
    for (const auto& l : r.summary.at("transcript"))
        transcript.push_back(l.get<std::string>());
    EXPECT_EQ(view.model().printed(), transcript);
}

// multiprocessing.Queue: the pipe and main's buffer as the engine recorded them. Early in the run
// main has put every item; the pipe holds what the feeder could write and the buffer the rest.
TEST(ProcessTreeView, AQueuesPipeAndBufferAreWhatTheEngineRecorded)
{
    const RunResult r = run("ipc", "queue", { { "items", "12" }, { "item_kb", "16" }, { "get_ms", "40" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const Trace& t = *r.trace;
    ProcessTreeView view;
    view.resize(1280, 800);
    view.setTrace(r.trace);
    view.setCursor(100'000'000);
    const ProcessTreeModel::Object* pipe = nullptr;
    const ProcessTreeModel::Object* buffer = nullptr;
    for (const auto& o : view.model().objects()) {
        if (o.kind == ActorKind::Pipe) pipe = &o;
        if (o.kind == ActorKind::Queue) buffer = &o;
    }
    ASSERT_NE(pipe, nullptr);
    ASSERT_NE(buffer, nullptr);
    EXPECT_EQ(ViewPainter::actorName(t, buffer->id), QStringLiteral("Queue._buffer"));
    EXPECT_GT(pipe->level, 2 * 16 * 1024) << "the feeder filled the pipe";
    EXPECT_GT(buffer->level, 0) << "the rest waits in main's buffer";
    EXPECT_LE(buffer->level, 12);
    save(view, "ipc_queue_buffered");
    // At the end every item went through: both are empty.
    view.setCursor(std::numeric_limits<std::int64_t>::max());
    for (const auto& o : view.model().objects()) {
        if (o.kind == ActorKind::Pipe || o.kind == ActorKind::Queue) {
            EXPECT_EQ(o.level, 0) << ViewPainter::actorName(t, o.id).toStdString();
        }
    }
}

// The io-models view tells what the summary says: each model's phases and what its receive cost.
TEST(IoModelsView, EachModelsPhasesAndCostsAreWhatTheEngineMeasured)
{
    const RunResult r = run("io-models", "compare", { { "delay_ms", "100" }, { "bytes", "16384" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    IoModelsView view;
    view.resize(1280, 800);
    view.setTrace(r.trace);
    ASSERT_TRUE(view.appliesTo(*r.trace));
    // 50 ms in: the blocking receiver is asleep in recv(), waiting for the data.
    view.setCursor(50'000'000);
    ASSERT_FALSE(view.model().receivers().empty());
    const auto& first = view.model().receivers().front();
    EXPECT_EQ(first.model, "blocking");
    EXPECT_EQ(first.phase, IoModelsModel::Phase::Waiting);
    EXPECT_EQ(first.state, State::BlockedIo);
    save(view, "io_models_blocking_waits");
    view.setCursor(std::numeric_limits<std::int64_t>::max());
    const auto& rs = view.model().receivers();
    ASSERT_EQ(rs.size(), 5U);
    const auto& models = r.summary.at("models");
    for (std::size_t i = 0; i < rs.size(); ++i) {
        const auto& m = models.at(i);
        EXPECT_EQ(rs[i].model, m.at("model").get<std::string>());
        EXPECT_EQ(rs[i].phase, IoModelsModel::Phase::Done) << rs[i].model;
        if (!m.at("available").get<bool>()) continue;
        EXPECT_EQ(rs[i].syscalls, m.at("syscalls").get<std::int64_t>()) << rs[i].model;
        EXPECT_EQ(rs[i].eagain, m.at("eagain").get<std::int64_t>()) << rs[i].model;
        EXPECT_EQ(rs[i].copiedByKernel, m.at("copied_by") == "kernel") << rs[i].model;
        EXPECT_EQ(rs[i].threadBlocked, m.at("thread_blocked").get<bool>()) << rs[i].model;
    }
    save(view, "io_models_compare");
}

// The servers view tells what the race's summary says: per server, its peaks and its requests.
TEST(ServersView, EachServersPeaksAndLatenciesAreWhatTheEngineMeasured)
{
    const RunResult r = run("servers", "race", { { "clients", "4" }, { "requests", "5" }, { "work_us", "100" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    ServersView view;
    view.resize(1280, 900);
    view.setTrace(r.trace);
    ASSERT_TRUE(view.appliesTo(*r.trace));
    view.setCursor(std::numeric_limits<std::int64_t>::max());
    const auto& servers = view.model().servers();
    const auto& race = r.summary.at("race");
    ASSERT_EQ(servers.size(), race.size());
    for (std::size_t i = 0; i < servers.size(); ++i) {
        const auto& e = race.at(i);
        EXPECT_EQ(servers[i].design, e.at("server").get<std::string>());
        EXPECT_EQ(servers[i].latencyUs.size(), e.at("requests").get<std::size_t>()) << servers[i].design;
        EXPECT_EQ(servers[i].maxThreads, e.at("max_threads").get<int>()) << servers[i].design;
        EXPECT_EQ(servers[i].maxProcesses, e.at("max_processes").get<int>()) << servers[i].design;
        EXPECT_EQ(servers[i].maxFds, e.at("max_fds").get<int>()) << servers[i].design;
        EXPECT_NEAR(ServersModel::percentileMs(servers[i], 0.99), e.at("latency_ms").at("p99").get<double>(), 0.01)
            << servers[i].design;
        // The peak memory the view draws is the summary's, recorded as the server ran.
        EXPECT_EQ(servers[i].peakRssKb, e.at("rss_kb").get<std::int64_t>()) << servers[i].design;
        EXPECT_GE(servers[i].startRssKb, 0) << servers[i].design;
        EXPECT_LE(servers[i].startRssKb, servers[i].peakRssKb) << servers[i].design;
    }
    save(view, "servers_race");
}
