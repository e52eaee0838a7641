#pragma once

#include "lockstep/gen/PyValue.h"

#include <cstdint>
#include <exception>

namespace lockstep::gen {

// What one resumption of a generator ended with, as data instead of control flow: the caller-side
// half of CPython's gen_send_ex2() (PYGEN_NEXT / PYGEN_RETURN / PYGEN_ERROR).
struct Outcome {
    enum class Kind : std::uint8_t { Yielded, Returned, Raised };
    Kind kind = Kind::Returned;
    PyValue value;             // the value yielded or returned
    std::exception_ptr error;  // Raised: the exception (a Python one, or a C++ one such as Cancelled)

    static Outcome yielded(PyValue v) { return {Kind::Yielded, std::move(v), nullptr}; }
    static Outcome returned(PyValue v) { return {Kind::Returned, std::move(v), nullptr}; }
    static Outcome raised(std::exception_ptr e) { return {Kind::Raised, nullptr, std::move(e)}; }
};

} // namespace lockstep::gen
