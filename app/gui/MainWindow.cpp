// MainWindow, part one: the layout, settings, look and language. The actions and menus are in
// MainWindowActions.cpp, lessons and runs in MainWindowRuns.cpp, the exports in ExportController.

#include "gui/MainWindow.h"

#include "charts/MetricsChart.h"
#include "gui/ExportController.h"
#include "gui/Icons.h"
#include "gui/LessonBrowser.h"
#include "gui/LessonPage.h"
#include "gui/RunBanner.h"
#include "gui/RunController.h"
#include "gui/SweepRunner.h"
#include "gui/Theme.h"
#include "gui/Translations.h"
#include "gui/TransportBar.h"
#include "render/Palette.h"
#include "timeline/TimelineWidget.h"
#include "views/LessonView.h"
#include "views/StateBoard.h"
#include "views/ViewFactory.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

// Resources live in the static GUI library; referencing the initialiser keeps the linker from
// dropping them (an unreferenced object file of a static library is never linked).
static void initLockstepResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace lockstep::ui {

namespace {
constexpr double kPresenterScale = 1.35;
QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

QLabel* sectionHeading(QWidget* parent)
{
    auto* l = new QLabel(parent);
    l->setObjectName(QStringLiteral("panelHeading"));
    return l;
}
} // namespace

MainWindow::MainWindow(Options options, QWidget* parent) : QMainWindow(parent), m_options(std::move(options))
{
    initLockstepResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(Icons::appIcon());
    m_controller = new RunController(this);
    m_sweep = new SweepRunner(this);
    m_exports = new ExportController(this);

    QSettings settings;
    if (m_options.persistSettings) {
        m_runSettings = RunSettings::load(settings);
        m_lang = settings.value(QStringLiteral("ui/language")).toString() == QLatin1String("zh") ? Lang::Zh : Lang::En;
        m_dark = settings.value(QStringLiteral("ui/dark"), false).toBool();
        m_presenter = settings.value(QStringLiteral("ui/presenter"), false).toBool();
    }
    if (m_options.lang) m_lang = *m_options.lang;
    if (m_options.dark) m_dark = *m_options.dark;
    if (m_options.presenter) m_presenter = *m_options.presenter;

    Translations::install(m_lang);
    Theme::apply(m_dark, uiScale());

    buildActions();
    buildUi();
    buildMenus();
    buildStatusBar();
    loadLessons();
    applyTheme();
    retranslate();

    connect(m_controller, &RunController::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_controller, &RunController::traceChanged, this, &MainWindow::onTraceChanged);
    connect(m_controller, &RunController::cursorChanged, this, &MainWindow::onCursorChanged);
    connect(m_controller, &RunController::runFinished, this, &MainWindow::onRunFinished);
    connect(m_controller, &RunController::runStarted, this, [this] { m_timeline->setFollowLive(true); });
    connect(
        m_controller, &RunController::message, this, [this](const QString& m) { statusBar()->showMessage(m, 4000); });

    connect(m_transport, &TransportBar::runRequested, m_run, &QAction::trigger);
    connect(m_transport, &TransportBar::playPauseRequested, this, &MainWindow::playPause);
    connect(m_transport, &TransportBar::stepRequested, this, &MainWindow::step);
    connect(m_transport, &TransportBar::stepBackRequested, m_controller, &RunController::stepBack);
    connect(m_transport, &TransportBar::nextNarrationRequested, m_page, &LessonPage::nextNarrationStep);
    connect(m_transport, &TransportBar::resetRequested, m_reset, &QAction::trigger);
    connect(m_transport, &TransportBar::scrubbed, this, [this](double f) {
        m_controller->seek(static_cast<std::int64_t>(f * static_cast<double>(m_controller->traceEnd())));
    });
    connect(m_transport, &TransportBar::speedChanged, m_controller, &RunController::setSpeed);

    connect(m_exports, &ExportController::saved, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    connect(m_exports, &ExportController::failed, this, &MainWindow::showError);

    connect(m_browser, &LessonBrowser::lessonSelected, this, [this](const QString& id) {
        QString error;
        if (!openLesson(id, &error)) showError(tr("Cannot open the lesson"), error);
    });
    connect(m_page, &LessonPage::variantChanged, this, [this] {
        if (m_controller->state() != RunState::Idle && !isLive(m_controller->state())) m_controller->reset();
        updateActions();
    });

    connect(m_sweep, &SweepRunner::progress, this, [this](int done, int total, const QString& variant) {
        m_progress->setVisible(m_sweep->running());
        m_progress->setRange(0, total);
        m_progress->setValue(done);
        if (!variant.isEmpty())
            statusBar()->showMessage(
                tr("Comparing variants: running %1 (%2 of %3)").arg(variant).arg(done + 1).arg(total));
    });
    connect(m_sweep, &SweepRunner::runFinished, m_metrics, &MetricsChart::addSummary);
    connect(m_sweep, &SweepRunner::runFailed, this, [this](const QString& variant, const QString& error) {
        statusBar()->showMessage(tr("Variant %1 failed: %2").arg(variant, error), 8000);
    });
    connect(m_sweep, &SweepRunner::finished, this, [this](bool cancelled) {
        m_progress->setVisible(false);
        statusBar()->showMessage(
            cancelled ? tr("Comparison cancelled") : tr("Comparison finished: see the Metrics tab"), 6000);
        if (!cancelled) m_viewTabs->setCurrentWidget(m_metrics);
        updateActions();
    });

    restoreSettings();
    m_transport->setSpeed(m_controller->speed(), m_controller->unthrottled());
    onStateChanged(RunState::Idle);
}

MainWindow::~MainWindow()
{
    // The run's threads must be gone before any view they might be drawn in.
    m_sweep->cancel();
    m_controller->shutdown();
}

double MainWindow::uiScale() const
{
    return m_presenter ? kPresenterScale : 1.0;
}

void MainWindow::buildUi()
{
    m_transport = new TransportBar(this);
    auto* central = new QWidget(this);
    central->setObjectName(QStringLiteral("centralArea"));
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_transport);

    m_mainSplitter = new QSplitter(Qt::Horizontal, central);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->setHandleWidth(6);
    m_mainSplitter->setChildrenCollapsible(false);
    layout->addWidget(m_mainSplitter, 1);

    m_browser = new LessonBrowser(m_mainSplitter);
    m_browser->setMinimumWidth(200);

    m_centreSplitter = new QSplitter(Qt::Vertical, m_mainSplitter);
    m_centreSplitter->setObjectName(QStringLiteral("centreSplitter"));
    m_centreSplitter->setHandleWidth(6);
    m_centreSplitter->setChildrenCollapsible(false);
    m_page = new LessonPage(m_centreSplitter);
    auto* timelinePanel = new QWidget(m_centreSplitter);
    auto* tl = new QVBoxLayout(timelinePanel);
    tl->setContentsMargins(12, 0, 12, 8);
    tl->setSpacing(4);
    m_timelineHeading = sectionHeading(timelinePanel);
    tl->addWidget(m_timelineHeading);
    auto* timelineCard = new QFrame(timelinePanel);
    timelineCard->setObjectName(QStringLiteral("card"));
    auto* tcl = new QVBoxLayout(timelineCard);
    tcl->setContentsMargins(1, 1, 1, 1);
    m_timeline = new TimelineWidget(timelineCard);
    m_timeline->setObjectName(QStringLiteral("timeline"));
    tcl->addWidget(m_timeline);
    // A click on the timeline moves the cursor like the scrub slider does.
    connect(m_timeline, &TimelineWidget::cursorMoved, this, [this](qint64 ts) { m_controller->seek(ts); });
    tl->addWidget(timelineCard, 1);
    m_centreSplitter->addWidget(m_page);
    m_centreSplitter->addWidget(timelinePanel);
    m_centreSplitter->setStretchFactor(0, 4);
    m_centreSplitter->setStretchFactor(1, 5);
    m_centreSplitter->setSizes({ 470, 530 });

    m_rightSplitter = new QSplitter(Qt::Vertical, m_mainSplitter);
    m_rightSplitter->setObjectName(QStringLiteral("rightSplitter"));
    m_rightSplitter->setHandleWidth(6);
    m_rightSplitter->setChildrenCollapsible(false);
    // The views need room to draw (the wait-for graph, the fd grid): the centre gives way first.
    m_rightSplitter->setMinimumWidth(480);
    createViews();

    m_mainSplitter->addWidget(m_browser);
    m_mainSplitter->addWidget(m_centreSplitter);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 5);
    m_mainSplitter->setStretchFactor(2, 3);
    m_mainSplitter->setSizes({ 250, 1010, 660 });
    setCentralWidget(central);
}

