#pragma once

#include "lockstep/runner/Scenario.h"

#include <memory>

namespace lockstep {

// Engine "servers": the server designs raced on real loopback TCP (net/Servers.h).
std::unique_ptr<Scenario> makeServersScenario();

} // namespace lockstep
