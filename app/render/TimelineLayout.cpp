#include "render/TimelineLayout.h"

#include "render/Palette.h"

#include <QFontMetricsF>

#include <algorithm>

namespace lockstep::ui {

namespace {

// Sizes at scale 1, in logical pixels. Chosen for a 1920x1080 projector seen from the back row.
constexpr double kHeaderOne = 44; // title only
constexpr double kHeaderTwo = 72; // title and subtitle
constexpr double kAxis = 34;
constexpr double kLegend = 44;
constexpr double kLane = 40;         // preferred executor lane height
constexpr double kResourceLane = 30; // preferred GIL / lock lane height
constexpr double kMinLane = 10;
constexpr double kMaxGrow = 3.0; // lanes may grow this much to fill a tall picture
constexpr double kFlags = 26;
constexpr double kGroupGap = 12; // between executors and resources
constexpr double kMargin = 12;
constexpr double kIndent = 14; // per nesting level in the label column

double preferredLaneHeight(const Lane& lane) { return lane.kind == LaneKind::Executor ? kLane : kResourceLane; }

bool hasGroupGap(const TimelineIndex& index)
{
    const auto& lanes = index.lanes();
    const bool exec =
        std::any_of(lanes.begin(), lanes.end(), [](const Lane& l) { return l.kind == LaneKind::Executor; });
    const bool res =
        std::any_of(lanes.begin(), lanes.end(), [](const Lane& l) { return l.kind != LaneKind::Executor; });
    return exec && res;
}

double headerHeight(const TimelineLayoutOptions& o)
{
    if (!o.header) return 0;
    return (o.subtitle ? kHeaderTwo : kHeaderOne) * o.scale;
}

} // namespace

double TimelineLayout::preferredHeight(const TimelineIndex& index, const TimelineLayoutOptions& o)
{
    double lanes = 0;
    for (const Lane& l : index.lanes()) lanes += preferredLaneHeight(l);
    if (hasGroupGap(index)) lanes += kGroupGap;
    const double flags = index.globalMarkers().empty() ? 0 : kFlags;
    return headerHeight(o) + (kAxis + flags + lanes + kMargin + (o.legend ? kLegend : 0)) * o.scale;
}

TimelineLayout TimelineLayout::compute(const Trace& trace, const TimelineIndex& index, QSizeF size,
                                       const TimelineLayoutOptions& options)
{
    TimelineLayout l;
    l.m_options = options;
    const double s = options.scale;
    l.bounds = QRectF(QPointF(0, 0), size);

    double y = 0;
    const double hh = headerHeight(options);
    l.header = QRectF(0, 0, size.width(), hh);
    y += hh;

    // Label column: wide enough for the longest "name  kind" line, within reason.
    const QFontMetricsF nameFm(Palette::uiFont(s));
    const QFontMetricsF kindFm(Palette::smallFont(s));
    double labelW = 110 * s;
    for (const Lane& lane : index.lanes()) {
        const auto name = trace.actorName(lane.actor);
        const double w = lane.depth * kIndent * s +
                         nameFm.horizontalAdvance(QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size()))) +
                         kindFm.horizontalAdvance(QStringLiteral("coroutine")) + 44 * s;
        labelW = std::max(labelW, w);
    }
    labelW = std::min(labelW, std::max(110 * s, size.width() * 0.3));

    const double legendH = options.legend ? kLegend * s : 0;
    l.axis = QRectF(labelW, y, std::max(1.0, size.width() - labelW - kMargin * s), kAxis * s);
    y += l.axis.height();
    const double flagsH = index.globalMarkers().empty() ? 0 : kFlags * s;
    l.flags = QRectF(labelW, y, l.axis.width(), flagsH);
    y += flagsH;
    const double plotH = std::max(1.0, size.height() - y - legendH - kMargin * s);
    l.plot = QRectF(labelW, y, l.axis.width(), plotH);
    l.labels = QRectF(0, y, labelW, plotH);
    l.legend = options.legend ? QRectF(0, size.height() - legendH, size.width(), legendH) : QRectF();

    // Lane heights: preferred, squeezed evenly when they do not fit (never below kMinLane).
    const auto& lanes = index.lanes();
    const bool gap = hasGroupGap(index);
    double wanted = 0;
    for (const Lane& lane : lanes) wanted += preferredLaneHeight(lane) * s;
    const double gapH = gap ? kGroupGap * s : 0;
    const double avail = std::max(0.0, plotH - gapH);
    // Squeeze to fit, or grow (a little) to fill: a short list of lanes on a tall export should not
    // leave the bottom half of a slide empty.
    const double factor = wanted > 0 ? std::min(kMaxGrow, avail / wanted) : 1.0;
    l.lanes.reserve(lanes.size());
    double ly = l.plot.top();
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        if (gap && i > 0 && lanes[i].kind != LaneKind::Executor && lanes[i - 1].kind == LaneKind::Executor) {
            l.separatorY = ly + gapH / 2;
            ly += gapH;
        }
        const double h = std::max(kMinLane * s, preferredLaneHeight(lanes[i]) * s * factor);
        l.lanes.push_back({ly, h});
        ly += h;
    }
    return l;
}

int TimelineLayout::laneAt(double y) const
{
    auto it = std::upper_bound(lanes.begin(), lanes.end(), y, [](double v, const LaneBox& b) { return v < b.top; });
    if (it == lanes.begin()) return -1;
    --it;
    if (y >= it->bottom()) return -1;
    return static_cast<int>(it - lanes.begin());
}

} // namespace lockstep::ui