void MainWindow::createViews()
{
    auto* boardPanel = new QWidget(m_rightSplitter);
    auto* bl = new QVBoxLayout(boardPanel);
    bl->setContentsMargins(4, 8, 8, 0);
    bl->setSpacing(4);
    m_boardHeading = sectionHeading(boardPanel);
    bl->addWidget(m_boardHeading);
    auto* boardCard = new QFrame(boardPanel);
    boardCard->setObjectName(QStringLiteral("card"));
    auto* bcl = new QVBoxLayout(boardCard);
    bcl->setContentsMargins(1, 1, 1, 1);
    // The factory makes one of each view; the state board always shows, the others are tabs shown
    // while the trace has what they draw.
    for (LessonView* v : ViewFactory::createViews(boardCard)) {
        if (auto* board = qobject_cast<StateBoard*>(v); board && !m_board) {
            board->setAnimated(m_options.animations);
            m_board = board;
        } else {
            m_views.push_back(v);
        }
    }
    bcl->addWidget(m_board);
    bl->addWidget(boardCard, 1);

    auto* tabsPanel = new QWidget(m_rightSplitter);
    auto* tl = new QVBoxLayout(tabsPanel);
    tl->setContentsMargins(4, 0, 8, 8);
    m_viewTabs = new QTabWidget(tabsPanel);
    m_viewTabs->setObjectName(QStringLiteral("viewTabs"));
    m_viewTabs->setDocumentMode(false);
    m_viewTabs->setUsesScrollButtons(false);
    tl->addWidget(m_viewTabs);
    for (LessonView* v : m_views) {
        v->setParent(m_viewTabs);
        v->hide();
    }
    m_metrics = new MetricsChart(m_viewTabs);
    m_viewTabs->addTab(m_metrics, QString());
    connect(m_viewTabs, &QTabWidget::currentChanged, this, [this] {
        if (LessonView* v = currentTabView()) {
            v->setTrace(m_controller->trace());
            v->setCursor(m_controller->cursor());
        }
    });

    m_rightSplitter->addWidget(boardPanel);
    m_rightSplitter->addWidget(tabsPanel);
    m_rightSplitter->setStretchFactor(0, 4);
    m_rightSplitter->setStretchFactor(1, 5);
    m_rightSplitter->setSizes({ 440, 540 });
}

