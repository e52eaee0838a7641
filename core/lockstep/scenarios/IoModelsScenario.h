#pragma once

#include "lockstep/runner/Scenario.h"

#include <memory>

namespace lockstep {

// Engine "io_models": the five Unix I/O models on a real loopback connection (io/IoModels.h).
std::unique_ptr<Scenario> makeIoModelsScenario();

} // namespace lockstep
