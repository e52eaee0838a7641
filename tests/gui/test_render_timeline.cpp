// TimelineIndex, folding and the renderer's pixels (offscreen, no display).

#include "TimelineTestTraces.h"

#include "render/Palette.h"
#include "render/TimelineIndex.h"
#include "render/TimelineLayout.h"
#include "render/TimelineRenderer.h"

#include <gtest/gtest.h>

#include <QImage>
#include <QPainter>

#include <set>

using namespace lockstep;
using namespace lockstep::ui;
using lockstep::testing::TraceWriter;

namespace {

struct Scene {
    TimelineIndex index;
    TimelineLayout layout;
    TimelineGeometry geometry;
};

Scene makeScene(const Trace& trace, QSize size, double scale = 1.0)
{
    Scene s;
    s.index.update(trace);
    TimelineLayoutOptions lo;
    lo.scale = scale;
    s.layout = TimelineLayout::compute(trace, s.index, QSizeF(size), lo);
    s.geometry.plotLeft = s.layout.plot.left();
    s.geometry.plotWidth = s.layout.plot.width();
    s.geometry.setBounds(0, trace.endTs());
    s.geometry.fitAll();
    return s;
}

QImage renderImage(const Trace& trace, Scene& s, QSize size, const TimelineRenderOptions& o = {})
{
    QImage img(size, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::magenta); // anything the renderer fails to paint shows up
    QPainter p(&img);
    TimelineRenderer::render(p, trace, s.index, s.layout, s.geometry, o);
    p.end();
    return img;
}

// One lane of n spans of `width` ns each, alternating Running / Ready.
std::shared_ptr<const Trace> oneLane(std::size_t n, std::int64_t width)
{
    TraceWriter w;
    const ActorId t = w.b.addActor(ActorKind::Thread, "busy");
    for (std::size_t i = 0; i < n; ++i)
        w.state(static_cast<std::int64_t>(i) * width, t, i % 2 ? State::Ready : State::Running);
    w.b.setEndTs(static_cast<std::int64_t>(n) * width);
    return w.b.snapshot();
}

} // namespace

TEST(RenderIndex, LanesExecutorsThenGilThenLocks)
{
    const auto trace = lockstep::testing::classroomTrace();
    TimelineIndex index(*trace);
    const auto& lanes = index.lanes();
    std::vector<std::string> names;
    for (const Lane& l : lanes) names.emplace_back(trace->actorName(l.actor));
    EXPECT_EQ(names, (std::vector<std::string>{"MainThread", "T1", "T2", "T3", "GIL", "lock_a", "lock_b"}));
    EXPECT_EQ(lanes[0].depth, 0);
    EXPECT_EQ(lanes[1].depth, 1); // T1 is a child of MainThread
    EXPECT_EQ(lanes[4].kind, LaneKind::Gil);
    EXPECT_EQ(lanes[5].kind, LaneKind::Lock);
    EXPECT_TRUE(index.hasGil());
    EXPECT_EQ(index.laneOf(*trace->findActor("cond")), -1); // conditions get no lane
}

TEST(RenderIndex, HoldersOfTheGilAndOfLocks)
{
    const auto trace = lockstep::testing::classroomTrace();
    TimelineIndex index(*trace);
    const ActorId gil = *trace->findActor("GIL");
    const ActorId la = *trace->findActor("lock_a");
    const ActorId t1 = *trace->findActor("T1");
    const ActorId t2 = *trace->findActor("T2");
    constexpr std::int64_t ms = 1'000'000;
    EXPECT_EQ(index.holderAt(gil, 2 * ms), t1); // round robin starts with T1 at 1 ms
    EXPECT_EQ(index.holderAt(gil, 7 * ms), t2);
    EXPECT_FALSE(index.holderAt(gil, 99 * ms).valid()); // dropped at the end
    EXPECT_EQ(index.holderAt(la, 90 * ms), t2);
    EXPECT_FALSE(index.holderAt(la, 10 * ms).valid());
    EXPECT_EQ(index.globalMarkers().size(), 1u); // the deadlock
    EXPECT_EQ(index.alarms(*trace->findActor("T3")).size(), 1u);
}

