// MainWindow, part three: the lessons folder, opening lessons, starting runs and comparisons, and
// what the window shows of a run as it goes and once it is over (views, status bar, banner).

#include "gui/MainWindow.h"

#include "charts/MetricsChart.h"
#include "gui/Format.h"
#include "gui/LessonBrowser.h"
#include "gui/LessonPage.h"
#include "gui/ParameterPanel.h"
#include "gui/RunBanner.h"
#include "gui/RunController.h"
#include "gui/SweepRunner.h"
#include "gui/TransportBar.h"
#include "render/Palette.h"
#include "timeline/TimelineWidget.h"
#include "views/LessonView.h"

#include "lockstep/lesson/LessonLoader.h"

#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>
#include <QTabWidget>

#include <algorithm>
#include <exception>

namespace lockstep::ui {

namespace {
QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}
} // namespace

void MainWindow::loadLessons()
{
    const QString dir = m_options.lessonsDir.isEmpty() ? qs(LessonLoader::defaultDirectory()) : m_options.lessonsDir;
    std::vector<std::string> errors;
    try {
        m_lessons = LessonLoader::loadDirectory(dir.toStdString(), &errors);
    } catch (const std::exception& e) {
        errors.emplace_back(e.what());
    }
    m_loadErrors.clear();
    QList<BrokenLesson> broken;
    for (const auto& e : errors) {
        m_loadErrors << qs(e);
        broken << LessonBrowser::brokenLesson(qs(e), dir);
    }
    m_browser->setBrokenLessons(std::move(broken));
    m_browser->setLessons(&m_lessons, m_lang);
}

void MainWindow::showLoadErrors()
{
    if (!m_loadErrors.isEmpty())
        statusBar()->showMessage(
            tr("%n lesson file(s) could not be loaded: %1", nullptr, static_cast<int>(m_loadErrors.size()))
                .arg(m_loadErrors.first()),
            15000);
}

const Lesson* MainWindow::currentLesson() const
{
    for (const Lesson& l : m_lessons)
        if (qs(l.id) == m_currentId) return &l;
    return nullptr;
}

bool MainWindow::openLesson(const QString& idOrPath, QString* error)
{
    const Lesson* lesson = nullptr;
    for (const Lesson& l : m_lessons)
        if (qs(l.id) == idOrPath) lesson = &l;
    if (!lesson && (idOrPath.endsWith(QLatin1String(".json")) || idOrPath.contains(QLatin1Char('/')))) {
        try {
            Lesson loaded = LessonLoader::loadFile(idOrPath.toStdString());
            const std::string id = loaded.id;
            // Pointers into m_lessons are about to change: drop the page's before it dangles.
            m_page->setLesson(nullptr, m_lang);
            auto same = std::find_if(m_lessons.begin(), m_lessons.end(), [&](const Lesson& l) { return l.id == id; });
            if (same != m_lessons.end())
                *same = std::move(loaded);
            else
                m_lessons.push_back(std::move(loaded));
            m_browser->setLessons(&m_lessons, m_lang);
            lesson = &*std::find_if(m_lessons.begin(), m_lessons.end(), [&](const Lesson& l) { return l.id == id; });
        } catch (const std::exception& e) {
            if (error) *error = QString::fromUtf8(e.what());
            return false;
        }
    }
    if (!lesson) {
        QStringList ids;
        for (const Lesson& l : m_lessons)
            ids << qs(l.id);
        if (error)
            *error = tr("--lesson %1: no such lesson (allowed: %2)")
                         .arg(idOrPath, ids.isEmpty() ? tr("none found") : ids.join(QStringLiteral(", ")));
        return false;
    }
    m_sweep->cancel();
    m_controller->reset();
    m_currentId = qs(lesson->id);
    m_page->setLesson(lesson, m_lang);
    m_browser->setCurrentLesson(m_currentId);
    m_metrics->setLesson(m_currentId);
    for (LessonView* v : visibleViews()) {
        v->setTrace(nullptr);
    }
    setWindowTitle(tr("%1 — Lockstep").arg(qs(lesson->title.get(m_lang))));
    updateViewTabs();
    updateActions();
    Q_EMIT lessonOpened(m_currentId);
    return true;
}

