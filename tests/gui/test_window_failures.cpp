// What the window says when things go wrong: a lessons folder with broken files still opens and
// lists each broken file greyed with its located error; a run that fails names the thread, the
// Python line and the message in the status bar and in a banner the user can close; a run stopped
// by a budget names which one; the budgets set in Run → Run limits are stored and reach the runner.
//
// With LOCKSTEP_GUI_SHOTS=<dir> set, the failure test also saves what the window looks like there
// (the browser with the broken files and the banner; light, dark, Chinese, presenter mode) for a
// person to check.

#include "../core/CpuHogs.h"
#include "WindowTestSupport.h"
#include "gui/Format.h"
#include "gui/LessonBrowser.h"
#include "gui/LessonPage.h"
#include "gui/MainWindow.h"
#include "gui/RunBanner.h"
#include "gui/RunController.h"
#include "gui/RunSettings.h"
#include "views/GilView.h"

#include "lockstep/engine/RunContext.h"
#include "lockstep/runner/Scenario.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

#include <memory>
#include <stdexcept>
#include <string>

using namespace lockstep;
using namespace lockstep::ui;

namespace {

constexpr int kRunTimeoutMs = 120'000;

// An engine whose one thread reaches line 2 and then breaks, as an engine bug would: the run must
// end at once as failed, with that thread, line and message.
class FailingScenario : public Scenario {
public:
    void validate(const ScenarioInput&) const override { }
    void run(RunContext& ctx, const ScenarioInput&, nlohmann::json&) override
    {
        ctx.spawn("worker", [] {
            RunContext::current()->recorder().record(EventKind::LineReached, RunContext::currentActor(), {}, 0, {}, 2);
            throw std::runtime_error("engine broke");
        });
        ctx.joinAll();
    }
};

void registerFailingEngine()
{
    static const bool once = [] {
        ScenarioRegistry::instance().add("test-fail", [] { return std::make_unique<FailingScenario>(); });
        return true;
    }();
    (void)once;
}

std::string lessonText(
    const std::string& id, const std::string& engine, const std::string& config, const std::string& timeout = "20")
{
    return R"({"id": ")" + id + R"(", "topic": "threads", "engine": ")" + engine + R"(", "title": "Lesson )" + id
        + R"(", "summary": "A test lesson.", "python": "import threading\nbreak_here()\n", "timeout_s": )" + timeout
        + R"(, "variants": [{"id": "only", "title": "Only", "config": )" + config + "}]}";
}

// Four threads saying a line under a lock, 10^12 times each: only a budget or the time limit ends it.
std::string floodLesson()
{
    std::string threads;
    for (int i = 1; i <= 4; ++i)
        threads += std::string(i > 1 ? "," : "") + R"({"name": "T)" + std::to_string(i) +
            R"(", "ops": [{"op": "repeat", "count": 1000000, "line": 1, "ops": [{"op": "repeat",
                   "count": 1000000, "line": 1, "ops": [{"op": "with", "lock": "lock", "line": 2, "ops": [
                   {"op": "say", "text": "hi", "line": 2}]}]}]}]})";
    return lessonText(
        "flood", "script", R"({"locks": [{"name": "lock", "kind": "Lock"}], "threads": [)" + threads + "]}");
}

void writeFile(const QDir& dir, const QString& name, const std::string& text)
{
    QFile f(dir.filePath(name));
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(text.data(), static_cast<qint64>(text.size()));
}

std::unique_ptr<MainWindow> openWindow(
    const QString& lessonsDir, Lang lang = Lang::En, bool dark = false, bool presenter = false)
{
    guitest::WindowLook look;
    look.lessonsDir = lessonsDir;
    look.lang = lang;
    look.dark = dark;
    look.presenter = presenter;
    look.size = QSize(1600, 1000);
    return guitest::makeWindow(look);
}

bool waitFinished(MainWindow& w)
{
    return QTest::qWaitFor([&] { return w.controller()->state() == RunState::Finished; }, kRunTimeoutMs);
}

QString outcomeLabel(const MainWindow& w)
{
    const auto* label = w.findChild<QLabel*>(QStringLiteral("outcomeLabel"));
    return label ? label->text() : QString();
}

