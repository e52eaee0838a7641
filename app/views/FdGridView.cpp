#include "views/FdGridView.h"

#include "render/Palette.h"
#include "render/ViewPainter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace lockstep::ui {

namespace {

constexpr int kSweepMs = 450;

int fdNumber(std::string_view name)
{
    // "fd 17" -> 17: the trailing number of the name.
    std::size_t i = name.size();
    while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9') --i;
    if (i == name.size()) return -1;
    int n = -1;
    std::from_chars(name.data() + i, name.data() + name.size(), n);
    return n;
}

} // namespace

FdGridView::FdGridView(QWidget* parent) : LessonView(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
    m_sweep.setStartValue(0.0);
    m_sweep.setEndValue(1.0);
    m_sweep.setDuration(kSweepMs);
    connect(&m_sweep, &QVariantAnimation::valueChanged, this, [this] { update(); });
    connect(&m_sweep, &QVariantAnimation::finished, this, [this] { update(); });
}

bool FdGridView::appliesTo(const Trace& trace) const
{
    return std::any_of(trace.actors().begin(), trace.actors().end(),
                       [](const ActorInfo& a) { return a.kind == ActorKind::Fd; });
}

QString FdGridView::title() const { return tr("fd grid"); }

void FdGridView::setTrace(std::shared_ptr<const Trace> trace)
{
    if (m_replay.setTrace(std::move(trace))) {
        m_cells.clear();
        m_fdNumbers.clear();
        m_actorsSeen = 0;
        m_setSizeCell = -1;
        m_lastCallSeen = 0;
        m_sweep.stop();
    }
    refresh();
}

void FdGridView::setCursor(std::int64_t ts)
{
    m_cursor = ts;
    refresh();
}

void FdGridView::syncCells()
{
    const Trace* trace = m_replay.trace();
    if (!trace) return;
    const auto& actors = trace->actors();
    for (; m_actorsSeen < actors.size(); ++m_actorsSeen) {
        const ActorInfo& a = actors[m_actorsSeen];
        if (a.kind != ActorKind::Fd) continue;
        const int n = fdNumber(a.name);
        if (m_setSizeCell < 0 && n >= kFdSetSize) m_setSizeCell = static_cast<int>(m_cells.size());
        m_cells.push_back(a.id);
        m_fdNumbers.push_back(n);
    }
}

void FdGridView::refresh()
{
    syncCells();
    const std::uint64_t before = m_replay.model().calls();
    m_replay.seek(m_cursor);
    const std::uint64_t calls = m_replay.model().calls();
    // A new call arrived while playing forward: replay its scan slowly enough to be seen. A
    // running sweep is left to finish, so a fast run shows whole sweeps rather than restarts.
    if (m_animated && isVisible() && calls > before && calls != m_lastCallSeen && !epoll()
        && m_sweep.state() != QAbstractAnimation::Running)
        m_sweep.start();
    if (calls < before) m_sweep.stop();
    m_lastCallSeen = calls;
    update();
}

QString FdGridView::muxKind() const
{
    const Trace* t = m_replay.trace();
    if (!t || !m_replay.model().multiplexer().valid()) return {};
    QString n = ViewPainter::actorName(*t, m_replay.model().multiplexer());
    const qsizetype paren = n.indexOf(QLatin1String(" ("));
    return paren > 0 ? n.left(paren) : n;
}

bool FdGridView::epoll() const { return muxKind().startsWith(QLatin1String("epoll")); }

std::int64_t FdGridView::callEnd() const
{
    // The call is still in progress at the cursor: its end is the mux's next MuxWaitEnd.
    const Trace* t = m_replay.trace();
    const ActorId mux = m_replay.model().multiplexer();
    if (!t || !mux.valid()) return -1;
    const auto& idx = t->eventsOf(mux);
    const std::int64_t begin = m_replay.model().lastCall().beginTs;
    auto it = std::lower_bound(idx.begin(), idx.end(), begin,
                               [&](EventIndex i, std::int64_t ts) { return t->event(i).ts < ts; });
    for (int guard = 0; it != idx.end() && guard < 16; ++it, ++guard) {
        const Event& e = t->event(*it);
        if (e.kind == EventKind::MuxWaitEnd) return e.ts;
    }
    return -1;
}

