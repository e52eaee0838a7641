// TimelineGeometry: pure arithmetic, no display.

#include "render/TimelineGeometry.h"

#include <gtest/gtest.h>

#include <cmath>

using lockstep::ui::AxisTick;
using lockstep::ui::TimelineGeometry;

namespace {

TimelineGeometry make(double left, double width, std::int64_t end)
{
    TimelineGeometry g;
    g.plotLeft = left;
    g.plotWidth = width;
    g.setBounds(0, end);
    g.fitAll();
    return g;
}

} // namespace

TEST(RenderGeometry, MapsTimeToPixelsAndBack)
{
    const TimelineGeometry g = make(100, 1000, 1'000'000);
    EXPECT_DOUBLE_EQ(g.xOf(0), 100);
    EXPECT_DOUBLE_EQ(g.xOf(1'000'000), 1100);
    EXPECT_DOUBLE_EQ(g.timeAt(600), 500'000);
    for (double t : {0.0, 1.0, 12345.0, 999'999.0}) EXPECT_NEAR(g.timeAt(g.xOf(t)), t, 1e-6);
    EXPECT_EQ(g.visibleStart(), 0);
    EXPECT_EQ(g.visibleEnd(), 1'000'000);
}

TEST(RenderGeometry, ZoomKeepsTheTimeUnderTheMouse)
{
    TimelineGeometry g = make(0, 1000, 1'000'000);
    const double x = 250;
    const double before = g.timeAt(x);
    g.zoomAbout(x, 4);
    EXPECT_NEAR(g.timeAt(x), before, 1e-6);
    EXPECT_NEAR(g.viewSpan(), 250'000, 1e-6);
    g.zoomAbout(x, 0.5);
    EXPECT_NEAR(g.timeAt(x), before, 1e-6);
    EXPECT_NEAR(g.viewSpan(), 500'000, 1e-6);
}

TEST(RenderGeometry, ZoomIsClampedAtBothEnds)
{
    TimelineGeometry g = make(0, 1000, 1'000'000);
    g.zoomAbout(500, 1e12);
    EXPECT_DOUBLE_EQ(g.nsPerPx, TimelineGeometry::kMinNsPerPx);
    g.zoomAbout(500, 1e-12);
    EXPECT_DOUBLE_EQ(g.nsPerPx, g.maxNsPerPx());
    // Fully zoomed out, everything is visible.
    EXPECT_LE(g.viewStart, 0);
    EXPECT_GE(g.viewEnd(), 1'000'000);
    // Garbage factors are ignored.
    const double before = g.nsPerPx;
    g.zoomAbout(500, 0);
    g.zoomAbout(500, -3);
    g.zoomAbout(500, std::nan(""));
    EXPECT_DOUBLE_EQ(g.nsPerPx, before);
}

TEST(RenderGeometry, PanFollowsTheMouseAndStopsAtTheBounds)
{
    TimelineGeometry g = make(0, 1000, 1'000'000);
    g.setVisibleRange(400'000, 500'000); // 100 ns per px
    EXPECT_NEAR(g.nsPerPx, 100, 1e-9);
    g.panByPixels(100); // drag right: earlier times come into view
    EXPECT_NEAR(g.viewStart, 390'000, 1e-6);
    g.panByPixels(-200);
    EXPECT_NEAR(g.viewStart, 410'000, 1e-6);
    g.panByPixels(1e9);
    EXPECT_DOUBLE_EQ(g.viewStart, 0);
    g.panByPixels(-1e9);
    EXPECT_NEAR(g.viewEnd(), 1'000'000, 1e-6);
}

TEST(RenderGeometry, VisibleRangeAndResizeKeepTheRange)
{
    TimelineGeometry g = make(0, 1000, 10'000'000);
    g.setVisibleRange(2'000'000, 3'000'000);
    EXPECT_NEAR(g.viewStart, 2'000'000, 1e-6);
    EXPECT_NEAR(g.viewEnd(), 3'000'000, 1e-6);
    g.setPlot(50, 500);
    EXPECT_NEAR(g.viewStart, 2'000'000, 1e-6);
    EXPECT_NEAR(g.viewEnd(), 3'000'000, 1e-6);
    EXPECT_DOUBLE_EQ(g.xOf(2'000'000), 50);
    // Reversed ends are accepted.
    g.setVisibleRange(3'000'000, 2'500'000);
    EXPECT_NEAR(g.viewStart, 2'500'000, 1e-6);
}

TEST(RenderGeometry, GrowingBoundsKeepTheView)
{
    TimelineGeometry g = make(0, 1000, 1'000'000);
    g.setVisibleRange(100'000, 200'000);
    g.setBounds(0, 50'000'000); // a live run grows
    EXPECT_NEAR(g.viewStart, 100'000, 1e-6);
    EXPECT_NEAR(g.viewEnd(), 200'000, 1e-6);
}

TEST(RenderGeometry, NiceSteps)
{
    EXPECT_DOUBLE_EQ(TimelineGeometry::niceStep(1), 1);
    EXPECT_DOUBLE_EQ(TimelineGeometry::niceStep(1.1), 2);
    EXPECT_DOUBLE_EQ(TimelineGeometry::niceStep(2), 2);
    EXPECT_DOUBLE_EQ(TimelineGeometry::niceStep(3), 5);
    EXPECT_DOUBLE_EQ(TimelineGeometry::niceStep(7), 10);
    EXPECT_DOUBLE_EQ(TimelineGeometry::niceStep(200), 200);
    EXPECT_DOUBLE_EQ(TimelineGeometry::niceStep(0.03), 0.05);
    EXPECT_DOUBLE_EQ(TimelineGeometry::niceStep(4.2e6), 5e6);
}

TEST(RenderGeometry, TicksAreEvenlySpacedWithUnits)
{
    // 0..10 ms over 1000 px: ticks at least 100 px apart -> every 1 ms (= 100 px), labelled in ms.
    TimelineGeometry g = make(0, 1000, 10'000'000);
    const auto ticks = g.ticks(100);
    ASSERT_EQ(ticks.size(), 11u);
    for (std::size_t i = 0; i < ticks.size(); ++i) {
        EXPECT_DOUBLE_EQ(ticks[i].t, static_cast<double>(i) * 1e6);
        EXPECT_NEAR(ticks[i].x, static_cast<double>(i) * 100, 1e-9);
    }
    EXPECT_EQ(ticks[0].label, QStringLiteral("0 ms"));
    EXPECT_EQ(ticks[3].label, QStringLiteral("3 ms"));
    EXPECT_TRUE(ticks[5].major);
    EXPECT_FALSE(ticks[3].major);
    for (std::size_t i = 1; i < ticks.size(); ++i) EXPECT_NE(ticks[i].label, ticks[i - 1].label);
}

TEST(RenderGeometry, TickLabelsResolveTheStepAtEveryZoom)
{
    TimelineGeometry g = make(0, 1000, 60'000'000'000); // a minute
    for (int zoom = 0; zoom < 40; ++zoom) {
        const auto ticks = g.ticks(100);
        ASSERT_GE(ticks.size(), 2u) << "zoom " << zoom;
        for (std::size_t i = 1; i < ticks.size(); ++i) {
            EXPECT_NE(ticks[i].label, ticks[i - 1].label) << "zoom " << zoom;
            EXPECT_GE(ticks[i].x - ticks[i - 1].x, 100 - 1e-6);
            EXPECT_LT(ticks[i].x - ticks[i - 1].x, 500 + 1e-6);
        }
        g.zoomAbout(700, 2.1);
    }
}

TEST(RenderGeometry, FormatsWithUnits)
{
    EXPECT_EQ(TimelineGeometry::formatTime(1500, 500, 2000), QStringLiteral("1.5 \u00B5s"));
    EXPECT_EQ(TimelineGeometry::formatTime(2'000'500, 500, 3'000'000), QStringLiteral("2.0005 ms"));
    EXPECT_EQ(TimelineGeometry::formatTime(20, 10, 900), QStringLiteral("20 ns"));
    EXPECT_EQ(TimelineGeometry::formatTime(2e9, 1e9, 5e9), QStringLiteral("2 s"));
    EXPECT_EQ(TimelineGeometry::formatDuration(850), QStringLiteral("850 ns"));
    EXPECT_EQ(TimelineGeometry::formatDuration(12'340), QStringLiteral("12.3 \u00B5s"));
    EXPECT_EQ(TimelineGeometry::formatDuration(5'000'000), QStringLiteral("5.00 ms"));
    EXPECT_EQ(TimelineGeometry::formatDuration(1.5e9), QStringLiteral("1.50 s"));
    EXPECT_EQ(TimelineGeometry::formatDuration(250e6), QStringLiteral("250 ms"));
}

TEST(RenderGeometry, EmptyTraceStillHasAUsableScale)
{
    TimelineGeometry g = make(0, 800, 0);
    EXPECT_GT(g.nsPerPx, 0);
    EXPECT_GE(g.viewSpan(), 999);
    EXPECT_FALSE(g.ticks(100).empty());
}
