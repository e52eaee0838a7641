#pragma once

#include "lockstep/trace/Trace.h"

#include <cstdint>
#include <vector>

namespace lockstep::ui {

// Where in the Python snippet each executor is at a moment of the trace: the line of its last
// LineReached event at or before `ts`. Looks back a bounded number of the actor's events, so the
// cost per frame stays small however long the trace is.
class LineTracker {
public:
    struct ActorLine {
        ActorId actor;
        int line = 0;
        State state = State::New;
        std::int64_t ts = 0; // when it reached that line
    };
    struct Result {
        std::vector<ActorLine> actors; // executors that are alive at ts and have reached a line
        int latestLine = 0;            // the most recent line reached by anybody
    };

    static constexpr std::size_t kLookBack = 4096;

    [[nodiscard]] static Result at(const Trace& trace, std::int64_t ts);
};

} // namespace lockstep::ui