TEST(RenderIndex, UpdatesIncrementallyAndRestartsOnANewRun)
{
    TraceWriter w;
    const ActorId t = w.b.addActor(ActorKind::Thread, "T");
    const ActorId lock = w.b.addActor(ActorKind::Lock, "L");
    w.event(10, EventKind::Acquired, t, lock);
    TimelineIndex index;
    EXPECT_FALSE(index.update(*w.b.snapshot()));
    EXPECT_EQ(index.holds(lock).size(), 1u);
    w.event(20, EventKind::Released, t, lock);
    w.event(30, EventKind::Notify, t, {}, 1);
    EXPECT_FALSE(index.update(*w.b.snapshot())); // same run, grown
    EXPECT_EQ(index.processedEvents(), 3u);
    EXPECT_EQ(index.holds(lock).size(), 2u);
    EXPECT_EQ(index.markers(t).size(), 1u);

    TraceWriter other;
    other.b.addActor(ActorKind::Thread, "U");
    other.event(5, EventKind::Notify, ActorId(0), {}, 1);
    EXPECT_TRUE(index.update(*other.b.snapshot()));
    EXPECT_EQ(index.processedEvents(), 1u);
    EXPECT_TRUE(index.holds(lock).empty());
}

TEST(RenderIndex, RLockRecursionAndForeignRelease)
{
    TraceWriter w;
    const ActorId a = w.b.addActor(ActorKind::Thread, "A");
    const ActorId b = w.b.addActor(ActorKind::Thread, "B");
    const ActorId r = w.b.addActor(ActorKind::RLock, "R");
    const ActorId l = w.b.addActor(ActorKind::Lock, "L");
    w.event(1, EventKind::Acquired, a, r);
    w.event(2, EventKind::Acquired, a, r);
    w.event(3, EventKind::Released, a, r);
    w.event(4, EventKind::Acquired, a, l);
    w.event(5, EventKind::Released, b, l); // CPython allows it for Lock
    w.event(6, EventKind::Released, a, r);
    TimelineIndex index(*w.b.snapshot());
    EXPECT_EQ(index.holderAt(r, 3), a); // still held once
    EXPECT_FALSE(index.holderAt(r, 6).valid());
    EXPECT_EQ(index.holderAt(l, 4), a);
    EXPECT_FALSE(index.holderAt(l, 5).valid());
}

TEST(RenderFolding, WideSpansAreDrawnOneByOne)
{
    const auto trace = oneLane(10, 1000);
    Scene s = makeScene(*trace, {1200, 400});
    TimelineDrawList list;
    TimelineRenderer::build(*trace, s.index, s.layout, s.geometry, {}, list);
    ASSERT_EQ(list.spans.size(), 10u);
    for (std::size_t i = 0; i < list.spans.size(); ++i) {
        EXPECT_FALSE(list.spans[i].folded);
        EXPECT_EQ(list.spans[i].item, i);
        EXPECT_NEAR(list.spans[i].x0, s.geometry.xOf(static_cast<double>(i) * 1000), 0.01);
    }
    EXPECT_EQ(list.spans[0].key, static_cast<std::uint32_t>(StateCategory::Running));
    EXPECT_EQ(list.spans[1].key, static_cast<std::uint32_t>(StateCategory::Ready));
}

