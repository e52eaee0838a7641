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
    // Exchanges this saved state with the calling thread's current one.
    void swapWithThread() noexcept;

private:
    void* m_caught = nullptr;  // __cxa_eh_globals::caughtExceptions
    unsigned int m_uncaught = 0; // __cxa_eh_globals::uncaughtExceptions
};

} // namespace lockstep::gen
