#pragma once

#include <exception>

namespace lockstep {

// `with lock:` for engine code: acquire() in the constructor, release() in the destructor. Works
// with anything that has acquire() and release(): Lock, RLock, Condition, Semaphore.
//
// On a normal scope exit a release error propagates like Python's `with` would (e.g. the body
// released the lock itself). When the scope unwinds because of an exception (typically Cancelled
// from a blocking call inside, where a Condition.wait() may have given the lock up already), release
// errors are swallowed: the run is ending and the first exception is the one that matters.
// The release at a scope's end, as ScopedAcquire does it: errors propagate on a normal exit and are
// swallowed while an exception unwinds. For RAII holders of several locks, too.
template <typename Lockable>
void releaseAtScopeEnd(Lockable& lockable, bool unwinding)
{
    if (!unwinding) {
        lockable.release();
        return;
    }
    try {
        lockable.release();
    } catch (...) {
    }
}

template <typename Lockable>
class ScopedAcquire {
public:
    explicit ScopedAcquire(Lockable& lockable) : m_lockable(lockable) { m_lockable.acquire(); }
    ~ScopedAcquire() noexcept(false) { releaseAtScopeEnd(m_lockable, std::uncaught_exceptions() > m_uncaught); }
    ScopedAcquire(const ScopedAcquire&) = delete;
    ScopedAcquire& operator=(const ScopedAcquire&) = delete;

private:
    Lockable& m_lockable;
    int m_uncaught = std::uncaught_exceptions();
};

} // namespace lockstep
