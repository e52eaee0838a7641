#pragma once
// The child program of the gil lesson's processes mode (multiprocessing.Process(target=count)):
// a fresh interpreter with its own GIL counting down alone, reporting to the parent what the
// parent records for it.

#include "lockstep/gil/PacedLoop.h"
#include "lockstep/proc/ChildChannel.h"

#include <cstdint>

namespace lockstep {

// Records a counting child sends to its parent (ChildRecord::kind). kChildCountDone carries the
// turns made (a) and the CPU time they took (b).
enum CountChildRecord : std::int32_t { kChildStarted = 1, kChildGilTaken, kChildCountDone, kChildGilDropped };

struct CountJob {
    PacedLoop loop;
    std::int64_t n = 0;
    std::int64_t intervalNs = 0;
    std::int32_t lineCount = 0;
    std::int32_t lineLoop = 0;
};

// ProcessPool's child entry point; `arg` is a CountJob. Returns the child's exit code.
int countInChild(const ChildChannel& channel, const void* arg);

} // namespace lockstep
