#include "lockstep/gil/CountChild.h"

#include "lockstep/gil/GilCore.h"

#include <chrono>

namespace lockstep {

// Its own GIL (on this stack, shared with none of the parent's threads) and its main thread
// counting down, alone, at the same pace as a thread in the parent.
int countInChild(const ChildChannel& channel, const void* arg)
{
    const auto& job = *static_cast<const CountJob*>(arg);
    channel.report(kChildStarted, 0, 0, job.lineCount);
    GilCore gil(std::chrono::nanoseconds(job.intervalNs));
    constexpr GilCore::Holder kMainThread = 1;
    if (gil.take(kMainThread) != GilCore::Result::Ok) return 1;
    channel.report(kChildGilTaken, 0, 0, job.lineCount);
    std::int64_t left = job.n;
    const std::int64_t cpu0 = PacedLoop::threadCpuNs();
    while ((left = job.loop.run(left, gil.evalBreaker())) > 0) {
        // Only one thread in this interpreter: nobody ever asks for the GIL, but honour it anyway.
        if (gil.dropRequested()
            && (gil.drop(kMainThread) != GilCore::Result::Ok || gil.take(kMainThread) != GilCore::Result::Ok))
            return 1;
    }
    channel.report(kChildCountDone, job.n, PacedLoop::threadCpuNs() - cpu0, job.lineLoop);
    if (gil.drop(kMainThread, false) != GilCore::Result::Ok) return 1;
    channel.report(kChildGilDropped);
    return 0;
}

} // namespace lockstep
