#include "lockstep/gen/GenDriver.h"

#include "lockstep/gen/PyExceptions.h"

#include <utility>

namespace lockstep::gen {

GenDriver::GenDriver(GenHost& host, Generator& gen) : m_host(host), m_gen(gen) {}

Outcome GenDriver::perform(const ScriptOp& op)
{
    // Lines printed before this operation (by the caller) belong to no operation.
    for (auto& line : m_host.takeOutput()) m_output.push_back(std::move(line));
    Coroutine& co = m_gen.coroutine();
    Outcome out;
    switch (op.kind) {
    case ScriptOp::Kind::Next: out = co.send(nullptr); break;
    case ScriptOp::Kind::Send: out = co.send(op.value); break;
    case ScriptOp::Kind::Throw: out = co.throwIn(makeException(op.exception)); break;
    case ScriptOp::Kind::Close: out = co.close(); break;
    }
    if (out.kind == Outcome::Kind::Raised && !describeException(out.error).python) std::rethrow_exception(out.error);
    std::vector<std::string> printed = m_host.takeOutput();
    m_output.insert(m_output.end(), printed.begin(), printed.end());
    m_transcript.push_back(entry(op, out, m_gen.state(), std::move(printed)));
    return out;
}

PyValue GenDriver::send(PyValue value)
{
    ScriptOp op;
    op.kind = ScriptOp::Kind::Send;
    op.value = std::move(value);
    return Generator::unwrap(perform(op));
}

void GenDriver::close()
{
    ScriptOp op;
    op.kind = ScriptOp::Kind::Close;
    Outcome out = perform(op);
    if (out.kind == Outcome::Kind::Raised) std::rethrow_exception(out.error);
}

std::vector<std::string> GenDriver::output()
{
    for (auto& line : m_host.takeOutput()) m_output.push_back(std::move(line));
    return m_output;
}

nlohmann::json GenDriver::entry(const ScriptOp& op, const Outcome& out, GenState state, std::vector<std::string> output)
{
    nlohmann::json e = nlohmann::json::object();
    e["op"] = opName(op.kind);
    if (op.kind == ScriptOp::Kind::Send) e["arg"] = op.value;
    if (op.kind == ScriptOp::Kind::Throw) e["arg"] = op.exception;
    switch (out.kind) {
    case Outcome::Kind::Yielded: e["result"] = out.value; break;
    case Outcome::Kind::Returned:
        if (op.kind == ScriptOp::Kind::Close) {
            e["result"] = nullptr; // close() returns None
        } else {
            // The generator returned: next / send / throw raise StopIteration(value).
            e["raised"] = "StopIteration";
            e["value"] = out.value;
            if (!py::isNone(out.value))
                if (std::string message = py::str(out.value); !message.empty()) e["message"] = message;
        }
        break;
    case Outcome::Kind::Raised: {
        const ExceptionInfo info = describeException(out.error);
        e["raised"] = info.type;
        if (info.value) e["value"] = *info.value;
        if (!info.message.empty()) e["message"] = info.message;
        break;
    }
    }
    e["state"] = genStateName(state);
    e["output"] = std::move(output);
    return e;
}

} // namespace lockstep::gen
