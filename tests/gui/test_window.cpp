// The Lockstep window end to end, on the offscreen platform: every lesson opens and runs to its
// end; step mode advances one gate pass at a time; scrubbing moves the cursor and the views; the
// exports are real files; the parameter panel is generated from the specs; the language switches
// live; closing the window during a live run cancels it cleanly.

#include "charts/MetricsChart.h"
#include "gui/CodeView.h"
#include "gui/LessonBrowser.h"
#include "gui/LessonPage.h"
#include "gui/MainWindow.h"
#include "WindowTestSupport.h"
#include "gui/ParameterPanel.h"
#include "gui/RunController.h"
#include "gui/SweepRunner.h"
#include "gui/TransportBar.h"
#include "render/Palette.h"
#include "timeline/TimelineWidget.h"
#include "views/LessonView.h"
#include "views/StateBoard.h"

#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/lesson/ParamChecker.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include <QApplication>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QMenuBar>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QToolButton>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QXmlStreamReader>

#include <climits>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace lockstep;
using namespace lockstep::ui;

namespace {

constexpr int kRunTimeoutMs = 120'000; // lessons cap themselves at 60 s; generous for sanitizer builds

std::vector<std::string> sourceLessonIds()
{
    std::vector<std::string> ids;
    for (const Lesson& l : LessonLoader::loadDirectory(LOCKSTEP_SOURCE_LESSONS)) ids.push_back(l.id);
    return ids;
}

using guitest::makeWindow;

bool waitFinished(MainWindow& w, int timeoutMs = kRunTimeoutMs)
{
    return QTest::qWaitFor([&] { return w.controller()->state() == RunState::Finished; }, timeoutMs);
}

// Distinct colours in a coarse grid of samples: a blank picture has one.
std::size_t colourCount(const QImage& img)
{
    std::set<QRgb> colours;
    for (int y = 0; y < img.height(); y += std::max(1, img.height() / 97))
        for (int x = 0; x < img.width(); x += std::max(1, img.width() / 211)) colours.insert(img.pixel(x, y));
    return colours.size();
}

QString allSvgText(const QByteArray& svg, QString* error)
{
    QString out;
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isCharacters()) out += xml.text().toString() + QLatin1Char('\n');
    }
    if (xml.hasError()) *error = xml.errorString();
    return out;
}

std::size_t liveThreadCount()
{
    return static_cast<std::size_t>(QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
}

class EveryLesson : public ::testing::TestWithParam<std::string> {};

} // namespace

TEST(Window, FindsTheSourceLessons)
{
    auto w = makeWindow();
    EXPECT_TRUE(w->loadErrors().isEmpty()) << w->loadErrors().join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(w->lessons().size(), sourceLessonIds().size());
    ASSERT_FALSE(w->lessons().empty());
    // The browser lists them all, and the filter narrows them down.
    EXPECT_EQ(static_cast<std::size_t>(w->browser()->visibleLessons().size()), w->lessons().size());
    const QString id = QString::fromStdString(w->lessons().back().id);
    w->browser()->setFilter(id);
    EXPECT_TRUE(w->browser()->visibleLessons().contains(id));
    w->browser()->setFilter(QStringLiteral("no-lesson-is-called-this"));
    EXPECT_TRUE(w->browser()->visibleLessons().isEmpty());
    w->browser()->setFilter({});
}

TEST_P(EveryLesson, OpensRunsToTheEndAndShowsItsViews)
{
    auto w = makeWindow();
    const QString id = QString::fromStdString(GetParam());
    QString error;
    ASSERT_TRUE(w->openLesson(id, &error)) << error.toStdString();
    EXPECT_EQ(w->page()->lesson()->id, GetParam());
    EXPECT_FALSE(w->page()->code()->toPlainText().isEmpty());
    ASSERT_TRUE(w->startRun({}, false, &error)) << error.toStdString();
    EXPECT_TRUE(isLive(w->controller()->state()));
    ASSERT_TRUE(waitFinished(*w)) << "run of " << GetParam() << " did not finish";

    const TracePtr trace = w->controller()->trace();
    ASSERT_TRUE(trace);
    EXPECT_TRUE(trace->finished());
    EXPECT_GT(trace->eventCount(), 0u);
    ASSERT_TRUE(w->controller()->result().has_value());
    EXPECT_EQ(w->controller()->result()->summary.value("lesson", std::string()), GetParam());
    EXPECT_EQ(w->controller()->cursor(), w->controller()->traceEnd());
    EXPECT_EQ(w->timeline()->trace(), trace);
    EXPECT_EQ(w->metrics()->runCount(), 1);
    EXPECT_FALSE(w->metrics()->metricIds().isEmpty());
    // Every shown view applies to the trace, and the board is always there.
    ASSERT_NE(w->stateBoard(), nullptr);
    for (LessonView* v : w->visibleViews()) {
        if (v != w->stateBoard()) {
            EXPECT_TRUE(v->appliesTo(*trace)) << v->title().toStdString();
        }
    }
    for (LessonView* v : w->lessonViews())
        if (v->appliesTo(*trace)) {
            EXPECT_GE(w->viewTabs()->indexOf(v), 0) << v->title().toStdString();
        }
    EXPECT_TRUE(w->statusText().contains(QStringLiteral("events"))) << w->statusText().toStdString();
    // For the record (not a pass/fail criterion: timings belong in benchmarks).
    RecordProperty("max_frame_ms", QString::number(w->controller()->maxFrameMs(), 'f', 2).toStdString());
    RecordProperty("events", std::to_string(trace->eventCount()));
    // The grabbed window is a real picture.
    EXPECT_GT(colourCount(w->grab().toImage()), 20u);
}

