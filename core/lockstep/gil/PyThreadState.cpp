#include "lockstep/gil/PyThreadState.h"

namespace lockstep {

PyThreadState::PyThreadState(RunContext& ctx, ActorId actor, Gil& gil, const PacedLoop& loop)
    : m_ctx(ctx), m_actor(actor), m_gil(gil), m_loop(loop), m_since(ctx.recorder().now())
{
}

void PyThreadState::account()
{
    const std::int64_t now = m_ctx.recorder().now();
    const std::int64_t spent = now - m_since;
    switch (m_state) {
    case State::Running:
        m_times.runningNs += spent;
        break;
    case State::Ready:
        m_times.waitingGilNs += spent;
        break;
    case State::BlockedIo:
        m_times.blockedIoNs += spent;
        break;
    case State::Blocked:
    case State::Waiting:
        m_times.blockedNs += spent;
        break;
    default:
        break;
    }
    m_since = now;
}

void PyThreadState::enter(State state, ActorId target, bool timed, std::int32_t line)
{
    account();
    m_state = state;
    m_ctx.setState(m_actor, state, target, timed, line);
}

void PyThreadState::takeGil(std::int32_t line)
{
    // Only show "ready" when there is something to wait for: an uncontended take is instant.
    if (m_gil.heldByOther(m_actor)) enter(State::Ready, m_gil.id(), false, line);
    m_gil.take(m_actor, line);
    if (m_state != State::Running) enter(State::Running, {}, false, line);
}

void PyThreadState::start(std::int32_t line)
{
    // A new thread's first act is to wait for the GIL: it runs no Python code before it has it.
    enter(State::Ready, m_gil.id(), false, line);
    m_gil.take(m_actor, line);
    enter(State::Running, {}, false, line);
}

void PyThreadState::yieldGil(std::int32_t line)
{
    // eval_frame_handle_pending: drop_gil(), other threads may run now, take_gil().
    enter(State::Ready, m_gil.id(), false, line);
    m_gil.drop(m_actor);
    m_gil.take(m_actor, line);
    enter(State::Running, {}, false, line);
    ++m_yields;
}

void PyThreadState::count(std::int64_t n, std::int32_t line)
{
    if (line > 0) m_ctx.recorder().record(EventKind::LineReached, m_actor, {}, n, {}, line);
    const auto& breaker = m_gil.evalBreaker();
    while (n > 0) {
        const std::int64_t cpu0 = PacedLoop::threadCpuNs();
        const std::int64_t left = m_loop.run(n, breaker);
        m_times.countingCpuNs += PacedLoop::threadCpuNs() - cpu0;
        m_times.turnsCounted += n - left;
        n = left;
        if (n == 0) break;
        // The eval breaker fired: a cancel, or another thread asking for the GIL.
        if ((breaker.load(std::memory_order_relaxed) & GilCore::kCancelBit) != 0) throw Cancelled();
        if (m_gil.dropRequested()) yieldGil(line);
    }
}

std::int64_t PyThreadState::countUntil(const std::atomic<bool>& stop, std::int32_t line, std::int64_t chunk)
{
    std::int64_t turns = 0;
    while (!stop.load(std::memory_order_relaxed)) {
        count(chunk, line);
        turns += chunk;
    }
    return turns;
}

void PyThreadState::releaseForBlocking(State state, ActorId target, bool timed, std::int32_t line)
{
    // The state changes first, then the GIL goes: a thread shown Running always holds the GIL,
    // even if it loses its core between the two steps.
    enter(state, target, timed, line);
    m_gil.drop(m_actor);
}

void PyThreadState::finish(std::int32_t line)
{
    if (line > 0) m_ctx.recorder().record(EventKind::LineReached, m_actor, {}, 0, {}, line);
    // The thread runs no more Python code: it has ended as far as Python is concerned, and its
    // last act is to release the GIL (PyThreadState_DeleteCurrent). Recording the end first keeps
    // "Running" meaning "holds the GIL" even if the thread is preempted in between.
    enter(State::Terminated, {}, false, line);
    m_gil.drop(m_actor, true);
}

void PyThreadState::releaseOnExit() noexcept
{
    if (m_gil.enabled() && m_gil.holds(m_actor)) {
        try {
            m_gil.drop(m_actor, true);
        } catch (...) {
            // Cancelled: GilCore drops the GIL before reporting it.
        }
    }
}

void PyThreadState::burnCpu(std::int64_t ns, std::int32_t line)
{
    if (line > 0) m_ctx.recorder().record(EventKind::LineReached, m_actor, {}, ns, {}, line);
    const auto& breaker = m_gil.evalBreaker();
    const std::int64_t cpu0 = PacedLoop::threadCpuNs();
    std::int64_t used = 0;
    while (used < ns) {
        // About a microsecond of work between looks at the eval breaker and the clock.
        const std::int64_t left = m_loop.run(64, breaker);
        if (left > 0) {
            if ((breaker.load(std::memory_order_relaxed) & GilCore::kCancelBit) != 0) throw Cancelled();
            if (m_gil.dropRequested()) yieldGil(line);
        }
        used = PacedLoop::threadCpuNs() - cpu0;
    }
    m_times.countingCpuNs += used;
}

bool PyThreadState::beginBlocking(State state, ActorId target, bool timed, std::int32_t line)
{
    if (!m_gil.enabled() || !m_gil.holds(m_actor)) {
        enter(state, target, timed, line);
        return false;
    }
    releaseForBlocking(state, target, timed, line);
    return true;
}

void PyThreadState::endBlocking(bool released, bool unwinding) noexcept
{
    try {
        if (released && !unwinding && !m_ctx.cancelled()) {
            takeGil(0);
            return;
        }
        enter(State::Running);
    } catch (...) {
        // Cancelled while waiting for the GIL: the thread carries on without it, and its next
        // engine call throws Cancelled. Recording the state may fail the same way; nothing to do.
    }
}

} // namespace lockstep
