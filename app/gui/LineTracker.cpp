#include "gui/LineTracker.h"

#include <algorithm>

namespace lockstep::ui {

LineTracker::Result LineTracker::at(const Trace& trace, std::int64_t ts)
{
    Result result;
    std::int64_t latestTs = -1;
    for (const ActorInfo& info : trace.actors()) {
        if (!isExecutor(info.kind)) continue;
        const State state = trace.stateAt(info.id, ts);
        if (state == State::Terminated || state == State::GenClosed || state == State::New) continue;
        const auto& idx = trace.eventsOf(info.id);
        // Last of the actor's events with event.ts <= ts.
        auto end = std::upper_bound(idx.begin(), idx.end(), ts,
                                    [&](std::int64_t t, EventIndex e) { return t < trace.event(e).ts; });
        std::size_t looked = 0;
        for (auto it = end; it != idx.begin() && looked < kLookBack; ++looked) {
            --it;
            const Event& e = trace.event(*it);
            // Any event of its own that carries a line tells where it is (LineReached mostly).
            if (e.actor != info.id || e.line <= 0) continue;
            result.actors.push_back({info.id, e.line, state, e.ts});
            if (e.ts > latestTs) {
                latestTs = e.ts;
                result.latestLine = e.line;
            }
            break;
        }
    }
    return result;
}

} // namespace lockstep::ui