INSTANTIATE_TEST_SUITE_P(SourceLessons, EveryLesson, ::testing::ValuesIn(sourceLessonIds()),
                         [](const auto& info) {
                             std::string name = info.param;
                             for (char& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

TEST(Window, StepModeAdvancesOneGatePassAtATime)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("counter")));
    QString error;
    ASSERT_TRUE(w->startRun({{"increments", "50"}}, true, &error)) << error.toStdString();
    EXPECT_EQ(w->controller()->state(), RunState::Paused);
    RunController* c = w->controller();
    std::size_t before = 0;
    // Whatever happens before the first gate pass shows up; then nothing moves until a step.
    ASSERT_TRUE(QTest::qWaitFor([&] { return c->eventCount() > 0; }, 10'000));
    for (int i = 0; i < 3; ++i) {
        before = c->eventCount();
        c->stepForward();
        ASSERT_TRUE(QTest::qWaitFor([&] { return c->eventCount() > before && c->stepsInFlight() == 0; }, 10'000))
            << "step " << i << " did not add events";
        EXPECT_EQ(c->state(), RunState::Paused);
    }
    // Resuming lets the run finish.
    c->resume();
    EXPECT_EQ(c->state(), RunState::Running);
    ASSERT_TRUE(waitFinished(*w));
    EXPECT_EQ(c->result()->outcome, RunOutcome::Completed);
}

TEST(Window, StepFromIdleStartsPausedAndStepsOnce)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("counter")));
    w->transport()->stepButton()->click();
    EXPECT_EQ(w->controller()->state(), RunState::Paused);
    EXPECT_TRUE(QTest::qWaitFor([&] { return w->controller()->eventCount() > 0; }, 10'000));
    w->controller()->reset();
    EXPECT_EQ(w->controller()->state(), RunState::Idle);
    EXPECT_EQ(w->controller()->trace(), nullptr);
}

TEST(Window, ScrubbingMovesTheCursorAndTheViews)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("deadlock")));
    ASSERT_TRUE(w->startRun());
    ASSERT_TRUE(waitFinished(*w));
    RunController* c = w->controller();
    const TracePtr trace = c->trace();
    const std::int64_t end = c->traceEnd();
    ASSERT_GT(end, 0);

    auto boardMatches = [&](std::int64_t ts) {
        auto* board = qobject_cast<StateBoard*>(w->stateBoard());
        int checked = 0;
        for (const ActorInfo& a : trace->actors()) {
            if (!isExecutor(a.kind) || a.createdTs > ts) continue;
            EXPECT_EQ(board->cardState(a.id), trace->stateAt(a.id, ts)) << a.name << " at " << ts;
            ++checked;
        }
        return checked;
    };

    QSlider* scrub = w->transport()->scrubSlider();
    scrub->setValue(TransportBar::kScrubSteps / 2);
    const std::int64_t mid = c->cursor();
    EXPECT_NEAR(static_cast<double>(mid), end / 2.0, end / 1000.0 + 1);
    EXPECT_EQ(w->timeline()->cursorTime(), mid);
    EXPECT_GT(boardMatches(mid), 0);
    std::size_t upToMid = 0;
    for (const Event& e : trace->events()) upToMid += e.ts <= mid ? 1 : 0;
    EXPECT_EQ(c->eventsAtCursor(), upToMid);

    // Step back lands on an earlier event, step forward on a later one.
    c->stepBack();
    const std::int64_t back = c->cursor();
    EXPECT_LT(back, mid);
    c->stepForward();
    EXPECT_GT(c->cursor(), back);
    boardMatches(c->cursor());

    c->seekToStart();
    EXPECT_EQ(c->cursor(), 0);
    EXPECT_EQ(scrub->value(), 0);
    c->seekToEnd();
    EXPECT_EQ(c->cursor(), end);
    EXPECT_EQ(scrub->value(), TransportBar::kScrubSteps);
    boardMatches(end);

    // A click on the timeline moves the cursor too.
    Q_EMIT w->timeline()->cursorMoved(end / 4);
    EXPECT_EQ(c->cursor(), end / 4);
}