int FdGridView::sweepPosition() const
{
    if (epoll()) return -1;
    const FdGridModel& m = m_replay.model();
    const FdGridModel::Call& c = m.lastCall();
    if (c.beginTs < 0) return -1;
    const int watched = static_cast<int>(
        std::min<std::int64_t>(m.watched() > 0 ? m.watched() : static_cast<std::int64_t>(m_cells.size()),
                               static_cast<std::int64_t>(m_cells.size())));
    const Trace* t = m_replay.trace();
    const std::int64_t now = t ? std::min(m_cursor, t->endTs()) : 0;
    const std::int64_t end = c.endTs >= 0 ? c.endTs : callEnd();
    if (end > c.beginTs && now >= c.beginTs && now < end) {
        const double frac = static_cast<double>(now - c.beginTs) / static_cast<double>(end - c.beginTs);
        return static_cast<int>(frac * watched);
    }
    if (m_sweep.state() == QAbstractAnimation::Running) {
        const int scanned = c.scanned > 0 ? static_cast<int>(std::min<std::int64_t>(c.scanned, watched)) : watched;
        return static_cast<int>(m_sweep.currentValue().toDouble() * scanned);
    }
    return -1;
}

FdGridView::Geometry FdGridView::fit(int count, const QSize& area) const
{
    Geometry g;
    if (count <= 0 || area.width() < 2 || area.height() < 2) return g;
    const double u = QFontMetricsF(Palette::uiFont(viewScale())).height();
    const int maxPitch = std::max(2, std::min({area.width(), area.height(), static_cast<int>(u * 4.5)}));
    for (int pitch = maxPitch; pitch >= 2; --pitch) {
        const int cols = std::max(1, area.width() / pitch);
        const int rows = (count + cols - 1) / cols;
        if (rows * pitch <= area.height() || pitch == 2) {
            g.pitch = pitch;
            g.columns = cols;
            g.rows = rows;
            break;
        }
    }
    g.gap = g.pitch >= 12 ? std::max(2, g.pitch / 10) : (g.pitch >= 4 ? 1 : 0);
    return g;
}

