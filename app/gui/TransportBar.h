#pragma once

#include "gui/RunState.h"

#include <QWidget>

#include <cstdint>

class QLabel;
class QSlider;
class QToolButton;

namespace lockstep::ui {

// Run, pause/resume, step back, step, next narration step, reset; a scrub slider over the recorded
// trace with the cursor time; the speed (0.1x..10x, or "max": a live run unthrottled).
class TransportBar : public QWidget {
    Q_OBJECT
public:
    static constexpr int kScrubSteps = 10000;
    static constexpr int kSpeedSteps = 40;        // 0.1x .. 10x on a log scale
    static constexpr int kSpeedMax = kSpeedSteps + 1; // the last notch: unthrottled

    explicit TransportBar(QWidget* parent = nullptr);

    void setRunState(RunState state, bool hasTrace, bool canRun);
    void setPosition(std::int64_t cursor, std::int64_t end);
    void setSpeed(double speed, bool unthrottled);
    [[nodiscard]] double speed() const;
    [[nodiscard]] bool unthrottled() const;
    void refreshIcons();

    [[nodiscard]] QSlider* scrubSlider() const { return m_scrub; }
    [[nodiscard]] QSlider* speedSlider() const { return m_speed; }
    [[nodiscard]] QToolButton* runButton() const { return m_run; }
    [[nodiscard]] QToolButton* pauseButton() const { return m_pause; }
    [[nodiscard]] QToolButton* stepButton() const { return m_step; }
    [[nodiscard]] QToolButton* stepBackButton() const { return m_stepBack; }

    [[nodiscard]] static double speedForPosition(int position);
    [[nodiscard]] static int positionForSpeed(double speed);

Q_SIGNALS:
    void runRequested();
    void playPauseRequested();
    void stepRequested();
    void stepBackRequested();
    void nextNarrationRequested();
    void resetRequested();
    void scrubbed(double fraction); // 0..1 of the recorded trace
    void speedChanged(double speed, bool unthrottled);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void updateSpeedLabel();
    QToolButton* makeButton(const char* objectName);

    RunState m_state = RunState::Idle;
    QToolButton* m_run = nullptr;
    QToolButton* m_pause = nullptr;
    QToolButton* m_stepBack = nullptr;
    QToolButton* m_step = nullptr;
    QToolButton* m_nextNarration = nullptr;
    QToolButton* m_reset = nullptr;
    QSlider* m_scrub = nullptr;
    QLabel* m_time = nullptr;
    QLabel* m_speedTitle = nullptr;
    QSlider* m_speed = nullptr;
    QLabel* m_speedLabel = nullptr;
    bool m_settingPosition = false;
};

} // namespace lockstep::ui