TEST(Window, ReplayMovesTheCursorToTheEnd)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("counter")));
    ASSERT_TRUE(w->startRun());
    ASSERT_TRUE(waitFinished(*w));
    RunController* c = w->controller();
    c->setSpeed(10, false);
    c->seekToStart();
    ASSERT_TRUE(c->togglePlay());
    EXPECT_EQ(c->state(), RunState::Replaying);
    std::int64_t seen = 0;
    ASSERT_TRUE(QTest::qWaitFor(
        [&] {
            EXPECT_GE(c->cursor(), seen); // never backwards
            seen = c->cursor();
            return c->state() == RunState::Finished;
        },
        60'000));
    EXPECT_EQ(c->cursor(), c->traceEnd());
}

TEST(Window, ExportsPngSvgAndTrace)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("deadlock")));
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    QString error;
    EXPECT_FALSE(w->exportTimelinePng(dir.filePath(QStringLiteral("none.png")), 1, &error));
    EXPECT_FALSE(error.isEmpty());
    ASSERT_TRUE(w->startRun());
    ASSERT_TRUE(waitFinished(*w));
    const TracePtr trace = w->controller()->trace();

    for (double scale : {1.0, 2.0}) {
        const QString path = dir.filePath(QStringLiteral("t%1.png").arg(scale));
        ASSERT_TRUE(w->exportTimelinePng(path, scale, &error)) << error.toStdString();
        const QImage img(path);
        ASSERT_FALSE(img.isNull());
        EXPECT_EQ(img.width(), static_cast<int>(1920 * scale));
        EXPECT_GE(img.height(), static_cast<int>(1080 * scale));
        EXPECT_GT(colourCount(img), 10u);
    }

    const QString svgPath = dir.filePath(QStringLiteral("t.svg"));
    ASSERT_TRUE(w->exportTimelineSvg(svgPath, &error)) << error.toStdString();
    QFile svg(svgPath);
    ASSERT_TRUE(svg.open(QIODevice::ReadOnly));
    QString xmlError;
    const QString text = allSvgText(svg.readAll(), &xmlError);
    EXPECT_TRUE(xmlError.isEmpty()) << xmlError.toStdString();
    int lanes = 0;
    for (const ActorInfo& a : trace->actors()) {
        if (a.kind != ActorKind::Thread) continue;
        EXPECT_TRUE(text.contains(QString::fromStdString(a.name))) << a.name;
        ++lanes;
    }
    EXPECT_GT(lanes, 0);

    const QString tracePath = dir.filePath(QStringLiteral("t.trace.json"));
    ASSERT_TRUE(w->exportTrace(tracePath, &error)) << error.toStdString();
    QFile json(tracePath);
    ASSERT_TRUE(json.open(QIODevice::ReadOnly));
    const auto doc = nlohmann::json::parse(json.readAll().toStdString(), nullptr, false);
    ASSERT_FALSE(doc.is_discarded());
    ASSERT_TRUE(doc.contains("traceEvents"));
    EXPECT_GT(doc["traceEvents"].size(), 0u);

    const QString summaryPath = dir.filePath(QStringLiteral("s.json"));
    ASSERT_TRUE(w->exportSummary(summaryPath, &error)) << error.toStdString();
    QFile summary(summaryPath);
    ASSERT_TRUE(summary.open(QIODevice::ReadOnly));
    EXPECT_EQ(nlohmann::json::parse(summary.readAll().toStdString()).value("lesson", std::string()), "deadlock");

    EXPECT_FALSE(w->exportTimelinePng(QStringLiteral("/nonexistent-dir/x.png"), 1, &error));
    EXPECT_TRUE(w->copyImageToClipboard(&error)) << error.toStdString();
}

