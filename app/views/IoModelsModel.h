#pragma once

#include "lockstep/trace/Trace.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lockstep::ui {

// The io-models lesson at the cursor, folded from what its receivers recorded: for each receiver
// lane ("recv (blocking)", ...) the phase it is in (the Marks "waiting for data", "data ready",
// "copying", "copied N bytes" / "completion: ..."), when each phase began, its thread state, and the
// measures it recorded as Counters (system calls, EAGAINs, CPU, wait, copy, own work).
class IoModelsModel {
public:
    enum class Phase { NotStarted, Waiting, Copying, Done };
    struct Receiver {
        ActorId id;
        std::string model; // "blocking", ... (from the lane's name)
        Phase phase = Phase::NotStarted;
        State state = State::New;
        std::int64_t startTs = -1, readyTs = -1, copyTs = -1, doneTs = -1;
        std::int64_t syscalls = -1, eagain = 0, cpuUs = -1, waitUs = -1, copyNs = -1, otherWork = -1;
        bool copiedByKernel = false;
        bool threadBlocked = false;
        std::string unavailable; // io_uring not permitted: why
    };

    void reset(const Trace&) { }
    void apply(const Trace& trace, const Event& e);

    [[nodiscard]] const std::vector<Receiver>& receivers() const { return m_receivers; }

private:
    Receiver* receiver(const Trace& trace, ActorId id);
    std::vector<Receiver> m_receivers;
};

} // namespace lockstep::ui
