#pragma once
// The ipc lesson's programs, run in `main` and the children it forks (see ProcPrograms.h for
// the rules: system calls only). Each reports the objects it uses (the pipe's ends, the shared
// page, the semaphore) so that the process view can draw them between the processes.

#include "lockstep/proc/ProcPlan.h"

namespace lockstep {

// Runs plan.variant (an ipc variant) in main.
void runIpcVariant(const ProcPlan& plan);
// The queue variant (ProcQueueProgram.cpp): multiprocessing.Queue with its feeder thread.
void runQueueVariant(const ProcPlan& plan);

} // namespace lockstep