TEST(Window, ParameterPanelMatchesTheSpecs)
{
    auto w = makeWindow();
    for (const Lesson& lesson : w->lessons()) {
        ASSERT_TRUE(w->openLesson(QString::fromStdString(lesson.id)));
        ParameterPanel* panel = w->page()->parameters();
        EXPECT_EQ(panel->parameterCount(), static_cast<int>(lesson.params.size())) << lesson.id;
        const Variant& variant = *w->page()->variant();
        const nlohmann::json defaults = LessonLoader::resolveParams(lesson, variant, {});
        for (const ParamSpec& spec : lesson.params) {
            SCOPED_TRACE(lesson.id + "/" + spec.name);
            QWidget* editor = panel->editor(QString::fromStdString(spec.name));
            ASSERT_NE(editor, nullptr);
            const auto lo = ParamChecker::effectiveMin(spec);
            const auto hi = ParamChecker::effectiveMax(spec, ParamChecker::Mode::Run);
            const nlohmann::json& def = defaults[spec.name];
            const QString help = QString::fromStdString(spec.help.en);
            if (!help.isEmpty()) {
                EXPECT_TRUE(editor->toolTip().contains(help.toHtmlEscaped()));
            }
            switch (spec.type) {
            case ParamType::Int: {
                auto* spin = qobject_cast<QSpinBox*>(editor);
                ASSERT_NE(spin, nullptr);
                if (lo) {
                    EXPECT_EQ(spin->minimum(), static_cast<int>(std::max<double>(*lo, INT_MIN)));
                }
                if (hi) {
                    EXPECT_EQ(spin->maximum(), static_cast<int>(std::min<double>(*hi, INT_MAX)));
                }
                EXPECT_EQ(spin->value(), def.get<int>());
                if (!spec.unit.empty()) {
                    EXPECT_TRUE(spin->suffix().contains(QString::fromStdString(spec.unit)));
                }
                if (lo && hi) {
                    EXPECT_NE(panel->slider(QString::fromStdString(spec.name)), nullptr);
                }
                break;
            }
            case ParamType::Float: {
                auto* spin = qobject_cast<QDoubleSpinBox*>(editor);
                ASSERT_NE(spin, nullptr);
                if (lo) {
                    EXPECT_DOUBLE_EQ(spin->minimum(), *lo);
                }
                if (hi) {
                    EXPECT_DOUBLE_EQ(spin->maximum(), *hi);
                }
                EXPECT_NEAR(spin->value(), def.get<double>(), 1e-9);
                if (!spec.unit.empty()) {
                    EXPECT_TRUE(spin->suffix().contains(QString::fromStdString(spec.unit)));
                }
                break;
            }
            case ParamType::Bool:
                ASSERT_NE(qobject_cast<QCheckBox*>(editor), nullptr);
                EXPECT_EQ(qobject_cast<QCheckBox*>(editor)->isChecked(), def.get<bool>());
                break;
            case ParamType::Choice: {
                auto* combo = qobject_cast<QComboBox*>(editor);
                ASSERT_NE(combo, nullptr);
                ASSERT_EQ(combo->count(), static_cast<int>(spec.choices.size()));
                for (int i = 0; i < combo->count(); ++i)
                    EXPECT_EQ(combo->itemData(i).toString().toStdString(), spec.choices[static_cast<std::size_t>(i)]);
                EXPECT_EQ(combo->currentData().toString().toStdString(), def.get<std::string>());
                break;
            }
            case ParamType::String:
            case ParamType::IntList:
                ASSERT_NE(qobject_cast<QLineEdit*>(editor), nullptr);
                break;
            }
        }
        // Unchanged editors ask for nothing but the defaults.
        EXPECT_TRUE(panel->overrides().empty()) << lesson.id;
        // Every value the panel produces is one the loader accepts.
        EXPECT_NO_THROW(LessonLoader::resolveParams(lesson, variant, panel->values())) << lesson.id;
    }
}

TEST(Window, ParametersReachTheRun)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("counter")));
    auto* threads = qobject_cast<QSpinBox*>(w->page()->parameters()->editor(QStringLiteral("threads")));
    ASSERT_NE(threads, nullptr);
    threads->setValue(3);
    auto* increments = qobject_cast<QSpinBox*>(w->page()->parameters()->editor(QStringLiteral("increments")));
    increments->setValue(100);
    EXPECT_EQ(w->page()->parameters()->overrides().at("threads"), "3");
    ASSERT_TRUE(w->startRun());
    ASSERT_TRUE(waitFinished(*w));
    int count = 0;
    for (const ActorInfo& a : w->controller()->trace()->actors()) count += a.kind == ActorKind::Thread && a.name.starts_with("T");
    EXPECT_EQ(count, 3);
    EXPECT_EQ(w->controller()->result()->summary["params"]["threads"], 3);

    // A bad value is refused before any thread starts, with the reason.
    QString error;
    EXPECT_FALSE(w->startRun({{"threads", "9999"}}, false, &error));
    EXPECT_TRUE(error.contains(QStringLiteral("threads"))) << error.toStdString();
    EXPECT_EQ(w->controller()->state(), RunState::Finished); // the old trace is still there
}

