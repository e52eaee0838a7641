#pragma once

namespace lockstep::gen {

// The C++ runtime's per-thread exception-handling state (the Itanium C++ ABI's __cxa_eh_globals:
// the stack of exceptions being handled and the count of exceptions in flight). A stackful
// coroutine may suspend inside a catch block (Python: a `yield` inside `except:`); the caller then
// catches its own exceptions on the same thread, and the runtime's LIFO stack of handled exceptions
// would interleave two stacks' handlers and be corrupted. So every context keeps its own copy, and
// each switch swaps it with the thread's.
class ExceptionStack {
public:
    // Exchanges this saved state with the calling thread's current one. Inline: it runs twice per
    // generator round trip.
    void swapWithThread() noexcept
    {
        EhGlobals& thread = threadGlobals();
        // Usually neither side is inside a catch block or unwinding, so both states are empty and
        // equal: skipping the stores then changes nothing (a swap of equal states is a no-op).
        if (thread.caughtExceptions == m_saved.caughtExceptions
            && thread.uncaughtExceptions == m_saved.uncaughtExceptions) [[likely]]
            return;
        void* const caught = thread.caughtExceptions;
        const unsigned int uncaught = thread.uncaughtExceptions;
        thread.caughtExceptions = m_saved.caughtExceptions;
        thread.uncaughtExceptions = m_saved.uncaughtExceptions;
        m_saved.caughtExceptions = caught;
        m_saved.uncaughtExceptions = uncaught;
    }

private:
    // Layout fixed by the Itanium C++ ABI (section 2.2.2), used by libstdc++ and libc++ on x86-64 and
    // AArch64 alike; ARM EHABI adds a field after these two, which we leave alone.
    struct EhGlobals {
        void* caughtExceptions = nullptr;
        unsigned int uncaughtExceptions = 0;
    };

    static EhGlobals& threadGlobals() noexcept
    {
        // __cxa_get_globals() is a call into the shared C++ runtime plus a dynamic TLS lookup
        // (__tls_get_addr) there; the address it returns is fixed for the thread's lifetime.
        static thread_local EhGlobals* const globals = fetchThreadGlobals();
        return *globals;
    }
    static EhGlobals* fetchThreadGlobals() noexcept;

    EhGlobals m_saved; // the parked side's state
};

} // namespace lockstep::gen
