#pragma once

#include <utility>

namespace lockstep::gen {

// Python's `finally:` for generator bodies: runs when the scope is left by return, by an exception
// (including GeneratorExit from close()), or by the unwinding of a destroyed generator.
template <typename Fn>
class Finally {
public:
    explicit Finally(Fn fn) : m_fn(std::move(fn)) {}
    ~Finally() { m_fn(); }
    Finally(const Finally&) = delete;
    Finally& operator=(const Finally&) = delete;

private:
    Fn m_fn;
};

} // namespace lockstep::gen
