#pragma once

#include "lockstep/engine/PyError.h"
#include "lockstep/gen/PyValue.h"

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep::gen {

// CPython's exception classes the generator protocol needs, as a C++ hierarchy that mirrors
// Python's, so that generator bodies read like the Python they model:
//     try { co.yield_("ready"); } catch (const ValueError&) { ... }     # except ValueError:
// type() is the Python class name, message() is str(e). Every class derives from PyError, the
// engine's Python exception, so code that only knows PyError still reports them properly.
class BaseException : public PyError {
public:
    explicit BaseException(std::string message = {}) : PyError("BaseException", std::move(message)) {}

protected:
    BaseException(std::string type, std::string message) : PyError(std::move(type), std::move(message)) {}
};

#define LOCKSTEP_PY_EXCEPTION(Name, Base)                                                                    \
    class Name : public Base {                                                                               \
    public:                                                                                                  \
        explicit Name(std::string message = {}) : Base(#Name, std::move(message)) {}                          \
                                                                                                             \
    protected:                                                                                               \
        Name(std::string type, std::string message) : Base(std::move(type), std::move(message)) {}           \
    }

LOCKSTEP_PY_EXCEPTION(GeneratorExit, BaseException);
LOCKSTEP_PY_EXCEPTION(Exception, BaseException);
LOCKSTEP_PY_EXCEPTION(ArithmeticError, Exception);
LOCKSTEP_PY_EXCEPTION(ZeroDivisionError, ArithmeticError);
LOCKSTEP_PY_EXCEPTION(OverflowError, ArithmeticError);
LOCKSTEP_PY_EXCEPTION(LookupError, Exception);
LOCKSTEP_PY_EXCEPTION(KeyError, LookupError);
LOCKSTEP_PY_EXCEPTION(IndexError, LookupError);
LOCKSTEP_PY_EXCEPTION(RuntimeError, Exception);
LOCKSTEP_PY_EXCEPTION(TypeError, Exception);
LOCKSTEP_PY_EXCEPTION(ValueError, Exception);

#undef LOCKSTEP_PY_EXCEPTION

// StopIteration carries a generator's return value; str(e) is str(value), or '' for None.
class StopIteration : public Exception {
public:
    explicit StopIteration(PyValue value = nullptr);
    [[nodiscard]] const PyValue& value() const { return m_value; }

private:
    PyValue m_value;
};

// What a caught exception looks like from Python: its class, str(e), and StopIteration's value.
struct ExceptionInfo {
    bool python = false;          // false: a C++ exception that is not a Python one (e.g. Cancelled)
    std::string type;             // e.g. "ValueError"
    std::string message;          // str(e), may be empty
    std::optional<PyValue> value; // StopIteration only
};
[[nodiscard]] ExceptionInfo describeException(const std::exception_ptr& error);
[[nodiscard]] bool isStopIteration(const std::exception_ptr& error);
[[nodiscard]] bool isGeneratorExit(const std::exception_ptr& error);

// `raise Name` for the classes above, constructed without arguments unless a message is given
// (generator.throw(ValueError) does the same). nullptr for an unknown name.
[[nodiscard]] std::exception_ptr makeException(std::string_view type, std::string message = {});
// The names makeException knows.
[[nodiscard]] const std::vector<std::string>& exceptionNames();

} // namespace lockstep::gen