TEST(Window, VariantPickerAndUnknownInput)
{
    auto w = makeWindow();
    QString error;
    EXPECT_FALSE(w->openLesson(QStringLiteral("no-such-lesson"), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("no-such-lesson")));
    ASSERT_TRUE(w->openLesson(QStringLiteral("deadlock")));
    EXPECT_TRUE(w->selectVariant(QStringLiteral("ordered")));
    EXPECT_EQ(w->page()->currentVariant(), QStringLiteral("ordered"));
    EXPECT_FALSE(w->selectVariant(QStringLiteral("sideways"), &error));
    EXPECT_TRUE(error.contains(QStringLiteral("opposite-order"))) << "lists the allowed variants";
}

TEST(Window, CompareAllVariantsFillsTheChart)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("counter")));
    QString error;
    ASSERT_TRUE(w->compareAllVariants(&error)) << error.toStdString();
    EXPECT_TRUE(w->sweep()->running());
    ASSERT_TRUE(QTest::qWaitFor([&] { return !w->sweep()->running(); }, kRunTimeoutMs));
    EXPECT_EQ(w->metrics()->runCount(), static_cast<int>(w->currentLesson()->variants.size()));
    EXPECT_TRUE(w->metrics()->setMetric(QStringLiteral("scalar:lost_updates")));
    ASSERT_NE(w->metrics()->chart(), nullptr);
    EXPECT_FALSE(w->metrics()->chart()->series().isEmpty());
    const auto values = w->metrics()->history().latestByVariant(QStringLiteral("counter"), QStringLiteral("lost_updates"));
    ASSERT_EQ(values.size(), 2u);
    for (const auto& [variant, lost] : values)
        if (variant == QLatin1String("with-lock")) {
            EXPECT_EQ(lost, 0.0);
        }
    w->viewTabs()->setCurrentWidget(w->metrics());
    if (qEnvironmentVariableIsSet("LOCKSTEP_TEST_ARTIFACTS"))
        w->metrics()->grab().save(QDir(qEnvironmentVariable("LOCKSTEP_TEST_ARTIFACTS")).filePath(QStringLiteral("metrics-bars.png")));
}

TEST(Window, LanguageSwitchesLive)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("counter")));
    const Lesson* lesson = w->currentLesson();
    const QString fileMenuEn = w->menuBar()->actions().first()->text();
    w->setLanguage(Lang::Zh);
    EXPECT_NE(w->menuBar()->actions().first()->text(), fileMenuEn);
    EXPECT_TRUE(w->windowTitle().contains(QString::fromStdString(lesson->title.zh)));
    w->setLanguage(Lang::En);
    EXPECT_EQ(w->menuBar()->actions().first()->text(), fileMenuEn);
    EXPECT_TRUE(w->windowTitle().contains(QString::fromStdString(lesson->title.en)));
}

TEST(Window, PresenterModeAndThemeChangeTheLook)
{
    auto w = makeWindow();
    const int normal = QApplication::font().pixelSize();
    w->setPresenterMode(true);
    EXPECT_GT(QApplication::font().pixelSize(), normal);
    w->setPresenterMode(false);
    EXPECT_EQ(QApplication::font().pixelSize(), normal);
    const QColor light = QApplication::palette().color(QPalette::Window);
    // The data follows the chrome: the timeline's page is light, then dark, then light again.
    const auto timelinePage = [&] {
        const QImage img = w->timeline()->grab().toImage();
        return QColor(img.pixel(img.width() - 3, img.height() - 3)).lightness();
    };
    EXPECT_GT(timelinePage(), 200);
    w->setDarkTheme(true);
    EXPECT_LT(QApplication::palette().color(QPalette::Window).lightness(), light.lightness());
    EXPECT_TRUE(Palette::dark());
    EXPECT_LT(timelinePage(), 60);
    w->setDarkTheme(false);
    EXPECT_EQ(QApplication::palette().color(QPalette::Window), light);
    EXPECT_FALSE(Palette::dark());
    EXPECT_GT(timelinePage(), 200);
}

