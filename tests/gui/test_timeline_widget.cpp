// TimelineWidget interaction on the offscreen platform: zoom, pan, cursor, selection, follow-live.

#include "TimelineTestTraces.h"

#include "timeline/TimelineWidget.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QMouseEvent>
#include <QNativeGestureEvent>
#include <QPointingDevice>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>
#include <QWheelEvent>

using namespace lockstep;
using namespace lockstep::ui;
using lockstep::testing::TraceWriter;

namespace {

class TimelineWidgetTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        trace = lockstep::testing::classroomTrace();
        widget.resize(1200, 560);
        widget.setTrace(trace);
        widget.show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(&widget));
        QApplication::processEvents();
    }

    QPointF plotPoint(double fx, double fy = 0.5) const
    {
        const QRectF plot = widget.timelineLayout().plot;
        return {plot.left() + plot.width() * fx, plot.top() + plot.height() * fy};
    }

    void mouse(QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons,
               Qt::KeyboardModifiers mods = Qt::NoModifier)
    {
        QMouseEvent e(type, pos, widget.mapToGlobal(pos), button, buttons, mods);
        QApplication::sendEvent(&widget, &e);
    }

    void drag(QPointF from, QPointF to, Qt::KeyboardModifiers mods = Qt::NoModifier)
    {
        mouse(QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton, mods);
        const int steps = 5;
        for (int i = 1; i <= steps; ++i)
            mouse(QEvent::MouseMove, from + (to - from) * i / steps, Qt::NoButton, Qt::LeftButton, mods);
        mouse(QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton, mods);
    }

    void wheel(QPointF pos, int deltaY, int deltaX = 0)
    {
        QWheelEvent e(pos, widget.mapToGlobal(pos), QPoint(), QPoint(deltaX, deltaY), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
        QApplication::sendEvent(&widget, &e);
    }

    std::shared_ptr<const Trace> trace;
    TimelineWidget widget;
};

} // namespace

TEST_F(TimelineWidgetTest, StartsFittedToTheRun)
{
    const auto [t0, t1] = widget.visibleRange();
    EXPECT_NEAR(t0, 0, 1);
    EXPECT_NEAR(t1, static_cast<double>(trace->endTs()), 1);
    EXPECT_EQ(widget.timelineIndex().lanes().size(), 7u);
}

TEST_F(TimelineWidgetTest, WheelZoomsAboutTheMouse)
{
    const QPointF at = plotPoint(0.25);
    const double before = widget.geometry().timeAt(at.x());
    const double spanBefore = widget.geometry().viewSpan();
    QSignalSpy range(&widget, &TimelineWidget::visibleRangeChanged);
    wheel(at, 120); // one notch in
    EXPECT_LT(widget.geometry().viewSpan(), spanBefore);
    EXPECT_NEAR(widget.geometry().timeAt(at.x()), before, 1e-3 * spanBefore);
    EXPECT_EQ(range.count(), 1);
    const double spanIn = widget.geometry().viewSpan();
    wheel(at, -240); // two notches out
    EXPECT_GT(widget.geometry().viewSpan(), spanIn);
    // Horizontal wheel pans instead.
    widget.setVisibleRange(40e6, 50e6);
    const double start = widget.geometry().viewStart;
    wheel(plotPoint(0.5), 0, -120);
    EXPECT_GT(widget.geometry().viewStart, start);
    EXPECT_NEAR(widget.geometry().viewSpan(), 10e6, 1);
}

TEST_F(TimelineWidgetTest, DragPansWithTheMouse)
{
    widget.setVisibleRange(40e6, 50e6);
    const double nsPerPx = widget.geometry().nsPerPx;
    QSignalSpy cursor(&widget, &TimelineWidget::cursorMoved);
    drag(plotPoint(0.6), plotPoint(0.4)); // drag left: later times come into view
    const double moved = 0.2 * widget.timelineLayout().plot.width() * nsPerPx;
    EXPECT_NEAR(widget.geometry().viewStart, 40e6 + moved, nsPerPx);
    EXPECT_NEAR(widget.geometry().viewSpan(), 10e6, 1);
    EXPECT_EQ(cursor.count(), 0); // a drag is not a click
}

TEST_F(TimelineWidgetTest, ClickMovesTheCursorAndSignalsIt)
{
    QSignalSpy cursor(&widget, &TimelineWidget::cursorMoved);
    const QPointF at = plotPoint(0.3);
    mouse(QEvent::MouseButtonPress, at, Qt::LeftButton, Qt::LeftButton);
    mouse(QEvent::MouseButtonRelease, at, Qt::LeftButton, Qt::NoButton);
    ASSERT_EQ(cursor.count(), 1);
    const qint64 t = cursor.at(0).at(0).toLongLong();
    EXPECT_NEAR(static_cast<double>(t), widget.geometry().timeAt(at.x()), 1);
    EXPECT_EQ(widget.cursorTime(), t);
    // Setting the cursor programmatically does not echo a signal.
    widget.setCursorTime(5'000'000);
    EXPECT_EQ(cursor.count(), 1);
}

TEST_F(TimelineWidgetTest, DraggingOnTheAxisScrubsTheCursor)
{
    QSignalSpy cursor(&widget, &TimelineWidget::cursorMoved);
    const QRectF axis = widget.timelineLayout().axis;
    const QPointF from(axis.left() + axis.width() * 0.1, axis.center().y());
    const QPointF to(axis.left() + axis.width() * 0.5, axis.center().y());
    const double span = widget.geometry().viewSpan();
    drag(from, to);
    EXPECT_GE(cursor.count(), 3);
    EXPECT_NEAR(static_cast<double>(cursor.last().at(0).toLongLong()), widget.geometry().timeAt(to.x()), 1);
    EXPECT_NEAR(widget.geometry().viewSpan(), span, 1e-6); // scrubbing does not pan
}

