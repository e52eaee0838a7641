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
            (void)resume(Request::Unwind, nullptr, nullptr, EventKind::GenClose);
        } catch (...) {
        }
    }
    sanitizer::destroyFiber(m_tsanFiber);
}

Outcome Coroutine::send(PyValue value) { return resume(Request::Send, std::move(value), nullptr, EventKind::GenSend); }

Outcome Coroutine::throwIn(std::exception_ptr error)
{
    return resume(Request::Throw, nullptr, std::move(error), EventKind::GenThrow);
}

Outcome Coroutine::close()
{
    // gen_close(): closing a finished generator does nothing.
    if (m_state == GenState::Closed) return Outcome::returned(nullptr);
    Outcome out = resume(Request::Throw, nullptr, makeException("GeneratorExit"), EventKind::GenClose);
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

Outcome Coroutine::resume(Request request, PyValue value, std::exception_ptr error, EventKind event)
{
    const bool unwind = request == Request::Unwind;
    const bool recording = !unwind && m_host.recording();
    const ActorId caller = m_host.running();
    if (!unwind) m_host.gate();
    if (recording) {
        std::string text;
        if (event == EventKind::GenSend) text = jsonText(value);
        else if (event == EventKind::GenThrow) text = exceptionText(error);
        m_host.record(event, caller, m_actor, text);
    }
    // The generator object answers these without running its frame (gen_send_ex2's checks).
    auto answer = [&](Outcome out) {
        if (recording) {
            if (out.kind == Outcome::Kind::Raised)
                m_host.record(EventKind::GenRaise, m_actor, caller, exceptionText(out.error));
            else
                m_host.record(EventKind::GenReturn, m_actor, caller, jsonText(out.value));
        }
        return out;
    };
    if (m_state == GenState::Created && request == Request::Send && !value.is_null())
        return answer(Outcome::raised(makeException("TypeError", "can't send non-None value to a just-started generator")));
    if (m_state == GenState::Running) return answer(Outcome::raised(makeException("ValueError", "generator already executing")));
    if (m_state == GenState::Closed) {
        if (unwind) return Outcome::returned(nullptr);
        // An exhausted generator: send() -> StopIteration (no value), throw(E) -> E itself.
        return answer(request == Request::Send ? Outcome::returned(nullptr) : Outcome::raised(std::move(error)));
    }

    Outcome out;
    if (m_state == GenState::Created && request != Request::Send) {
        // throw() into a generator that never started: its frame starts with the exception pending
        // and raises it before the first line. (Or: it is destroyed unstarted.) Either way the body
        // never runs; the fiber is only entered to let it exit and free its stack.
        if (recording) m_host.setState(m_actor, State::GenRunning, caller);
        m_state = GenState::Running;
        m_request = Request::Unwind;
        m_host.enter(m_actor);
        switchIn();
        m_host.leave();
        out = unwind ? Outcome::returned(nullptr) : Outcome::raised(std::move(error));
    } else {
        // Swaps rather than assignments: nlohmann::json assigns through a temporary.
        m_request = request;
        m_requestValue.swap(value);
        m_requestError.swap(error);
        if (recording) m_host.setState(m_actor, State::GenRunning, caller);
        m_state = GenState::Running;
        m_host.enter(m_actor);
        switchIn();
        m_host.leave();
        out.kind = m_reply.kind;
        out.value.swap(m_reply.value);
        out.error.swap(m_reply.error);
    }
    m_state = m_fiber ? GenState::Suspended : GenState::Closed;
    if (unwind) {
        if (m_state == GenState::Closed) m_host.setState(m_actor, State::GenClosed);
        return out;
    }
    // An exception escaping the body ends it; StopIteration may not (PEP 479).
    if (out.kind == Outcome::Kind::Raised && isStopIteration(out.error))
        out.error = makeException("RuntimeError", "generator raised StopIteration");
    if (recording) {
        switch (out.kind) {
        case Outcome::Kind::Yielded:
            m_host.record(EventKind::GenYield, m_actor, caller, jsonText(out.value), m_lastLine);
            break;
        case Outcome::Kind::Returned:
            m_host.record(EventKind::GenReturn, m_actor, caller, jsonText(out.value), m_lastLine);
            break;
        case Outcome::Kind::Raised:
            m_host.record(EventKind::GenRaise, m_actor, caller, exceptionText(out.error), m_lastLine);
            break;
        }
        m_host.setState(m_actor, traceState(m_state), {}, m_lastLine);
    }
    return out;
}

void Coroutine::switchIn()
{
    m_callerTsanFiber = sanitizer::currentFiber();
    sanitizer::startSwitch(&m_callerFakeStack, m_stackBottom, m_stackSize);
    sanitizer::switchToFiber(m_tsanFiber);
    m_exceptions.swapWithThread();
    m_fiber = std::move(m_fiber).resume();
    m_exceptions.swapWithThread();
    sanitizer::finishSwitch(m_callerFakeStack, nullptr, nullptr);
    if (!m_fiber) {
        // The body has finished and its stack is gone: from here on the code is the caller's again
        // (TSan is told only now, after the generator's last frames have returned on its side).
        sanitizer::switchToFiber(m_callerTsanFiber);
        sanitizer::destroyFiber(m_tsanFiber);
        m_tsanFiber = nullptr;
    }
}

void Coroutine::switchOut()
{
    sanitizer::startSwitch(&m_fakeStack, m_callerBottom, m_callerSize);
    sanitizer::switchToFiber(m_callerTsanFiber);
    m_caller = std::move(m_caller).resume();
    // Resumed, possibly by a different stack than last time (e.g. from inside a delegator).
    sanitizer::finishSwitch(m_fakeStack, &m_callerBottom, &m_callerSize);
}

boost::context::fiber Coroutine::run(boost::context::fiber&& caller)
{
    m_caller = std::move(caller);
    sanitizer::finishSwitch(nullptr, &m_callerBottom, &m_callerSize);
    if (m_request != Request::Unwind) {
        // Exceptions never cross the stack boundary: whatever ends the body is caught here and
        // handed to the caller as data.
        try {
            m_reply = Outcome::returned(m_body(*this));
        } catch (const Unwind&) {
            m_reply = Outcome::returned(nullptr);
        } catch (...) {
            m_reply = Outcome::raised(std::current_exception());
        }
    } else {
        m_reply = Outcome::returned(nullptr);
    }
    // Leaving this stack for good: ASan may release its fake frames.
    sanitizer::startSwitch(nullptr, m_callerBottom, m_callerSize);
    return std::move(m_caller);
}

Coroutine::Request Coroutine::suspend(PyValue value)
{
    m_host.gate();
    m_reply.kind = Outcome::Kind::Yielded;
    m_reply.value.swap(value);
    switchOut();
    return m_request;
}

PyValue Coroutine::yield_(PyValue value, int line)
{
    if (line > 0) reach(line);
    switch (suspend(std::move(value))) {
    case Request::Send: {
        PyValue sent;
        sent.swap(m_requestValue);
        return sent;
    }
    case Request::Throw: std::rethrow_exception(std::exchange(m_requestError, nullptr));
    case Request::Unwind: break;
    }
    throw Unwind{};
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
        switch (suspend(std::move(out.value))) {
        case Request::Send: out = target.send(std::exchange(m_requestValue, nullptr)); break;
        case Request::Throw: {
            std::exception_ptr error = std::exchange(m_requestError, nullptr);
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
