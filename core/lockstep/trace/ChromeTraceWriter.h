#pragma once

#include "lockstep/trace/Trace.h"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

namespace lockstep {

// Writes a trace in the Chrome Trace Event Format (JSON object with "traceEvents"), which Perfetto
// and chrome://tracing open as they are: thread names as metadata events, every state span as a
// complete ("X") event, other events as instants ("i"), and counters ("C") for GIL switches and
// ready fds. Executors (threads, processes, coroutines) live in pid 1, resources (locks, the GIL,
// fds) in pid 2 so their hold spans get lanes of their own.
class ChromeTraceWriter {
public:
    static void write(const Trace& trace, std::ostream& out, const nlohmann::json& metadata = {});
    // Writes to `path`; returns false and sets `error` if the file cannot be written.
    static bool writeFile(const Trace& trace, const std::string& path, const nlohmann::json& metadata,
                          std::string* error);
};

} // namespace lockstep
