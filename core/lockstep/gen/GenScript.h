#pragma once

#include "lockstep/gen/PyValue.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep::gen {

// One operation of a generator script, "next", "send:<JSON value>", "throw:<ExceptionName>" or
// "close"; a script is operations separated by ';' (a ';' inside a JSON string does not separate).
struct ScriptOp {
    enum class Kind : std::uint8_t { Next, Send, Throw, Close };
    Kind kind = Kind::Next;
    PyValue value;          // Send: the value (parsed as Python's json.loads would)
    std::string exception;  // Throw: the exception class name
    std::string text;       // the operation as written (trimmed)
};

[[nodiscard]] std::string_view opName(ScriptOp::Kind kind); // "next", "send", "throw", "close"

// Limits that keep a script inside what the engine models exactly: Python ints are unbounded, the
// model's are 64-bit, so sent integers stay within ±10^12 (a thousand of them still sum exactly
// and divide exactly as doubles); floats within ±1e300 so that sums stay finite (JSON has no inf).
struct ScriptLimits {
    static constexpr std::size_t kMaxBytes = 64 * 1024;
    static constexpr std::size_t kMaxOps = 1000;
    static constexpr std::int64_t kMaxInt = 1'000'000'000'000;
    static constexpr double kMaxFloat = 1e300;
    static constexpr int kMaxDepth = 32;
};

// The exceptions a script may throw in: ValueError, KeyError, TypeError, RuntimeError,
// StopIteration, GeneratorExit.
[[nodiscard]] const std::vector<std::string>& scriptExceptionNames();

// Parses a script; every problem is an InputError naming the operation (position and text), what
// is wrong and what is allowed. `what` prefixes the messages (e.g. "parameter script").
[[nodiscard]] std::vector<ScriptOp> parseScript(std::string_view script, const std::string& what = "script");

// Checks a value as a script may send it (the same rules as parseScript); returns "" if fine, else
// what is wrong.
[[nodiscard]] std::string checkScriptValue(std::string_view json, PyValue& out);

} // namespace lockstep::gen
