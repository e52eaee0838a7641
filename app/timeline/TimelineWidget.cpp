#include "timeline/TimelineWidget.h"

#include "render/Palette.h"
#include "render/TraceIdentity.h"

#include <QGestureEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QNativeGestureEvent>
#include <QPainter>
#include <QPinchGesture>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace lockstep::ui {

namespace {
constexpr double kClickSlop = 4;       // px a press may move and still be a click
constexpr double kWheelNotch = 120;    // angleDelta of one wheel notch
constexpr double kZoomPerNotch = 1.25; // one notch zooms in by 25 %
} // namespace

TimelineWidget::TimelineWidget(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::WheelFocus);
    setAttribute(Qt::WA_OpaquePaintEvent); // the renderer fills every pixel
    setAttribute(Qt::WA_AcceptTouchEvents);
    grabGesture(Qt::PinchGesture);
    setAutoFillBackground(false);
    m_geometry.setBounds(0, 1000);
    m_geometry.fitAll();
}

TimelineWidget::~TimelineWidget() = default;

void TimelineWidget::setTrace(std::shared_ptr<const Trace> trace)
{
    if (trace == m_trace) return;
    const std::size_t oldEvents = m_trace ? m_trace->eventCount() : 0;
    const std::int64_t oldEnd = m_trace ? m_trace->endTs() : 0;
    const std::size_t oldActors = m_trace ? m_trace->actors().size() : 0;
    const double oldSpan = m_geometry.viewSpan();
    const bool wasShowingAll = m_geometry.viewStart <= m_geometry.boundStart + 1e-9 &&
                               m_geometry.viewEnd() >= static_cast<double>(oldEnd) - 1e-9;

    // Decide before the old snapshot goes (see isContinuationOf).
    const bool newRun = !trace || !m_trace || !isContinuationOf(*trace, *m_trace);
    if (newRun) m_index.clear();
    if (trace) m_index.update(*trace);
    m_trace = std::move(trace);
    if (!m_trace) {
        m_fitted = false;
        invalidateLayout();
        update();
        return;
    }
    if (newRun || m_trace->actors().size() != oldActors) invalidateLayout();

    updateBounds();
    if (newRun || !m_fitted) {
        m_geometry.fitAll();
        m_fitted = true;
    } else if (m_followLive) {
        const double end = static_cast<double>(m_trace->endTs());
        if (wasShowingAll) {
            m_geometry.fitAll();
        } else {
            // Keep the zoom, slide so the end is at the right edge.
            m_geometry.nsPerPx = oldSpan / std::max(1.0, m_geometry.plotWidth);
            m_geometry.viewStart = end - m_geometry.viewSpan();
            m_geometry.clamp();
        }
    }
    if (newRun || m_trace->eventCount() != oldEvents || m_trace->endTs() != oldEnd) {
        m_options.live = !m_trace->finished();
        update();
    }
}

void TimelineWidget::updateBounds()
{
    const std::int64_t end = m_trace ? std::max<std::int64_t>(m_trace->endTs(), 1) : 1000;
    m_geometry.setBounds(0, end);
}

void TimelineWidget::setCursorTime(std::int64_t ts)
{
    if (ts == m_options.cursor) return;
    m_options.cursor = ts;
    update();
}

void TimelineWidget::ensureCursorVisible()
{
    if (m_options.cursor < 0) return;
    ensureLayout();
    const double t = static_cast<double>(m_options.cursor);
    if (t >= m_geometry.viewStart && t <= m_geometry.viewEnd()) return;
    m_geometry.viewStart = t - m_geometry.viewSpan() / 2;
    m_geometry.clamp();
    Q_EMIT visibleRangeChanged(m_geometry.viewStart, m_geometry.viewEnd());
    update();
}

void TimelineWidget::setSelection(std::int64_t t0, std::int64_t t1)
{
    if (t0 > t1) std::swap(t0, t1);
    if (m_options.selectionStart == t0 && m_options.selectionEnd == t1) return;
    m_options.selectionStart = t0;
    m_options.selectionEnd = t1;
    update();
}