void FdGridView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(rect(), Palette::background());
    if (!m_replay.trace() || m_cells.empty()) {
        m_pitch = 0;
        ViewPainter::emptyState(p, rect(), tr("No file descriptors in this run yet."), viewScale());
        return;
    }
    const double u = QFontMetricsF(Palette::uiFont(viewScale())).height();
    const QRectF all = QRectF(rect()).adjusted(u * 0.7, u * 0.6, -u * 0.7, -u * 0.6);
    // Six counter tiles in one row, or in two / three rows when the tab is narrow.
    // Six counter tiles in one row, two rows when the tab is narrower, a compact list when narrow.
    const int tileColumns = all.width() >= u * 54 ? 6 : all.width() >= u * 27 ? 3 : 1;
    const double countersH = tileColumns == 6 ? u * 4.4 : tileColumns == 3 ? u * 9.3 : u * 6 * 1.35 + u * 0.8;
    const QRectF counters(all.left(), all.top(), all.width(), countersH);
    const LegendLayout legendLayout = layoutLegend(all.width());
    const QRectF legend(all.left(), all.bottom() - legendLayout.height, all.width(), legendLayout.height);
    const QRect gridArea = QRectF(all.left(), counters.bottom() + u * 0.7, all.width(),
                                  legend.top() - counters.bottom() - u * 1.2)
                               .toAlignedRect();
    paintCounters(p, counters, tileColumns);
    paintLegend(p, legend, legendLayout);

    const FdGridModel& m = m_replay.model();
    const int n = static_cast<int>(m_cells.size());
    const Geometry g = fit(n, gridArea.size());
    m_pitch = g.pitch;
    if (g.pitch <= 0) return;
    const int imgW = g.columns * g.pitch;
    const int imgH = std::min(gridArea.height(), g.rows * g.pitch);
    if (m_image.size() != QSize(imgW, imgH)) m_image = QImage(imgW, imgH, QImage::Format_ARGB32_Premultiplied);
    m_image.fill(Palette::background());

    const std::int64_t watched = m.watched() > 0 ? m.watched() : n;
    const bool ep = epoll();
    const int sweep = sweepPosition();
    const QColor idleC = ViewPainter::mix(Palette::panel(), Palette::foreground(), 0.14);
    const QColor unwatchedC = ViewPainter::mix(Palette::background(), Palette::panel(), 0.5);
    const QColor sweepTint = Palette::accent();
    const QRgb readable = Palette::fdReadable().rgb();
    const QRgb writable = Palette::fdWritable().rgb();
    const QRgb hangup = Palette::fdHangup().rgb();
    const QRgb closed = closedColor().rgb();
    const QRgb idle = idleC.rgb();
    const QRgb idleSwept = ViewPainter::mix(idleC, sweepTint, 0.45).rgb();
    const QRgb unwatched = unwatchedC.rgb();
    const QRgb head = sweepTint.rgb();
    const QRgb glow = Palette::foreground().rgb();
    const int side = g.pitch - g.gap;
    for (int i = 0; i < n; ++i) {
        const int x0 = (i % g.columns) * g.pitch;
        const int y0 = (i / g.columns) * g.pitch;
        if (y0 + side > imgH) break;
        const std::uint8_t mask = m.mask(m_cells[static_cast<std::size_t>(i)]);
        QRgb c = idle;
        if (i >= watched) c = unwatched;
        else if (mask & FdGridModel::kClosed) c = closed;
        else if (mask & FdGridModel::kHangup) c = hangup;
        else if (mask & FdGridModel::kReadable) c = readable;
        else if (mask & FdGridModel::kWritable) c = writable;
        else if (sweep >= 0 && i < sweep) c = idleSwept;
        if (sweep > 0 && i == sweep - 1) c = head;
        const bool lit = ep && FdGridModel::isReady(mask) && i < watched && side >= 5;
        for (int y = 0; y < side; ++y) {
            auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(y0 + y)) + x0;
            const bool edge = lit && (y == 0 || y == side - 1);
            if (edge) {
                std::fill(line, line + side, glow);
            } else {
                std::fill(line, line + side, c);
                if (lit) line[0] = line[side - 1] = glow;
            }
        }
    }
    const QPointF origin(gridArea.left() + (gridArea.width() - imgW) / 2.0, gridArea.top());
    p.drawImage(origin, m_image);

    // epoll hands back only the ready list: make those few cells light up even when they are 2 px.
    // When most cells are ready (every client hung up) the cells speak for themselves.
    if (ep && g.pitch < u * 2.2 && m.readyNow() <= std::max<std::int64_t>(64, n / 16)) {
        p.save();
        const double halo = std::max(g.pitch * 1.8, u * 0.55);
        QColor glowFill = Palette::fdReadable();
        glowFill.setAlpha(70);
        p.setPen(QPen(Palette::fdReadable(), std::max(1.5, u * 0.1)));
        p.setBrush(glowFill);
        int drawn = 0;
        for (int i = 0; i < n && i < watched && drawn < 4000; ++i) {
            if (!FdGridModel::isReady(m.mask(m_cells[static_cast<std::size_t>(i)]))) continue;
            const QPointF c(origin.x() + (i % g.columns) * g.pitch + side / 2.0,
                            origin.y() + (i / g.columns) * g.pitch + side / 2.0);
            p.drawEllipse(c, halo, halo);
            ++drawn;
        }
        p.restore();
    }

    // Numbers in the cells when they are big enough to read.
    if (g.pitch >= u * 2.2) {
        p.setFont(ViewPainter::resized(Palette::uiFont(viewScale()), 0.75));
        for (int i = 0; i < n; ++i) {
            const QRectF cell(origin.x() + (i % g.columns) * g.pitch, origin.y() + (i / g.columns) * g.pitch, side,
                              side);
            if (cell.bottom() > origin.y() + imgH) break;
            const std::uint8_t mask = m.mask(m_cells[static_cast<std::size_t>(i)]);
            p.setPen(FdGridModel::isReady(mask) ? Palette::style(State::Running).ink : Palette::mutedText());
            const int fd = m_fdNumbers[static_cast<std::size_t>(i)];
            p.drawText(cell, Qt::AlignCenter, fd >= 0 ? QString::number(fd) : QString::number(i));
        }
    }

    // FD_SETSIZE: the staircase between the last cell below 1024 and the first at or above it.
    if (m_setSizeCell > 0) {
        const int k = m_setSizeCell;
        const double pitch = g.pitch;
        const int row = k / g.columns;
        const int col = k % g.columns;
        const double left = origin.x();
        const double right = origin.x() + g.columns * pitch;
        const double yTop = origin.y() + row * pitch - g.gap / 2.0;
        const double yBottom = yTop + pitch;
        const double xc = origin.x() + col * pitch - g.gap / 2.0;
        QPainterPath stair;
        if (col == 0) {
            stair.moveTo(left, yTop);
            stair.lineTo(right, yTop);
        } else {
            stair.moveTo(left, yBottom);
            stair.lineTo(xc, yBottom);
            stair.lineTo(xc, yTop);
            stair.lineTo(right, yTop);
        }
        const bool isSelect = muxKind() == QLatin1String("select");
        p.save();
        p.setPen(QPen(isSelect ? Palette::alarm() : Palette::foreground(), std::max(2.0, u * 0.16)));
        p.setBrush(Qt::NoBrush);
        p.drawPath(stair);
        QFont f = Palette::uiFont(viewScale());
        f.setBold(true);
        p.setFont(f);
        const QString label = tr("FD_SETSIZE = %1: select() cannot watch beyond").arg(kFdSetSize);
        const QSizeF ls = ViewPainter::chipSize(label, f);
        const double lx = std::clamp(xc - ls.width() / 2, left, right - ls.width());
        const double ly = std::max(origin.y(), yTop - ls.height() - u * 0.2);
        ViewPainter::chip(p, QPointF(lx, ly), label, isSelect ? Palette::alarm() : Palette::panel(),
                          isSelect ? Palette::style(State::Blocked).ink : Palette::foreground(), f);
        p.restore();
    }
}

