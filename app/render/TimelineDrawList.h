#pragma once

#include "lockstep/trace/EventKind.h"
#include "lockstep/trace/Ids.h"

#include <cstdint>
#include <limits>
#include <vector>

namespace lockstep::ui {

// One rectangle of a lane: a state span (executor lanes), a holder span (GIL / lock lanes), or a
// folded mark standing for `count` spans that were each narrower than the fold width.
struct DrawSpan {
    static constexpr std::uint32_t kFree = std::numeric_limits<std::uint32_t>::max(); // resource not held

    float x0 = 0;
    float x1 = 0;
    std::uint32_t lane = 0;
    std::uint32_t count = 1; // spans represented (1 unless folded)
    std::uint32_t key = 0;   // executor lanes: StateCategory; resource lanes: holder actor id or kFree
    std::uint32_t key2 = 0;  // folded: the other of the two most frequent keys (== key when there is none)
    float share = 1;         // folded: key's share of the time of the two (key is the lower of the two)
    std::uint32_t item = 0;  // plain: index of the span / hold change in its lane's source
    bool folded = false;
};

// An instant marker (or several folded into one when closer than a marker's width).
struct DrawMarker {
    float x = 0;
    std::int32_t lane = -1; // -1: drawn across all lanes (deadlock, stall)
    std::uint32_t count = 1;
    EventKind kind = EventKind::Mark;
    EventIndex event;   // the first event of the group
    bool alarm = false; // from the alarm list (errors): painted last
};

// The compact result of one pass over the visible window: at most O(plot width) items per lane,
// however many events the trace has. Reused between frames (clear() keeps the capacity).
struct TimelineDrawList {
    std::vector<DrawSpan> spans;
    std::vector<DrawMarker> markers;

    void clear()
    {
        spans.clear();
        markers.clear();
    }
    [[nodiscard]] std::size_t size() const { return spans.size() + markers.size(); }
};

} // namespace lockstep::ui
