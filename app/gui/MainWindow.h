#pragma once

#include "gui/RunSettings.h"
#include "gui/RunState.h"

#include "lockstep/runner/LessonRunner.h"

#include "lockstep/lesson/Lesson.h"
#include "lockstep/trace/Trace.h"

#include <QMainWindow>
#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QAction;
class QActionGroup;
class QLabel;
class QMenu;
class QProgressBar;
class QSplitter;
class QTabWidget;

namespace lockstep::ui {

class ExportController;
class LessonBrowser;
class LessonPage;
class LessonView;
class MetricsChart;
class RunController;
class SweepRunner;
class TimelineWidget;
class TransportBar;

// The Lockstep window: lesson browser on the left; the lesson page (narration, code, variant,
// parameters) above the timeline in the centre; the state board and the lesson's own views on the
// right; the transport bar on top and the status bar below.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        QString lessonsDir; // empty: LessonLoader::defaultDirectory()
        bool persistSettings = true; // read and write QSettings (off for tests and screenshots)
        std::optional<Lang> lang; // overrides the saved language
        std::optional<bool> presenter; // overrides the saved presenter mode
        std::optional<bool> dark; // overrides the saved theme
        std::uint64_t seed = 1;
        bool animations = true; // off: views jump to new states (screenshots, tests)
    };

    explicit MainWindow(Options options, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a lesson by id (or a lesson file path). Returns false with the reason.
    bool openLesson(const QString& idOrPath, QString* error = nullptr);
    bool selectVariant(const QString& id, QString* error = nullptr);
    // Starts a live run of the selected variant with the panel's parameters, `extra` overriding
    // them (text values as on the command line). Returns false with the reason (bad parameters).
    bool startRun(const std::map<std::string, std::string>& extra = {}, bool paused = false, QString* error = nullptr);
    // Runs every variant of the lesson with the current parameters for the metrics chart.
    bool compareAllVariants(QString* error = nullptr);

    void setLanguage(Lang lang);
    void setDarkTheme(bool dark);
    void setPresenterMode(bool on);
    [[nodiscard]] Lang language() const { return m_lang; }
    [[nodiscard]] bool darkTheme() const { return m_dark; }
    [[nodiscard]] bool presenterMode() const { return m_presenter; }
    [[nodiscard]] double uiScale() const;

    // Exports of the current trace (false with the reason if there is none or writing fails).
    bool exportTimelinePng(const QString& path, double scale, QString* error = nullptr);
    bool exportTimelineSvg(const QString& path, QString* error = nullptr);
    bool exportTrace(const QString& path, QString* error = nullptr);
    bool exportSummary(const QString& path, QString* error = nullptr);
    bool copyImageToClipboard(QString* error = nullptr);

    [[nodiscard]] const std::vector<Lesson>& lessons() const { return m_lessons; }
    [[nodiscard]] const QStringList& loadErrors() const { return m_loadErrors; }
    // The budgets every run and comparison gets (Run → Run limits…); stored when settings persist.
    [[nodiscard]] const RunSettings& runSettings() const { return m_runSettings; }
    void setRunSettings(const RunSettings& settings);
    // Opens the Run limits dialog and applies what the user accepts.
    void editRunSettings();
    [[nodiscard]] ExportController* exports() const { return m_exports; }
    [[nodiscard]] const Lesson* currentLesson() const;
    [[nodiscard]] RunController* controller() const { return m_controller; }
    [[nodiscard]] LessonBrowser* browser() const { return m_browser; }
    [[nodiscard]] LessonPage* page() const { return m_page; }
    [[nodiscard]] TransportBar* transport() const { return m_transport; }
    [[nodiscard]] MetricsChart* metrics() const { return m_metrics; }
    [[nodiscard]] TimelineWidget* timeline() const { return m_timeline; }
    [[nodiscard]] QTabWidget* viewTabs() const { return m_viewTabs; }
    [[nodiscard]] LessonView* stateBoard() const { return m_board; }
    [[nodiscard]] const std::vector<LessonView*>& lessonViews() const { return m_views; }
    // The views currently shown (the state board and the tabs of views that apply to the trace).
    [[nodiscard]] std::vector<LessonView*> visibleViews() const;
    // The lesson view in the front tab (nullptr when the metrics are in front).
    [[nodiscard]] LessonView* currentTabView() const;
    [[nodiscard]] SweepRunner* sweep() const { return m_sweep; }
    [[nodiscard]] QString statusText() const; // state, time and events, as shown (for tests)

Q_SIGNALS:
    void lessonOpened(const QString& id);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void buildUi();
    void buildActions();
    void buildMenus();
    void buildStatusBar();
    void createViews();
    void loadLessons();
    void showLoadErrors(); // in the status bar, once the window is on screen
    void restoreSettings();
    void saveSettings() const;
    void retranslate();
    void retranslateActions();
    void applyTheme();
    void applyDefaultSizes();
    void refreshIcons();

    void onStateChanged(RunState state);
    void onTraceChanged(const TracePtr& trace);
    void onCursorChanged(qint64 ts);
    void onRunFinished();
    void updateViewTabs();
    void updateStatus();
    void updateOutcome();
    // The banner on the lesson page and the outcome's wording for the status bar.
    void updateBanner();
    [[nodiscard]] QString outcomeText(const RunResult& result) const;
    // A request for `variant` of the current lesson with the panel's parameters and the budgets.
    [[nodiscard]] RunRequest makeRequest(const Lesson& lesson, const std::string& variant) const;
    void updateActions();
    void playPause();
    void step();
    void showError(const QString& title, const QString& text);
    void openLessonFileInteractive();

    Options m_options;
    std::vector<Lesson> m_lessons;
    QStringList m_loadErrors;
    QString m_currentId;
    Lang m_lang = Lang::En;
    bool m_dark = false;
    bool m_presenter = false;
    bool m_layoutApplied = false; // first show: splitter proportions set from the real size
    bool m_restoredLayout = false; // splitter sizes came from the settings

    RunSettings m_runSettings;

    RunController* m_controller = nullptr;
    ExportController* m_exports = nullptr;
    SweepRunner* m_sweep = nullptr;
    LessonBrowser* m_browser = nullptr;
    LessonPage* m_page = nullptr;
    TimelineWidget* m_timeline = nullptr;
    QTabWidget* m_viewTabs = nullptr;
    LessonView* m_board = nullptr;
    std::vector<LessonView*> m_views; // the lesson-specific views (not the board)
    MetricsChart* m_metrics = nullptr;
    TransportBar* m_transport = nullptr;
    QSplitter* m_mainSplitter = nullptr;
    QSplitter* m_centreSplitter = nullptr;
    QSplitter* m_rightSplitter = nullptr;
    QLabel* m_timelineHeading = nullptr;
    QLabel* m_boardHeading = nullptr;

    QLabel* m_stateLabel = nullptr;
    QLabel* m_outcomeLabel = nullptr;
    QLabel* m_elapsedLabel = nullptr;
    QLabel* m_eventsLabel = nullptr;
    QProgressBar* m_progress = nullptr;

    QMenu* m_fileMenu = nullptr;
    QMenu* m_exportPngMenu = nullptr;
    QMenu* m_runMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_themeMenu = nullptr;
    QMenu* m_languageMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    QAction* m_openFile = nullptr;
    QAction* m_exportPng[3] = { nullptr, nullptr, nullptr };
    QAction* m_exportSvg = nullptr;
    QAction* m_exportTrace = nullptr;
    QAction* m_exportSummary = nullptr;
    QAction* m_copyImage = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_run = nullptr;
    QAction* m_playPause = nullptr;
    QAction* m_step = nullptr;
    QAction* m_stepBack = nullptr;
    QAction* m_home = nullptr;
    QAction* m_end = nullptr;
    QAction* m_nextNarration = nullptr;
    QAction* m_reset = nullptr;
    QAction* m_compare = nullptr;
    QAction* m_runSettingsAction = nullptr;
    QAction* m_cancelCompare = nullptr;
    QAction* m_presenterAction = nullptr;
    QAction* m_lightAction = nullptr;
    QAction* m_darkAction = nullptr;
    QAction* m_showBrowser = nullptr;
    QAction* m_english = nullptr;
    QAction* m_chinese = nullptr;
    QAction* m_about = nullptr;
    QAction* m_shortcuts = nullptr;
    QActionGroup* m_themeGroup = nullptr;
    QActionGroup* m_languageGroup = nullptr;
};

} // namespace lockstep::ui
