#include "lockstep/gen/Coroutine.h"

#include "lockstep/gen/Generator.h"
#include "lockstep/gen/PyExceptions.h"
#include "lockstep/gen/SanitizerFiber.h"

#include <boost/context/protected_fixedsize_stack.hpp>

#include <cstdio>
#include <utility>

namespace lockstep::gen {

namespace {

// A guard-paged stack (an overflow faults instead of corrupting memory) that reports its bounds to
// the coroutine, which the sanitizers need at every switch.
class GuardedStack {
public:
    GuardedStack(std::size_t size, const void** bottom, std::size_t* bytes)
        : m_inner(size), m_bottom(bottom), m_bytes(bytes)
    {
    }

    boost::context::stack_context allocate()
    {
        boost::context::stack_context sctx = m_inner.allocate();
        *m_bottom = static_cast<char*>(sctx.sp) - sctx.size;
        *m_bytes = sctx.size;
        return sctx;
    }

    void deallocate(boost::context::stack_context& sctx) noexcept
    {
        // Frames that never returned normally (Boost's fiber entry) leave poisoned redzones behind.
        sanitizer::unpoison(static_cast<char*>(sctx.sp) - sctx.size, sctx.size);
        m_inner.deallocate(sctx);
    }

private:
    boost::context::protected_fixedsize_stack m_inner;
    const void** m_bottom;
    std::size_t* m_bytes;
};

std::string jsonText(const PyValue& v) { return v.dump(-1, ' ', false, PyValue::error_handler_t::replace); }

std::string exceptionText(const std::exception_ptr& error)
{
    const ExceptionInfo info = describeException(error);
    if (!info.python) return info.message;
    return info.message.empty() ? info.type : info.type + ": " + info.message;
}

} // namespace

Coroutine::Coroutine(GenHost& host, std::string name, Body body, ActorId parent)
    : m_host(host), m_name(std::move(name)), m_body(std::move(body))
{
    m_actor = host.addCoroutine(m_name, parent.valid() ? parent : host.running());
    m_defLine = host.defLine(m_name);
    host.setState(m_actor, State::GenCreated);
    m_tsanFiber = sanitizer::createFiber(m_name.c_str());
    // Constructing a Boost fiber jumps onto the new stack once, to park it at its entry point, and
    // back. TSan must count that visit against the new fiber, or the caller's shadow call stack
    // would keep the entry frame for ever.
    void* const self = sanitizer::currentFiber();
    sanitizer::switchToFiber(m_tsanFiber);
    m_fiber = boost::context::fiber(std::allocator_arg, GuardedStack(kStackSize, &m_stackBottom, &m_stackSize),
                                    [this](boost::context::fiber&& caller) { return run(std::move(caller)); });
    sanitizer::switchToFiber(self);
}

Coroutine::~Coroutine()
{
    if (m_state == GenState::Running) {
        // Destroying a generator from inside itself: its stack is the one we are standing on.
        std::fputs("lockstep: a generator was destroyed while it was running\n", stderr);
        std::terminate();
    }
    if (m_state == GenState::Suspended) {
        // CPython's _PyGen_Finalize: close(), and whatever it raises is "ignored".
        try {
            (void)close();
        } catch (...) {
        }
    }
    // Not started, or it ignored GeneratorExit: unwind its stack without running more Python.
    for (int attempt = 0; m_fiber; ++attempt) {
        if (attempt == 3) {
            std::fputs("lockstep: a generator body swallowed the unwinding of its stack (catch (...))\n", stderr);
            std::terminate();
        }
        try {
            Outcome io;
            resume(Request::Unwind, io, EventKind::GenClose);
        } catch (...) {
        }
    }
    sanitizer::destroyFiber(m_tsanFiber);
}

Outcome Coroutine::throwIn(std::exception_ptr error)
{
    Outcome io;
    io.error.swap(error);
    resume(Request::Throw, io, EventKind::GenThrow);
    return io;
}

Outcome Coroutine::close()
{
    // gen_close(): closing a finished generator does nothing.
    if (m_state == GenState::Closed) return Outcome::returned(nullptr);
    Outcome out;
    out.error = makeException("GeneratorExit");
    resume(Request::Throw, out, EventKind::GenClose);
    switch (out.kind) {
    case Outcome::Kind::Yielded:
        return Outcome::raised(makeException("RuntimeError", "generator ignored GeneratorExit"));
    case Outcome::Kind::Returned: return Outcome::returned(nullptr);
    case Outcome::Kind::Raised:
        if (isGeneratorExit(out.error) || isStopIteration(out.error)) return Outcome::returned(nullptr);
        return out;
    }
    return out;
}

void Coroutine::resumeSlow(Request request, Outcome& io, EventKind event)
{
    const bool unwind = request == Request::Unwind;
    const bool recording = !unwind && m_host.recording();
    // Without a RunContext nothing below is recorded: the caller's actor is only needed for events.
    const ActorId caller = recording ? m_host.running() : ActorId {};
    if (!unwind) m_host.gate();
    if (recording) recordRequest(event, caller, io);
    if (m_state != GenState::Suspended && answerWithoutRunning(request, io)) {
        if (recording)
            recordReply(io.kind == Outcome::Kind::Raised ? EventKind::GenRaise : EventKind::GenReturn, caller, io, 0);
        return;
    }

    // throw() into a generator that never started: its frame starts with the exception pending and
    // raises it before the first line. (Or: it is destroyed unstarted.) Either way the body never
    // runs; the fiber is only entered to let it exit and free its stack.
    const bool neverStarted = m_state == GenState::Created && request != Request::Send;
    if (recording) m_host.setState(m_actor, State::GenRunning, caller);
    m_state = GenState::Running;
    m_request = neverStarted ? Request::Unwind : request;
    m_io = &io;
    m_host.enter(m_actor);
    switchIn();
    m_host.leave();
    // The fiber ran to its end and left Returned(None) in `io`; throw()'s error is still there.
    if (neverStarted && !unwind) io.kind = Outcome::Kind::Raised;
    m_state = m_fiber ? GenState::Suspended : GenState::Closed;
    if (unwind) {
        if (m_state == GenState::Closed) m_host.setState(m_actor, State::GenClosed);
        return;
    }
    if (io.kind == Outcome::Kind::Raised) forbidStopIteration(io);
    if (recording) {
        constexpr EventKind kEvents[] = { EventKind::GenYield, EventKind::GenReturn, EventKind::GenRaise };
        recordReply(kEvents[static_cast<int>(io.kind)], caller, io, m_lastLine);
        m_host.setState(m_actor, traceState(m_state), {}, m_lastLine);
    }
}

void Coroutine::forbidStopIteration(Outcome& io)
{
    // An exception escaping the body ends it; StopIteration may not (PEP 479).
    if (isStopIteration(io.error)) io.error = makeException("RuntimeError", "generator raised StopIteration");
}

bool Coroutine::answerWithoutRunning(Request request, Outcome& io) const
{
    // Only the exception is left in `io`: a refused send()'s value is dropped, as CPython drops it.
    auto raise = [&io](std::exception_ptr error) {
        io.kind = Outcome::Kind::Raised;
        io.value = nullptr;
        io.error = std::move(error);
        return true;
    };
    switch (m_state) {
    case GenState::Created:
        if (request == Request::Send && !io.value.is_null())
            return raise(makeException("TypeError", "can't send non-None value to a just-started generator"));
        return false;
    case GenState::Running:
        return raise(makeException("ValueError", "generator already executing"));
    case GenState::Closed:
        // An exhausted generator: send() -> StopIteration (no value), throw(E) -> E itself.
        if (request == Request::Throw) return raise(std::exchange(io.error, nullptr));
        io.kind = Outcome::Kind::Returned;
        io.value = nullptr;
        return true;
    case GenState::Suspended:
        return false;
    }
    return false;
}

void Coroutine::recordRequest(EventKind event, ActorId caller, const Outcome& io)
{
    std::string text;
    if (event == EventKind::GenSend)
        text = jsonText(io.value);
    else if (event == EventKind::GenThrow)
        text = exceptionText(io.error);
    m_host.record(event, caller, m_actor, text);
}

void Coroutine::recordReply(EventKind kind, ActorId caller, const Outcome& io, int line)
{
    const std::string text = io.kind == Outcome::Kind::Raised ? exceptionText(io.error) : jsonText(io.value);
    m_host.record(kind, m_actor, caller, text, line);
}

boost::context::fiber Coroutine::run(boost::context::fiber&& caller)
{
    m_caller = std::move(caller);
    sanitizer::finishSwitch(nullptr, &m_callerBottom, &m_callerSize);
    if (m_request != Request::Unwind) {
        // Exceptions never cross the stack boundary: whatever ends the body is caught here and
        // handed to the caller as data, in the Outcome of the resumption that ended the body.
        try {
            PyValue result = m_body(*this);
            m_io->kind = Outcome::Kind::Returned;
            m_io->value.swap(result);
            m_io->error = nullptr;
        } catch (const Unwind&) {
            m_io->kind = Outcome::Kind::Returned;
            m_io->value = nullptr;
            m_io->error = nullptr;
        } catch (...) {
            m_io->kind = Outcome::Kind::Raised;
            m_io->value = nullptr;
            m_io->error = std::current_exception();
        }
    } else {
        m_io->kind = Outcome::Kind::Returned;
        m_io->value = nullptr;
    }
    // Leaving this stack for good: ASan may release its fake frames.
    sanitizer::startSwitch(nullptr, m_callerBottom, m_callerSize);
    return std::move(m_caller);
}

void Coroutine::raiseThrown()
{
    std::rethrow_exception(std::exchange(m_io->error, nullptr));
}

PyValue Coroutine::yieldFrom(Generator& sub, int line)
{
    if (line > 0) reach(line);
    Coroutine& target = sub.coroutine();
    m_delegate = &target;
    struct Clear {
        Coroutine*& delegate;
        ~Clear() { delegate = nullptr; }
    } clear{m_delegate};

    Outcome out = target.send(nullptr);
    for (;;) {
        if (out.kind == Outcome::Kind::Returned) return std::move(out.value);
        if (out.kind == Outcome::Kind::Raised) {
            // A StopIteration coming out of a throw() ends the delegation with its value (PEP 380).
            if (isStopIteration(out.error)) return describeException(out.error).value.value_or(nullptr);
            std::rethrow_exception(out.error);
        }
        if (line > 0) reach(line);
        // Pass the subgenerator's value straight to our caller and forward what comes back.
        switch (suspend(out.value)) {
        case Request::Send:
            out = target.send(std::move(m_io->value));
            break;
        case Request::Throw: {
            std::exception_ptr error = std::exchange(m_io->error, nullptr);
            if (isGeneratorExit(error)) {
                // close() or throw(GeneratorExit): close the subgenerator, then raise here -- or
                // raise what closing it raised.
                Outcome closed = target.close();
                if (closed.kind == Outcome::Kind::Raised) std::rethrow_exception(closed.error);
                std::rethrow_exception(error);
            }
            out = target.throwIn(std::move(error));
            break;
        }
        case Request::Unwind: throw Unwind{};
        }
    }
}

Generator Coroutine::generator(std::string name, Body body)
{
    return Generator(m_host, std::move(name), std::move(body), m_actor);
}

void Coroutine::print(std::string_view text, int line)
{
    if (line > 0) m_lastLine = absoluteLine(line);
    m_host.print(m_actor, text, line > 0 ? m_lastLine : 0);
}

void Coroutine::reach(int line)
{
    m_lastLine = absoluteLine(line);
    m_host.reach(m_actor, m_lastLine);
}

int Coroutine::absoluteLine(int line) const
{
    if (line <= 0) return 0;
    return m_defLine > 0 ? m_defLine + line - 1 : line;
}

} // namespace lockstep::gen