void TimelineWidget::clearSelection() { setSelection(-1, -1); }

std::pair<std::int64_t, std::int64_t> TimelineWidget::selection() const
{
    return {m_options.selectionStart, m_options.selectionEnd};
}

void TimelineWidget::setFollowLive(bool on)
{
    if (on == m_followLive) return;
    m_followLive = on;
    if (on && m_trace) {
        ensureLayout();
        const double end = static_cast<double>(m_trace->endTs());
        if (m_geometry.viewEnd() < end) {
            m_geometry.viewStart = end - m_geometry.viewSpan();
            m_geometry.clamp();
            Q_EMIT visibleRangeChanged(m_geometry.viewStart, m_geometry.viewEnd());
        }
        update();
    }
    Q_EMIT followLiveChanged(on);
}

void TimelineWidget::setScale(double scale)
{
    scale = std::clamp(std::isfinite(scale) ? scale : 1.0, 0.5, 4.0);
    if (scale == m_scale) return;
    m_scale = scale;
    invalidateLayout();
    updateGeometry();
    update();
}

void TimelineWidget::setLegendVisible(bool visible)
{
    if (visible == m_legend) return;
    m_legend = visible;
    invalidateLayout();
    update();
}

void TimelineWidget::setVisibleRange(double t0, double t1)
{
    ensureLayout();
    m_geometry.setVisibleRange(t0, t1);
    m_fitted = true;
    Q_EMIT visibleRangeChanged(m_geometry.viewStart, m_geometry.viewEnd());
    update();
}

std::pair<double, double> TimelineWidget::visibleRange() const
{
    ensureLayout();
    return {m_geometry.viewStart, m_geometry.viewEnd()};
}

void TimelineWidget::fitAll()
{
    ensureLayout();
    m_geometry.fitAll();
    Q_EMIT visibleRangeChanged(m_geometry.viewStart, m_geometry.viewEnd());
    update();
}

void TimelineWidget::zoomBy(double factor)
{
    ensureLayout();
    zoomAt(m_geometry.plotLeft + m_geometry.plotWidth / 2, factor);
}

const TimelineLayout& TimelineWidget::timelineLayout() const
{
    ensureLayout();
    return m_layout;
}

TimelineHit TimelineWidget::hitAt(QPointF pos) const
{
    ensureLayout();
    if (!m_trace) return {};
    return TimelineRenderer::hitTest(*m_trace, m_index, m_layout, m_geometry, pos);
}

void TimelineWidget::invalidateLayout() { m_layoutDirty = true; }

void TimelineWidget::ensureLayout() const
{
    if (!m_layoutDirty) return;
    static const Trace kEmpty;
    TimelineLayoutOptions o;
    o.scale = m_scale;
    o.legend = m_legend;
    m_layout = TimelineLayout::compute(m_trace ? *m_trace : kEmpty, m_index, QSizeF(size()), o);
    m_geometry.setPlot(m_layout.plot.left(), m_layout.plot.width());
    m_layoutDirty = false;
}

QSize TimelineWidget::sizeHint() const
{
    TimelineLayoutOptions o;
    o.scale = m_scale;
    o.legend = m_legend;
    const int h = static_cast<int>(std::ceil(TimelineLayout::preferredHeight(m_index, o)));
    return {static_cast<int>(900 * m_scale), std::max(h, static_cast<int>(240 * m_scale))};
}

QSize TimelineWidget::minimumSizeHint() const
{
    return {static_cast<int>(320 * m_scale), static_cast<int>(160 * m_scale)};
}

void TimelineWidget::resizeEvent(QResizeEvent* e)
{
    QWidget::resizeEvent(e);
    // Keep the visible time range across a resize; the scale follows the new width.
    invalidateLayout();
    ensureLayout();
}