TEST(RenderFolding, AMillionTinySpansFoldToAtMostWidthItems)
{
    const std::size_t n = 1'000'000;
    const auto trace = oneLane(n, 10);
    Scene s = makeScene(*trace, {1920, 400});
    TimelineDrawList list;
    TimelineRenderOptions o;
    TimelineRenderer::build(*trace, s.index, s.layout, s.geometry, o, list);
    const double width = s.geometry.plotWidth;
    EXPECT_LE(static_cast<double>(list.spans.size()), width / o.foldPx + 2);
    EXPECT_GE(list.spans.size(), 1u);
    // Every span is accounted for exactly once.
    std::uint64_t total = 0;
    for (const DrawSpan& d : list.spans) total += d.count;
    EXPECT_EQ(total, n);
    // A mix of running and ready is shown as such.
    EXPECT_TRUE(list.spans.front().folded);
    const std::set<std::uint32_t> keys = {list.spans.front().key, list.spans.front().key2};
    EXPECT_EQ(keys, (std::set<std::uint32_t>{static_cast<std::uint32_t>(StateCategory::Running),
                                             static_cast<std::uint32_t>(StateCategory::Ready)}));

    // Zoomed in so that each span is 20 px: no folding, and only the visible ones.
    s.geometry.setVisibleRange(5'000'000, 5'000'000 + s.geometry.plotWidth / 2);
    TimelineRenderer::build(*trace, s.index, s.layout, s.geometry, o, list);
    EXPECT_LE(list.spans.size(), static_cast<std::size_t>(width / 20 + 2));
    for (const DrawSpan& d : list.spans) EXPECT_FALSE(d.folded);
}

TEST(RenderFolding, AWideSpanAfterTinyOnesIsNotSwallowed)
{
    TraceWriter w;
    const ActorId t = w.b.addActor(ActorKind::Thread, "T");
    for (int i = 0; i < 1000; ++i) w.state(i, t, i % 2 ? State::Ready : State::Running); // 1 ns each
    w.state(1000, t, State::Blocked);                                                    // then 1 ms blocked
    w.state(1'001'000, t, State::Running);
    w.b.setEndTs(1'002'000);
    const auto trace = w.b.snapshot();
    Scene s = makeScene(*trace, {1100, 300});
    TimelineDrawList list;
    TimelineRenderer::build(*trace, s.index, s.layout, s.geometry, {}, list);
    ASSERT_GE(list.spans.size(), 2u);
    const DrawSpan& blocked = *std::find_if(list.spans.begin(), list.spans.end(), [](const DrawSpan& d) {
        return !d.folded && d.key == static_cast<std::uint32_t>(StateCategory::Blocked);
    });
    EXPECT_NEAR(blocked.x0, s.geometry.xOf(1000), 0.01);
    EXPECT_NEAR(blocked.x1, s.geometry.xOf(1'001'000), 0.01);
    EXPECT_TRUE(list.spans.front().folded);
    EXPECT_EQ(list.spans.front().count, 1000u);
}

