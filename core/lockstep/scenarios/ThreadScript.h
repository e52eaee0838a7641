#pragma once

#include "lockstep/lesson/Lesson.h"
#include "lockstep/runner/Scenario.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lockstep {

// A thread script: the data behind the "script" engine. A lesson variant declares resources and
// threads whose ops are interpreted on real OS threads through the instrumented primitives, so a
// new deadlock or condition variant is a few lines of JSON, not C++ (see docs/lesson-format.md).
struct ScriptOp {
    enum class Kind {
        Acquire,        // {lock}
        Release,        // {lock}
        With,           // {lock | cond | semaphore, ops}: acquire, run ops, release (also on error)
        Sleep,          // {ms}
        Wait,           // {cond, timeout_ms?}
        WaitFor,        // {cond, var, equals, timeout_ms?}
        Notify,         // {cond, n?}
        NotifyAll,      // {cond}
        Say,            // {text: {en, zh}}
        Set,            // {var, value}
        Repeat,         // {count, ops}
        TryAcquireAll,  // {locks, timeout_ms, backoff_ms: [min, max], pause_ms?, ops}
        Count,          // {counter}: add one to a per-thread counter (e.g. meals eaten)
    };
    Kind kind = Kind::Sleep;
    std::string target;                 // lock / cond / semaphore / var / counter name
    std::vector<std::string> targets;   // try_acquire_all
    double ms = 0;                      // sleep, pause between acquisitions
    double timeoutMs = -1;              // -1 = none
    double backoffMinMs = 1, backoffMaxMs = 10;
    int n = 1;                          // notify(n), repeat count
    nlohmann::json value;               // set / wait_for equals
    LocalizedText text;                 // say
    int line = 0;                       // Python line this op models
    std::string pointer;                // JSON pointer inside the variant config (for errors)
    std::vector<ScriptOp> body;
};

struct ScriptThread {
    std::string name;
    LocalizedText speaker;              // display name for `say`; defaults to the thread name
    std::string startAfter;             // start once this thread waits/blocks or has ended
    std::vector<ScriptOp> ops;
};

struct ScriptResource {
    std::string name;
    std::string kind;                   // Lock | RLock (locks), Semaphore | BoundedSemaphore
    int value = 1;                      // semaphores
    std::string lock;                   // conditions: the underlying lock's name (empty = own RLock)
};

struct ScriptProgram {
    std::vector<ScriptResource> locks;
    std::vector<ScriptResource> conditions;
    std::vector<ScriptResource> semaphores;
    nlohmann::json vars = nlohmann::json::object();
    std::vector<ScriptThread> threads;
};

// Parses and checks a variant's config; every problem is an InputError located in the lesson file.
// A config {"philosophers": {...}} is expanded into the equivalent script first.
ScriptProgram parseThreadScript(const ScenarioInput& input);

} // namespace lockstep
