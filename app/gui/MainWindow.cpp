#include "gui/MainWindow.h"

#include "charts/MetricsChart.h"
#include "gui/Format.h"
#include "gui/Icons.h"
#include "gui/LessonBrowser.h"
#include "gui/LessonPage.h"
#include "gui/ParameterPanel.h"
#include "gui/RunController.h"
#include "gui/SweepRunner.h"
#include "gui/Theme.h"
#include "gui/TransportBar.h"
#include "gui/Translations.h"
#include "render/Palette.h"
#include "render/TimelineExporter.h"
#include "timeline/TimelineWidget.h"
#include "views/LessonView.h"
#include "views/StateBoard.h"
#include "views/ViewFactory.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/trace/ChromeTraceWriter.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QSaveFile>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>
#include <fstream>

// Resources live in the static GUI library; referencing the initialiser keeps the linker from
// dropping them (an unreferenced object file of a static library is never linked).
static void initLockstepResources() { Q_INIT_RESOURCE(resources); }

namespace lockstep::ui {

namespace {
constexpr double kPresenterScale = 1.35;
QString qs(const std::string& s) { return QString::fromStdString(s); }

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

    QSettings settings;
    if (m_options.persistSettings) {
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
    connect(m_controller, &RunController::message, this, [this](const QString& m) { statusBar()->showMessage(m, 4000); });

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
        if (!variant.isEmpty()) statusBar()->showMessage(tr("Comparing variants: running %1 (%2 of %3)").arg(variant).arg(done + 1).arg(total));
    });
    connect(m_sweep, &SweepRunner::runFinished, m_metrics, &MetricsChart::addSummary);
    connect(m_sweep, &SweepRunner::runFailed, this, [this](const QString& variant, const QString& error) {
        statusBar()->showMessage(tr("Variant %1 failed: %2").arg(variant, error), 8000);
    });
    connect(m_sweep, &SweepRunner::finished, this, [this](bool cancelled) {
        m_progress->setVisible(false);
        statusBar()->showMessage(cancelled ? tr("Comparison cancelled") : tr("Comparison finished: see the Metrics tab"), 6000);
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

double MainWindow::uiScale() const { return m_presenter ? kPresenterScale : 1.0; }

// ---------------------------------------------------------------------------------------------
// Construction

void MainWindow::buildActions()
{
    auto make = [this](const char* name, QKeySequence key = {}) {
        auto* a = new QAction(this);
        a->setObjectName(QString::fromLatin1(name));
        if (!key.isEmpty()) a->setShortcut(key);
        addAction(a); // shortcuts work while the menu bar is hidden, too
        return a;
    };
    m_openFile = make("openFileAction", QKeySequence::Open);
    for (int i = 0; i < 3; ++i) m_exportPng[i] = make(i == 0 ? "exportPng1" : i == 1 ? "exportPng2" : "exportPng4");
    m_exportPng[1]->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportSvg = make("exportSvgAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_exportTrace = make("exportTraceAction", QKeySequence(Qt::CTRL | Qt::Key_T));
    m_exportSummary = make("exportSummaryAction");
    m_copyImage = make("copyImageAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_quit = make("quitAction", QKeySequence::Quit);
    m_run = make("runAction", QKeySequence(Qt::CTRL | Qt::Key_R));
    m_playPause = make("playPauseAction", QKeySequence(Qt::Key_Space));
    m_step = make("stepAction", QKeySequence(Qt::Key_Right));
    m_stepBack = make("stepBackAction", QKeySequence(Qt::Key_Left));
    m_home = make("homeAction", QKeySequence(Qt::Key_Home));
    m_end = make("endAction", QKeySequence(Qt::Key_End));
    m_nextNarration = make("nextNarrationAction", QKeySequence(Qt::Key_N));
    m_reset = make("resetAction", QKeySequence(Qt::CTRL | Qt::Key_Backspace));
    m_compare = make("compareAction", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_cancelCompare = make("cancelCompareAction");
    m_presenterAction = make("presenterAction", QKeySequence(Qt::Key_F5));
    m_presenterAction->setCheckable(true);
    m_showBrowser = make("showBrowserAction", QKeySequence(Qt::CTRL | Qt::Key_B));
    m_showBrowser->setCheckable(true);
    m_showBrowser->setChecked(true);
    m_lightAction = make("lightThemeAction");
    m_darkAction = make("darkThemeAction");
    m_themeGroup = new QActionGroup(this);
    for (QAction* a : {m_lightAction, m_darkAction}) {
        a->setCheckable(true);
        m_themeGroup->addAction(a);
    }
    m_english = make("englishAction");
    m_chinese = make("chineseAction");
    m_languageGroup = new QActionGroup(this);
    for (QAction* a : {m_english, m_chinese}) {
        a->setCheckable(true);
        m_languageGroup->addAction(a);
    }
    m_about = make("aboutAction");
    m_shortcuts = make("shortcutsAction", QKeySequence::HelpContents);

    connect(m_openFile, &QAction::triggered, this, &MainWindow::openLessonFileInteractive);
    connect(m_exportPng[0], &QAction::triggered, this, [this] { exportPngInteractive(1); });
    connect(m_exportPng[1], &QAction::triggered, this, [this] { exportPngInteractive(2); });
    connect(m_exportPng[2], &QAction::triggered, this, [this] { exportPngInteractive(4); });
    connect(m_exportSvg, &QAction::triggered, this, &MainWindow::exportSvgInteractive);
    connect(m_exportTrace, &QAction::triggered, this, &MainWindow::exportTraceInteractive);
    connect(m_exportSummary, &QAction::triggered, this, &MainWindow::exportSummaryInteractive);
    connect(m_copyImage, &QAction::triggered, this, [this] {
        QString error;
        if (copyImageToClipboard(&error)) statusBar()->showMessage(tr("Timeline copied to the clipboard"), 4000);
        else showError(tr("Copy failed"), error);
    });
    connect(m_quit, &QAction::triggered, this, &QWidget::close);
    connect(m_run, &QAction::triggered, this, [this] {
        QString error;
        if (!startRun({}, false, &error)) showError(tr("Cannot run the lesson"), error);
    });
    connect(m_playPause, &QAction::triggered, this, &MainWindow::playPause);
    connect(m_step, &QAction::triggered, this, &MainWindow::step);
    connect(m_stepBack, &QAction::triggered, this, [this] { m_controller->stepBack(); });
    connect(m_home, &QAction::triggered, this, [this] { m_controller->seekToStart(); });
    connect(m_end, &QAction::triggered, this, [this] { m_controller->seekToEnd(); });
    connect(m_nextNarration, &QAction::triggered, this, [this] { m_page->nextNarrationStep(); });
    connect(m_reset, &QAction::triggered, this, [this] {
        m_controller->reset();
        m_page->setNarrationStep(0);
    });
    connect(m_compare, &QAction::triggered, this, [this] {
        QString error;
        if (!compareAllVariants(&error)) showError(tr("Cannot compare the variants"), error);
    });
    connect(m_cancelCompare, &QAction::triggered, this, [this] { m_sweep->cancel(); });
    connect(m_presenterAction, &QAction::toggled, this, &MainWindow::setPresenterMode);
    connect(m_showBrowser, &QAction::toggled, this, [this](bool on) { m_browser->setVisible(on); });
    connect(m_lightAction, &QAction::triggered, this, [this] { setDarkTheme(false); });
    connect(m_darkAction, &QAction::triggered, this, [this] { setDarkTheme(true); });
    connect(m_english, &QAction::triggered, this, [this] { setLanguage(Lang::En); });
    connect(m_chinese, &QAction::triggered, this, [this] { setLanguage(Lang::Zh); });
    connect(m_about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Lockstep"),
                           tr("<h3>Lockstep %1</h3><p>Lockstep teaches concurrency by running real concurrent "
                              "code — OS threads, real locks and condition variables, a model of CPython's GIL "
                              "built from real primitives, real fork, real select/poll/epoll, real stackful "
                              "coroutines — and animating the recorded trace.</p>")
                               .arg(QApplication::applicationVersion()));
    });
    connect(m_shortcuts, &QAction::triggered, this, [this] {
        QMessageBox::information(
            this, tr("Keyboard shortcuts"),
            tr("<table cellpadding='3'>"
               "<tr><td><b>Ctrl+R</b></td><td>Run the lesson live</td></tr>"
               "<tr><td><b>Space</b></td><td>Pause / resume (a finished run replays)</td></tr>"
               "<tr><td><b>→</b></td><td>Step one event</td></tr>"
               "<tr><td><b>←</b></td><td>Step back one event</td></tr>"
               "<tr><td><b>Home / End</b></td><td>Start / end of the trace</td></tr>"
               "<tr><td><b>N</b></td><td>Next narration step</td></tr>"
               "<tr><td><b>Ctrl+Shift+R</b></td><td>Compare all variants</td></tr>"
               "<tr><td><b>F5</b></td><td>Presenter mode</td></tr>"
               "<tr><td><b>Ctrl+E</b></td><td>Export the timeline as PNG (2×)</td></tr>"
               "</table>"));
    });
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
    m_centreSplitter->setSizes({470, 530});

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
    m_mainSplitter->setSizes({250, 1010, 660});
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
    m_rightSplitter->setSizes({440, 540});
}

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_openFile);
    m_fileMenu->addSeparator();
    m_exportPngMenu = m_fileMenu->addMenu(QString());
    for (QAction* a : m_exportPng) m_exportPngMenu->addAction(a);
    m_fileMenu->addAction(m_exportSvg);
    m_fileMenu->addAction(m_exportTrace);
    m_fileMenu->addAction(m_exportSummary);
    m_fileMenu->addAction(m_copyImage);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quit);

    m_runMenu = menuBar()->addMenu(QString());
    for (QAction* a : {m_run, m_playPause, m_step, m_stepBack, m_home, m_end, m_nextNarration, m_reset})
        m_runMenu->addAction(a);
    m_runMenu->addSeparator();
    m_runMenu->addAction(m_compare);
    m_runMenu->addAction(m_cancelCompare);

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(m_presenterAction);
    m_themeMenu = m_viewMenu->addMenu(QString());
    m_themeMenu->addAction(m_lightAction);
    m_themeMenu->addAction(m_darkAction);
    m_viewMenu->addAction(m_showBrowser);

    m_languageMenu = menuBar()->addMenu(QString());
    m_languageMenu->addAction(m_english);
    m_languageMenu->addAction(m_chinese);

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_shortcuts);
    m_helpMenu->addAction(m_about);
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
    for (const auto& e : errors) m_loadErrors << qs(e);
    m_browser->setLessons(&m_lessons, m_lang);
    if (!m_loadErrors.isEmpty())
        statusBar()->showMessage(tr("%n lesson file(s) could not be loaded: %1", nullptr, static_cast<int>(m_loadErrors.size()))
                                     .arg(m_loadErrors.first()),
                                 15000);
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

// ---------------------------------------------------------------------------------------------
// Lessons and runs

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
            if (same != m_lessons.end()) *same = std::move(loaded);
            else m_lessons.push_back(std::move(loaded));
            m_browser->setLessons(&m_lessons, m_lang);
            lesson = &*std::find_if(m_lessons.begin(), m_lessons.end(), [&](const Lesson& l) { return l.id == id; });
        } catch (const std::exception& e) {
            if (error) *error = QString::fromUtf8(e.what());
            return false;
        }
    }
    if (!lesson) {
        QStringList ids;
        for (const Lesson& l : m_lessons) ids << qs(l.id);
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
            for (const Variant& v : l->variants) ids << qs(v.id);
        *error = tr("--variant %1: unknown variant of lesson '%2' (allowed: %3)")
                     .arg(id, m_currentId, ids.join(QStringLiteral(", ")));
    }
    return false;
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
    RunRequest request;
    request.lesson = *lesson;
    request.variant = m_page->currentVariant().toStdString();
    request.params = m_page->parameters()->overrides();
    for (const auto& [k, v] : extra) request.params[k] = v;
    request.seed = m_options.seed;
    request.lang = m_lang;
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
        if (error) *error = tr("A run is live: wait for it to end or reset it first, so the timings are not disturbed.");
        return false;
    }
    std::vector<RunRequest> requests;
    const auto overrides = m_page->parameters()->overrides();
    for (const Variant& v : lesson->variants) {
        RunRequest r;
        r.lesson = *lesson;
        r.variant = v.id;
        r.params = overrides;
        r.seed = m_options.seed;
        r.lang = m_lang;
        requests.push_back(std::move(r));
    }
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
    m_transport->setRunState(state, m_controller->trace() != nullptr, currentLesson() != nullptr && !m_sweep->running());
    if (state == RunState::Idle || isLive(state)) {
        m_outcomeLabel->clear();
        m_page->showCursor(nullptr, 0);
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
    m_transport->setRunState(m_controller->state(), trace != nullptr, currentLesson() != nullptr && !m_sweep->running());
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
    m_metrics->addSummary(result->summary);
    // The whole run in view once it is over (unless the user zoomed in while it ran).
    if (m_timeline->followLive()) {
        m_timeline->setFollowLive(false);
        m_timeline->fitAll();
    }
    updateOutcome();
    updateStatus();
}