void FdGridView::paintCounters(QPainter& p, const QRectF& r, int columns) const
{
    const FdGridModel& m = m_replay.model();
    const FdGridModel::Call& c = m.lastCall();
    const bool ep = epoll();
    struct Tile {
        QString value;
        QString label;
        bool emphasis = false;
    };
    const QString kind = muxKind();
    const std::int64_t watched = m.watched() > 0 ? m.watched() : static_cast<std::int64_t>(m_cells.size());
    std::vector<Tile> tiles{
        {kind.isEmpty() ? tr("—") : kind, tr("multiplexer"), true},
        {QString::number(watched), tr("fds watched")},
        {c.beginTs < 0 ? tr("—") : QString::number(c.copied),
         ep ? tr("copied per call (epoll_ctl registered them once)") : tr("copied into the kernel per call"), true},
        {c.beginTs < 0 ? tr("—") : QString::number(c.scanned),
         ep ? tr("examined per call: the ready list only") : tr("examined in user space per call"), true},
        {c.endTs < 0 ? tr("—") : QString::number(c.ready), tr("returned ready by the last call")},
        {QString::number(m.calls()), tr("calls so far")},
    };
    const double u = QFontMetricsF(Palette::uiFont(viewScale())).height();
    const double gap = u * 0.5;
    if (columns == 1) {
        // Compact list: value, then what it counts.
        ViewPainter::card(p, r, Palette::panel(), QColor(), u * 0.4);
        const QFont base = Palette::uiFont(viewScale());
        QFont bold = base;
        bold.setBold(true);
        const double rowH = (r.height() - u * 0.8) / static_cast<double>(tiles.size());
        const double valueW = std::min(r.width() * 0.38, u * 5.5);
        for (std::size_t i = 0; i < tiles.size(); ++i) {
            const double y = r.top() + u * 0.4 + static_cast<double>(i) * rowH;
            p.setFont(bold);
            p.setPen(Palette::foreground());
            ViewPainter::elidedText(p, QRectF(r.left() + u * 0.5, y, valueW - u * 0.5, rowH),
                                    Qt::AlignRight | Qt::AlignVCenter, tiles[i].value);
            p.setFont(ViewPainter::resized(base, 0.9));
            p.setPen(Palette::mutedText());
            ViewPainter::elidedText(p, QRectF(r.left() + valueW + u * 0.5, y, r.width() - valueW - u, rowH),
                                    Qt::AlignLeft | Qt::AlignVCenter, tiles[i].label);
        }
        return;
    }
    const int rows = (static_cast<int>(tiles.size()) + columns - 1) / columns;
    const double w = (r.width() - gap * (columns - 1)) / columns;
    const double h = (r.height() - gap * (rows - 1)) / rows;
    QFont big = ViewPainter::resized(Palette::uiFont(viewScale()), 1.9);
    big.setBold(true);
    const QFont small = ViewPainter::resized(Palette::uiFont(viewScale()), 0.9);
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const int col = static_cast<int>(i) % columns;
        const int row = static_cast<int>(i) / columns;
        const QRectF t(r.left() + col * (w + gap), r.top() + row * (h + gap), w, h);
        ViewPainter::card(p, t, Palette::panel(), tiles[i].emphasis ? Palette::accent() : QColor(), u * 0.4);
        QFont f = big;
        // Shrink the value to fit narrow tiles.
        while (QFontMetricsF(f).horizontalAdvance(tiles[i].value) > t.width() - u && f.pixelSize() > 8)
            f = ViewPainter::resized(f, 0.9);
        p.setFont(f);
        p.setPen(Palette::foreground());
        const double vh = QFontMetricsF(big).height();
        p.drawText(QRectF(t.left(), t.top() + u * 0.3, t.width(), vh), Qt::AlignCenter, tiles[i].value);
        p.setFont(small);
        p.setPen(Palette::mutedText());
        p.drawText(QRectF(t.left() + u * 0.3, t.top() + u * 0.3 + vh, t.width() - u * 0.6,
                          t.height() - vh - u * 0.4),
                   Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, tiles[i].label);
    }
}