void saveShot(QWidget& w, const QString& name)
{
    const QByteArray dir = qgetenv("LOCKSTEP_GUI_SHOTS");
    if (dir.isEmpty()) return;
    QTest::qWait(50);
    w.grab().save(QDir(QString::fromLocal8Bit(dir)).filePath(name + QStringLiteral(".png")));
}

// A folder with one good lesson and two broken files: bad JSON, and a wrong type.
void writeBrokenFolder(const QDir& dir)
{
    registerFailingEngine();
    writeFile(dir, QStringLiteral("good.json"), lessonText("good", "test-fail", "{}"));
    writeFile(dir, QStringLiteral("bad_json.json"), "{\"id\": \"bad\",\n  \"topic\": \n");
    writeFile(dir, QStringLiteral("wrong_type.json"), lessonText("wrong", "script", "{}", "\"ten\""));
}

// The flood lesson in its own folder, run with `limits` until it stops.
struct FloodRun {
    QTemporaryDir tmp;
    std::unique_ptr<MainWindow> window;
};

std::unique_ptr<FloodRun> runFlood(const RunSettings& limits)
{
    auto run = std::make_unique<FloodRun>();
    EXPECT_TRUE(run->tmp.isValid());
    writeFile(QDir(run->tmp.path()), QStringLiteral("flood.json"), floodLesson());
    run->window = openWindow(run->tmp.path());
    run->window->setRunSettings(limits);
    QString error;
    EXPECT_TRUE(run->window->openLesson(QStringLiteral("flood")));
    EXPECT_TRUE(run->window->startRun({}, false, &error)) << error.toStdString();
    EXPECT_TRUE(waitFinished(*run->window));
    EXPECT_TRUE(run->window->controller()->result().has_value());
    return run;
}

struct Look {
    const char* name;
    Lang lang;
    bool dark;
    bool presenter;
};
constexpr Look kLooks[] = { { "light", Lang::En, false, false }, { "dark", Lang::En, true, false },
    { "zh", Lang::Zh, false, false }, { "presenter", Lang::En, false, true } };

} // namespace

TEST(WindowFailures, BrokenLessonFilesAreListedGreyedWithTheirLocatedError)
{
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    const QDir dir(tmp.path());
    writeBrokenFolder(dir);
    auto w = openWindow(dir.path());

    ASSERT_EQ(w->lessons().size(), 1u);
    EXPECT_EQ(w->loadErrors().size(), 2);
    ASSERT_NE(w->currentLesson(), nullptr);
    EXPECT_EQ(w->currentLesson()->id, "good");
    EXPECT_EQ(w->browser()->visibleLessons(), QStringList { QStringLiteral("good") });

    // Every lesson entry (the leaves under the topic groups): the good one and the two broken files.
    std::map<QString, QTreeWidgetItem*> entries;
    QTreeWidget* tree = w->browser()->tree();
    for (int g = 0; g < tree->topLevelItemCount(); ++g)
        for (int i = 0; i < tree->topLevelItem(g)->childCount(); ++i) {
            QTreeWidgetItem* item = tree->topLevelItem(g)->child(i);
            entries[item->text(0)] = item;
        }
    ASSERT_EQ(entries.size(), 3u);
    ASSERT_TRUE(entries.count(QStringLiteral("bad_json.json")));
    ASSERT_TRUE(entries.count(QStringLiteral("wrong_type.json")));
    for (const char* file : { "bad_json.json", "wrong_type.json" }) {
        const QTreeWidgetItem* item = entries[QString::fromLatin1(file)];
        EXPECT_FALSE(item->flags() & Qt::ItemIsEnabled) << file << " is not greyed";
        EXPECT_FALSE(item->flags() & Qt::ItemIsSelectable) << file << " can be picked";
        // file:line:column: what is wrong
        const QRegularExpression located(
            QRegularExpression::escape(QString::fromLatin1(file)) + QStringLiteral(":\\d+:\\d+: \\S"));
        EXPECT_TRUE(located.match(item->toolTip(0)).hasMatch()) << item->toolTip(0).toStdString();
    }
    EXPECT_TRUE(entries[QStringLiteral("wrong_type.json")]->toolTip(0).contains(QStringLiteral("timeout_s")))
        << entries[QStringLiteral("wrong_type.json")]->toolTip(0).toStdString();
    ASSERT_TRUE(entries.count(QStringLiteral("Lesson good")));
    EXPECT_TRUE(entries[QStringLiteral("Lesson good")]->flags() & Qt::ItemIsEnabled);

    // The rest works: the good lesson runs.
    ASSERT_TRUE(w->startRun());
    ASSERT_TRUE(waitFinished(*w));
}