void MainWindow::updateOutcome()
{
    const auto& result = m_controller->result();
    if (!result) {
        m_outcomeLabel->clear();
        return;
    }
    QString text = tr("Outcome: %1").arg(runOutcomeLabel(result->outcome));
    if (!result->error.empty()) text += QStringLiteral(" — ") + qs(result->error);
    m_outcomeLabel->setText(text);
    // Deadlocks and stalls are what some lessons are about, failures are not: both stand out.
    const bool alarm = result->outcome != RunOutcome::Completed && result->outcome != RunOutcome::Cancelled;
    m_outcomeLabel->setStyleSheet(alarm ? QStringLiteral("color: %1; font-weight: 600;").arg(Palette::alarm().name())
                                        : QString());
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
    case RunState::Running: dot = Palette::style(StateCategory::Running).fill; break;
    case RunState::Paused: dot = Palette::style(StateCategory::Waiting).fill; break;
    case RunState::Replaying: dot = Palette::accent(); break;
    case RunState::Finished: dot = Palette::style(StateCategory::Done).fill; break;
    case RunState::Idle: break;
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

void MainWindow::updateActions()
{
    const RunState state = m_controller->state();
    const bool hasTrace = m_controller->trace() != nullptr;
    const bool hasLesson = currentLesson() != nullptr;
    const bool sweeping = m_sweep->running();
    m_run->setEnabled(hasLesson && !isLive(state) && !sweeping);
    m_playPause->setEnabled(hasLesson && !sweeping);
    m_step->setEnabled(hasLesson && !sweeping);
    m_stepBack->setEnabled(hasTrace);
    m_home->setEnabled(hasTrace);
    m_end->setEnabled(hasTrace);
    m_reset->setEnabled(state != RunState::Idle);
    for (QAction* a : m_exportPng) a->setEnabled(hasTrace);
    m_exportSvg->setEnabled(hasTrace);
    m_exportTrace->setEnabled(hasTrace);
    m_copyImage->setEnabled(hasTrace);
    m_exportSummary->setEnabled(m_controller->result().has_value());
    m_compare->setEnabled(hasLesson && !isLive(state) && !sweeping);
    m_cancelCompare->setEnabled(sweeping);
    m_transport->setRunState(state, hasTrace, hasLesson && !sweeping);
}

// ---------------------------------------------------------------------------------------------
// Look and language

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

void MainWindow::refreshIcons()
{
    m_transport->refreshIcons();
    m_openFile->setIcon(Icons::get(QStringLiteral("open")));
    for (QAction* a : m_exportPng) a->setIcon(Icons::get(QStringLiteral("export-image")));
    m_exportSvg->setIcon(Icons::get(QStringLiteral("export-image")));
    m_exportTrace->setIcon(Icons::get(QStringLiteral("export-trace")));
    m_copyImage->setIcon(Icons::get(QStringLiteral("clipboard")));
    m_run->setIcon(Icons::get(QStringLiteral("play"), true));
    m_playPause->setIcon(Icons::get(QStringLiteral("pause")));
    m_step->setIcon(Icons::get(QStringLiteral("step")));
    m_stepBack->setIcon(Icons::get(QStringLiteral("step-back")));
    m_nextNarration->setIcon(Icons::get(QStringLiteral("narration-next")));
    m_reset->setIcon(Icons::get(QStringLiteral("reset")));
    m_compare->setIcon(Icons::get(QStringLiteral("compare")));
    m_presenterAction->setIcon(Icons::get(QStringLiteral("presenter")));
    m_themeMenu->setIcon(Icons::get(QStringLiteral("theme")));
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (m_layoutApplied) return;
    m_layoutApplied = true;
    if (m_restoredLayout) return;
    applyDefaultSizes();
}

void MainWindow::applyDefaultSizes()
{
    // First start: a fixed browser, then the lesson and timeline get ~60 % of the rest, the views ~40 %.
    const int total = std::max(1, m_mainSplitter->width() - 2 * m_mainSplitter->handleWidth());
    const int browser = m_browser->isVisible() ? (m_presenter ? 270 : 240) : 0;
    const int right = static_cast<int>((total - browser) * (m_presenter ? 0.42 : 0.40));
    m_mainSplitter->setSizes({browser, total - browser - right, right});
    const int height = std::max(1, m_centreSplitter->height() - m_centreSplitter->handleWidth());
    m_centreSplitter->setSizes({static_cast<int>(height * 0.47), height - static_cast<int>(height * 0.47)});
    const int rightHeight = std::max(1, m_rightSplitter->height() - m_rightSplitter->handleWidth());
    m_rightSplitter->setSizes({static_cast<int>(rightHeight * 0.45), rightHeight - static_cast<int>(rightHeight * 0.45)});
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    m_fileMenu->setTitle(tr("&File"));
    m_exportPngMenu->setTitle(tr("Export timeline as &PNG"));
    m_openFile->setText(tr("&Open lesson file…"));
    m_exportPng[0]->setText(tr("1× (1920 px wide)"));
    m_exportPng[1]->setText(tr("2× (projector)"));
    m_exportPng[2]->setText(tr("4× (print)"));
    m_exportSvg->setText(tr("Export timeline as &SVG…"));
    m_exportTrace->setText(tr("Export &trace (Chrome JSON)…"));
    m_exportSummary->setText(tr("Export run s&ummary (JSON)…"));
    m_copyImage->setText(tr("&Copy timeline image"));
    m_quit->setText(tr("&Quit"));
    m_runMenu->setTitle(tr("&Run"));
    m_run->setText(tr("&Run live"));
    m_playPause->setText(tr("&Pause / resume"));
    m_step->setText(tr("&Step"));
    m_stepBack->setText(tr("Step &back"));
    m_home->setText(tr("Go to &start"));
    m_end->setText(tr("Go to &end"));
    m_nextNarration->setText(tr("&Next narration step"));
    m_reset->setText(tr("Rese&t"));
    m_compare->setText(tr("&Compare all variants"));
    m_cancelCompare->setText(tr("Cancel comparison"));
    m_viewMenu->setTitle(tr("&View"));
    m_presenterAction->setText(tr("&Presenter mode"));
    m_themeMenu->setTitle(tr("&Theme"));
    m_lightAction->setText(tr("&Light"));
    m_darkAction->setText(tr("&Dark"));
    m_showBrowser->setText(tr("Show lesson &browser"));
    m_languageMenu->setTitle(tr("&Language"));
    m_english->setText(QStringLiteral("English"));
    m_chinese->setText(QStringLiteral("中文"));
    m_helpMenu->setTitle(tr("&Help"));
    m_shortcuts->setText(tr("&Keyboard shortcuts"));
    m_about->setText(tr("&About Lockstep"));
    m_timelineHeading->setText(tr("Timeline"));
    m_boardHeading->setText(tr("Threads and processes"));
    const int metricsIndex = m_viewTabs->indexOf(m_metrics);
    if (metricsIndex >= 0) m_viewTabs->setTabText(metricsIndex, tr("Metrics"));
    for (LessonView* v : m_views) {
        const int i = m_viewTabs->indexOf(v);
        if (i >= 0) m_viewTabs->setTabText(i, v->title());
    }
    if (const Lesson* l = currentLesson()) setWindowTitle(tr("%1 — Lockstep").arg(qs(l->title.get(m_lang))));
    else setWindowTitle(tr("Lockstep"));
    updateOutcome();
    updateStatus();
}

// ---------------------------------------------------------------------------------------------
// Export

QString MainWindow::exportTitle() const
{
    const Lesson* l = currentLesson();
    if (!l) return {};
    QString title = qs(l->title.get(m_lang));
    if (const Variant* v = m_page->variant()) title += QStringLiteral(" — ") + qs(v->title.get(m_lang).empty() ? v->id : v->title.get(m_lang));
    return title;
}

QString MainWindow::exportSubtitle() const
{
    const auto& result = m_controller->result();
    QStringList parts;
    if (const RunRequest* r = m_controller->request()) {
        for (const auto& [k, v] : r->params) parts << qs(k) + QLatin1Char('=') + qs(v);
    }
    if (result) {
        parts.prepend(tr("outcome: %1").arg(runOutcomeLabel(result->outcome)));
        parts << tr("%1 events").arg(formatCount(result->trace ? result->trace->eventCount() : 0));
    }
    return parts.join(QStringLiteral(" · "));
}

void MainWindow::applyExportRange(ExportOptions& options) const
{
    // A selected range on the timeline is what the slide is about: export just that.
    const auto [t0, t1] = m_timeline->selection();
    if (t0 >= 0 && t1 > t0) {
        options.t0 = t0;
        options.t1 = t1;
    }
    if (m_controller->cursor() < m_controller->traceEnd()) options.cursor = m_controller->cursor();
}

bool MainWindow::exportTimelinePng(const QString& path, double scale, QString* error)
{
    const TracePtr trace = m_controller->trace();
    if (!trace) {
        if (error) *error = tr("There is no trace yet: run the lesson first.");
        return false;
    }
    ExportOptions options;
    options.scale = scale;
    options.title = exportTitle();
    options.subtitle = exportSubtitle();
    applyExportRange(options);
    return ::lockstep::ui::exportTimelinePng(*trace, path, options, error);
}

bool MainWindow::exportTimelineSvg(const QString& path, QString* error)
{
    const TracePtr trace = m_controller->trace();
    if (!trace) {
        if (error) *error = tr("There is no trace yet: run the lesson first.");
        return false;
    }
    ExportOptions options;
    options.title = exportTitle();
    options.subtitle = exportSubtitle();
    applyExportRange(options);
    return ::lockstep::ui::exportTimelineSvg(*trace, path, options, error);
}

bool MainWindow::exportTrace(const QString& path, QString* error)
{
    const TracePtr trace = m_controller->trace();
    if (!trace) {
        if (error) *error = tr("There is no trace yet: run the lesson first.");
        return false;
    }
    nlohmann::json meta = nlohmann::json::object();
    if (const auto& result = m_controller->result()) meta = result->summary;
    else if (const Lesson* l = currentLesson()) meta["lesson"] = l->id;
    std::string why;
    if (!ChromeTraceWriter::writeFile(*trace, path.toStdString(), meta, &why)) {
        if (error) *error = qs(why);
        return false;
    }
    return true;
}

bool MainWindow::exportSummary(const QString& path, QString* error)
{
    const auto& result = m_controller->result();
    if (!result) {
        if (error) *error = tr("No run has finished yet.");
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error) *error = path + QStringLiteral(": ") + file.errorString();
        return false;
    }
    const std::string text = result->summary.dump(2) + "\n";
    file.write(text.data(), static_cast<qint64>(text.size()));
    if (!file.commit()) {
        if (error) *error = path + QStringLiteral(": ") + file.errorString();
        return false;
    }
    return true;
}