bool MainWindow::selectVariant(const QString& id, QString* error)
{
    if (m_page->setVariant(id)) return true;
    if (error) {
        QStringList ids;
        if (const Lesson* l = currentLesson())
            for (const Variant& v : l->variants)
                ids << qs(v.id);
        *error = tr("--variant %1: unknown variant of lesson '%2' (allowed: %3)")
                     .arg(id, m_currentId, ids.join(QStringLiteral(", ")));
    }
    return false;
}

RunRequest MainWindow::makeRequest(const Lesson& lesson, const std::string& variant) const
{
    RunRequest request;
    request.lesson = lesson;
    request.variant = variant;
    request.params = m_page->parameters()->overrides();
    request.seed = m_options.seed;
    request.lang = m_lang;
    m_runSettings.applyTo(request);
    return request;
}

bool MainWindow::startRun(const std::map<std::string, std::string>& extra, bool paused, QString* error)
{
    const Lesson* lesson = currentLesson();
    if (!lesson) {
        if (error) *error = tr("No lesson is open.");
        return false;
    }
    if (m_sweep->running()) {
        if (error) *error = tr("Variants are being compared; wait for it to finish or cancel it.");
        return false;
    }
    RunRequest request = makeRequest(*lesson, m_page->currentVariant().toStdString());
    for (const auto& [k, v] : extra)
        request.params[k] = v;
    QString why;
    if (!m_controller->start(std::move(request), paused, &why)) {
        if (error) *error = why;
        return false;
    }
    m_page->setNarrationStep(0);
    return true;
}

bool MainWindow::compareAllVariants(QString* error)
{
    const Lesson* lesson = currentLesson();
    if (!lesson) {
        if (error) *error = tr("No lesson is open.");
        return false;
    }
    if (isLive(m_controller->state())) {
        if (error)
            *error = tr("A run is live: wait for it to end or reset it first, so the timings are not disturbed.");
        return false;
    }
    std::vector<RunRequest> requests;
    for (const Variant& v : lesson->variants)
        requests.push_back(makeRequest(*lesson, v.id));
    if (!m_sweep->start(std::move(requests))) {
        if (error) *error = tr("A comparison is already running.");
        return false;
    }
    m_progress->setRange(0, static_cast<int>(lesson->variants.size()));
    m_progress->setValue(0);
    m_progress->show();
    updateActions();
    return true;
}

void MainWindow::playPause()
{
    if (m_controller->state() == RunState::Idle) {
        m_run->trigger();
        return;
    }
    m_controller->togglePlay();
}

void MainWindow::step()
{
    if (m_controller->state() == RunState::Idle) {
        // Step from nothing: start paused, every engine thread waits at the gate, then let one pass.
        QString error;
        if (!startRun({}, true, &error)) {
            showError(tr("Cannot run the lesson"), error);
            return;
        }
    }
    m_controller->stepForward();
}

void MainWindow::onStateChanged(RunState state)
{
    m_page->setEditable(!isLive(state));
    m_transport->setRunState(
        state, m_controller->trace() != nullptr, currentLesson() != nullptr && !m_sweep->running());
    if (state == RunState::Idle || isLive(state)) {
        m_outcomeLabel->clear();
        m_page->showCursor(nullptr, 0);
        m_page->banner()->dismiss(); // it was about the run before this one
    }
    updateActions();
    updateStatus();
}

void MainWindow::onTraceChanged(const TracePtr& trace)
{
    m_timeline->setTrace(trace);
    if (m_board) m_board->setTrace(trace);
    updateViewTabs();
    // Only the view on show follows every frame; a tab catches up when it is brought forward
    // (each view replays the events since its last update, so skipping frames costs nothing).
    if (LessonView* v = currentTabView()) v->setTrace(trace);
    m_transport->setRunState(
        m_controller->state(), trace != nullptr, currentLesson() != nullptr && !m_sweep->running());
}

