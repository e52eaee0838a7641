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
        EventSet,       // {event}
        EventClear,     // {event}
        EventWait,      // {event, timeout_ms?, as?}: the True/False result
        IsSet,          // {event, as}
        SemAcquire,     // {semaphore, timeout_ms?, as?}
        SemRelease,     // {semaphore, n?}
        Put,            // {queue, item | var, timeout_ms?}
        Get,            // {queue, timeout_ms?, as?}
        TaskDone,       // {queue}
        Join,           // {queue}
        Inside,         // {section, ops}: count the threads inside (summary max_inside)
        For,            // {as, in: [values], ops}
        Loop,           // {ops}: until a break
        If,             // {var, equals, ops}
        Break,          // {}: leave the innermost for / loop / repeat
    };
    Kind kind = Kind::Sleep;
    std::string target;                 // lock / cond / semaphore / var / counter name
    std::vector<std::string> targets;   // try_acquire_all
    double ms = 0;                      // sleep, pause between acquisitions
    double stepMs = 0;                  // sleep: plus this many ms times the thread's copy number
    double timeoutMs = -1;              // -1 = none
    double backoffMinMs = 1, backoffMaxMs = 10;
    int n = 1;                          // notify(n), repeat count
    nlohmann::json value;               // set / wait_for / if equals, put item, for values
    std::string as;                     // thread-local variable the op's result is bound to
    std::string var;                    // put var / if var: a local (bound by `as`) or a shared var
    LocalizedText text;                 // say
    int line = 0;                       // Python line this op models
    std::string pointer;                // JSON pointer inside the variant config (for errors)
    std::vector<ScriptOp> body;
};

struct ScriptThread {
    std::string name;
    LocalizedText speaker;              // display name for `say`; defaults to the thread name
    std::string startAfter;             // start once this thread waits/blocks or has ended
    int copy = 1;                       // 1..count for a thread with "count" (its name says it)
    std::vector<ScriptOp> ops;
};

struct ScriptResource {
    std::string name;
    std::string kind;                   // Lock | RLock (locks), Semaphore | BoundedSemaphore
    int value = 1;                      // semaphores
    std::string lock;                   // conditions: the underlying lock's name (empty = own RLock)
    int maxsize = 0;                    // queues: kind Queue | LifoQueue | PriorityQueue
};

struct ScriptProgram {
    std::vector<ScriptResource> locks;
    std::vector<ScriptResource> conditions;
    std::vector<ScriptResource> semaphores;
    std::vector<ScriptResource> events;
    std::vector<ScriptResource> queues;
    nlohmann::json vars = nlohmann::json::object();
    std::vector<ScriptThread> threads;
};

// The names in `{name}` placeholders of a say text (a-z, 0-9, _): thread-local variables bound by
// an op's `as`, or shared vars; other braces are text.
std::vector<std::string> scriptPlaceholders(const std::string& text);

// Parses and checks a variant's config; every problem is an InputError located in the lesson file.
// A config {"philosophers": {...}} is expanded into the equivalent script first.
ScriptProgram parseThreadScript(const ScenarioInput& input);

} // namespace lockstep
