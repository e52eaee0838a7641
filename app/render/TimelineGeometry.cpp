#include "render/TimelineGeometry.h"

#include <algorithm>
#include <cmath>

namespace lockstep::ui {

namespace {

struct TimeUnit {
    double ns;
    const char* suffix; // UTF-8
};

// The unit in which a time of `magnitude` ns reads best (at most three digits before the point,
// except for seconds).
TimeUnit unitFor(double magnitude)
{
    const double m = std::abs(magnitude);
    if (m < 1e3) return {1, "ns"};
    if (m < 1e6) return {1e3, "\u00B5s"};
    if (m < 1e9) return {1e6, "ms"};
    return {1e9, "s"};
}

QString withUnit(double value, int decimals, const TimeUnit& unit)
{
    return QString::number(value, 'f', decimals) + QLatin1Char(' ') + QString::fromUtf8(unit.suffix);
}

} // namespace

std::int64_t TimelineGeometry::visibleStart() const { return static_cast<std::int64_t>(std::floor(viewStart)); }

std::int64_t TimelineGeometry::visibleEnd() const { return static_cast<std::int64_t>(std::ceil(viewEnd())); }

double TimelineGeometry::boundSpan() const
{
    return std::max<double>(1000.0, static_cast<double>(boundEnd) - static_cast<double>(boundStart));
}

double TimelineGeometry::maxNsPerPx() const
{
    return std::max(kMinNsPerPx, boundSpan() * kMaxOverscan / std::max(1.0, plotWidth));
}

void TimelineGeometry::setPlot(double left, double width)
{
    const double t0 = viewStart;
    const double t1 = viewEnd();
    plotLeft = left;
    plotWidth = std::max(1.0, width);
    setVisibleRange(t0, t1);
}

void TimelineGeometry::setBounds(std::int64_t start, std::int64_t end)
{
    boundStart = start;
    boundEnd = std::max(start, end);
    clamp();
}

void TimelineGeometry::setVisibleRange(double t0, double t1)
{
    if (t1 < t0) std::swap(t0, t1);
    const double wanted = (t1 - t0) / std::max(1.0, plotWidth);
    nsPerPx = std::clamp(wanted, kMinNsPerPx, maxNsPerPx());
    // Unclamped: start exactly at t0. Clamped: keep the centre of the requested range.
    viewStart = nsPerPx == wanted ? t0 : (t0 + t1) / 2 - viewSpan() / 2;
    clamp();
}

void TimelineGeometry::fitAll()
{
    nsPerPx = boundSpan() / std::max(1.0, plotWidth);
    viewStart = static_cast<double>(boundStart);
    clamp();
}

void TimelineGeometry::zoomAbout(double x, double factor)
{
    if (!(factor > 0) || !std::isfinite(factor)) return;
    const double anchor = timeAt(x);
    nsPerPx = std::clamp(nsPerPx / factor, kMinNsPerPx, maxNsPerPx());
    viewStart = anchor - (x - plotLeft) * nsPerPx;
    clamp();
}

void TimelineGeometry::panByPixels(double dx) { panByTime(-dx * nsPerPx); }

void TimelineGeometry::panByTime(double dt)
{
    viewStart += dt;
    clamp();
}

void TimelineGeometry::clamp()
{
    if (!std::isfinite(nsPerPx) || nsPerPx <= 0) nsPerPx = boundSpan() / std::max(1.0, plotWidth);
    if (!std::isfinite(viewStart)) viewStart = static_cast<double>(boundStart);
    nsPerPx = std::clamp(nsPerPx, kMinNsPerPx, maxNsPerPx());
    const double span = viewSpan();
    const double lo = static_cast<double>(boundStart);
    const double hi = lo + boundSpan();
    if (span >= hi - lo) {
        // Zoomed out past the bounds: anywhere that still shows all of them.
        viewStart = std::clamp(viewStart, hi - span, lo);
        return;
    }
    viewStart = std::clamp(viewStart, lo, hi - span);
}

double TimelineGeometry::niceStep(double raw)
{
    if (!(raw > 0) || !std::isfinite(raw)) return 1;
    const double exp10 = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        // A relative epsilon so that niceStep(200) is 200 and not 500 after rounding noise.
        if (m * exp10 >= raw * (1 - 1e-12)) return m * exp10;
    }
    return 10 * exp10;
}

QString TimelineGeometry::formatTime(double t, double step, double magnitude)
{
    const TimeUnit unit = unitFor(magnitude);
    const double stepInUnit = step / unit.ns;
    int decimals = 0;
    if (stepInUnit < 1) decimals = static_cast<int>(std::ceil(-std::log10(stepInUnit) - 1e-9));
    decimals = std::clamp(decimals, 0, 9);
    double v = t / unit.ns;
    if (std::abs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0; // no "-0.0"
    return withUnit(v, decimals, unit);
}

QString TimelineGeometry::formatDuration(double ns)
{
    const TimeUnit unit = unitFor(ns);
    const double v = ns / unit.ns;
    if (unit.ns == 1) return withUnit(std::round(v), 0, unit);
    const double a = std::abs(v);
    const int decimals = a >= 100 ? 0 : a >= 10 ? 1 : 2;
    return withUnit(v, decimals, unit);
}

std::vector<AxisTick> TimelineGeometry::ticks(double minSpacingPx) const
{
    std::vector<AxisTick> out;
    const double step = niceStep(std::max(minSpacingPx, 1.0) * nsPerPx);
    const double t0 = viewStart;
    const double t1 = viewEnd();
    const double magnitude = std::max(std::abs(t0), std::abs(t1));
    const auto first = static_cast<std::int64_t>(std::ceil(t0 / step - 1e-9));
    const auto last = static_cast<std::int64_t>(std::floor(t1 / step + 1e-9));
    if (last - first > 10000) return out; // cannot happen with a sane minSpacingPx; guard anyway
    out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(0, last - first + 1)));
    for (std::int64_t k = first; k <= last; ++k) {
        AxisTick tick;
        tick.t = static_cast<double>(k) * step;
        tick.x = xOf(tick.t);
        tick.major = k % 5 == 0;
        tick.label = formatTime(tick.t, step, magnitude);
        out.push_back(std::move(tick));
    }
    return out;
}

} // namespace lockstep::ui