TEST(RenderFolding, MarkersFoldToo)
{
    TraceWriter w;
    const ActorId t = w.b.addActor(ActorKind::Thread, "T");
    w.state(0, t, State::Running);
    for (int i = 0; i < 100'000; ++i) w.event(i * 10, EventKind::Notify, t, {}, 1);
    w.b.setEndTs(1'000'000);
    const auto trace = w.b.snapshot();
    Scene s = makeScene(*trace, {1200, 300});
    TimelineDrawList list;
    TimelineRenderer::build(*trace, s.index, s.layout, s.geometry, {}, list);
    EXPECT_LE(list.markers.size(),
              static_cast<std::size_t>(s.geometry.plotWidth / TimelineRenderer::markerSize(1) + 2));
    std::uint64_t total = 0;
    for (const DrawMarker& m : list.markers) total += m.count;
    EXPECT_EQ(total, 100'000u);
}

TEST(RenderPaint, NotBlankAndSpanPixelsHaveThePaletteColour)
{
    const auto trace = lockstep::testing::classroomTrace();
    const QSize size(1600, 700);
    Scene s = makeScene(*trace, size);
    const QImage img = renderImage(*trace, s, size);

    // Nothing left unpainted.
    for (int y = 0; y < img.height(); y += 7)
        for (int x = 0; x < img.width(); x += 7) ASSERT_NE(img.pixel(x, y), QColor(Qt::magenta).rgb()) << x << "," << y;

    // Middle of T1's first running span (1 ms .. 6 ms), half-way down its lane.
    const ActorId t1 = *trace->findActor("T1");
    const int lane = s.index.laneOf(t1);
    const auto& box = s.layout.lanes[static_cast<std::size_t>(lane)];
    const int y = static_cast<int>(box.top + box.height * 0.75); // below any text in the span
    const int xRun = static_cast<int>(s.geometry.xOf(3.5e6));
    EXPECT_EQ(QColor(img.pixel(xRun, y)), Palette::stateColor(State::Running));
    // T1 blocked on lock_a from 60 ms on (to the end).
    const int xBlocked = static_cast<int>(s.geometry.xOf(80e6));
    EXPECT_EQ(QColor(img.pixel(xBlocked, y)), Palette::stateColor(State::Blocked));
    // And ready in between (6 .. 16 ms).
    EXPECT_EQ(QColor(img.pixel(static_cast<int>(s.geometry.xOf(9e6)), y)), Palette::stateColor(State::Ready));

    // The GIL lane shows the holder's series colour.
    const int gilLane = s.index.laneOf(*trace->findActor("GIL"));
    const auto& gb = s.layout.lanes[static_cast<std::size_t>(gilLane)];
    const QColor gilPixel(
        img.pixel(static_cast<int>(s.geometry.xOf(3.5e6)), static_cast<int>(gb.top + gb.height * 0.8)));
    EXPECT_EQ(gilPixel, Palette::seriesColor(s.index.lanes()[static_cast<std::size_t>(lane)].series));
}

TEST(RenderPaint, EveryLaneLabelIsDrawn)
{
    const auto trace = lockstep::testing::classroomTrace();
    const QSize size(1400, 600);
    Scene s = makeScene(*trace, size);
    const QImage img = renderImage(*trace, s, size);
    const QColor ink = Palette::foreground();
    for (std::size_t i = 0; i < s.layout.lanes.size(); ++i) {
        const auto& box = s.layout.lanes[i];
        int dark = 0;
        for (int y = static_cast<int>(box.top); y < static_cast<int>(box.bottom()); ++y)
            for (int x = 0; x < static_cast<int>(s.layout.labels.right()); ++x) {
                const QColor c(img.pixel(x, y));
                if (std::abs(c.red() - ink.red()) + std::abs(c.green() - ink.green()) +
                        std::abs(c.blue() - ink.blue()) <
                    90)
                    ++dark;
            }
        EXPECT_GT(dark, 20) << "no label text in lane " << i;
    }
}

TEST(RenderPaint, CursorAndSelectionAreDrawn)
{
    const auto trace = lockstep::testing::classroomTrace();
    const QSize size(1400, 600);
    Scene s = makeScene(*trace, size);
    TimelineRenderOptions o;
    o.cursor = 30'000'000;
    o.selectionStart = 10'000'000;
    o.selectionEnd = 20'000'000;
    const QImage with = renderImage(*trace, s, size, o);
    const QImage without = renderImage(*trace, s, size);
    const int x = static_cast<int>(std::lround(s.geometry.xOf(30e6)));
    const int y = static_cast<int>(s.layout.contentBottom()) - 3;
    EXPECT_EQ(QColor(with.pixel(x, y)), Palette::accent());
    EXPECT_NE(QColor(without.pixel(x, y)), Palette::accent());
    // Inside the selection the picture is tinted.
    const int xs = static_cast<int>(s.geometry.xOf(15e6));
    EXPECT_NE(with.pixel(xs, y), without.pixel(xs, y));
}

TEST(RenderPaint, HitTestAndTooltip)
{
    const auto trace = lockstep::testing::classroomTrace();
    Scene s = makeScene(*trace, {1400, 600});
    const ActorId t1 = *trace->findActor("T1");
    const auto& box = s.layout.lanes[static_cast<std::size_t>(s.index.laneOf(t1))];
    const TimelineHit hit = TimelineRenderer::hitTest(*trace, s.index, s.layout, s.geometry,
                                                      QPointF(s.geometry.xOf(80e6), box.top + box.height * 0.7));
    EXPECT_EQ(hit.lane, s.index.laneOf(t1));
    ASSERT_TRUE(hit.onSpan);
    EXPECT_EQ(hit.state, State::Blocked);
    EXPECT_EQ(hit.target, *trace->findActor("lock_a"));
    EXPECT_EQ(hit.spanEnd, trace->endTs());
    const QString tip = TimelineRenderer::describe(*trace, s.index, hit);
    EXPECT_TRUE(tip.contains(QStringLiteral("T1")));
    EXPECT_TRUE(tip.contains(QStringLiteral("lock_a")));
    EXPECT_TRUE(tip.contains(QStringLiteral("held by T2"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(Palette::stateLabel(State::Blocked)));
}

TEST(RenderPalette, DarkVariantKeepsTheStatesAndStaysReadable)
{
    std::vector<QRgb> light;
    for (StateCategory c : kAllStateCategories) light.push_back(Palette::style(c).fill.rgb());
    const QColor lightBackground = Palette::background();
    struct DarkFor {
        DarkFor() { Palette::setDark(true); }
        ~DarkFor() { Palette::setDark(false); }
        DarkFor(const DarkFor&) = delete;
        DarkFor& operator=(const DarkFor&) = delete;
    } dark;
    ASSERT_TRUE(Palette::dark());
    EXPECT_LT(Palette::background().lightness(), 60);
    EXPECT_NE(Palette::background(), lightBackground);
    std::set<QRgb> fills;
    for (std::size_t i = 0; i < kAllStateCategories.size(); ++i) {
        const StateCategory c = kAllStateCategories[i];
        const StateStyle& st = Palette::style(c);
        fills.insert(st.fill.rgb());
        EXPECT_GE(Palette::contrastRatio(st.fill, st.ink), 4.5) << st.label.toStdString();
        // One visual language: a state keeps its colour in both themes (idle, "nothing", dims).
        if (c != StateCategory::Idle) {
            EXPECT_EQ(st.fill.rgb(), light[i]) << st.label.toStdString();
        }
        EXPECT_GE(Palette::contrastRatio(st.fill, Palette::background()), 1.4) << st.label.toStdString();
    }
    EXPECT_EQ(fills.size(), kAllStateCategories.size());
    for (const QColor& bg : {Palette::background(), Palette::panel()}) {
        EXPECT_GE(Palette::contrastRatio(Palette::foreground(), bg), 12);
        EXPECT_GE(Palette::contrastRatio(Palette::mutedText(), bg), 4.5);
        EXPECT_GE(Palette::contrastRatio(Palette::alarm(), bg), 4.5);
        EXPECT_GE(Palette::contrastRatio(Palette::accent(), bg), 4.5);
    }
    for (int i = 0; i < 10; ++i) EXPECT_GE(Palette::contrastRatio(Palette::seriesColor(i), Palette::background()), 2.0) << i;
}

TEST(RenderPalette, EightDistinctCategoriesWithReadableInk)
{
    std::set<QRgb> fills;
    std::set<QString> glyphs;
    for (StateCategory c : kAllStateCategories) {
        const StateStyle& st = Palette::style(c);
        fills.insert(st.fill.rgb());
        glyphs.insert(st.glyph);
        EXPECT_FALSE(st.label.isEmpty());
        EXPECT_GE(Palette::contrastRatio(st.fill, st.ink), 4.5) << st.label.toStdString();
    }
    EXPECT_EQ(fills.size(), kAllStateCategories.size());
    EXPECT_EQ(glyphs.size(), kAllStateCategories.size());
    EXPECT_GE(Palette::contrastRatio(Palette::foreground(), Palette::background()), 12);
    EXPECT_GE(Palette::contrastRatio(Palette::mutedText(), Palette::background()), 4.5);
    EXPECT_EQ(Palette::stateColor(State::BlockedIo), Palette::stateColor(State::Blocked));
    EXPECT_EQ(Palette::stateLabel(State::BlockedIo), QStringLiteral("blocked on I/O"));
    EXPECT_EQ(Palette::uiFont(2).pixelSize(), 2 * Palette::uiFont().pixelSize());
}