void TimelineWidget::paintEvent(QPaintEvent*)
{
    ensureLayout();
    ++m_paints;
    QPainter p(this);
    if (!m_trace) {
        p.fillRect(rect(), Palette::background());
        p.setPen(Palette::mutedText());
        p.setFont(Palette::uiFont(m_scale));
        p.drawText(rect(), Qt::AlignCenter, tr("Run a lesson to see its timeline"));
        return;
    }
    TimelineRenderer::build(*m_trace, m_index, m_layout, m_geometry, m_options, m_list);
    TimelineRenderer::paint(p, *m_trace, m_index, m_layout, m_geometry, m_list, m_options);
}

void TimelineWidget::zoomAt(double x, double factor)
{
    ensureLayout();
    const double before = m_geometry.nsPerPx;
    const double start = m_geometry.viewStart;
    m_geometry.zoomAbout(x, factor);
    if (m_geometry.nsPerPx == before && m_geometry.viewStart == start) return;
    viewChangedByUser();
}

void TimelineWidget::viewChangedByUser()
{
    m_fitted = true;
    // Looking away from the end of a live run stops following it.
    if (m_followLive && m_trace && m_geometry.viewEnd() < static_cast<double>(m_trace->endTs()) - m_geometry.nsPerPx) {
        m_followLive = false;
        Q_EMIT followLiveChanged(false);
    }
    Q_EMIT visibleRangeChanged(m_geometry.viewStart, m_geometry.viewEnd());
    update();
}

std::int64_t TimelineWidget::clampToTrace(double t) const
{
    const double end = m_trace ? static_cast<double>(m_trace->endTs()) : 0;
    return static_cast<std::int64_t>(std::llround(std::clamp(t, 0.0, end)));
}

void TimelineWidget::setHoverLane(int lane)
{
    if (lane == m_options.hoverLane) return;
    m_options.hoverLane = lane;
    update();
}

void TimelineWidget::wheelEvent(QWheelEvent* e)
{
    ensureLayout();
    const QPoint angle = e->angleDelta();
    const QPoint pixels = e->pixelDelta();
    // Horizontal scrolling (or shift + wheel) pans; vertical zooms about the mouse.
    const bool horizontal = std::abs(angle.x()) > std::abs(angle.y()) || (e->modifiers() & Qt::ShiftModifier);
    if (horizontal) {
        const double dx = !pixels.isNull() ? (pixels.x() != 0 ? pixels.x() : pixels.y())
                                           : (angle.x() != 0 ? angle.x() : angle.y()) / kWheelNotch * 60;
        m_geometry.panByPixels(dx);
        viewChangedByUser();
    } else if (angle.y() != 0) {
        zoomAt(e->position().x(), std::pow(kZoomPerNotch, angle.y() / kWheelNotch));
    }
    e->accept();
}

void TimelineWidget::mousePressEvent(QMouseEvent* e)
{
    ensureLayout();
    if (e->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(e);
        return;
    }
    m_pressPos = e->position();
    m_pressViewStart = m_geometry.viewStart;
    m_moved = false;
    const bool onAxis = m_layout.axis.contains(e->position()) || m_layout.flags.contains(e->position());
    if (e->modifiers() & Qt::ShiftModifier) {
        m_drag = Drag::Select;
        m_selectAnchor = m_geometry.timeAt(e->position().x());
    } else if (onAxis && m_trace) {
        m_drag = Drag::Scrub;
        const std::int64_t t = clampToTrace(m_geometry.timeAt(e->position().x()));
        setCursorTime(t);
        Q_EMIT cursorMoved(t);
    } else {
        m_drag = Drag::Pan;
    }
    e->accept();
}