void MainWindow::onCursorChanged(qint64 ts)
{
    const TracePtr& trace = m_controller->trace();
    if (m_board) m_board->setCursor(ts);
    if (LessonView* v = currentTabView()) v->setCursor(ts);
    m_page->showCursor(trace.get(), ts);
    m_timeline->setCursorTime(trace ? ts : -1);
    if (trace && !m_controller->following()) m_timeline->ensureCursorVisible();
    m_transport->setPosition(ts, m_controller->traceEnd());
    updateStatus();
}

void MainWindow::onRunFinished()
{
    const auto& result = m_controller->result();
    if (!result) return;
    // The outcome is the news now: an older message must not cover it.
    statusBar()->clearMessage();
    m_metrics->addSummary(result->summary);
    // The whole run in view once it is over (unless the user zoomed in while it ran).
    if (m_timeline->followLive()) {
        m_timeline->setFollowLive(false);
        m_timeline->fitAll();
    }
    updateOutcome();
    updateBanner();
    updateStatus();
}

void MainWindow::updateOutcome()
{
    const auto& result = m_controller->result();
    if (!result) {
        m_outcomeLabel->clear();
        return;
    }
    const QString text = outcomeText(*result);
    m_outcomeLabel->setText(text);
    m_outcomeLabel->setToolTip(text); // the status bar may cut a long message short
    // Deadlocks and stalls are what some lessons are about, failures are not: both stand out.
    const bool alarm = result->outcome != RunOutcome::Completed && result->outcome != RunOutcome::Cancelled;
    m_outcomeLabel->setStyleSheet(
        alarm ? QStringLiteral("color: %1; font-weight: 600;").arg(Palette::alarm().name()) : QString());
}

QString MainWindow::outcomeText(const RunResult& result) const
{
    const RunRequest* request = m_controller->request();
    switch (result.outcome) {
    case RunOutcome::Failed:
        if (const auto& f = result.failure) {
            const QString where = f->line > 0 ? tr("thread %1, line %2").arg(qs(f->thread), QString::number(f->line))
                                              : tr("thread %1").arg(qs(f->thread));
            return tr("Outcome: failed in %1: %2").arg(where, qs(f->message));
        }
        break;
    case RunOutcome::Limit: {
        // Which budget, with the number the run had: "why did it stop?" needs both.
        if (result.limit == BudgetLimit::Events) {
            const std::uint64_t n = request && request->maxEvents ? request->maxEvents : RunOptions::kDefaultMaxEvents;
            return tr("Outcome: stopped at the event limit (%1 events)").arg(formatCount(n));
        }
        if (result.limit == BudgetLimit::Memory) {
            const std::uint64_t mb
                = request && request->maxMemoryMb ? request->maxMemoryMb : RunOptions::kDefaultMaxMemoryBytes >> 20;
            return tr("Outcome: stopped at the memory limit (%1 MB)").arg(formatCount(mb));
        }
        break;
    }
    case RunOutcome::TimedOut: {
        double seconds = request && request->timeoutSeconds > 0 ? request->timeoutSeconds
            : request                                           ? request->lesson.timeoutSeconds
                                                                : 0;
        seconds = std::min(seconds, static_cast<double>(Limits::kMaxRunSeconds));
        return tr("Outcome: stopped at the time limit (%1 s)").arg(seconds);
    }
    default:
        break;
    }
    QString text = tr("Outcome: %1").arg(runOutcomeLabel(result.outcome));
    if (!result.error.empty()) text += QStringLiteral(" — ") + qs(result.error);
    return text;
}

