#pragma once

#include "lockstep/engine/RunContext.h"
#include "lockstep/gil/Gil.h"
#include "lockstep/gil/PacedLoop.h"

#include <atomic>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace lockstep {

// One Python thread of a modelled interpreter (CPython's PyThreadState): the engine thread's actor,
// the interpreter's GIL and work loop, and the time the thread spent running Python code, waiting
// for the GIL and blocked in I/O. Every state change goes through RunContext::setState. Used only
// from the thread it describes (times() may be read after that thread finished).
//
// As a RunContext::BlockingHook (installed with a BlockingHookScope) it makes every blocking call
// of the engine's primitives release the GIL while it blocks, as CPython's do.
class PyThreadState final : public RunContext::BlockingHook {
public:
    PyThreadState(RunContext& ctx, ActorId actor, Gil& gil, const PacedLoop& loop);

    // t_bootstrap: a new thread takes the GIL before it runs any Python code (Ready until then).
    void start(std::int32_t line = 0);
    // `def count(n): while n > 0: n -= 1`, at CPython's pace, dropping the GIL whenever another
    // thread asks for it (checked on every turn). Throws Cancelled.
    void count(std::int64_t n, std::int32_t line = 0);
    // `while not stop: n += 1`: counts until `stop` is set; returns the turns made. The flag is
    // looked at every `chunk` turns (microseconds apart).
    std::int64_t countUntil(const std::atomic<bool>& stop, std::int32_t line = 0, std::int64_t chunk = 1000);
    // Py_BEGIN_ALLOW_THREADS / Py_END_ALLOW_THREADS around a blocking call: drop the GIL, block
    // in `state` on `target` (a system call on an fd: BlockedIo; a join or waitpid: Blocked), take
    // the GIL back. Returns what `call` returns. `timed` as for RunContext::setState.
    template <typename Call>
    auto allowThreads(State state, ActorId target, Call&& call, std::int32_t line = 0, bool timed = false)
    {
        releaseForBlocking(state, target, timed, line);
        // If `call` throws (Cancelled), the thread unwinds without the GIL, as it should.
        if constexpr (std::is_void_v<std::invoke_result_t<Call>>) {
            std::forward<Call>(call)();
            takeGil(line);
        } else {
            auto result = std::forward<Call>(call)();
            takeGil(line);
            return result;
        }
    }
    // The thread's Python code is done: release the GIL for good (no forced-switch wait) and
    // record the thread as Terminated, so no Running span outlives its GIL.
    void finish(std::int32_t line = 0);

    // A whole Python thread: start(), body(*this), finish(). If the body throws (a Python
    // exception ending the thread, or an engine error), the GIL is released on the way out, as
    // CPython's thread bootstrap does whatever way the thread ends; otherwise the other threads
    // would wait for it, asking it to drop the GIL, forever.
    template <typename Body>
    void runThread(Body&& body, std::int32_t line = 0)
    {
        start(line);
        try {
            std::forward<Body>(body)(*this);
        } catch (...) {
            releaseOnExit();
            throw;
        }
        finish();
    }
    // Drops the GIL if this thread holds it, without the forced-switch wait; never throws.
    void releaseOnExit() noexcept;

    // CPU-bound Python code for `ns` of this thread's CPU time (`while thread_time() < end: pass`):
    // holds the GIL, and hands it over whenever another thread asks (forced switching), so CPU
    // time only accrues while the thread holds it. Throws Cancelled.
    void burnCpu(std::int64_t ns, std::int32_t line = 0);

    // RunContext::BlockingHook
    bool beginBlocking(State state, ActorId target, bool timed, std::int32_t line) override;
    void endBlocking(bool released, bool unwinding) noexcept override;

    struct Times {
        std::int64_t runningNs = 0; // running Python code (holding the GIL, if there is one)
        std::int64_t waitingGilNs = 0; // ready, waiting for the GIL
        std::int64_t blockedIoNs = 0; // blocked in a system call with the GIL released
        std::int64_t blockedNs = 0; // waiting for another thread or process (join)
        // CPU time spent in count() loops and the turns they made: what one turn really cost
        // during this run (the core's speed moves on a shared host; wall times divided by it
        // compare runs made at different speeds).
        std::int64_t countingCpuNs = 0;
        std::int64_t turnsCounted = 0;
    };
    // Totals up to the last state change (or finish()).
    [[nodiscard]] Times times() const { return m_times; }
    [[nodiscard]] ActorId actor() const { return m_actor; }
    [[nodiscard]] std::uint64_t yields() const { return m_yields; }

private:
    void account();
    void enter(State state, ActorId target = {}, bool timed = false, std::int32_t line = 0);
    void takeGil(std::int32_t line);
    void yieldGil(std::int32_t line);
    void releaseForBlocking(State state, ActorId target, bool timed, std::int32_t line);

    RunContext& m_ctx;
    ActorId m_actor;
    Gil& m_gil;
    const PacedLoop& m_loop;
    State m_state = State::Running;
    std::int64_t m_since = 0;
    Times m_times;
    std::uint64_t m_yields = 0;
};

} // namespace lockstep
