#pragma once

#include "gui/RunState.h"

#include "lockstep/runner/LessonRunner.h"
#include "lockstep/trace/Trace.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <memory>
#include <optional>

namespace lockstep::ui {

// Owns the window's one LessonRunner and the cursor over its trace.
//
// A live run is never observed through a signal per event. A pump thread drains runner.snapshot()
// about 60 times a second (draining merges the engine threads' buffers, which can take longer
// than a frame when a lesson registers thousands of fds at once); the GUI's ~60 Hz frame timer
// only picks up the latest snapshot and hands it and the cursor on. Everything else that can
// block (stepping through the gate waits for threads to settle; destroying a runner joins its
// threads) runs on a private one-thread pool, in order, so no GUI frame waits for the engine.
class RunController : public QObject {
    Q_OBJECT
public:
    // Live-run pacing at 1x (gate operations per second across the run); the speed multiplies it.
    static constexpr double kPacedOpsAt1x = 40.0;
    static constexpr double kMinSpeed = 0.1;
    static constexpr double kMaxSpeed = 10.0;

    explicit RunController(QObject* parent = nullptr);
    ~RunController() override; // cancels a live run and waits until its threads are joined

    // Starts a live run. Returns false (with the InputError's message) if the request is invalid;
    // nothing changes then. `paused`: start in step mode, every engine thread parks at the gate.
    bool start(RunRequest request, bool paused, QString* error);
    void pause();
    void resume();
    // Space: pause/resume a live run, replay/pause a finished one. Returns false when idle.
    bool togglePlay();
    void stepForward();
    void stepBack();
    void seek(std::int64_t ts);
    void seekToStart();
    void seekToEnd();
    void reset();
    // Cancel a live run as interrupted (the window closes, the app was signalled) and wait, bounded
    // by the engine's own cancellation, until its threads, fds and children are gone.
    void shutdown();

    // Speed in [kMinSpeed, kMaxSpeed]. `unthrottled`: live runs go at full speed (the gate is
    // free); replays then use kMaxSpeed.
    void setSpeed(double speed, bool unthrottled);
    [[nodiscard]] double speed() const { return m_speed; }
    [[nodiscard]] bool unthrottled() const { return m_unthrottled; }

    [[nodiscard]] RunState state() const { return m_state; }
    [[nodiscard]] const TracePtr& trace() const { return m_trace; }
    [[nodiscard]] std::int64_t cursor() const { return m_cursor; }
    [[nodiscard]] std::int64_t traceEnd() const;
    // Events at or before the cursor (what the views show), and in the whole snapshot.
    [[nodiscard]] std::size_t eventsAtCursor() const;
    [[nodiscard]] std::size_t eventCount() const;
    [[nodiscard]] bool following() const { return m_follow; }
    [[nodiscard]] double elapsedSeconds() const;
    [[nodiscard]] const std::optional<RunResult>& result() const { return m_result; }
    [[nodiscard]] const RunRequest* request() const { return m_request ? &*m_request : nullptr; }
    [[nodiscard]] int stepsInFlight() const { return m_stepsInFlight; }
    // Longest time one frame's work took on the GUI thread during the current/last run (ms).
    [[nodiscard]] double maxFrameMs() const { return m_maxFrameNs / 1e6; }

Q_SIGNALS:
    void stateChanged(lockstep::ui::RunState state);
    void traceChanged(const lockstep::TracePtr& trace); // a new snapshot (nullptr after reset)
    void cursorChanged(qint64 ts);
    void runStarted();
    void runFinished();                                 // result() is set
    void message(const QString& text);                  // transient, for the status bar

private:
    void onFrame();
    void pollLive();
    void finishLive();
    void setState(RunState state);
    void setCursorInternal(std::int64_t ts);
    void applyGateMode();
    void dispose(std::shared_ptr<LessonRunner> runner);
    void startPump();
    void stopPump();
    void onStepDone(bool moved, quint64 serial);
    [[nodiscard]] std::optional<std::int64_t> nextEventTs(std::int64_t after) const;
    [[nodiscard]] std::optional<std::int64_t> previousEventTs(std::int64_t before) const;

    // What the pump thread hands the GUI thread.
    struct Pump {
        std::mutex mutex;
        std::condition_variable wake;
        TracePtr latest;
        bool finished = false;   // the runner had finished before `latest` was taken: it is final
        bool stop = false;
    };

    std::shared_ptr<LessonRunner> m_runner;
    std::shared_ptr<Pump> m_pump;
    std::optional<RunRequest> m_request;
    std::optional<RunResult> m_result;
    TracePtr m_trace;
    RunState m_state = RunState::Idle;
    std::int64_t m_cursor = 0;
    bool m_follow = true;
    double m_speed = 1.0;
    bool m_unthrottled = true;
    quint64 m_serial = 0;          // bumps per run: late step results of an old run are dropped
    int m_stepsInFlight = 0;
    double m_replayCarry = 0;      // sub-nanosecond remainder of replay advances
    std::int64_t m_maxFrameNs = 0;
    QTimer m_frame;
    QElapsedTimer m_runClock;
    QElapsedTimer m_frameClock;
    QThreadPool m_worker;
    QThreadPool m_pumpThread;
};

} // namespace lockstep::ui