std::vector<FdGridView::LegendItem> FdGridView::legendItems() const
{
    const QColor idleC = ViewPainter::mix(Palette::panel(), Palette::foreground(), 0.14);
    std::vector<LegendItem> items{
        {idleC, tr("idle")},
        {Palette::fdReadable(), tr("readable")},
        {Palette::fdWritable(), tr("writable")},
        {Palette::fdHangup(), tr("hang-up")},
        {closedColor(), tr("closed")},
        {ViewPainter::mix(Palette::background(), Palette::panel(), 0.5), tr("not watched by this call")},
    };
    if (!epoll()) items.push_back({ViewPainter::mix(idleC, Palette::accent(), 0.45), tr("swept by the scan")});
    return items;
}

QColor FdGridView::closedColor()
{
    // The "done" grey, faded a third into the page: quieter than live cells in either theme.
    return ViewPainter::mix(Palette::style(StateCategory::Done).fill, Palette::background(), 0.35);
}

FdGridView::LegendLayout FdGridView::layoutLegend(double width) const
{
    // Swatch, gap, label, spacing; wrapped onto as many rows as the width needs, so that no
    // entry is ever dropped (a Chinese or presenter-sized legend is wider).
    const double u = QFontMetricsF(Palette::uiFont(viewScale())).height();
    const QFontMetricsF fm(Palette::uiFont(viewScale()));
    const double rowH = u * 1.5;
    LegendLayout l;
    l.items = legendItems();
    double x = 0;
    int row = 0;
    for (const LegendItem& it : l.items) {
        const double w = u * 0.9 + u * 0.3 + fm.horizontalAdvance(it.label);
        if (x > 0 && x + w > width) {
            x = 0;
            ++row;
        }
        l.at.emplace_back(x, row * rowH);
        x += w + u * 1.1;
    }
    l.rows = row + 1;
    l.height = l.rows * rowH;
    return l;
}

void FdGridView::paintLegend(QPainter& p, const QRectF& r, const LegendLayout& legend) const
{
    const double u = QFontMetricsF(Palette::uiFont(viewScale())).height();
    const QFont f = Palette::uiFont(viewScale());
    const QFontMetricsF fm(f);
    const auto& items = legend.items;
    const auto& at = legend.at;
    const int rows = legend.rows;
    const double rowH = u * 1.5;
    const double sw = u * 0.9;
    p.save();
    p.setFont(f);
    double lastRowEnd = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const QPointF o = r.topLeft() + at[i];
        const double tw = fm.horizontalAdvance(items[i].label);
        p.setPen(QPen(Palette::grid(), 1));
        p.setBrush(items[i].color);
        p.drawRoundedRect(QRectF(o.x(), o.y() + (rowH - sw) / 2, sw, sw), sw * 0.2, sw * 0.2);
        p.setPen(Palette::mutedText());
        p.drawText(QRectF(o.x() + sw + u * 0.3, o.y(), tw + 2, rowH), Qt::AlignLeft | Qt::AlignVCenter, items[i].label);
        if (at[i].y() >= (rows - 1) * rowH - 0.5) lastRowEnd = at[i].x() + sw + u * 0.3 + tw;
    }
    const QString count = tr("%n fd(s)", nullptr, static_cast<int>(m_cells.size()));
    p.setPen(Palette::foreground());
    const QRectF lastRow(r.left(), r.top() + (rows - 1) * rowH, r.width(), rowH);
    if (lastRowEnd + u + fm.horizontalAdvance(count) < r.width())
        p.drawText(lastRow, Qt::AlignRight | Qt::AlignVCenter, count);
    p.restore();
}

} // namespace lockstep::ui
