#pragma once

#include "lockstep/engine/RunContext.h"

#include <exception>

namespace lockstep {

// Declared after the locals that spawned threads capture by reference (so destroyed before them):
// whichever way the scope ends, every thread of the run is joined before those locals go. Leaving by an
// exception (a Cancelled wait in the controller, a parse error half-way through start-up) cancels
// the run first, since the threads might otherwise wait forever for a controller that has gone.
class ThreadScope {
public:
    explicit ThreadScope(RunContext& ctx) : m_ctx(ctx), m_exceptions(std::uncaught_exceptions()) {}
    ~ThreadScope()
    {
        if (std::uncaught_exceptions() > m_exceptions)
            m_ctx.cancel(RunOutcome::Failed); // the first outcome set wins: a Cancelled run stays so
        m_ctx.joinAll();
    }
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;

private:
    RunContext& m_ctx;
    int m_exceptions;
};

} // namespace lockstep
