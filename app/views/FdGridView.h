#pragma once

#include "views/FdGridModel.h"
#include "views/LessonView.h"
#include "views/TraceReplay.h"

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QString>
#include <QVariantAnimation>

#include <limits>
#include <vector>

namespace lockstep::ui {

// The I/O lesson's fd readiness grid: one cell per fd (thousands fit: cells shrink to 2 px),
// coloured idle / readable / writable / hang-up. For select and poll the scan sweeps over every
// watched fd on each call; for epoll only the ready list lights up. Counters show what each call
// copies into the kernel and examines in user space, and a line marks FD_SETSIZE (1024), the
// highest fd select() can watch. Painted as one image per frame, never a widget per cell.
class FdGridView final : public LessonView {
    Q_OBJECT
public:
    static constexpr int kFdSetSize = 1024;

    explicit FdGridView(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;
    void setTrace(std::shared_ptr<const Trace> trace) override;
    void setCursor(std::int64_t ts) override;

    [[nodiscard]] int cellCount() const { return static_cast<int>(m_cells.size()); }
    // "select", "poll", "epoll-lt", "epoll-et" (the multiplexer's name without its fd count).
    [[nodiscard]] QString muxKind() const;
    [[nodiscard]] const FdGridModel& model() const { return m_replay.model(); }
    // Pixel pitch of a cell in the last paint (for tests of the shrink-to-fit layout).
    [[nodiscard]] int cellPitch() const { return m_pitch; }
    // Index of the first cell whose fd is >= FD_SETSIZE, -1 if none (where the line is drawn).
    [[nodiscard]] int fdSetSizeCell() const { return m_setSizeCell; }
    void setAnimated(bool animated) { m_animated = animated; }
    [[nodiscard]] QSize sizeHint() const override { return {1280, 800}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Geometry {
        int pitch = 0;
        int gap = 0;
        int columns = 1;
        int rows = 0;
    };
    void refresh();
    void syncCells();
    [[nodiscard]] Geometry fit(int count, const QSize& area) const;
    [[nodiscard]] bool epoll() const;
    // Cells the scan has covered in the current pass, or -1 when no sweep is showing.
    [[nodiscard]] int sweepPosition() const;
    [[nodiscard]] std::int64_t callEnd() const;
    void paintCounters(QPainter& p, const QRectF& r, int columns) const;
    struct LegendItem {
        QColor color;
        QString label;
    };
    // The legend laid out once per paint: its height decides the grid's room, then it is drawn.
    struct LegendLayout {
        std::vector<LegendItem> items;
        std::vector<QPointF> at; // top-left of each item relative to the legend's corner
        int rows = 1;
        double height = 0;
    };
    [[nodiscard]] std::vector<LegendItem> legendItems() const;
    [[nodiscard]] LegendLayout layoutLegend(double width) const;
    void paintLegend(QPainter& p, const QRectF& r, const LegendLayout& legend) const;
    // Cells of fds the server unregistered and closed.
    [[nodiscard]] static QColor closedColor();

    TraceReplay<FdGridModel> m_replay;
    std::int64_t m_cursor = std::numeric_limits<std::int64_t>::max();
    std::vector<ActorId> m_cells;   // fd actors, board order
    std::vector<int> m_fdNumbers;   // from the names ("fd 7"), -1 if none
    int m_setSizeCell = -1;         // first cell whose fd >= FD_SETSIZE
    std::size_t m_actorsSeen = 0;
    std::uint64_t m_lastCallSeen = 0;
    QVariantAnimation m_sweep;      // replays the last call's scan at a visible speed
    bool m_animated = true;
    mutable int m_pitch = 0;
    mutable QImage m_image;
};

} // namespace lockstep::ui
