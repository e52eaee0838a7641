#pragma once

#include <stdexcept>
#include <string>

namespace lockstep {

// An exception of the modelled Python program (RuntimeError, ValueError, queue.Empty, ...), with
// CPython's type name and message, e.g. PyError("RuntimeError", "cannot wait on un-acquired lock").
class PyError : public std::runtime_error {
public:
    PyError(std::string type, std::string message)
        : std::runtime_error(type + ": " + message), m_type(std::move(type)), m_message(std::move(message))
    {
    }
    [[nodiscard]] const std::string& type() const { return m_type; }
    [[nodiscard]] const std::string& message() const { return m_message; }

private:
    std::string m_type;
    std::string m_message;
};

} // namespace lockstep