void MainWindow::buildStatusBar()
{
    QStatusBar* bar = statusBar();
    bar->setSizeGripEnabled(true);
    m_stateLabel = new QLabel(bar);
    m_stateLabel->setObjectName(QStringLiteral("stateBadge"));
    m_outcomeLabel = new QLabel(bar);
    m_outcomeLabel->setObjectName(QStringLiteral("outcomeLabel"));
    m_elapsedLabel = new QLabel(bar);
    m_elapsedLabel->setObjectName(QStringLiteral("elapsedLabel"));
    m_eventsLabel = new QLabel(bar);
    m_eventsLabel->setObjectName(QStringLiteral("eventsLabel"));
    m_progress = new QProgressBar(bar);
    m_progress->setObjectName(QStringLiteral("sweepProgress"));
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QStringLiteral("%v / %m"));
    m_progress->hide();
    bar->addWidget(m_stateLabel);
    bar->addWidget(m_outcomeLabel);
    bar->addPermanentWidget(m_progress);
    bar->addPermanentWidget(m_elapsedLabel);
    bar->addPermanentWidget(m_eventsLabel);
}

void MainWindow::restoreSettings()
{
    QString lesson;
    QString variant;
    if (m_options.persistSettings) {
        QSettings s;
        restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
        m_restoredLayout = s.contains(QStringLiteral("window/mainSplitter"));
        restoreState(s.value(QStringLiteral("window/state")).toByteArray());
        m_mainSplitter->restoreState(s.value(QStringLiteral("window/mainSplitter")).toByteArray());
        m_centreSplitter->restoreState(s.value(QStringLiteral("window/centreSplitter")).toByteArray());
        m_rightSplitter->restoreState(s.value(QStringLiteral("window/rightSplitter")).toByteArray());
        m_showBrowser->setChecked(s.value(QStringLiteral("window/showBrowser"), true).toBool());
        m_controller->setSpeed(s.value(QStringLiteral("run/speed"), 1.0).toDouble(),
            s.value(QStringLiteral("run/unthrottled"), true).toBool());
        lesson = s.value(QStringLiteral("lesson/id")).toString();
        variant = s.value(QStringLiteral("lesson/variant")).toString();
    }
    if (lesson.isEmpty() && !m_lessons.empty()) lesson = qs(m_lessons.front().id);
    if (!lesson.isEmpty() && !openLesson(lesson) && !m_lessons.empty()) openLesson(qs(m_lessons.front().id));
    if (!variant.isEmpty()) m_page->setVariant(variant);
}