bool MainWindow::copyImageToClipboard(QString* error)
{
    const TracePtr trace = m_controller->trace();
    if (!trace) {
        if (error) *error = tr("There is no trace yet: run the lesson first.");
        return false;
    }
    ExportOptions options;
    options.scale = 2;
    options.title = exportTitle();
    options.subtitle = exportSubtitle();
    applyExportRange(options);
    const QImage image = renderTimelineImage(*trace, options);
    if (image.isNull()) {
        if (error) *error = tr("The timeline could not be rendered.");
        return false;
    }
    QGuiApplication::clipboard()->setImage(image);
    return true;
}

QString MainWindow::suggestedFileName(const QString& suffix) const
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (dir.isEmpty()) dir = QDir::homePath();
    QString name = m_currentId.isEmpty() ? QStringLiteral("lockstep") : m_currentId;
    if (!m_page->currentVariant().isEmpty()) name += QLatin1Char('-') + m_page->currentVariant();
    return QDir(dir).filePath(name + suffix);
}

void MainWindow::exportPngInteractive(double scale)
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export timeline as PNG"),
                                                      suggestedFileName(QStringLiteral("@%1x.png").arg(scale)),
                                                      tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    QString error;
    if (exportTimelinePng(path, scale, &error)) statusBar()->showMessage(tr("Saved %1").arg(path), 6000);
    else showError(tr("Export failed"), error);
}