TEST(Window, ClosingDuringALiveRunCancelsCleanly)
{
    // Qt's own global pool (QImage scaling and conversion run on it) keeps idle threads for 30 s;
    // they are not ours. Let them go as soon as they are idle so the count below sees only ours.
    QThreadPool::globalInstance()->setExpiryTimeout(0);
    const std::size_t threadsBefore = liveThreadCount();
    {
        auto w = makeWindow();
        ASSERT_TRUE(w->openLesson(QStringLiteral("gil")));
        ASSERT_TRUE(w->selectVariant(QStringLiteral("cpu-threads")));
        ASSERT_TRUE(w->startRun());
        ASSERT_TRUE(QTest::qWaitFor([&] { return w->controller()->eventCount() > 10; }, 30'000));
        EXPECT_EQ(w->controller()->state(), RunState::Running);
        w->close();
    }
    {
        // Paused: every engine thread is parked at the step gate when the window goes.
        auto w = makeWindow();
        ASSERT_TRUE(w->openLesson(QStringLiteral("deadlock")));
        ASSERT_TRUE(w->startRun({}, true));
        w->controller()->stepForward();
        ASSERT_TRUE(QTest::qWaitFor([&] { return w->controller()->stepsInFlight() == 0; }, 30'000));
    }
    // Every engine, controller and worker thread is joined.
    QThreadPool::globalInstance()->waitForDone();
    EXPECT_TRUE(QTest::qWaitFor([&] { return liveThreadCount() <= threadsBefore; }, 10'000))
        << liveThreadCount() << " threads, " << threadsBefore << " before";
}

TEST(Window, ParameterPanelShowsWhatTheVariantReads)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("gil")));
    ParameterPanel* panel = w->page()->parameters();
    auto shown = [&](const char* name) { return panel->editor(QString::fromLatin1(name))->isVisibleTo(panel); };
    ASSERT_TRUE(w->selectVariant(QStringLiteral("cpu-sequential")));
    EXPECT_TRUE(shown("count"));
    EXPECT_FALSE(shown("threads")) << "one thread: the variant's config never reads $threads";
    EXPECT_FALSE(shown("processes"));
    ASSERT_TRUE(w->selectVariant(QStringLiteral("cpu-processes")));
    EXPECT_TRUE(shown("processes"));
    EXPECT_FALSE(shown("threads"));
    EXPECT_LT(panel->visibleCount(), panel->parameterCount());
    // A variant's own default overrides land in the editors.
    ASSERT_TRUE(w->selectVariant(QStringLiteral("io-threads")));
    EXPECT_TRUE(shown("threads"));
    EXPECT_EQ(qobject_cast<QSpinBox*>(panel->editor(QStringLiteral("threads")))->value(),
              w->currentLesson()->variant("io-threads")->params.value("threads", 0));
    // An engine that reads its parameters without "$" references shows them all.
    ASSERT_TRUE(w->openLesson(QStringLiteral("counter")));
    EXPECT_EQ(w->page()->parameters()->visibleCount(), w->page()->parameters()->parameterCount());
}

TEST(Window, SettingsRememberLessonVariantLanguageAndTheme)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QSettings::Format oldFormat = QSettings::defaultFormat();
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    MainWindow::Options options;
    options.lessonsDir = QStringLiteral(LOCKSTEP_SOURCE_LESSONS);
    options.animations = false;
    {
        MainWindow w(options);
        w.show();
        ASSERT_TRUE(w.openLesson(QStringLiteral("deadlock")));
        ASSERT_TRUE(w.selectVariant(QStringLiteral("ordered")));
        w.setDarkTheme(true);
        w.setLanguage(Lang::Zh);
        w.close();
    }
    {
        MainWindow w(options);
        EXPECT_EQ(w.currentLesson()->id, "deadlock");
        EXPECT_EQ(w.page()->currentVariant(), QStringLiteral("ordered"));
        EXPECT_EQ(w.language(), Lang::Zh);
        EXPECT_TRUE(w.darkTheme());
        // Back to the defaults the other tests expect.
        w.setLanguage(Lang::En);
        w.setDarkTheme(false);
    }
    QSettings::setDefaultFormat(oldFormat);
}

TEST(Window, SweepRunsDrawCurvesAgainstFds)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("iomux")));
    ASSERT_TRUE(w->selectVariant(QStringLiteral("epoll-lt")));
    QString error;
    ASSERT_TRUE(w->startRun({{"sweep", "50,200"}, {"rounds", "20"}, {"warmup", "2"}}, false, &error)) << error.toStdString();
    ASSERT_TRUE(waitFinished(*w));
    MetricsChart* m = w->metrics();
    ASSERT_TRUE(m->metricIds().contains(QStringLiteral("sweep:ns_per_wait"))) << m->metricIds().join(QLatin1Char(' ')).toStdString();
    EXPECT_EQ(m->currentMetric(), QStringLiteral("sweep:ns_per_wait")) << "a sweep is what the lesson is about";
    const auto curves = m->history().sweep(QStringLiteral("iomux"), QStringLiteral("ns_per_wait"));
    ASSERT_EQ(curves.size(), 1u);
    EXPECT_EQ(curves.begin()->second.size(), 2u); // one point per N
    EXPECT_FALSE(m->chart()->series().isEmpty());
    w->viewTabs()->setCurrentWidget(m);
    const QImage image = m->grab().toImage();
    EXPECT_GT(colourCount(image), 5u);
    if (qEnvironmentVariableIsSet("LOCKSTEP_TEST_ARTIFACTS"))
        image.save(QDir(qEnvironmentVariable("LOCKSTEP_TEST_ARTIFACTS")).filePath(QStringLiteral("metrics-sweep.png")));
}

