#pragma once

#include <stdexcept>

namespace lockstep {

// Thrown out of any blocking engine operation once the run is cancelled; unwinds the engine
// thread's body (RAII releases what it held) and is caught by EngineThread.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("run cancelled") {}
};

// Thrown for bad user input (lesson files, parameters, CLI arguments). what() is the full message,
// already in "file:line:column: key: what is wrong (allowed: ...)" form where a location is known.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace lockstep