TEST(WindowFailures, AFailedRunNamesThreadLineAndMessageInTheStatusBarAndABanner)
{
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    const QDir dir(tmp.path());
    writeBrokenFolder(dir);
    for (const Look& look : kLooks) {
        SCOPED_TRACE(look.name);
        auto w = openWindow(dir.path(), look.lang, look.dark, look.presenter);
        ASSERT_TRUE(w->openLesson(QStringLiteral("good")));
        RunBanner* banner = w->page()->banner();
        EXPECT_TRUE(banner->isHidden());
        QString error;
        ASSERT_TRUE(w->startRun({}, false, &error)) << error.toStdString();
        ASSERT_TRUE(waitFinished(*w));
        ASSERT_TRUE(w->controller()->result().has_value());
        EXPECT_EQ(w->controller()->result()->outcome, RunOutcome::Failed);

        const QString status = outcomeLabel(*w);
        EXPECT_TRUE(status.contains(QStringLiteral("worker"))) << status.toStdString();
        EXPECT_TRUE(status.contains(QStringLiteral("2"))) << status.toStdString();
        EXPECT_TRUE(status.contains(QStringLiteral("engine broke"))) << status.toStdString();

        EXPECT_TRUE(banner->isVisible());
        EXPECT_TRUE(banner->title().contains(QStringLiteral("worker"))) << banner->title().toStdString();
        EXPECT_TRUE(banner->detail().contains(QStringLiteral("engine broke"))) << banner->detail().toStdString();
        // The line itself, from the lesson's snippet.
        EXPECT_TRUE(banner->detail().contains(QStringLiteral("break_here()"))) << banner->detail().toStdString();
        if (look.lang == Lang::En) {
            EXPECT_TRUE(banner->title().contains(QStringLiteral("line 2"))) << banner->title().toStdString();
        }
        saveShot(*w, QStringLiteral("failure-banner-%1").arg(QString::fromLatin1(look.name)));

        QTest::mouseClick(banner->closeButton(), Qt::LeftButton);
        EXPECT_TRUE(banner->isHidden());
        w->setLanguage(look.lang == Lang::En ? Lang::Zh : Lang::En);
        EXPECT_TRUE(banner->isHidden()) << "a dismissed banner came back";
        w->setLanguage(Lang::En);
    }
}

TEST(WindowFailures, ARunStoppedByALimitSaysWhichInTheStatusBar)
{
    RunSettings events;
    events.maxEvents = 3000;
    RunSettings time;
    time.timeLimitSeconds = 0.5;
    const struct {
        RunSettings limits;
        RunOutcome outcome;
        BudgetLimit limit;
        QString text;
    } cases[] = { { events, RunOutcome::Limit, BudgetLimit::Events,
                      QStringLiteral("event limit (%1 events)").arg(formatCount(3000)) },
        { time, RunOutcome::TimedOut, BudgetLimit::None, QStringLiteral("time limit (0.5 s)") } };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.text.toStdString());
        const auto run = runFlood(c.limits);
        MainWindow& w = *run->window;
        ASSERT_TRUE(w.controller()->result().has_value());
        const auto& result = *w.controller()->result();
        const QString status = outcomeLabel(w);
        // 20 million events in half a second cannot happen here, but a budget must still be named.
        if (result.outcome == c.outcome && result.limit == c.limit) {
            EXPECT_TRUE(status.contains(c.text)) << status.toStdString();
        } else {
            EXPECT_EQ(result.outcome, RunOutcome::Limit);
            EXPECT_TRUE(status.contains(QStringLiteral("limit ("))) << status.toStdString();
        }
        EXPECT_TRUE(w.page()->banner()->isHidden()) << "a limit is not a failure";
    }
}

