#pragma once

#include "lockstep/runner/Scenario.h"

namespace lockstep {

// Engine "script": runs a ThreadScript (see ThreadScript.h) on real OS threads through the
// instrumented primitives. Deadlocks are found by the core's wait-for graph, stalls by the
// runner's watchdog; the summary is computed from the recorded trace (cycle, the Coffman conditions
// the wait-for graph recorded, transcript, waits/notifies, retries, per-thread counters).
std::unique_ptr<Scenario> makeThreadScriptScenario();

} // namespace lockstep