TEST(Window, ServersRaceChartsEveryServerSideBySide)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("servers")));
    ASSERT_TRUE(w->selectVariant(QStringLiteral("race")));
    QString error;
    ASSERT_TRUE(w->startRun({ { "clients", "3" }, { "requests", "4" } }, false, &error)) << error.toStdString();
    ASSERT_TRUE(waitFinished(*w));
    MetricsChart* m = w->metrics();
    const QStringList ids = m->metricIds();
    for (const char* id : { "compare:throughput_rps", "compare:latency_ms", "compare:max", "compare:rss_kb" })
        EXPECT_TRUE(ids.contains(QLatin1String(id))) << id << ": " << ids.join(QLatin1Char(' ')).toStdString();
    EXPECT_EQ(m->currentMetric(), QStringLiteral("compare:throughput_rps")) << "the race is what the variant is about";
    const RunHistory::Comparison c = m->history().latestComparison(QStringLiteral("servers"));
    EXPECT_EQ(c.array, QStringLiteral("race"));
    ASSERT_EQ(c.names.size(), 8);
    EXPECT_EQ(c.names.front(), QStringLiteral("iterative"));
    // p50 and p99 side by side, one bar of each per server, with the summary's values.
    ASSERT_TRUE(m->setMetric(QStringLiteral("compare:latency_ms")));
    const auto series = m->chart()->series();
    ASSERT_EQ(series.size(), 1);
    const auto* bars = qobject_cast<QBarSeries*>(series.front());
    ASSERT_NE(bars, nullptr);
    ASSERT_EQ(bars->count(), 2);
    EXPECT_EQ(bars->barSets().at(0)->label(), QStringLiteral("p50"));
    EXPECT_EQ(bars->barSets().at(1)->count(), 8);
    const auto& p99
        = std::find_if(c.fields.begin(), c.fields.end(), [](const auto& f) { return f.first == "latency_ms.p99"; });
    ASSERT_NE(p99, c.fields.end());
    for (int i = 0; i < 8; ++i)
        EXPECT_DOUBLE_EQ(bars->barSets().at(1)->at(i), p99->second[static_cast<std::size_t>(i)]);
    // Peaks: fork-per-client's processes, thread-per-client's threads.
    ASSERT_TRUE(m->setMetric(QStringLiteral("compare:max")));
    w->viewTabs()->setCurrentWidget(m);
    const QImage image = m->grab().toImage();
    EXPECT_GT(colourCount(image), 5u);
    if (qEnvironmentVariableIsSet("LOCKSTEP_TEST_ARTIFACTS")) {
        const QDir dir(qEnvironmentVariable("LOCKSTEP_TEST_ARTIFACTS"));
        image.save(dir.filePath(QStringLiteral("metrics-race-peaks.png")));
        ASSERT_TRUE(m->setMetric(QStringLiteral("compare:latency_ms")));
        m->grab().save(dir.filePath(QStringLiteral("metrics-race-latency.png")));
    }
}