TEST_F(TimelineWidgetTest, ShiftDragSelectsARange)
{
    QSignalSpy sel(&widget, &TimelineWidget::selectionChanged);
    const QPointF a = plotPoint(0.2);
    const QPointF b = plotPoint(0.5);
    drag(b, a, Qt::ShiftModifier); // backwards works too
    ASSERT_GE(sel.count(), 1);
    const auto [t0, t1] = widget.selection();
    EXPECT_NEAR(static_cast<double>(t0), widget.geometry().timeAt(a.x()), 1);
    EXPECT_NEAR(static_cast<double>(t1), widget.geometry().timeAt(b.x()), 1);
    EXPECT_EQ(sel.last().at(0).toLongLong(), t0);
    EXPECT_EQ(sel.last().at(1).toLongLong(), t1);
    // A shift-click clears it.
    mouse(QEvent::MouseButtonPress, a, Qt::LeftButton, Qt::LeftButton, Qt::ShiftModifier);
    mouse(QEvent::MouseButtonRelease, a, Qt::LeftButton, Qt::NoButton, Qt::ShiftModifier);
    EXPECT_EQ(widget.selection().first, -1);
    EXPECT_EQ(sel.last().at(0).toLongLong(), -1);
}

TEST_F(TimelineWidgetTest, PinchZooms)
{
    const QPointF at = plotPoint(0.7);
    const double before = widget.geometry().timeAt(at.x());
    const double span = widget.geometry().viewSpan();
    QNativeGestureEvent e(Qt::ZoomNativeGesture, QPointingDevice::primaryPointingDevice(), 2, at, at,
                          widget.mapToGlobal(at), 1.0, QPointF());
    QApplication::sendEvent(&widget, &e);
    EXPECT_NEAR(widget.geometry().viewSpan(), span / 2, 1);
    EXPECT_NEAR(widget.geometry().timeAt(at.x()), before, 1e-3 * span);
}

TEST_F(TimelineWidgetTest, TooltipDescribesTheSpanUnderTheMouse)
{
    const ActorId t1 = *trace->findActor("T1");
    const auto& box = widget.timelineLayout().lanes[static_cast<std::size_t>(widget.timelineIndex().laneOf(t1))];
    const QPoint pos(static_cast<int>(widget.geometry().xOf(80e6)), static_cast<int>(box.top + box.height * 0.7));
    const TimelineHit hit = widget.hitAt(pos);
    EXPECT_EQ(hit.state, State::Blocked);
    QHelpEvent help(QEvent::ToolTip, pos, widget.mapToGlobal(pos));
    QApplication::sendEvent(&widget, &help);
    EXPECT_TRUE(QToolTip::isVisible());
    EXPECT_TRUE(QToolTip::text().contains(QStringLiteral("lock_a"))) << QToolTip::text().toStdString();
    QToolTip::hideText();
}

TEST_F(TimelineWidgetTest, RepaintsOnlyOnChange)
{
    QApplication::processEvents();
    const auto painted = widget.paintCount();
    widget.setTrace(trace);      // same snapshot
    widget.setCursorTime(-1);    // unchanged
    widget.setSelection(-1, -1); // unchanged
    QApplication::processEvents();
    EXPECT_EQ(widget.paintCount(), painted);
    widget.setCursorTime(1'000'000);
    QApplication::processEvents();
    EXPECT_GT(widget.paintCount(), painted);
}

TEST_F(TimelineWidgetTest, FollowLiveKeepsTheEndInViewUntilTheUserLooksAway)
{
    TraceWriter w;
    const ActorId t = w.b.addActor(ActorKind::Thread, "live");
    w.state(0, t, State::Running);
    w.b.setEndTs(1'000'000);
    widget.setTrace(w.b.snapshot());
    widget.setFollowLive(true);
    widget.setVisibleRange(500'000, 1'000'000); // zoomed to the last 0.5 ms
    QSignalSpy follow(&widget, &TimelineWidget::followLiveChanged);
    for (int frame = 1; frame <= 10; ++frame) {
        w.state(frame * 1'000'000, t, frame % 2 ? State::Ready : State::Running);
        w.b.setEndTs(frame * 1'000'000 + 1'000'000);
        widget.setTrace(w.b.snapshot());
        EXPECT_NEAR(widget.visibleRange().second, static_cast<double>(w.b.snapshot()->endTs()), 1);
        EXPECT_NEAR(widget.geometry().viewSpan(), 500'000, 1); // the zoom is kept
    }
    EXPECT_EQ(follow.count(), 0);
    drag(plotPoint(0.3), plotPoint(0.8)); // look back
    EXPECT_FALSE(widget.followLive());
    EXPECT_EQ(follow.count(), 1);
    const double start = widget.geometry().viewStart;
    w.b.setEndTs(20'000'000);
    widget.setTrace(w.b.snapshot());
    EXPECT_DOUBLE_EQ(widget.geometry().viewStart, start); // no longer follows
}

TEST_F(TimelineWidgetTest, ANewRunIsFittedAndPresenterScaleGrowsTheLanes)
{
    widget.setVisibleRange(1e6, 2e6);
    widget.setTrace(lockstep::testing::thrashTrace(10'000));
    const auto [t0, t1] = widget.visibleRange();
    EXPECT_NEAR(t0, 0, 1);
    EXPECT_NEAR(t1, static_cast<double>(widget.trace()->endTs()), 1);

    const double fontBefore = widget.timelineLayout().labels.width();
    widget.setScale(2.0);
    EXPECT_GT(widget.timelineLayout().labels.width(), fontBefore);
    EXPECT_GT(widget.sizeHint().height(), 0);
}
