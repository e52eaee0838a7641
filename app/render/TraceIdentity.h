#pragma once

#include "lockstep/trace/Trace.h"

namespace lockstep::ui {

// Whether `next` is a later snapshot of the same run as `prev` (so views can append instead of
// starting over). Snapshots of one run share their event storage: the first event has the same
// address in both. Before any event exists, the actors registered so far must agree.
[[nodiscard]] inline bool isContinuationOf(const Trace& next, const Trace& prev)
{
    if (&next == &prev) return true;
    if (next.eventCount() < prev.eventCount() || next.actors().size() < prev.actors().size()) return false;
    if (prev.eventCount() > 0) return &next.events()[0] == &prev.events()[0];
    for (std::size_t i = 0; i < prev.actors().size(); ++i)
        if (prev.actors()[i].name != next.actors()[i].name || prev.actors()[i].kind != next.actors()[i].kind)
            return false;
    return true;
}

} // namespace lockstep::ui
