#pragma once

#include "render/TimelineDrawList.h"
#include "render/TimelineGeometry.h"
#include "render/TimelineIndex.h"
#include "render/TimelineLayout.h"
#include "render/TimelineRenderer.h"

#include <QWidget>

#include <cstdint>
#include <memory>
#include <utility>

namespace lockstep::ui {

// The interactive timeline: one swimlane per thread / process / coroutine, the GIL lane, lock-hold
// lanes, markers, axis, cursor and selection, painted by TimelineRenderer (the same code as the
// PNG / SVG export), so frame cost follows pixels, not events.
//
// Mouse: wheel zooms about the mouse (horizontal wheel pans), pinch zooms, drag pans, click moves
// the cursor (cursorMoved), drag on the time axis scrubs the cursor, shift-drag selects a range
// (its duration is shown), double-click fits the whole run. Keys: + / - zoom, 0 fits, F toggles
// follow-live. Hovering a span shows a tooltip (actor, state, start, duration, what it waits for).
//
// Live runs: call setTrace() with each new snapshot (once per frame). The widget repaints only
// when something changed, and never emits a signal per event.
class TimelineWidget : public QWidget {
    Q_OBJECT
public:
    explicit TimelineWidget(QWidget* parent = nullptr);
    ~TimelineWidget() override;

    // A new snapshot. A later snapshot of the same run keeps the view (and, when following live,
    // slides it so the end stays visible); another run fits the view to it.
    void setTrace(std::shared_ptr<const Trace> trace);
    [[nodiscard]] const std::shared_ptr<const Trace>& trace() const { return m_trace; }

    // The time cursor (ns; < 0: none). Setting it does not emit cursorMoved (only the user's click
    // does). Named so as not to hide QWidget::setCursor(QCursor).
    void setCursorTime(std::int64_t ts);
    [[nodiscard]] std::int64_t cursorTime() const { return m_options.cursor; }
    // Keeps the cursor in view when it moves out of it (playback, stepping).
    void ensureCursorVisible();

    // Selected range (ns); (-1, -1) when none. Setting it does not emit selectionChanged.
    void setSelection(std::int64_t t0, std::int64_t t1);
    void clearSelection();
    [[nodiscard]] std::pair<std::int64_t, std::int64_t> selection() const;

    // Follow-live keeps the end of a growing trace in view. Turned off by the user panning away.
    void setFollowLive(bool on);
    [[nodiscard]] bool followLive() const { return m_followLive; }

    // Presenter mode: every size (fonts, lanes, markers) multiplied by `scale`.
    void setScale(double scale);
    [[nodiscard]] double scale() const { return m_scale; }
    void setLegendVisible(bool visible);
    [[nodiscard]] bool legendVisible() const { return m_legend; }

    void setVisibleRange(double t0, double t1);
    [[nodiscard]] std::pair<double, double> visibleRange() const;
    void fitAll();
    void zoomBy(double factor); // about the centre of the plot

    [[nodiscard]] const TimelineGeometry& geometry() const { return m_geometry; }
    [[nodiscard]] const TimelineLayout& timelineLayout() const;
    [[nodiscard]] const TimelineIndex& timelineIndex() const { return m_index; }
    // What is under a widget position (for tests and context menus).
    [[nodiscard]] TimelineHit hitAt(QPointF pos) const;
    // Number of frames painted so far (tests check that nothing repaints without a change).
    [[nodiscard]] std::uint64_t paintCount() const { return m_paints; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void cursorMoved(qint64 ts);
    void selectionChanged(qint64 t0, qint64 t1); // (-1, -1): cleared
    void visibleRangeChanged(double t0, double t1);
    void followLiveChanged(bool on);

protected:
    bool event(QEvent* e) override;
    void paintEvent(QPaintEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void mouseDoubleClickEvent(QMouseEvent* e) override;
    void leaveEvent(QEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;

private:
    enum class Drag { None, Pan, Select, Scrub };

    void ensureLayout() const;
    void invalidateLayout();
    void updateBounds();
    void zoomAt(double x, double factor);
    void viewChangedByUser();
    void setHoverLane(int lane);
    [[nodiscard]] std::int64_t clampToTrace(double t) const;

    std::shared_ptr<const Trace> m_trace;
    TimelineIndex m_index;
    mutable TimelineLayout m_layout;
    mutable bool m_layoutDirty = true;
    mutable TimelineGeometry m_geometry; // its plot area follows the (lazily computed) layout
    TimelineDrawList m_list;
    TimelineRenderOptions m_options;
    double m_scale = 1.0;
    bool m_legend = true;
    bool m_followLive = false;
    bool m_fitted = false; // the view has been fitted to the current run at least once
    std::uint64_t m_paints = 0;

    Drag m_drag = Drag::None;
    QPointF m_pressPos;
    double m_pressViewStart = 0;
    double m_selectAnchor = 0;
    bool m_moved = false;
};

} // namespace lockstep::ui
