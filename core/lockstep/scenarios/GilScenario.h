#pragma once

#include "lockstep/runner/Scenario.h"

#include <memory>

namespace lockstep {

// Engine "gil": CPU-bound and I/O-bound Python threads under CPython's GIL (see lessons/gil.json).
// Config keys (after "$param" resolution):
//   mode: "sequential" | "threads" | "nogil" | "processes" | "io" | "convoy"
//   count (turns of `while n > 0: n -= 1` per count() call), threads, processes,
//   switch_interval_ms, ns_per_turn (the pace of one turn; 0 = measured CPython default),
//   rounds, io_ms, work (io: turns of Python work per round), baseline_rounds (convoy).
std::unique_ptr<Scenario> makeGilScenario();

} // namespace lockstep