void MainWindow::updateBanner()
{
    const auto& result = m_controller->result();
    if (!result || result->outcome != RunOutcome::Failed) return;
    const Lesson* lesson = currentLesson();
    QString title = tr("The run failed");
    QString detail = qs(result->error);
    if (const auto& f = result->failure) {
        title = f->line > 0
            ? tr("The run failed: thread %1 stopped at line %2").arg(qs(f->thread), QString::number(f->line))
            : tr("The run failed: thread %1 stopped").arg(qs(f->thread));
        detail = qs(f->message);
        // The line itself, as the code view shows it, so the reader need not count lines.
        if (lesson && f->line > 0) {
            const QStringList code = qs(lesson->python).split(QLatin1Char('\n'));
            if (f->line <= code.size() && !code[f->line - 1].trimmed().isEmpty())
                detail
                    = QStringLiteral("%1\n%2 | %3").arg(detail, QString::number(f->line), code[f->line - 1].trimmed());
        }
    }
    m_page->banner()->showMessage(title, detail);
}

void MainWindow::updateViewTabs()
{
    // A view is a tab only while the trace has what it shows (e.g. the GIL view needs a GIL).
    const TracePtr& trace = m_controller->trace();
    int insertAt = 0;
    for (LessonView* v : m_views) {
        const bool applies = trace && v->appliesTo(*trace);
        const int index = m_viewTabs->indexOf(v);
        if (applies && index < 0) {
            m_viewTabs->insertTab(insertAt, v, v->title());
            v->setTrace(trace);
            v->setCursor(m_controller->cursor());
            if (m_viewTabs->currentWidget() == m_metrics && !m_sweep->running()) m_viewTabs->setCurrentIndex(insertAt);
        } else if (!applies && index >= 0 && trace) {
            // Only drop a tab when a trace says it does not apply: a reset keeps the layout steady.
            m_viewTabs->removeTab(index);
            v->hide();
        }
        if (m_viewTabs->indexOf(v) >= 0) ++insertAt;
    }
}

LessonView* MainWindow::currentTabView() const
{
    auto* v = qobject_cast<LessonView*>(m_viewTabs->currentWidget());
    return v && std::find(m_views.begin(), m_views.end(), v) != m_views.end() ? v : nullptr;
}

std::vector<LessonView*> MainWindow::visibleViews() const
{
    std::vector<LessonView*> out;
    if (m_board) out.push_back(m_board);
    for (LessonView* v : m_views)
        if (m_viewTabs->indexOf(v) >= 0) out.push_back(v);
    return out;
}

void MainWindow::updateStatus()
{
    const RunState state = m_controller->state();
    QColor dot = Palette::mutedText();
    switch (state) {
    case RunState::Running:
        dot = Palette::style(StateCategory::Running).fill;
        break;
    case RunState::Paused:
        dot = Palette::style(StateCategory::Waiting).fill;
        break;
    case RunState::Replaying:
        dot = Palette::accent();
        break;
    case RunState::Finished:
        dot = Palette::style(StateCategory::Done).fill;
        break;
    case RunState::Idle:
        break;
    }
    m_stateLabel->setText(QStringLiteral("<span style='color:%1'>●</span> %2").arg(dot.name(), runStateLabel(state)));
    if (state == RunState::Idle) {
        m_elapsedLabel->clear();
        m_eventsLabel->clear();
        return;
    }
    const auto elapsedNs = static_cast<std::int64_t>(m_controller->elapsedSeconds() * 1e9);
    m_elapsedLabel->setText(tr("Elapsed %1").arg(formatDuration(elapsedNs)));
    const std::size_t total = m_controller->eventCount();
    const std::size_t shown = m_controller->eventsAtCursor();
    m_eventsLabel->setToolTip(tr("Longest GUI frame spent on this run so far: %1 ms")
                                  .arg(QString::number(m_controller->maxFrameMs(), 'f', 2)));
    m_eventsLabel->setText(shown == total ? tr("%1 events").arg(formatCount(total))
                                          : tr("Event %1 of %2").arg(formatCount(shown), formatCount(total)));
}

QString MainWindow::statusText() const
{
    return m_stateLabel->text() + QLatin1Char('|') + m_elapsedLabel->text() + QLatin1Char('|') + m_eventsLabel->text();
}

} // namespace lockstep::ui