void MainWindow::saveSettings() const
{
    if (!m_options.persistSettings) return;
    QSettings s;
    m_runSettings.save(s);
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/mainSplitter"), m_mainSplitter->saveState());
    s.setValue(QStringLiteral("window/centreSplitter"), m_centreSplitter->saveState());
    s.setValue(QStringLiteral("window/rightSplitter"), m_rightSplitter->saveState());
    s.setValue(QStringLiteral("window/showBrowser"), m_showBrowser->isChecked());
    s.setValue(QStringLiteral("ui/language"), m_lang == Lang::Zh ? QStringLiteral("zh") : QStringLiteral("en"));
    s.setValue(QStringLiteral("ui/dark"), m_dark);
    s.setValue(QStringLiteral("ui/presenter"), m_presenter);
    s.setValue(QStringLiteral("run/speed"), m_controller->speed());
    s.setValue(QStringLiteral("run/unthrottled"), m_controller->unthrottled());
    s.setValue(QStringLiteral("lesson/id"), m_currentId);
    s.setValue(QStringLiteral("lesson/variant"), m_page->currentVariant());
}

void MainWindow::setLanguage(Lang lang)
{
    if (lang == m_lang && Translations::current() == lang) return;
    m_lang = lang;
    Translations::install(lang);
    // Widgets retranslate their own strings on LanguageChange; the lesson content follows m_lang.
    m_browser->setLanguage(lang);
    m_page->setLanguage(lang);
    if (const Lesson* l = currentLesson()) setWindowTitle(tr("%1 — Lockstep").arg(qs(l->title.get(m_lang))));
    retranslate();
    saveSettings();
}

void MainWindow::setDarkTheme(bool dark)
{
    m_dark = dark;
    applyTheme();
    saveSettings();
}

void MainWindow::setPresenterMode(bool on)
{
    m_presenter = on;
    applyTheme();
    // Type of another size wants other proportions.
    if (isVisible()) applyDefaultSizes();
    saveSettings();
}

