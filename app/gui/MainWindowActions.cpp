// MainWindow, part two: the actions (menu items and their shortcuts), the menus, their texts and
// icons, and which of them apply at the moment. The layout lives in MainWindow.cpp, lessons and
// runs in MainWindowRuns.cpp, the exports in ExportController.

#include "gui/MainWindow.h"

#include "gui/ExportController.h"
#include "gui/Icons.h"
#include "gui/LessonBrowser.h"
#include "gui/LessonPage.h"
#include "gui/RunController.h"
#include "gui/RunSettings.h"
#include "gui/SweepRunner.h"
#include "gui/TransportBar.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

namespace lockstep::ui {

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
    for (int i = 0; i < 3; ++i)
        m_exportPng[i] = make(i == 0 ? "exportPng1" : i == 1 ? "exportPng2" : "exportPng4");
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
    m_runSettingsAction = make("runSettingsAction", QKeySequence::Preferences);
    m_runSettingsAction->setMenuRole(QAction::PreferencesRole);
    m_presenterAction = make("presenterAction", QKeySequence(Qt::Key_F5));
    m_presenterAction->setCheckable(true);
    m_showBrowser = make("showBrowserAction", QKeySequence(Qt::CTRL | Qt::Key_B));
    m_showBrowser->setCheckable(true);
    m_showBrowser->setChecked(true);
    // Two checkable actions of which exactly one is on (light/dark, English/Chinese).
    auto exclusive = [this](QAction* a, QAction* b) {
        auto* group = new QActionGroup(this);
        for (QAction* x : { a, b }) {
            x->setCheckable(true);
            group->addAction(x);
        }
        return group;
    };
    m_lightAction = make("lightThemeAction");
    m_darkAction = make("darkThemeAction");
    m_themeGroup = exclusive(m_lightAction, m_darkAction);
    m_english = make("englishAction");
    m_chinese = make("chineseAction");
    m_languageGroup = exclusive(m_english, m_chinese);
    m_about = make("aboutAction");
    m_shortcuts = make("shortcutsAction", QKeySequence::HelpContents);

    connect(m_openFile, &QAction::triggered, this, &MainWindow::openLessonFileInteractive);
    using Kind = ExportController::Kind;
    const double pngScales[] = { 1, 2, 4 };
    for (int i = 0; i < 3; ++i)
        connect(m_exportPng[i], &QAction::triggered, m_exports,
            [this, scale = pngScales[i]] { m_exports->exportInteractive(Kind::Png, scale); });
    connect(m_exportSvg, &QAction::triggered, m_exports, [this] { m_exports->exportInteractive(Kind::Svg); });
    connect(m_exportTrace, &QAction::triggered, m_exports, [this] { m_exports->exportInteractive(Kind::Trace); });
    connect(m_exportSummary, &QAction::triggered, m_exports, [this] { m_exports->exportInteractive(Kind::Summary); });
    connect(m_copyImage, &QAction::triggered, this, [this] {
        QString error;
        if (copyImageToClipboard(&error))
            statusBar()->showMessage(tr("Timeline copied to the clipboard"), 4000);
        else
            showError(tr("Copy failed"), error);
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
    connect(m_runSettingsAction, &QAction::triggered, this, &MainWindow::editRunSettings);
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
        QMessageBox::information(this, tr("Keyboard shortcuts"),
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

void MainWindow::buildMenus()
{
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->addAction(m_openFile);
    m_fileMenu->addSeparator();
    m_exportPngMenu = m_fileMenu->addMenu(QString());
    for (QAction* a : m_exportPng)
        m_exportPngMenu->addAction(a);
    m_fileMenu->addAction(m_exportSvg);
    m_fileMenu->addAction(m_exportTrace);
    m_fileMenu->addAction(m_exportSummary);
    m_fileMenu->addAction(m_copyImage);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quit);

    m_runMenu = menuBar()->addMenu(QString());
    for (QAction* a : { m_run, m_playPause, m_step, m_stepBack, m_home, m_end, m_nextNarration, m_reset })
        m_runMenu->addAction(a);
    m_runMenu->addSeparator();
    m_runMenu->addAction(m_compare);
    m_runMenu->addAction(m_cancelCompare);
    m_runMenu->addSeparator();
    m_runMenu->addAction(m_runSettingsAction);

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

void MainWindow::retranslateActions()
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
    m_runSettingsAction->setText(tr("Run &limits…"));
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
}

void MainWindow::refreshIcons()
{
    m_transport->refreshIcons();
    m_openFile->setIcon(Icons::get(QStringLiteral("open")));
    for (QAction* a : m_exportPng)
        a->setIcon(Icons::get(QStringLiteral("export-image")));
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
    for (QAction* a : m_exportPng)
        a->setEnabled(hasTrace);
    m_exportSvg->setEnabled(hasTrace);
    m_exportTrace->setEnabled(hasTrace);
    m_copyImage->setEnabled(hasTrace);
    m_exportSummary->setEnabled(m_controller->result().has_value());
    m_compare->setEnabled(hasLesson && !isLive(state) && !sweeping);
    m_cancelCompare->setEnabled(sweeping);
    m_transport->setRunState(state, hasTrace, hasLesson && !sweeping);
}

void MainWindow::openLessonFileInteractive()
{
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Open lesson file"), QString(), tr("Lesson files (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    if (!openLesson(path, &error)) showError(tr("Cannot open the lesson"), error);
}

void MainWindow::setRunSettings(const RunSettings& settings)
{
    m_runSettings = settings;
    saveSettings();
}

void MainWindow::editRunSettings()
{
    RunSettingsDialog dialog(m_runSettings, this);
    if (dialog.exec() != QDialog::Accepted) return;
    setRunSettings(dialog.settings());
    statusBar()->showMessage(tr("Run limits saved: they apply from the next run."), 6000);
}

} // namespace lockstep::ui
