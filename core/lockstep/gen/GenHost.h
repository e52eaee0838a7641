#pragma once

#include "lockstep/trace/EventKind.h"
#include "lockstep/trace/Ids.h"
#include "lockstep/trace/State.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {
class RunContext;
}

namespace lockstep::gen {

// What the generators of one OS thread share, like one Python interpreter's thread state: the
// thread actor that drives them, which stack is executing right now (the caller, a generator, or a
// generator inside a `yield from`), the printed output, the lesson's Python snippet for line
// numbers, and the run whose trace and step gate every control transfer goes through. Without a
// RunContext nothing is recorded or gated (unit tests, benchmarks). Used by one thread; it must
// outlive every generator created on it.
class GenHost {
public:
    explicit GenHost(RunContext* ctx = nullptr, ActorId caller = {});

    // The snippet whose `def name(` lines anchor each generator's line numbers.
    void setSnippet(std::string_view python);
    // 1-based line of `def <function>(` in the snippet, or 0 if it is not there.
    [[nodiscard]] int defLine(std::string_view function) const;

    [[nodiscard]] RunContext* context() const { return m_ctx; }
    // Whether events are recorded at all (callers skip formatting event texts when not).
    [[nodiscard]] bool recording() const { return m_ctx != nullptr; }
    [[nodiscard]] ActorId caller() const { return m_caller; }
    // The actor executing right now: the top of the resume stack, or the caller.
    [[nodiscard]] ActorId running() const { return m_running.empty() ? m_caller : m_running.back(); }
    void enter(ActorId actor) { m_running.push_back(actor); }
    void leave() { m_running.pop_back(); }

    ActorId addCoroutine(const std::string& name, ActorId parent);

    // Step gate for the driving thread (may throw Cancelled). No-op without a context.
    void gate()
    {
        if (m_ctx) passGate();
    }
    void record(EventKind kind, ActorId actor, ActorId target, std::string_view text = {}, int line = 0);
    void setState(ActorId actor, State state, ActorId target = {}, int line = 0);
    void reach(ActorId actor, int line);
    // print(text) by `actor`: recorded as a Say event and captured as output lines (split at '\n',
    // as the lines of text print() writes).
    void print(ActorId actor, std::string_view text, int line = 0); // also reaches `line`

    [[nodiscard]] const std::vector<std::string>& output() const { return m_output; }
    std::vector<std::string> takeOutput();

private:
    void passGate();

    RunContext* m_ctx;
    ActorId m_caller;
    std::vector<ActorId> m_running;
    std::vector<std::string> m_output;
    std::map<std::string, int, std::less<>> m_defLines;
};

} // namespace lockstep::gen
