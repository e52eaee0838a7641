#pragma once

#include "lockstep/runner/Scenario.h"

#include <memory>

namespace lockstep {

// Engine "processes": real fork(), process states from /proc, zombies, orphans, waitpid, SIGCHLD
// and a worker pool (see lessons/processes.json). Config: `variant` ("fork-basics", "states",
// "zombie", "orphan", "wait", "sigchld", "pool") and its keys (core/lockstep/proc/ProcessesConfig.h).
std::unique_ptr<Scenario> makeProcessesScenario();

// Engine "ipc": a pipe between processes (filling, blocking, EOF, EPIPE), a counter in shared
// memory with and without its lock, a process-shared semaphore (see lessons/ipc.json).
std::unique_ptr<Scenario> makeIpcScenario();

} // namespace lockstep
