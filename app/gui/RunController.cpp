#include "gui/RunController.h"

#include "lockstep/engine/Cancelled.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>

namespace lockstep::ui {

namespace {
constexpr int kFrameIntervalMs = 16;
// More queued steps than this and the user is only hammering a key faster than threads settle.
constexpr int kMaxStepsInFlight = 4;
} // namespace

RunController::RunController(QObject* parent) : QObject(parent)
{
    m_frame.setInterval(kFrameIntervalMs);
    m_frame.setTimerType(Qt::PreciseTimer);
    connect(&m_frame, &QTimer::timeout, this, &RunController::onFrame);
    // One worker, so steps and runner teardown happen in the order they were asked for.
    m_worker.setMaxThreadCount(1);
    m_worker.setExpiryTimeout(-1);
    m_pumpThread.setMaxThreadCount(1);
    m_pumpThread.setExpiryTimeout(-1);
}

RunController::~RunController() { shutdown(); }

bool RunController::start(RunRequest request, bool paused, QString* error)
{
    request.gateMode = paused ? GateMode::Step : (m_unthrottled ? GateMode::Free : GateMode::Paced);
    request.pacedRate = kPacedOpsAt1x * m_speed;
    std::shared_ptr<LessonRunner> runner;
    try {
        runner = std::make_shared<LessonRunner>(request);
        runner->start();
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        if (runner) dispose(std::move(runner));
        return false;
    }
    if (m_runner) dispose(std::move(m_runner));
    m_runner = std::move(runner);
    startPump();
    m_request = std::move(request);
    m_result.reset();
    m_trace.reset();
    ++m_serial;
    m_stepsInFlight = 0;
    m_follow = true;
    m_cursor = 0;
    m_maxFrameNs = 0;
    m_runClock.start();
    setState(paused ? RunState::Paused : RunState::Running);
    Q_EMIT traceChanged(m_trace);
    Q_EMIT cursorChanged(m_cursor);
    Q_EMIT runStarted();
    m_frame.start();
    return true;
}

void RunController::applyGateMode()
{
    if (!m_runner) return;
    StepGate& gate = m_runner->gate();
    if (m_state == RunState::Paused) {
        gate.setMode(GateMode::Step);
    } else if (m_unthrottled) {
        gate.setMode(GateMode::Free);
    } else {
        gate.setRate(kPacedOpsAt1x * m_speed);
        gate.setMode(GateMode::Paced);
    }
}

void RunController::pause()
{
    if (m_state == RunState::Running) {
        setState(RunState::Paused);
        applyGateMode();
    } else if (m_state == RunState::Replaying) {
        setState(RunState::Finished);
        m_frame.stop();
    }
}

void RunController::resume()
{
    if (m_state == RunState::Paused) {
        m_follow = true;
        setState(RunState::Running);
        applyGateMode();
    } else if (m_state == RunState::Finished && m_trace) {
        if (m_cursor >= traceEnd()) setCursorInternal(0);
        m_follow = false;
        m_replayCarry = 0;
        m_frameClock.start();
        setState(RunState::Replaying);
        m_frame.start();
    }
}

bool RunController::togglePlay()
{
    switch (m_state) {
    case RunState::Idle: return false;
    case RunState::Running:
    case RunState::Replaying: pause(); return true;
    case RunState::Paused:
    case RunState::Finished: resume(); return true;
    }
    return false;
}

void RunController::stepForward()
{
    if (m_state == RunState::Idle) return;
    if (m_state == RunState::Replaying) pause();
    if (isLive(m_state)) {
        if (m_state == RunState::Running) pause();
        // Scrubbed back into the recorded part: step through what is already there first.
        if (!m_follow) {
            if (auto ts = nextEventTs(m_cursor)) {
                setCursorInternal(*ts);
                return;
            }
            m_follow = true;
        }
        if (m_stepsInFlight >= kMaxStepsInFlight || !m_runner) return;
        ++m_stepsInFlight;
        auto runner = m_runner;
        const quint64 serial = m_serial;
        m_worker.start([this, runner, serial] {
            bool moved = false;
            try {
                moved = runner->gate().stepAny();
            } catch (const std::exception&) {
                moved = false; // a cancelled gate: the run is ending anyway
            }
            QMetaObject::invokeMethod(this, [this, moved, serial] { onStepDone(moved, serial); }, Qt::QueuedConnection);
        });
        return;
    }
    if (auto ts = nextEventTs(m_cursor)) setCursorInternal(*ts);
    else setCursorInternal(traceEnd());
}

void RunController::onStepDone(bool moved, quint64 serial)
{
    if (serial != m_serial) return;
    m_stepsInFlight = std::max(0, m_stepsInFlight - 1);
    if (!moved && isLive(m_state))
        Q_EMIT message(tr("No thread can take a step: every thread is blocked or the run is ending."));
}

void RunController::stepBack()
{
    if (!m_trace) return;
    if (m_state == RunState::Running || m_state == RunState::Replaying) pause();
    m_follow = false;
    const std::int64_t from = std::min(m_cursor, traceEnd());
    setCursorInternal(previousEventTs(from).value_or(0));
}

void RunController::seek(std::int64_t ts)
{
    if (!m_trace) return;
    const std::int64_t end = traceEnd();
    ts = std::clamp<std::int64_t>(ts, 0, end);
    m_follow = ts >= end && isLive(m_state);
    m_replayCarry = 0;
    setCursorInternal(ts);
}

void RunController::seekToStart()
{
    if (!m_trace) return;
    if (m_state == RunState::Replaying) pause();
    m_follow = false;
    setCursorInternal(0);
}

void RunController::seekToEnd()
{
    if (!m_trace) return;
    if (m_state == RunState::Replaying) pause();
    m_follow = isLive(m_state);
    setCursorInternal(traceEnd());
}

void RunController::reset()
{
    stopPump();
    if (m_runner) dispose(std::move(m_runner));
    m_frame.stop();
    ++m_serial;
    m_stepsInFlight = 0;
    m_result.reset();
    m_trace.reset();
    m_cursor = 0;
    m_follow = true;
    setState(RunState::Idle);
    Q_EMIT traceChanged(m_trace);
    Q_EMIT cursorChanged(m_cursor);
}

void RunController::shutdown()
{
    m_frame.stop();
    stopPump();
    // The window is closing (or the app was signalled) mid-run: the outcome says so, not
    // "cancelled" as a Stop would. dispose()'s own cancel() then changes nothing.
    if (m_runner) m_runner->cancel(RunOutcome::Interrupted);
    if (m_runner) dispose(std::move(m_runner));
    ++m_serial;
    m_pumpThread.waitForDone();
    m_worker.waitForDone();
    if (isLive(m_state)) m_state = RunState::Idle; // no signal: the window is going away
}

void RunController::setSpeed(double speed, bool unthrottled)
{
    m_speed = std::clamp(speed, kMinSpeed, kMaxSpeed);
    m_unthrottled = unthrottled;
    if (m_state == RunState::Running) applyGateMode();
    else if (m_runner) m_runner->gate().setRate(kPacedOpsAt1x * m_speed); // for when it resumes
}

std::int64_t RunController::traceEnd() const
{
    if (!m_trace) return 0;
    std::int64_t end = m_trace->endTs();
    if (m_trace->eventCount() > 0) end = std::max(end, m_trace->events().back().ts);
    return end;
}

std::size_t RunController::eventsAtCursor() const
{
    if (!m_trace) return 0;
    if (m_cursor >= traceEnd()) return m_trace->eventCount();
    return m_trace->lowerBound(m_cursor + 1).value;
}

std::size_t RunController::eventCount() const { return m_trace ? m_trace->eventCount() : 0; }

double RunController::elapsedSeconds() const
{
    if (isLive(m_state) && m_runClock.isValid()) return m_runClock.nsecsElapsed() / 1e9;
    return m_trace ? traceEnd() / 1e9 : 0.0;
}

std::optional<std::int64_t> RunController::nextEventTs(std::int64_t after) const
{
    if (!m_trace) return std::nullopt;
    const EventIndex i = m_trace->lowerBound(after + 1);
    if (i.value >= m_trace->eventCount()) return std::nullopt;
    return m_trace->event(i).ts;
}

std::optional<std::int64_t> RunController::previousEventTs(std::int64_t before) const
{
    if (!m_trace) return std::nullopt;
    const EventIndex i = m_trace->lowerBound(before);
    if (i.value == 0 || m_trace->eventCount() == 0) return std::nullopt;
    return m_trace->event(EventIndex(std::min<std::uint64_t>(i.value, m_trace->eventCount()) - 1)).ts;
}

void RunController::setState(RunState state)
{
    if (m_state == state) return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void RunController::setCursorInternal(std::int64_t ts)
{
    ts = std::max<std::int64_t>(ts, 0);
    if (ts == m_cursor) return;
    m_cursor = ts;
    Q_EMIT cursorChanged(m_cursor);
}

void RunController::onFrame()
{
    QElapsedTimer work;
    work.start();
    if (isLive(m_state)) {
        pollLive();
    } else if (m_state == RunState::Replaying && m_trace) {
        const double dtNs = static_cast<double>(m_frameClock.nsecsElapsed());
        m_frameClock.restart();
        const double speed = m_unthrottled ? kMaxSpeed : m_speed;
        const double advance = dtNs * speed + m_replayCarry;
        const auto whole = static_cast<std::int64_t>(std::floor(advance));
        m_replayCarry = advance - static_cast<double>(whole);
        const std::int64_t end = traceEnd();
        if (m_cursor + whole >= end) {
            setCursorInternal(end);
            setState(RunState::Finished);
            m_frame.stop();
        } else {
            setCursorInternal(m_cursor + whole);
        }
    } else {
        m_frame.stop();
    }
    m_maxFrameNs = std::max<std::int64_t>(m_maxFrameNs, work.nsecsElapsed());
}

void RunController::startPump()
{
    stopPump();
    m_pump = std::make_shared<Pump>();
    m_pumpThread.start([pump = m_pump, runner = m_runner] {
        constexpr auto kPeriod = std::chrono::milliseconds(15);
        for (;;) {
            const bool done = runner->finished(); // before the snapshot, so that one is then complete
            TracePtr snap = runner->snapshot();
            std::unique_lock lock(pump->mutex);
            pump->latest = std::move(snap);
            pump->finished = done;
            if (done || pump->wake.wait_for(lock, kPeriod, [&] { return pump->stop; })) return;
        }
    });
}

void RunController::stopPump()
{
    if (!m_pump) return;
    {
        std::lock_guard lock(m_pump->mutex);
        m_pump->stop = true;
    }
    m_pump->wake.notify_all();
    m_pump.reset(); // the pump ends after its current snapshot; nobody waits for it here
}

void RunController::pollLive()
{
    if (!m_runner || !m_pump) return;
    TracePtr snap;
    bool done = false;
    {
        std::lock_guard lock(m_pump->mutex);
        snap = m_pump->latest;
        done = m_pump->finished;
    }
    if (snap && snap != m_trace) {
        const bool grew = !m_trace || snap->eventCount() != m_trace->eventCount() ||
                          snap->endTs() != m_trace->endTs() || snap->actors().size() != m_trace->actors().size();
        m_trace = std::move(snap);
        if (grew) {
            Q_EMIT traceChanged(m_trace);
            if (m_follow) setCursorInternal(traceEnd());
        }
    }
    if (done) finishLive();
}

void RunController::finishLive()
{
    stopPump();
    auto runner = std::move(m_runner);
    RunResult result = runner->wait(); // finished: returns at once
    if (result.trace) m_trace = result.trace;
    m_result = std::move(result);
    dispose(std::move(runner));
    ++m_serial;
    m_stepsInFlight = 0;
    m_frame.stop();
    Q_EMIT traceChanged(m_trace);
    if (m_follow) setCursorInternal(traceEnd());
    m_follow = false;
    setState(RunState::Finished);
    Q_EMIT runFinished();
}

void RunController::dispose(std::shared_ptr<LessonRunner> runner)
{
    if (!runner) return;
    // cancel() only flags and wakes; the join in the destructor happens on the worker.
    runner->cancel();
    m_worker.start([r = std::move(runner)]() mutable { r.reset(); });
}

} // namespace lockstep::ui
