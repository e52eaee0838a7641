#pragma once

#include "render/TimelineIndex.h"

#include <QRectF>
#include <QSizeF>
#include <QString>

#include <algorithm>
#include <vector>

namespace lockstep::ui {

// What parts a timeline picture has besides the lanes.
struct TimelineLayoutOptions {
    double scale = 1.0;    // presenter mode / export scale: multiplies every size
    bool header = false;   // title + subtitle band at the top (exports)
    bool subtitle = false; // a second header line
    bool legend = true;    // colour / glyph / marker legend at the bottom
};

// The vertical / horizontal arrangement of a timeline picture in logical pixels:
//
//   +---------------------------------------------------+
//   | header: title, subtitle                (optional) |
//   |           | axis: ticks with units                |
//   |           | flags: ⚠ deadlock           (when any) |
//   | labels    | plot: one lane per row                |
//   |  T1       | ███▒▒▒███░░░                          |
//   |  GIL      | ██T1██ ██T2██                         |
//   | legend: ■ running ▷ ready ...            (optional)|
//   +---------------------------------------------------+
//
// Computed from the lanes of a TimelineIndex and the size of the paint device; no painting here.
class TimelineLayout {
public:
    struct LaneBox {
        double top = 0;
        double height = 0;
        [[nodiscard]] double bottom() const { return top + height; }
    };

    // `trace` is used to measure lane names (for the width of the label column).
    [[nodiscard]] static TimelineLayout compute(const Trace& trace, const TimelineIndex& index, QSizeF size,
                                                const TimelineLayoutOptions& options);
    // The height at which every lane gets its preferred height (exports size themselves with it).
    [[nodiscard]] static double preferredHeight(const TimelineIndex& index, const TimelineLayoutOptions& options);

    [[nodiscard]] int laneAt(double y) const; // -1 outside every lane
    // Bottom of the last lane (vertical lines stop there rather than run through empty space).
    [[nodiscard]] double contentBottom() const
    {
        return lanes.empty() ? plot.bottom() : std::min(plot.bottom(), lanes.back().bottom());
    }
    [[nodiscard]] double scale() const { return m_options.scale; }
    [[nodiscard]] const TimelineLayoutOptions& options() const { return m_options; }

    QRectF bounds;
    QRectF header;              // empty unless options.header
    QRectF axis;                // above the plot, same x extent
    QRectF flags;               // between axis and plot: flags of deadlocks / stalls (empty when there are none)
    QRectF labels;              // left of the plot, same y extent
    QRectF plot;                // lanes area
    QRectF legend;              // empty unless options.legend
    std::vector<LaneBox> lanes; // parallel to index.lanes()
    double separatorY = -1;     // between executor lanes and resource lanes, or -1

private:
    TimelineLayoutOptions m_options;
};

} // namespace lockstep::ui
