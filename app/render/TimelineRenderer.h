#pragma once

#include "render/TimelineDrawList.h"
#include "render/TimelineGeometry.h"
#include "render/TimelineIndex.h"
#include "render/TimelineLayout.h"

#include <QPointF>
#include <QString>

#include <cstdint>
#include <optional>

class QPainter;

namespace lockstep::ui {

// What to draw on top of the lanes.
struct TimelineRenderOptions {
    // Spans narrower than foldPx fold into a counted mark; a mark ends after kMaxFoldFactor x foldPx
    // (a new one starts), so a zoomed-out lane still shows where its mix of states changes.
    static constexpr double kMaxFoldFactor = 8;
    double foldPx = 3.0;
    std::int64_t cursor = -1;         // ns; < 0: no cursor
    std::int64_t selectionStart = -1; // ns; a selection is drawn when both ends are >= 0
    std::int64_t selectionEnd = -1;
    int hoverLane = -1; // highlighted lane
    QString title;      // header text (needs TimelineLayoutOptions::header)
    QString subtitle;
    bool live = false; // the trace is still growing: mark the live edge
};

// What is under a point of the timeline (for tooltips, clicks and tests).
struct TimelineHit {
    int lane = -1; // -1: not on a lane
    double t = 0;  // time under the point (ns)
    bool inPlot = false;
    bool inLabels = false;
    // Span under the point (executor lanes: a state span; resource lanes: a holder span).
    bool onSpan = false;
    std::int64_t spanStart = 0;
    std::int64_t spanEnd = 0;
    State state = State::New; // executor lanes
    ActorId target;           // executor lanes: what it is blocked on / waiting for
    ActorId holder;           // resource lanes: the holder (invalid: free)
    std::uint32_t holders = 0;
    // Marker near the point (within half a marker's width), if any.
    EventIndex marker;
};

// Tracy-style timeline drawing in two steps:
//  1. build(): for each lane, binary-search the first span of the visible window and walk it; a
//     span narrower than foldPx starts a fold, which jumps ahead one fold width at a time with a
//     (galloping) search, so the cost is O(lanes x pixels x log events), never O(events), and the
//     list has O(lanes x pixels / foldPx) items.
//  2. paint(): draw the compact list (plus axis, labels, legend, cursor, selection) with QPainter
//     on any QPaintDevice: a widget, a QImage or a QSvgGenerator.
class TimelineRenderer {
public:
    static void build(const Trace& trace, const TimelineIndex& index, const TimelineLayout& layout,
                      const TimelineGeometry& geometry, const TimelineRenderOptions& options, TimelineDrawList& out);

    static void paint(QPainter& painter, const Trace& trace, const TimelineIndex& index, const TimelineLayout& layout,
                      const TimelineGeometry& geometry, const TimelineDrawList& list,
                      const TimelineRenderOptions& options);

    // build() + paint() into a scratch list.
    static void render(QPainter& painter, const Trace& trace, const TimelineIndex& index, const TimelineLayout& layout,
                       const TimelineGeometry& geometry, const TimelineRenderOptions& options);

    [[nodiscard]] static TimelineHit hitTest(const Trace& trace, const TimelineIndex& index,
                                             const TimelineLayout& layout, const TimelineGeometry& geometry,
                                             QPointF point);
    // Rich-text tooltip for a hit: actor, state, start, duration, what it waits for (and who holds
    // that), or the marker's event. Empty when there is nothing to say.
    [[nodiscard]] static QString describe(const Trace& trace, const TimelineIndex& index, const TimelineHit& hit);

    // Marker size in pixels at a scale (also the fold distance of markers).
    [[nodiscard]] static double markerSize(double scale) { return 11 * scale; }
};

} // namespace lockstep::ui
