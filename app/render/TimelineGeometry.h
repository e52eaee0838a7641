#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace lockstep::ui {

// One labelled tick of the time axis.
struct AxisTick {
    double t = 0;       // ns since run start
    double x = 0;       // pixel
    bool major = false; // a multiple of 5 steps: drawn with a stronger grid line
    QString label;      // with its unit, e.g. "1.5 ms"
};

// Time <-> pixel mapping of the timeline, with zoom, pan and clamping. A plain value type with no
// widget and no display, so that the widget, the exporter and the tests share the same arithmetic.
//
// Time is in ns since run start (doubles: exact up to 2^53 ns, i.e. 104 days). Pixels are logical
// (device-independent) pixels of the plot area that starts at plotLeft.
struct TimelineGeometry {
    // Deepest zoom: 100 px per ns. Any deeper and nothing new can be seen (timestamps are in ns).
    static constexpr double kMinNsPerPx = 0.01;
    // The view may be zoomed out to show this much more than the bounds (a little air at the ends).
    static constexpr double kMaxOverscan = 1.05;

    double plotLeft = 0;
    double plotWidth = 1000;
    // What can be shown: usually [0, trace end]. An empty range is treated as 1 µs.
    std::int64_t boundStart = 0;
    std::int64_t boundEnd = 1000;
    // The visible window: the time at plotLeft and the scale.
    double viewStart = 0;
    double nsPerPx = 1;

    [[nodiscard]] double xOf(double t) const { return plotLeft + (t - viewStart) / nsPerPx; }
    [[nodiscard]] double timeAt(double x) const { return viewStart + (x - plotLeft) * nsPerPx; }
    [[nodiscard]] double viewEnd() const { return viewStart + plotWidth * nsPerPx; }
    [[nodiscard]] double viewSpan() const { return plotWidth * nsPerPx; }
    [[nodiscard]] double plotRight() const { return plotLeft + plotWidth; }
    [[nodiscard]] std::int64_t visibleStart() const;
    [[nodiscard]] std::int64_t visibleEnd() const;
    [[nodiscard]] double boundSpan() const;
    // Largest ns per pixel allowed (everything visible plus kMaxOverscan).
    [[nodiscard]] double maxNsPerPx() const;

    // Sets the plot area and keeps the visible time range (the scale changes with the width).
    void setPlot(double left, double width);
    // Sets the bounds; the visible window is re-clamped into them.
    void setBounds(std::int64_t start, std::int64_t end);
    // Shows [t0, t1] across the plot (clamped).
    void setVisibleRange(double t0, double t1);
    // Shows all of [boundStart, boundEnd].
    void fitAll();
    // factor > 1 zooms in, < 1 out; the time under pixel x stays under x (unless clamping moves it).
    void zoomAbout(double x, double factor);
    // Drag by dx pixels: the content follows the mouse (dx > 0 shows earlier times).
    void panByPixels(double dx);
    void panByTime(double dt);
    // Keeps the scale within [kMinNsPerPx, maxNsPerPx()] and the window within the bounds.
    void clamp();

    // Axis ticks at a "nice" step (1, 2 or 5 x 10^k ns) at least minSpacingPx apart. The unit of the
    // labels follows the magnitude of the visible times, the decimals follow the step, so that
    // neighbouring labels always differ.
    [[nodiscard]] std::vector<AxisTick> ticks(double minSpacingPx = 100) const;
    // Smallest 1/2/5 x 10^k that is >= raw.
    [[nodiscard]] static double niceStep(double raw);
    // "1.25 ms": t in the unit chosen for `magnitude` ns, with enough decimals to resolve `step` ns.
    [[nodiscard]] static QString formatTime(double t, double step, double magnitude);
    // A duration with three significant digits and a unit: "850 ns", "12.3 µs", "1.00 s".
    [[nodiscard]] static QString formatDuration(double ns);
};

} // namespace lockstep::ui
