#pragma once

#include "lockstep/runner/Scenario.h"

#include <memory>

namespace lockstep {

// Engine "iomux": a real event-driven echo server on select / poll / epoll (level- or
// edge-triggered) watching N socket-pair connections, with one client driver thread; measures the
// cost of each wait at one or several N (see io/IomuxConfig.h for the variant config).
std::unique_ptr<Scenario> makeIomuxScenario();

} // namespace lockstep
