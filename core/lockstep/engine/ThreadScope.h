#pragma once

#include "lockstep/engine/RunContext.h"

#include <exception>

namespace lockstep {

// Declared after the locals that spawned threads capture by reference (so destroyed before them):
// whichever way the scope ends, every thread of the run is joined before those locals go. Leaving by an
// exception (a Cancelled wait in the controller, a parse error half-way through start-up) cancels
// the run first, since the threads might otherwise wait forever for a controller that has gone.
//
// Join::OnlyIfUnwinding is for locals the threads may still reach only when the scope is left by an
// exception, where a normal exit must not wait for threads that go on working (an as_completed
// waiter that the futures point at until it removes itself).
class ThreadScope {
public:
    enum class Join { Always, OnlyIfUnwinding };
    explicit ThreadScope(RunContext& ctx, Join join = Join::Always)
        : m_ctx(ctx), m_join(join), m_exceptions(std::uncaught_exceptions())
    {
    }
    ~ThreadScope()
    {
        const bool unwinding = std::uncaught_exceptions() > m_exceptions;
        if (unwinding) m_ctx.cancel(RunOutcome::Failed); // the first outcome set wins: a Cancelled run stays so
        if (unwinding || m_join == Join::Always) m_ctx.joinAll();
    }
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;

private:
    RunContext& m_ctx;
    Join m_join;
    int m_exceptions;
};

} // namespace lockstep
