#pragma once
// The processes lesson's program, run for real in the processes Lockstep forks: `main` (the
// Python script's process) and the children it forks itself, with os.fork, os.waitpid, a SIGCHLD
// handler, pipes. Everything here runs after fork() in a child of a multithreaded process, so it
// uses system calls only: no allocation, no locks, no exceptions.

#include "lockstep/proc/ProcPlan.h"

#include <chrono>

namespace lockstep {

// Runs in the process Lockstep just forked: becomes `main` (its own process group, so that the
// whole tree can be signalled at once), runs the plan's variant and _exits. Reports go to
// `reportFd`, stamped on the run's clock (`runStart`); every process of the tree inherits it.
[[noreturn]] void runProcessesMain(const ProcPlan& plan, int reportFd, std::chrono::steady_clock::time_point runStart);

// The name a process of the tree has (prctl PR_SET_NAME, ps -o comm): "main", "child",
// "child-2", "worker-1". Writes at most `size` bytes including the terminating NUL.
void processName(const ProcPlan& plan, int index, char* out, int size);

} // namespace lockstep