// The same charts compare the five I/O models of one run: EAGAINs and CPU burnt while waiting.
TEST(Window, IoModelsRunChartsEveryModelSideBySide)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("io-models")));
    ASSERT_TRUE(w->selectVariant(QStringLiteral("compare")));
    QString error;
    ASSERT_TRUE(w->startRun({ { "delay_ms", "20" } }, false, &error)) << error.toStdString();
    ASSERT_TRUE(waitFinished(*w));
    MetricsChart* m = w->metrics();
    const RunHistory::Comparison c = m->history().latestComparison(QStringLiteral("io-models"));
    EXPECT_EQ(c.array, QStringLiteral("models"));
    EXPECT_EQ(c.names.size(), 5);
    ASSERT_TRUE(m->setMetric(QStringLiteral("compare:eagain"))) << m->metricIds().join(QLatin1Char(' ')).toStdString();
    const auto series = m->chart()->series();
    ASSERT_EQ(series.size(), 1);
    const auto* bars = qobject_cast<QBarSeries*>(series.front());
    ASSERT_NE(bars, nullptr);
    ASSERT_EQ(bars->count(), 1);
    // Only the non-blocking model spins on EAGAIN.
    const int nonBlocking = static_cast<int>(c.names.indexOf(QStringLiteral("non-blocking")));
    ASSERT_GE(nonBlocking, 0);
    for (int i = 0; i < bars->barSets().at(0)->count(); ++i) {
        if (i != nonBlocking) {
            EXPECT_LT(bars->barSets().at(0)->at(i), bars->barSets().at(0)->at(nonBlocking)) << i;
        }
    }
    w->viewTabs()->setCurrentWidget(m);
    if (qEnvironmentVariableIsSet("LOCKSTEP_TEST_ARTIFACTS"))
        m->grab().save(
            QDir(qEnvironmentVariable("LOCKSTEP_TEST_ARTIFACTS")).filePath(QStringLiteral("metrics-io-models.png")));
}

TEST(Window, GilRunChartsSwitchesAndTimePerThread)
{
    auto w = makeWindow();
    ASSERT_TRUE(w->openLesson(QStringLiteral("gil")));
    ASSERT_TRUE(w->selectVariant(QStringLiteral("cpu-threads")));
    QString error;
    ASSERT_TRUE(w->startRun({{"count", "2000000"}}, false, &error)) << error.toStdString();
    ASSERT_TRUE(waitFinished(*w));
    MetricsChart* m = w->metrics();
    EXPECT_TRUE(m->metricIds().contains(QStringLiteral("scalar:gil_switches")));
    ASSERT_TRUE(m->setMetric(QStringLiteral("actors")));
    const RunHistory::ActorTable table = m->history().latestActors(QStringLiteral("gil"));
    EXPECT_GE(table.names.size(), 2);
    EXPECT_FALSE(table.fields.empty());
    EXPECT_FALSE(m->chart()->series().isEmpty());
    // The choice sticks when the next run finishes.
    ASSERT_TRUE(w->startRun({{"count", "1000000"}}, false, &error)) << error.toStdString();
    ASSERT_TRUE(waitFinished(*w));
    EXPECT_EQ(m->currentMetric(), QStringLiteral("actors"));
    w->viewTabs()->setCurrentWidget(m);
    if (qEnvironmentVariableIsSet("LOCKSTEP_TEST_ARTIFACTS"))
        m->grab().save(QDir(qEnvironmentVariable("LOCKSTEP_TEST_ARTIFACTS")).filePath(QStringLiteral("metrics-actors.png")));
}

TEST(Window, BrowserDrawsEveryLessonAfterStartingInChinese)
{
    // Started in Chinese with a lesson open, the browser is rebuilt on the language change while
    // a lesson is current: every row must be laid out below the one before and really painted.
    auto w = makeWindow(Lang::Zh);
    ASSERT_TRUE(w->openLesson(QStringLiteral("iomux")));
    QCoreApplication::processEvents();
    auto* tree = w->browser()->findChild<QTreeWidget*>(QStringLiteral("lessonTree"));
    ASSERT_NE(tree, nullptr);
    EXPECT_EQ(static_cast<std::size_t>(w->browser()->visibleLessons().size()), w->lessons().size());
    const QImage image = tree->viewport()->grab().toImage();
    const QColor background = image.pixelColor(image.width() - 2, image.height() - 2);
    int lastBottom = -1;
    int rows = 0;
    for (QTreeWidgetItemIterator it(tree); *it; ++it, ++rows) {
        const QString text = (*it)->text(0);
        const QRect r = tree->visualItemRect(*it);
        EXPECT_GE(r.height(), tree->fontMetrics().height()) << text.toStdString();
        EXPECT_GE(r.top(), lastBottom) << text.toStdString();
        lastBottom = r.bottom();
        // Ink: pixels much darker than the background somewhere in the row.
        int ink = 0;
        for (int y = r.top(); y <= r.bottom() && y < image.height(); ++y)
            for (int x = r.left(); x <= r.right() && x < image.width(); ++x)
                if (image.pixelColor(x, y).lightness() < background.lightness() - 100) ++ink;
        EXPECT_GT(ink, 20) << "row '" << text.toStdString() << "' is not drawn";
    }
    std::set<std::string> topics;
    for (const auto& lesson : w->lessons()) topics.insert(lesson.topic);
    EXPECT_EQ(static_cast<std::size_t>(rows), w->lessons().size() + topics.size());
    w->setLanguage(Lang::En);
}
