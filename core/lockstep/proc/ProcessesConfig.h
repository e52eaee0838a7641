#pragma once

#include "lockstep/lesson/ConfigReader.h"
#include "lockstep/proc/ProcPlan.h"

#include <nlohmann/json.hpp>

namespace lockstep {

// The processes engine's variant config, checked: `variant` is required, the other keys depend on
// it (each with its range; the run's processes stay within Limits::kMaxProcesses, main included):
//   fork-basics  value                        states   children, rounds, work_ms, sleep_ms
//   zombie       linger_ms, exit_code         orphan   parent_ms, orphan_ms
//   wait         children, work_ms            sigchld  children, loop, linger_ms
//   pool         workers, tasks, task_ms
// The ipc engine's, the same way:
//   pipe         total_kb, chunk, reader_delay_ms, read_ms      pipe-no-close  total_kb, hang_ms
//   broken-pipe  (none)                                          shared-counter workers, increments, lock
//   semaphore    workers, permits, rounds, hold_ms
enum class ProcEngine { Processes, Ipc };
// Returns the plan without its snippet lines (ProcessesScenario finds those).
ProcPlan parseProcessesConfig(
    const nlohmann::json& config, const ConfigReader::Where& where, ProcEngine engine = ProcEngine::Processes);

} // namespace lockstep
