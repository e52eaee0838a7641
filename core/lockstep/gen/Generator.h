#pragma once

#include "lockstep/gen/Coroutine.h"

#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace lockstep::gen {

// The generator object as Python code sees it: next / send / throw / close return the yielded
// value or raise (StopIteration carries the return value), exactly as CPython 3.11 does. Owns its
// Coroutine; destroying a suspended generator closes it, like CPython's finaliser.
class Generator {
public:
    Generator() = default;
    Generator(GenHost& host, std::string name, Coroutine::Body body, ActorId parent = {});
    Generator(Generator&&) noexcept = default;
    Generator& operator=(Generator&&) noexcept = default;
    ~Generator() = default;

    PyValue next();
    // Inline and on an Outcome of our own, without passing it around by value: this is the
    // per-switch path (each PyValue temporary costs a destructor call, each frame down to the stack
    // switch a mispredicted return).
    PyValue send(PyValue value)
    {
        Outcome out;
        out.value.swap(value);
        m_co->resume(Coroutine::Request::Send, out, EventKind::GenSend);
        if (out.kind == Outcome::Kind::Yielded) [[likely]] {
            value.swap(out.value);
            return value;
        }
        return unwrap(std::move(out));
    }
    PyValue throw_(std::exception_ptr error);
    PyValue throw_(std::string_view exceptionType); // g.throw(ValueError): the class, no arguments
    void close();

    [[nodiscard]] GenState state() const { return m_co->state(); }
    [[nodiscard]] Coroutine& coroutine() const { return *m_co; }
    explicit operator bool() const { return m_co != nullptr; }

    // Turns an Outcome into Python's control flow: the yielded value, or the exception raised.
    static PyValue unwrap(Outcome out);

private:
    std::unique_ptr<Coroutine> m_co;
};

} // namespace lockstep::gen
