#pragma once

#include "lockstep/gen/ExceptionStack.h"
#include "lockstep/gen/GenHost.h"
#include "lockstep/gen/GenState.h"
#include "lockstep/gen/Outcome.h"
#include "lockstep/gen/PyValue.h"

#include <boost/context/fiber.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace lockstep::gen {

class Generator;

// One Python generator, stackful: its body is an ordinary C++ function running on its own stack
// (a Boost.Context fiber), so `co.yield_(v)` can suspend it anywhere, even deep inside helper calls
// or catch blocks, and pick up there later. The caller's half (send / throwIn / close) reproduces
// CPython 3.11's protocol (gen_send_ex2, _gen_throw, gen_close) and never throws Python exceptions:
// it returns what happened as an Outcome. Generator is the owning handle with Python's raising API.
//
// Bodies catch Python exceptions by type (catch (const ValueError&)); they must not swallow other
// C++ exceptions with catch (...) — those are the engine's (Cancelled) and the unwinding used when
// a generator is destroyed.
class Coroutine {
public:
    using Body = std::function<PyValue(Coroutine&)>;
    static constexpr std::size_t kStackSize = 256 * 1024;

    // A generator object created by calling a generator function: GEN_CREATED, body not started.
    // `parent` defaults to the actor running on `host` now (the caller, or the delegating generator).
    Coroutine(GenHost& host, std::string name, Body body, ActorId parent = {});
    // Like CPython's finaliser: a suspended generator is close()d (its finally blocks run), and
    // whatever is still on its stack is unwound.
    ~Coroutine();
    Coroutine(const Coroutine&) = delete;
    Coroutine& operator=(const Coroutine&) = delete;

    // --- the caller's side --------------------------------------------------------------------
    Outcome send(PyValue value);                 // next() is send(None)
    Outcome throwIn(std::exception_ptr error);   // generator.throw(error)
    Outcome close();                             // Returned(None), or Raised(the error close() raises)
    [[nodiscard]] GenState state() const { return m_state; }
    [[nodiscard]] const std::string& name() const { return m_name; }
    [[nodiscard]] ActorId actor() const { return m_actor; }
    // The subgenerator of the `yield from` this generator is suspended in (gi_yieldfrom), if any.
    [[nodiscard]] const Coroutine* delegate() const { return m_delegate; }

    // --- the body's side (only while running) ---------------------------------------------------
    // `yield value`: suspends; returns the value sent in, or raises the exception thrown in.
    PyValue yield_(PyValue value, int line = 0);
    // `yield from sub`: forwards send / throw / close to `sub` until it returns; returns its value.
    PyValue yieldFrom(Generator& sub, int line = 0);
    // Calls a generator function from inside this one: the new generator's actor is our child.
    [[nodiscard]] Generator generator(std::string name, Body body);
    void print(std::string_view text, int line = 0);
    // The body reached `line` (counted from the generator's `def` line = 1).
    void reach(int line);
    [[nodiscard]] GenHost& host() const { return m_host; }

private:
    enum class Request : std::uint8_t { Send, Throw, Unwind };
    struct Unwind {}; // unwinds a body being destroyed; deliberately not a std::exception

    Outcome resume(Request request, PyValue value, std::exception_ptr error, EventKind event);
    Request suspend(PyValue value);
    void switchIn();
    void switchOut();
    boost::context::fiber run(boost::context::fiber&& caller);
    [[nodiscard]] int absoluteLine(int line) const;

    GenHost& m_host;
    std::string m_name;
    Body m_body;
    ActorId m_actor;
    int m_defLine = 0;
    int m_lastLine = 0;
    GenState m_state = GenState::Created;
    Coroutine* m_delegate = nullptr;

    // The hand-over slots between the two stacks.
    Request m_request = Request::Send;
    PyValue m_requestValue;
    std::exception_ptr m_requestError;
    Outcome m_reply;

    boost::context::fiber m_fiber;   // the suspended generator, held by the caller's side
    boost::context::fiber m_caller;  // the suspended caller, held by the generator's side
    ExceptionStack m_exceptions;     // the C++ exception-handling state of whichever side is parked

    // Sanitizer bookkeeping (unused without ASan / TSan).
    const void* m_stackBottom = nullptr;
    std::size_t m_stackSize = 0;
    const void* m_callerBottom = nullptr;
    std::size_t m_callerSize = 0;
    void* m_fakeStack = nullptr;
    void* m_callerFakeStack = nullptr;
    void* m_tsanFiber = nullptr;
    void* m_callerTsanFiber = nullptr;
};

} // namespace lockstep::gen
