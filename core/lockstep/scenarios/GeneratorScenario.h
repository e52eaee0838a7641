#pragma once

#include "lockstep/runner/Scenario.h"

#include <memory>

namespace lockstep {

// Engine "generator": Python generators as stackful coroutines (Boost.Context), driven through
// send / throw / close / yield from exactly as CPython 3.11 does. Config:
//   {"mode": "script", "gen": <averager|consumer|guarded|stubborn|delegator>, "script": "next;send:5;..."}
//   {"mode": "producer-consumer", "n": <1..1000>}
// Summary: `transcript` (one entry per operation, see gen/GenDriver.h), `finalizer_output` (what
// the generator printed when it was finalised after the script), and for producer-consumer
// `output` (every printed line in order).
std::unique_ptr<Scenario> makeGeneratorScenario();

} // namespace lockstep