TEST(WindowFailures, StoredRunLimitsReachTheRunner)
{
    QTemporaryDir tmp;
    ASSERT_TRUE(tmp.isValid());
    const QDir dir(tmp.path());
    writeFile(dir, QStringLiteral("flood.json"), floodLesson());
    const QSettings::Format oldFormat = QSettings::defaultFormat();
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.filePath(QStringLiteral("settings")));
    {
        QSettings s;
        s.clear();
        s.setValue(QStringLiteral("run/maxEvents"), 4000);
        s.setValue(QStringLiteral("run/maxMemoryMb"), 900);
        s.setValue(QStringLiteral("run/timeLimitSeconds"), 7.5);
    }
    {
        MainWindow::Options options;
        options.lessonsDir = dir.path();
        options.animations = false;
        options.lang = Lang::En;
        options.dark = false;
        options.presenter = false;
        MainWindow w(options);
        w.show();
        EXPECT_EQ(w.runSettings().maxEvents, 4000u);
        EXPECT_EQ(w.runSettings().maxMemoryMb, 900u);
        EXPECT_DOUBLE_EQ(w.runSettings().timeLimitSeconds, 7.5);
        ASSERT_TRUE(w.openLesson(QStringLiteral("flood")));
        ASSERT_TRUE(w.startRun());
        ASSERT_NE(w.controller()->request(), nullptr);
        EXPECT_EQ(w.controller()->request()->maxEvents, 4000u);
        EXPECT_EQ(w.controller()->request()->maxMemoryMb, 900u);
        EXPECT_DOUBLE_EQ(w.controller()->request()->timeoutSeconds, 7.5);
        ASSERT_TRUE(waitFinished(w));
        EXPECT_EQ(w.controller()->result()->limit, BudgetLimit::Events);

        // What the dialog accepts is stored for the next start.
        RunSettings changed;
        changed.maxEvents = 123456;
        w.setRunSettings(changed);
        w.close();
    }
    {
        QSettings s;
        EXPECT_EQ(RunSettings::load(s).maxEvents, 123456u);
        EXPECT_EQ(RunSettings::load(s).maxMemoryMb, 0u);
        s.clear();
    }
    QSettings::setDefaultFormat(oldFormat);
}

TEST(WindowFailures, RunLimitsDialogEditsTheSettings)
{
    RunSettings start;
    start.maxEvents = 5'000'000;
    start.maxMemoryMb = 512;
    start.timeLimitSeconds = 12;
    RunSettingsDialog dialog(start);
    EXPECT_EQ(dialog.settings(), start);
    dialog.show();
    saveShot(dialog, QStringLiteral("run-limits-dialog"));
    dialog.eventsBox()->setValue(42);
    dialog.memoryBox()->setValue(0);
    dialog.timeBox()->setValue(3.5);
    const RunSettings edited = dialog.settings();
    EXPECT_EQ(edited.maxEvents, 42u);
    EXPECT_EQ(edited.maxMemoryMb, 0u);
    EXPECT_DOUBLE_EQ(edited.timeLimitSeconds, 3.5);
    // 0 reads as the default, not as "no budget".
    EXPECT_FALSE(dialog.memoryBox()->specialValueText().isEmpty());
    EXPECT_EQ(dialog.memoryBox()->text(), dialog.memoryBox()->specialValueText());

    RunRequest request;
    edited.applyTo(request);
    EXPECT_EQ(request.maxEvents, 42u);
    EXPECT_EQ(request.maxMemoryMb, 0u);
    EXPECT_DOUBLE_EQ(request.timeoutSeconds, 3.5);
}

// With every core taken by other processes the convoy cannot show (CPython shows none either):
// the engine records that the machine was busy, and the GIL view says so on screen.
TEST(WindowFailures, AConvoyOnABusyMachineSaysSoInTheGilView)
{
    lockstep::testing::CpuHogs hogs(3);
    ASSERT_EQ(hogs.started(), 3);
    auto w = guitest::makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("gil")));
    ASSERT_TRUE(w->selectVariant(QStringLiteral("convoy")));
    ASSERT_TRUE(w->startRun());
    const bool finished = waitFinished(*w);
    hogs.stop();
    ASSERT_TRUE(finished);
    ASSERT_TRUE(w->controller()->result().has_value());
    EXPECT_TRUE(w->controller()->result()->summary.value("machine_busy", false));
    const GilView* gil = nullptr;
    for (LessonView* v : w->lessonViews())
        if (auto* g = dynamic_cast<GilView*>(v)) gil = g;
    ASSERT_NE(gil, nullptr);
    EXPECT_EQ(gil->model().machineNote().rfind("machine busy:", 0), 0U) << gil->model().machineNote();
    saveShot(*w, QStringLiteral("convoy-busy"));
}
