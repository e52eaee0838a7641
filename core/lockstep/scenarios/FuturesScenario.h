#pragma once

#include "lockstep/runner/Scenario.h"

#include <memory>

namespace lockstep {

// Engine "futures": concurrent.futures.ThreadPoolExecutor on real threads (see
// lessons/futures.json and core/lockstep/futures/FuturesProgram.h). Config: tasks ("100,200!,50"),
// workers, mode ("as_completed" | "map" | "wait_first"), cancel (index or -1), callbacks.
std::unique_ptr<Scenario> makeFuturesScenario();

} // namespace lockstep