void TimelineWidget::mouseMoveEvent(QMouseEvent* e)
{
    ensureLayout();
    const QPointF pos = e->position();
    if (m_drag == Drag::None) {
        const bool inLanes = m_layout.plot.contains(pos) || m_layout.labels.contains(pos);
        setHoverLane(inLanes ? m_layout.laneAt(pos.y()) : -1);
        return;
    }
    if (std::abs(pos.x() - m_pressPos.x()) > kClickSlop || std::abs(pos.y() - m_pressPos.y()) > kClickSlop)
        m_moved = true;
    switch (m_drag) {
    case Drag::Pan:
        if (!m_moved) break;
        QWidget::setCursor(Qt::ClosedHandCursor);
        m_geometry.viewStart = m_pressViewStart - (pos.x() - m_pressPos.x()) * m_geometry.nsPerPx;
        m_geometry.clamp();
        viewChangedByUser();
        break;
    case Drag::Select: {
        const double t = m_geometry.timeAt(pos.x());
        setSelection(clampToTrace(std::min(t, m_selectAnchor)), clampToTrace(std::max(t, m_selectAnchor)));
        Q_EMIT selectionChanged(m_options.selectionStart, m_options.selectionEnd);
        break;
    }
    case Drag::Scrub: {
        const std::int64_t t = clampToTrace(m_geometry.timeAt(pos.x()));
        if (t != m_options.cursor) {
            setCursorTime(t);
            Q_EMIT cursorMoved(t);
        }
        break;
    }
    case Drag::None: break;
    }
    e->accept();
}

void TimelineWidget::mouseReleaseEvent(QMouseEvent* e)
{
    if (e->button() != Qt::LeftButton || m_drag == Drag::None) {
        QWidget::mouseReleaseEvent(e);
        return;
    }
    const Drag drag = m_drag;
    m_drag = Drag::None;
    unsetCursor();
    if (drag == Drag::Pan && !m_moved && m_trace && m_layout.plot.contains(e->position())) {
        // A click: move the cursor there.
        const std::int64_t t = clampToTrace(m_geometry.timeAt(e->position().x()));
        setCursorTime(t);
        Q_EMIT cursorMoved(t);
    } else if (drag == Drag::Select && !m_moved) {
        // A shift-click without a drag clears the selection.
        if (m_options.selectionStart >= 0) {
            clearSelection();
            Q_EMIT selectionChanged(-1, -1);
        }
    }
    e->accept();
}

void TimelineWidget::mouseDoubleClickEvent(QMouseEvent* e)
{
    if (e->button() == Qt::LeftButton) {
        fitAll();
        e->accept();
        return;
    }
    QWidget::mouseDoubleClickEvent(e);
}

void TimelineWidget::leaveEvent(QEvent* e)
{
    setHoverLane(-1);
    QWidget::leaveEvent(e);
}

void TimelineWidget::keyPressEvent(QKeyEvent* e)
{
    switch (e->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomBy(1.5); break;
    case Qt::Key_Minus: zoomBy(1 / 1.5); break;
    case Qt::Key_0: fitAll(); break;
    case Qt::Key_F: setFollowLive(!m_followLive); break;
    default:
        // Space, arrows, Home, End belong to the window's transport bar.
        QWidget::keyPressEvent(e);
        return;
    }
    e->accept();
}

bool TimelineWidget::event(QEvent* e)
{
    switch (e->type()) {
    case QEvent::ToolTip: {
        auto* help = static_cast<QHelpEvent*>(e);
        const TimelineHit hit = hitAt(help->pos());
        const QString text = m_trace ? TimelineRenderer::describe(*m_trace, m_index, hit) : QString();
        if (text.isEmpty()) {
            QToolTip::hideText();
            e->ignore();
        } else {
            QToolTip::showText(help->globalPos(), text, this);
        }
        return true;
    }
    case QEvent::NativeGesture: {
        // Touchpad pinch on platforms that report it natively (macOS, Wayland, X11 with libinput).
        auto* g = static_cast<QNativeGestureEvent*>(e);
        if (g->gestureType() == Qt::ZoomNativeGesture) {
            zoomAt(g->position().x(), 1.0 + g->value());
            return true;
        }
        break;
    }
    case QEvent::Gesture: {
        auto* g = static_cast<QGestureEvent*>(e);
        if (auto* pinch = static_cast<QPinchGesture*>(g->gesture(Qt::PinchGesture))) {
            if (pinch->changeFlags() & QPinchGesture::ScaleFactorChanged) {
                const QPointF centre = mapFromGlobal(pinch->centerPoint());
                zoomAt(centre.x(), pinch->scaleFactor());
            }
            g->accept(pinch);
            return true;
        }
        break;
    }
    default: break;
    }
    return QWidget::event(e);
}

} // namespace lockstep::ui