void MainWindow::exportSvgInteractive()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export timeline as SVG"),
                                                      suggestedFileName(QStringLiteral(".svg")), tr("SVG images (*.svg)"));
    if (path.isEmpty()) return;
    QString error;
    if (exportTimelineSvg(path, &error)) statusBar()->showMessage(tr("Saved %1").arg(path), 6000);
    else showError(tr("Export failed"), error);
}

void MainWindow::exportTraceInteractive()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export trace"), suggestedFileName(QStringLiteral(".trace.json")),
                                                      tr("Chrome trace JSON (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    if (exportTrace(path, &error))
        statusBar()->showMessage(tr("Saved %1 — open it in ui.perfetto.dev or chrome://tracing").arg(path), 8000);
    else showError(tr("Export failed"), error);
}

void MainWindow::exportSummaryInteractive()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export run summary"),
                                                      suggestedFileName(QStringLiteral(".summary.json")), tr("JSON (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    if (exportSummary(path, &error)) statusBar()->showMessage(tr("Saved %1").arg(path), 6000);
    else showError(tr("Export failed"), error);
}

void MainWindow::openLessonFileInteractive()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open lesson file"), QString(),
                                                      tr("Lesson files (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    if (!openLesson(path, &error)) showError(tr("Cannot open the lesson"), error);
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
