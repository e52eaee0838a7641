#pragma once

#include "lockstep/trace/ActorKind.h"
#include "lockstep/trace/EventKind.h"
#include "lockstep/trace/Ids.h"
#include "lockstep/trace/State.h"

#include <cstdint>
#include <string>

namespace lockstep {

// One recorded event. Kept small and trivially copyable: the recorder appends these on the hot path.
struct Event {
    std::int64_t ts = 0;        // ns since run start (monotonic clock)
    std::int64_t value = 0;     // kind-specific payload (count, fd mask, timeout, value, ...)
    ActorId actor;              // who did it
    ActorId target;             // what it concerned (lock, fd, gil, other coroutine, ...)
    TextId text;                // optional string payload
    std::int32_t line = 0;      // 1-based line in the lesson's Python snippet, 0 = none
    EventKind kind = EventKind::Mark;
    State state = State::New;   // for StateChange: the new state
};

struct ActorInfo {
    ActorId id;
    ActorKind kind = ActorKind::Thread;
    std::string name;
    ActorId parent;             // e.g. the process a thread belongs to; invalid for top level
    std::int64_t createdTs = 0;
};

} // namespace lockstep
