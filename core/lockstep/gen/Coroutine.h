#pragma once

#include "lockstep/gen/ExceptionStack.h"
#include "lockstep/gen/GenHost.h"
#include "lockstep/gen/GenState.h"
#include "lockstep/gen/Outcome.h"
#include "lockstep/gen/PyValue.h"
#include "lockstep/gen/SanitizerFiber.h"

#include <boost/context/fiber.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

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
    // next() is send(None).
    Outcome send(PyValue value)
    {
        Outcome io;
        io.value.swap(value);
        resume(Request::Send, io, EventKind::GenSend);
        return io;
    }
    Outcome throwIn(std::exception_ptr error);   // generator.throw(error)
    Outcome close();                             // Returned(None), or Raised(the error close() raises)
    [[nodiscard]] GenState state() const { return m_state; }
    [[nodiscard]] const std::string& name() const { return m_name; }
    [[nodiscard]] ActorId actor() const { return m_actor; }
    // The subgenerator of the `yield from` this generator is suspended in (gi_yieldfrom), if any.
    [[nodiscard]] const Coroutine* delegate() const { return m_delegate; }

    // --- the body's side (only while running) ---------------------------------------------------
    // `yield value`: suspends; returns the value sent in, or raises the exception thrown in.
    PyValue yield_(PyValue value, int line = 0)
    {
        if (line > 0) reach(line);
        switch (suspend(value)) {
        case Request::Send:
            return PyValue(std::move(m_io->value));
        case Request::Throw:
            raiseThrown();
        case Request::Unwind:
            break;
        }
        throw Unwind {};
    }
    // `yield from sub`: forwards send / throw / close to `sub` until it returns; returns its value.
    PyValue yieldFrom(Generator& sub, int line = 0);
    // Calls a generator function from inside this one: the new generator's actor is our child.
    [[nodiscard]] Generator generator(std::string name, Body body);
    void print(std::string_view text, int line = 0);
    // The body reached `line` (counted from the generator's `def` line = 1).
    void reach(int line);
    [[nodiscard]] GenHost& host() const { return m_host; }

private:
    friend class Generator; // its send() hands its own Outcome to resume(), saving a move per call

    enum class Request : std::uint8_t { Send, Throw, Unwind };
    struct Unwind {}; // unwinds a body being destroyed; deliberately not a std::exception

    // Runs the generator on `io`: on entry io.value / io.error hold what is sent / thrown in, on
    // return io holds what the resumption ended with. The body reads and writes `io` in place
    // (through m_io) instead of going through hand-over slots: PyValue temporaries are not free
    // (nlohmann's destructor is an out-of-line call), and this is the per-switch path.
    //
    // The common case -- a suspended generator, nothing recorded -- is inline, down to the stack
    // switch, as are suspend() and yield_() on the other side. Each function frame between the code
    // that switches and jump_fcontext costs a mispredicted return after every switch (the CPU's
    // return stack buffer still holds the other stack's return addresses); with a few such frames
    // on each side, those mispredictions were most of a round trip.
    void resume(Request request, Outcome& io, EventKind event)
    {
        if (m_state != GenState::Suspended || m_host.recording()) [[unlikely]] {
            resumeSlow(request, io, event);
            return;
        }
        // No RunContext: gate(), record() and setState() are no-ops, so only the protocol is left.
        m_state = GenState::Running;
        m_request = request;
        m_io = &io;
        m_host.enter(m_actor);
        switchIn();
        m_host.leave();
        m_state = m_fiber ? GenState::Suspended : GenState::Closed;
        if (io.kind == Outcome::Kind::Raised && request != Request::Unwind) [[unlikely]]
            forbidStopIteration(io);
    }
    // All cases, with recording; the same protocol as resume()'s fast path.
    void resumeSlow(Request request, Outcome& io, EventKind event);
    // gen_send_ex2's answers given without running the frame; false if the frame must run.
    bool answerWithoutRunning(Request request, Outcome& io) const;
    // PEP 479: a StopIteration escaping the body becomes RuntimeError.
    static void forbidStopIteration(Outcome& io);
    void recordRequest(EventKind event, ActorId caller, const Outcome& io);
    void recordReply(EventKind kind, ActorId caller, const Outcome& io, int line);
    Request suspend(PyValue& value)
    {
        m_host.gate();
        // What the caller sent has been taken out of `io` by now, so the slot is empty: swapping
        // leaves `value` None, and nothing is copied.
        m_io->kind = Outcome::Kind::Yielded;
        m_io->value.swap(value);
        switchOut();
        return m_request;
    }
    [[noreturn]] void raiseThrown(); // rethrows the exception thrown in (cold, so out of line)
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

    // The hand-over between the two stacks: the request, and the caller's in/out Outcome (valid
    // while the generator runs; the caller's frame is parked in resume() meanwhile).
    Request m_request = Request::Send;
    Outcome* m_io = nullptr;

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

// The two halves of a stack switch, with the sanitizers' bookkeeping around it.
inline void Coroutine::switchIn()
{
    m_callerTsanFiber = sanitizer::currentFiber();
    sanitizer::startSwitch(&m_callerFakeStack, m_stackBottom, m_stackSize);
    sanitizer::switchToFiber(m_tsanFiber);
    m_exceptions.swapWithThread();
    m_fiber = std::move(m_fiber).resume();
    m_exceptions.swapWithThread();
    sanitizer::finishSwitch(m_callerFakeStack, nullptr, nullptr);
    if (!m_fiber) [[unlikely]] {
        // The body has finished and its stack is gone: from here on the code is the caller's again
        // (TSan is told only now, after the generator's last frames have returned on its side).
        sanitizer::switchToFiber(m_callerTsanFiber);
        sanitizer::destroyFiber(m_tsanFiber);
        m_tsanFiber = nullptr;
    }
}

inline void Coroutine::switchOut()
{
    sanitizer::startSwitch(&m_fakeStack, m_callerBottom, m_callerSize);
    sanitizer::switchToFiber(m_callerTsanFiber);
    m_caller = std::move(m_caller).resume();
    // Resumed, possibly by a different stack than last time (e.g. from inside a delegator).
    sanitizer::finishSwitch(m_fakeStack, &m_callerBottom, &m_callerSize);
}

} // namespace lockstep::gen
