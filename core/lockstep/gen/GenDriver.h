#pragma once

#include "lockstep/gen/GenScript.h"
#include "lockstep/gen/Generator.h"
#include "lockstep/gen/LessonGenerators.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lockstep::gen {

// The caller's side of a generator script: performs each operation on one generator, exactly as
// tests/python/generator_oracle.py does with CPython, and keeps the transcript: per operation
// `op`, `arg` (send / throw), then `result` (the value returned) or `raised` (the exception class)
// with `value` (StopIteration) and `message` (non-empty str(e)), `state`
// (inspect.getgeneratorstate) and `output` (lines printed during the operation).
class GenDriver final : public lessons::GeneratorCaller {
public:
    GenDriver(GenHost& host, Generator& gen);

    // Performs `op` and records it. Python exceptions come back in the Outcome; C++ ones (e.g.
    // Cancelled) propagate.
    Outcome perform(const ScriptOp& op);
    // GeneratorCaller: perform, then Python's control flow (raise what the operation raised).
    PyValue send(PyValue value) override;
    void close() override;

    [[nodiscard]] const nlohmann::json& transcript() const { return m_transcript; }
    // Every line printed so far by anyone (between operations too), in order.
    [[nodiscard]] std::vector<std::string> output();

    [[nodiscard]] static nlohmann::json entry(const ScriptOp& op, const Outcome& out, GenState state,
                                              std::vector<std::string> output);

private:
    GenHost& m_host;
    Generator& m_gen;
    nlohmann::json m_transcript = nlohmann::json::array();
    std::vector<std::string> m_output;
};

} // namespace lockstep::gen