void MainWindow::applyTheme()
{
    Palette::setDark(m_dark); // the views, the timeline and exports follow the window
    Theme::apply(m_dark, uiScale());
    const double scale = uiScale();
    m_page->setDark(m_dark);
    m_page->setScale(scale);
    if (m_board) m_board->setScale(scale);
    m_timeline->setScale(scale);
    for (LessonView* v : m_views) {
        v->setScale(scale);
        v->update();
    }
    m_timeline->update();
    m_metrics->setDark(m_dark);
    m_metrics->setScale(scale);
    {
        const QSignalBlocker b1(m_presenterAction);
        m_presenterAction->setChecked(m_presenter);
    }
    (m_dark ? m_darkAction : m_lightAction)->setChecked(true);
    (m_lang == Lang::Zh ? m_chinese : m_english)->setChecked(true);
    refreshIcons();
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (m_layoutApplied) return;
    m_layoutApplied = true;
    // Not before: a message shown while the status bar is hidden is drawn over its labels.
    showLoadErrors();
    if (m_restoredLayout) return;
    applyDefaultSizes();
}

void MainWindow::applyDefaultSizes()
{
    // First start: a fixed browser, then the lesson and timeline get ~60 % of the rest, the views ~40 %.
    const int total = std::max(1, m_mainSplitter->width() - 2 * m_mainSplitter->handleWidth());
    const int browser = m_browser->isVisible() ? (m_presenter ? 270 : 240) : 0;
    const int right = static_cast<int>((total - browser) * (m_presenter ? 0.42 : 0.40));
    m_mainSplitter->setSizes({ browser, total - browser - right, right });
    const int height = std::max(1, m_centreSplitter->height() - m_centreSplitter->handleWidth());
    m_centreSplitter->setSizes({ static_cast<int>(height * 0.47), height - static_cast<int>(height * 0.47) });
    const int rightHeight = std::max(1, m_rightSplitter->height() - m_rightSplitter->handleWidth());
    m_rightSplitter->setSizes(
        { static_cast<int>(rightHeight * 0.45), rightHeight - static_cast<int>(rightHeight * 0.45) });
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    retranslateActions();
    m_timelineHeading->setText(tr("Timeline"));
    m_boardHeading->setText(tr("Threads and processes"));
    const int metricsIndex = m_viewTabs->indexOf(m_metrics);
    if (metricsIndex >= 0) m_viewTabs->setTabText(metricsIndex, tr("Metrics"));
    for (LessonView* v : m_views) {
        const int i = m_viewTabs->indexOf(v);
        if (i >= 0) m_viewTabs->setTabText(i, v->title());
    }
    if (const Lesson* l = currentLesson())
        setWindowTitle(tr("%1 — Lockstep").arg(qs(l->title.get(m_lang))));
    else
        setWindowTitle(tr("Lockstep"));
    updateOutcome();
    // A banner the user has not dismissed follows the language; a dismissed one stays closed.
    if (!m_page->banner()->isHidden()) updateBanner();
    updateStatus();
}

bool MainWindow::exportTimelinePng(const QString& path, double scale, QString* error)
{
    return m_exports->exportTimelinePng(path, scale, error);
}

bool MainWindow::exportTimelineSvg(const QString& path, QString* error)
{
    return m_exports->exportTimelineSvg(path, error);
}

bool MainWindow::exportTrace(const QString& path, QString* error)
{
    return m_exports->exportTrace(path, error);
}
bool MainWindow::exportSummary(const QString& path, QString* error)
{
    return m_exports->exportSummary(path, error);
}
bool MainWindow::copyImageToClipboard(QString* error)
{
    return m_exports->copyImageToClipboard(error);
}

void MainWindow::showError(const QString& title, const QString& text)
{
    statusBar()->showMessage(text, 10000);
    if (QGuiApplication::platformName() == QLatin1String("offscreen")) return;
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    box.exec();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveSettings();
    // Cancel the live run and join its threads before the window (and the views) go away.
    m_sweep->cancel();
    m_controller->shutdown();
    event->accept();
}

} // namespace lockstep::ui
