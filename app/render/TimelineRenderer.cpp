#include "render/TimelineRenderer.h"

#include "render/EngineText.h"
#include "render/MarkerStyle.h"
#include "render/Palette.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace lockstep::ui {

namespace {

QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QString kindLabel(ActorKind kind)
{
    switch (kind) {
    case ActorKind::Thread: return QCoreApplication::translate("TimelineRenderer", "thread");
    case ActorKind::Process: return QCoreApplication::translate("TimelineRenderer", "process");
    case ActorKind::Coroutine: return QCoreApplication::translate("TimelineRenderer", "coroutine");
    case ActorKind::Lock: return QCoreApplication::translate("TimelineRenderer", "lock");
    case ActorKind::RLock: return QCoreApplication::translate("TimelineRenderer", "rlock");
    case ActorKind::Condition: return QCoreApplication::translate("TimelineRenderer", "condition");
    case ActorKind::Semaphore: return QCoreApplication::translate("TimelineRenderer", "semaphore");
    case ActorKind::SyncEvent: return QCoreApplication::translate("TimelineRenderer", "event");
    case ActorKind::Queue: return QCoreApplication::translate("TimelineRenderer", "queue");
    case ActorKind::Fd: return QCoreApplication::translate("TimelineRenderer", "fd");
    case ActorKind::Gil: return QCoreApplication::translate("TimelineRenderer", "GIL");
    case ActorKind::Multiplexer: return QCoreApplication::translate("TimelineRenderer", "multiplexer");
    case ActorKind::Pipe: return QCoreApplication::translate("TimelineRenderer", "pipe");
    case ActorKind::SharedMemory: return QCoreApplication::translate("TimelineRenderer", "shared memory");
    case ActorKind::Future: return QCoreApplication::translate("TimelineRenderer", "future");
    }
    return {};
}

// ---- binary searches over a lane's sorted starts -------------------------------------------------

// First i in [lo, hi) with startOf(i) >= t (hi if none).
template <typename StartOf>
std::size_t firstAtOrAfter(std::size_t lo, std::size_t hi, double t, const StartOf& startOf)
{
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (static_cast<double>(startOf(mid)) < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

// First i in [lo, hi) with startOf(i) > t (hi if none).
template <typename StartOf>
std::size_t firstAfter(std::size_t lo, std::size_t hi, double t, const StartOf& startOf)
{
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (static_cast<double>(startOf(mid)) <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

// Like firstAtOrAfter, but searches forward from lo by doubling steps first (galloping). The fold
// walk jumps a few pixels at a time, so the answer is usually near lo: this touches O(log distance)
// nearby elements instead of O(log n) scattered ones (cache misses dominate on 10M-event lanes).
template <typename StartOf>
std::size_t gallopAtOrAfter(std::size_t lo, std::size_t hi, double t, const StartOf& startOf)
{
    std::size_t step = 1;
    std::size_t prev = lo;
    std::size_t probe = lo;
    while (probe < hi && static_cast<double>(startOf(probe)) < t) {
        prev = probe + 1;
        probe = lo + step;
        step *= 2;
    }
    return firstAtOrAfter(prev, std::min(probe, hi), t, startOf);
}

// Pixel-weighted votes for the colour of a folded mark. Few distinct keys appear in one fold (a
// handful of states or holders), so a tiny fixed table is enough; when it is full the weakest
// entry is replaced.
class KeyTally {
public:
    void add(std::uint32_t key, double weight)
    {
        for (int i = 0; i < m_used; ++i) {
            if (m_slots[i].first == key) {
                m_slots[i].second += weight;
                return;
            }
        }
        if (m_used < static_cast<int>(m_slots.size())) {
            m_slots[m_used++] = {key, weight};
            return;
        }
        auto weakest = std::min_element(m_slots.begin(), m_slots.end(),
                                        [](const auto& a, const auto& b) { return a.second < b.second; });
        *weakest = {key, weight};
    }
    struct Top2 {
        std::uint32_t key = 0;
        std::uint32_t key2 = 0; // equals key when there is only one
        double share = 1;       // key's share of the two
    };
    // The two heaviest keys.
    [[nodiscard]] Top2 top2() const
    {
        int a = -1;
        int b = -1;
        for (int i = 0; i < m_used; ++i) {
            if (a < 0 || m_slots[i].second > m_slots[a].second) {
                b = a;
                a = i;
            } else if (b < 0 || m_slots[i].second > m_slots[b].second) {
                b = i;
            }
        }
        if (a < 0) return {};
        if (b < 0) return {m_slots[a].first, m_slots[a].first, 1};
        const double wa = m_slots[a].second;
        const double wb = m_slots[b].second;
        return {m_slots[a].first, m_slots[b].first, wa / (wa + wb)};
    }

private:
    std::array<std::pair<std::uint32_t, double>, 8> m_slots{};
    int m_used = 0;
};

// Folds one lane. `startOf(i)` is the start of interval i (sorted), interval i lasts until
// startOf(i + 1), the last one until `endTs`.
template <typename StartOf, typename KeyOf>
void foldLane(std::uint32_t lane, std::size_t n, const StartOf& startOf, const KeyOf& keyOf, double endTs,
              const TimelineGeometry& g, double foldPx, std::vector<DrawSpan>& out)
{
    const double maxFoldPx = foldPx * TimelineRenderOptions::kMaxFoldFactor;
    const int kSamplesPerBucket = std::clamp(static_cast<int>(std::lround(foldPx)), 1, 8);
    if (n == 0) return;
    const double t0 = g.viewStart;
    const double t1 = g.viewEnd();
    const double left = g.plotLeft - 2;
    const double right = g.plotRight() + 2;
    auto endOf = [&](std::size_t i) {
        const double s = static_cast<double>(startOf(i));
        return i + 1 < n ? static_cast<double>(startOf(i + 1)) : std::max(endTs, s);
    };
    auto widthPx = [&](std::size_t i) { return (endOf(i) - static_cast<double>(startOf(i))) / g.nsPerPx; };
    auto emit = [&](double x0, double x1, DrawSpan span) {
        span.x0 = static_cast<float>(std::max(x0, left));
        span.x1 = static_cast<float>(std::min(x1, right));
        if (span.x1 >= span.x0) out.push_back(span);
    };

    std::size_t i = firstAfter(0, n, t0, startOf);
    i = i > 0 ? i - 1 : 0; // the interval covering t0
    while (i < n) {
        const double s = static_cast<double>(startOf(i));
        if (s >= t1) break;
        const double e = endOf(i);
        if (e <= t0 && i + 1 < n) { // cannot happen after the search, but keeps the walk robust
            ++i;
            continue;
        }
        if (widthPx(i) >= foldPx) {
            DrawSpan span;
            span.lane = lane;
            span.key = span.key2 = keyOf(i);
            span.item = static_cast<std::uint32_t>(i);
            emit(g.xOf(s), g.xOf(e), span);
            ++i;
            continue;
        }
        // A fold: walk one fold width at a time. Every interval starting inside the current bucket
        // joins the fold, except a last one that is itself wide (it is drawn on its own).
        KeyTally tally;
        std::size_t j = i;
        std::uint64_t count = 0;
        for (;;) {
            const double bx = g.xOf(static_cast<double>(startOf(j)));
            const std::size_t k = gallopAtOrAfter(j + 1, n, g.timeAt(bx + foldPx), startOf);
            std::size_t stop = k; // intervals [j, stop) join the fold
            const std::size_t last = k - 1;
            if (last > j && widthPx(last) >= foldPx) stop = last;
            // Sample the intervals under the bucket (one sample per pixel): the fold's colours and
            // their proportions come from these votes.
            for (int sample = 0; sample < kSamplesPerBucket; ++sample) {
                const double sx = bx + (sample + 0.5) * foldPx / kSamplesPerBucket;
                std::size_t m = firstAfter(j, stop, g.timeAt(sx), startOf);
                m = m > j ? m - 1 : j;
                tally.add(keyOf(m), 1);
            }
            count += stop - j;
            j = stop;
            if (stop != k) break; // a wide interval follows
            if (j >= n) break;    // end of the lane
            if (static_cast<double>(startOf(j)) >= t1) break;
            if (widthPx(j) >= foldPx) break;
            // Keep folds short so that a zoomed-out lane still shows how its mix changes over time.
            if (g.xOf(static_cast<double>(startOf(j))) - g.xOf(s) >= maxFoldPx) break;
        }
        const double groupEnd = j < n ? static_cast<double>(startOf(j)) : endOf(n - 1);
        DrawSpan span;
        span.lane = lane;
        span.folded = true;
        span.count = static_cast<std::uint32_t>(std::min<std::uint64_t>(count, UINT32_MAX));
        const KeyTally::Top2 top = tally.top2();
        // Stable order (lower key first = on top), so neighbouring folds stack the same way.
        if (top.key <= top.key2) {
            span.key = top.key;
            span.key2 = top.key2;
            span.share = static_cast<float>(top.share);
        } else {
            span.key = top.key2;
            span.key2 = top.key;
            span.share = static_cast<float>(1 - top.share);
        }
        span.item = static_cast<std::uint32_t>(i);
        emit(g.xOf(s), g.xOf(groupEnd), span);
        i = j;
    }
}

void foldMarkers(std::int32_t lane, const std::vector<EventIndex>& m, const Trace& trace, const TimelineGeometry& g,
                 double px, bool alarm, std::vector<DrawMarker>& out)
{
    const std::size_t n = m.size();
    if (n == 0) return;
    auto tsOf = [&](std::size_t i) { return trace.event(m[i]).ts; };
    const double tEnd = g.timeAt(g.plotRight() + px);
    std::size_t j = firstAtOrAfter(0, n, g.timeAt(g.plotLeft - px), tsOf);
    while (j < n) {
        const double ts = static_cast<double>(tsOf(j));
        if (ts > tEnd) break;
        const double x = g.xOf(ts);
        const std::size_t k = gallopAtOrAfter(j + 1, n, g.timeAt(x + px), tsOf);
        DrawMarker mk;
        mk.x = static_cast<float>(x);
        mk.lane = lane;
        mk.count = static_cast<std::uint32_t>(k - j);
        mk.event = m[j];
        mk.kind = trace.event(m[j]).kind;
        mk.alarm = alarm;
        out.push_back(mk);
        j = k;
    }
}

std::uint32_t categoryKey(State s) { return static_cast<std::uint32_t>(stateCategory(s)); }

// `c` faded `amount` of the way into the page (lighter on a light page, darker on a dark one).
QColor faded(const QColor& c, double amount)
{
    const QColor bg = Palette::background();
    const auto mix = [amount](double a, double b) { return static_cast<float>(a + (b - a) * amount); };
    return QColor::fromRgbF(mix(c.redF(), bg.redF()), mix(c.greenF(), bg.greenF()), mix(c.blueF(), bg.blueF()));
}

QColor holderColor(const TimelineIndex& index, std::uint32_t key)
{
    if (key == DrawSpan::kFree) return Palette::grid();
    const int lane = index.laneOf(ActorId(key));
    const int series = lane >= 0 ? index.lanes()[static_cast<std::size_t>(lane)].series : -1;
    return Palette::seriesColor(series >= 0 ? series : static_cast<int>(key));
}

QColor keyColor(const TimelineIndex& index, LaneKind kind, std::uint32_t key)
{
    if (kind == LaneKind::Executor)
        return Palette::style(static_cast<StateCategory>(std::min<std::uint32_t>(key, 7))).fill;
    return holderColor(index, key);
}

bool isThinCategory(std::uint32_t key)
{
    const auto c = static_cast<StateCategory>(key);
    return c == StateCategory::Done || c == StateCategory::Idle;
}

// A rounded label ("pill") with text, centred at (cx, cy), kept inside `within`.
QRectF pillRect(const QString& text, const QFont& font, double cx, double cy, const QRectF& within, double scale)
{
    const QFontMetricsF fm(font);
    const double w = fm.horizontalAdvance(text) + 12 * scale;
    const double h = fm.height() + 4 * scale;
    QRectF r(cx - w / 2, cy - h / 2, w, h);
    if (r.left() < within.left()) r.moveLeft(within.left());
    if (r.right() > within.right()) r.moveRight(within.right());
    return r;
}

void drawPill(QPainter& p, const QString& text, const QFont& font, double cx, double cy, const QColor& bg,
              const QColor& fg, const QRectF& within, double scale)
{
    const QRectF r = pillRect(text, font, cx, cy, within, scale);
    const double h = r.height();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(Qt::NoPen);
    p.setBrush(bg);
    p.drawRoundedRect(r, h / 2, h / 2);
    p.setPen(fg);
    p.setFont(font);
    p.drawText(r, Qt::AlignCenter, text);
    p.setRenderHint(QPainter::Antialiasing, false);
}

QString spanText(const Trace& trace, const StateSpan& span)
{
    const StateStyle& st = Palette::style(span.state);
    QString text = st.glyph + QLatin1Char(' ') + Palette::stateLabel(span.state);
    if (span.target.valid()) text += QStringLiteral(" \u00B7 ") + qstr(trace.actorName(span.target));
    return text;
}

QString holderText(const Trace& trace, ActorId holder, std::uint32_t holders)
{
    QString text = qstr(trace.actorName(holder));
    if (holders > 1) text += QStringLiteral(" +%1").arg(holders - 1);
    return text;
}

// ---- painting pieces -------------------------------------------------------------------------------

void paintHeader(QPainter& p, const Trace& trace, const TimelineLayout& l, const TimelineRenderOptions& o)
{
    if (l.header.isEmpty()) return;
    const double s = l.scale();
    const double margin = 16 * s;
    p.fillRect(l.header, Palette::panel());
    p.setPen(Palette::border());
    p.drawLine(QPointF(l.header.left(), l.header.bottom() - 0.5), QPointF(l.header.right(), l.header.bottom() - 0.5));

    const QFont titleFont = Palette::titleFont(s);
    const QFont subFont = Palette::uiFont(s);
    const QFontMetricsF tfm(titleFont);
    QString stats = QLocale().toString(static_cast<qulonglong>(trace.eventCount())) + QLatin1Char(' ') +
                    QCoreApplication::translate("TimelineRenderer", "events") + QStringLiteral("  \u00B7  ") +
                    TimelineGeometry::formatDuration(static_cast<double>(trace.endTs()));
    const double statsW = QFontMetricsF(subFont).horizontalAdvance(stats);
    const QRectF textArea(margin, l.header.top(), l.header.width() - 3 * margin - statsW, l.header.height());

    p.setPen(Palette::foreground());
    p.setFont(titleFont);
    const double titleTop = l.header.top() + 8 * s;
    p.drawText(QRectF(textArea.left(), titleTop, textArea.width(), tfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
               tfm.elidedText(o.title, Qt::ElideRight, textArea.width()));
    if (!o.subtitle.isEmpty()) {
        p.setPen(Palette::mutedText());
        p.setFont(subFont);
        const QFontMetricsF sfm(subFont);
        p.drawText(QRectF(textArea.left(), titleTop + tfm.height() + 2 * s, textArea.width(), sfm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, sfm.elidedText(o.subtitle, Qt::ElideRight, textArea.width()));
    }
    p.setPen(Palette::mutedText());
    p.setFont(subFont);
    p.drawText(QRectF(l.header.right() - margin - statsW, titleTop, statsW, tfm.height()),
               Qt::AlignRight | Qt::AlignVCenter, stats);
}

void paintLaneBackgrounds(QPainter& p, const TimelineIndex& index, const TimelineLayout& l,
                          const TimelineRenderOptions& o)
{
    const auto& lanes = index.lanes();
    for (std::size_t i = 0; i < lanes.size() && i < l.lanes.size(); ++i) {
        const auto& b = l.lanes[i];
        const QRectF row(0, b.top, l.plot.right(), b.height);
        if (static_cast<int>(i) == o.hoverLane)
            p.fillRect(row, faded(Palette::accent(), 0.88));
        else if (i % 2 == 1)
            p.fillRect(row, Palette::panel());
    }
    if (l.separatorY >= 0) {
        p.setPen(QPen(Palette::border(), std::max(1.0, l.scale())));
        p.drawLine(QPointF(0, l.separatorY), QPointF(l.plot.right(), l.separatorY));
    }
}

void paintGrid(QPainter& p, const TimelineLayout& l, const std::vector<AxisTick>& ticks)
{
    for (const AxisTick& t : ticks) {
        if (t.x < l.plot.left() || t.x > l.plot.right()) continue;
        p.setPen(QPen(t.major ? Palette::border() : Palette::grid(), 1));
        p.drawLine(QPointF(t.x, l.plot.top()), QPointF(t.x, l.contentBottom()));
    }
}

void paintSpans(QPainter& p, const Trace& trace, const TimelineIndex& index, const TimelineLayout& l,
                const TimelineDrawList& list)
{
    const double s = l.scale();
    const QFont font = Palette::uiFont(s * 0.9);
    const QFontMetricsF fm(font);
    const double minTextW = 18 * s;
    p.setFont(font);
    const auto& lanes = index.lanes();
    for (const DrawSpan& d : list.spans) {
        if (d.lane >= lanes.size() || d.lane >= l.lanes.size()) continue;
        const Lane& lane = lanes[d.lane];
        const auto& box = l.lanes[d.lane];
        const double pad = std::max(1.0, box.height * 0.14);
        const double x0 = d.x0;
        const double w = std::max(1.0, static_cast<double>(d.x1 - d.x0));
        const QRectF full(x0, box.top + pad, w, box.height - 2 * pad);

        if (d.folded) {
            // Stacked: the two most frequent colours, each as tall as its share of the time, so a
            // thrashing lane (running <-> ready under the GIL) reads as a mix and its proportion,
            // like a small area chart, not as one state.
            const QColor c1 = keyColor(index, lane.kind, d.key);
            const QColor c2 = keyColor(index, lane.kind, d.key2);
            if (d.key == d.key2) {
                p.fillRect(full, c1);
            } else {
                const double split = full.height() * std::clamp(static_cast<double>(d.share), 0.0, 1.0);
                p.fillRect(QRectF(full.left(), full.top(), full.width(), split), c1);
                p.fillRect(QRectF(full.left(), full.top() + split, full.width(), full.height() - split), c2);
            }
            if (w >= minTextW * 2.5) {
                const QString text = QStringLiteral("\u00D7") + QLocale().toString(d.count);
                if (fm.horizontalAdvance(text) + 8 * s <= w) {
                    const QColor bg = d.share >= 0.5f ? c1 : c2;
                    const double top = d.share >= 0.5f ? full.top() : full.top() + full.height() * d.share;
                    const double h = full.height() * (d.share >= 0.5f ? d.share : 1 - d.share);
                    p.setPen(Palette::inkOn(bg));
                    p.drawText(QRectF(full.left(), top, full.width(), h), Qt::AlignCenter, text);
                }
            }
            continue;
        }

        if (lane.kind == LaneKind::Executor) {
            const StateStyle& st = Palette::style(static_cast<StateCategory>(std::min<std::uint32_t>(d.key, 7)));
            if (isThinCategory(d.key)) {
                const double h = std::max(2.0, box.height * 0.14);
                p.fillRect(QRectF(x0, box.top + (box.height - h) / 2, w, h), st.fill);
                continue;
            }
            p.fillRect(full, st.fill);
            if (w >= minTextW) {
                const auto& spans = trace.spans(lane.actor);
                if (d.item < spans.size()) {
                    const QString text = spanText(trace, spans[d.item]);
                    const QRectF textRect = full.adjusted(4 * s, 0, -4 * s, 0);
                    p.setPen(st.ink);
                    if (fm.horizontalAdvance(text) <= textRect.width())
                        p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, text);
                    else if (fm.horizontalAdvance(st.glyph) <= textRect.width())
                        p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, st.glyph);
                }
            }
            continue;
        }

        // GIL / lock lanes: the holder's colour; nothing while free. Drawn as rounded blocks with a
        // hairline gap, so that consecutive holders read as separate turns and the lane is not
        // mistaken for a state lane.
        if (d.key == DrawSpan::kFree) continue;
        const QColor c = holderColor(index, d.key);
        if (w >= 4) {
            p.setRenderHint(QPainter::Antialiasing, true);
            p.setPen(Qt::NoPen);
            p.setBrush(c);
            const double r = std::min(4 * s, full.height() / 3);
            p.drawRoundedRect(full.adjusted(0.5, 0, -0.5, 0), r, r);
            p.setRenderHint(QPainter::Antialiasing, false);
        } else {
            p.fillRect(full, c);
        }
        const auto& holds = index.holds(lane.actor);
        if (w >= minTextW && d.item < holds.size()) {
            const QString text = holderText(trace, holds[d.item].holder, holds[d.item].holders);
            const QRectF textRect = full.adjusted(4 * s, 0, -4 * s, 0);
            if (fm.horizontalAdvance(text) <= textRect.width()) {
                p.setPen(Palette::inkOn(c));
                p.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, text);
            }
        }
    }
}

void paintLaneMarkers(QPainter& p, const TimelineLayout& l, const TimelineDrawList& list)
{
    const double size = TimelineRenderer::markerSize(l.scale());
    // Ordinary markers first, alarms (errors) on top.
    for (const bool alarms : {false, true}) {
        for (const DrawMarker& m : list.markers) {
            if (m.lane < 0 || m.alarm != alarms) continue;
            if (static_cast<std::size_t>(m.lane) >= l.lanes.size()) continue;
            const auto& box = l.lanes[static_cast<std::size_t>(m.lane)];
            const double sz = std::min(size, box.height * 0.6);
            MarkerStyle::paint(p, MarkerStyle::of(m.kind), QPointF(m.x, box.top + sz / 2 + 1), sz);
        }
    }
}

// Markers that concern the whole run: a line across every lane and, for deadlocks and stalls, a
// named flag in the flags strip above the lanes (so it never covers a lane's own labels).
void paintGlobalMarkers(QPainter& p, const TimelineLayout& l, const TimelineDrawList& list)
{
    const double s = l.scale();
    const QFont font = Palette::smallFont(s);
    const QFontMetricsF fm(font);
    const double top = l.flags.isEmpty() ? l.plot.top() : l.flags.top();
    for (const DrawMarker& m : list.markers) {
        if (m.lane >= 0) continue;
        const MarkerStyle style = MarkerStyle::of(m.kind);
        const bool loud = m.kind == EventKind::Deadlock || m.kind == EventKind::Stalled || m.kind == EventKind::Error;
        const bool dashed = style.shape == MarkerShape::DashedLine || !loud;
        p.setPen(QPen(style.color, loud ? 2 * s : 1 * s, dashed ? Qt::DashLine : Qt::SolidLine));
        p.drawLine(QPointF(m.x, top + (loud && !l.flags.isEmpty() ? l.flags.height() / 2 : 0)),
                   QPointF(m.x, l.contentBottom()));
        if (!loud || l.flags.isEmpty()) {
            MarkerStyle::paint(p, style, QPointF(m.x, top + TimelineRenderer::markerSize(s) / 2 + 1),
                               TimelineRenderer::markerSize(s));
            continue;
        }
        QString text = QStringLiteral("\u26A0 ") + style.label;
        if (m.count > 1) text += QStringLiteral(" \u00D7%1").arg(m.count);
        // The flag hangs to the right of its line, or to the left near the right edge.
        const double w = fm.horizontalAdvance(text) + 12 * s;
        const double cx = m.x + w / 2 <= l.flags.right() ? m.x + w / 2 : m.x - w / 2;
        drawPill(p, text, font, cx, l.flags.center().y(), style.color, Palette::background(), l.flags, s);
    }
}

void paintLabels(QPainter& p, const Trace& trace, const TimelineIndex& index, const TimelineLayout& l,
                 const TimelineRenderOptions& o)
{
    const double s = l.scale();
    const QFont nameFont = Palette::uiFont(s);
    QFont rootFont = nameFont;
    rootFont.setWeight(QFont::DemiBold);
    const QFont kindFont = Palette::smallFont(s);
    const QFontMetricsF nfm(nameFont);
    const QFontMetricsF kfm(kindFont);
    const bool chips = std::any_of(index.lanes().begin(), index.lanes().end(),
                                   [](const Lane& lane) { return lane.kind != LaneKind::Executor; });

    p.setPen(QPen(Palette::border(), 1));
    p.drawLine(QPointF(l.labels.right() - 0.5, l.axis.top()), QPointF(l.labels.right() - 0.5, l.contentBottom()));

    const auto& lanes = index.lanes();
    for (std::size_t i = 0; i < lanes.size() && i < l.lanes.size(); ++i) {
        const Lane& lane = lanes[i];
        const auto& box = l.lanes[i];
        const ActorInfo* info = trace.actor(lane.actor);
        const QString name = qstr(trace.actorName(lane.actor));
        QString kind = info ? kindLabel(info->kind) : QString();
        if (kind.compare(name, Qt::CaseInsensitive) == 0) kind.clear(); // "GIL  GIL"
        // A resource that belongs to someone (each process has its own GIL) says whose it is.
        if (lane.kind != LaneKind::Executor && info && info->parent.valid()) {
            const QString owner = qstr(trace.actorName(info->parent));
            kind = kind.isEmpty() ? owner : kind + QStringLiteral(" \u00B7 ") + owner;
        }
        double x = 10 * s + lane.depth * 14 * s;
        double right = l.labels.right() - 8 * s;

        if (lane.kind == LaneKind::Executor && chips && lane.series >= 0) {
            // Colour key of this thread in the GIL / lock lanes.
            p.fillRect(QRectF(x, box.top + box.height * 0.2, 4 * s, box.height * 0.6),
                       Palette::seriesColor(lane.series));
            x += 9 * s;
        }
        if (lane.kind == LaneKind::Executor && o.cursor >= 0 && box.height >= 16 * s) {
            // State at the cursor as a glyph badge: the lane says what it is doing in words, too.
            const State st = trace.stateAt(lane.actor, o.cursor);
            const StateStyle& style = Palette::style(st);
            const double d = std::min(box.height * 0.62, 22 * s);
            const QRectF badge(right - d, box.top + (box.height - d) / 2, d, d);
            p.setRenderHint(QPainter::Antialiasing, true);
            p.setPen(Qt::NoPen);
            p.setBrush(style.fill);
            p.drawRoundedRect(badge, 4 * s, 4 * s);
            p.setRenderHint(QPainter::Antialiasing, false);
            p.setPen(style.ink);
            p.setFont(Palette::smallFont(s));
            p.drawText(badge, Qt::AlignCenter, style.glyph);
            right = badge.left() - 6 * s;
        }
        const double avail = std::max(0.0, right - x);
        const QFont& nf = lane.depth == 0 ? rootFont : nameFont;
        const QFontMetricsF fm(nf);
        const bool twoLines = !kind.isEmpty() && box.height >= (nfm.height() + kfm.height()) * 0.98;
        if (twoLines) {
            const double top = box.top + (box.height - nfm.height() - kfm.height()) / 2;
            p.setFont(nf);
            p.setPen(Palette::foreground());
            p.drawText(QRectF(x, top, avail, nfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                       fm.elidedText(name, Qt::ElideRight, avail));
            p.setFont(kindFont);
            p.setPen(Palette::mutedText());
            p.drawText(QRectF(x, top + nfm.height() - 2 * s, avail, kfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                       kfm.elidedText(kind, Qt::ElideRight, avail));
        } else {
            const QFont f = box.height < nfm.height() ? kindFont : nf;
            const QFontMetricsF ffm(f);
            const double kindW = kfm.horizontalAdvance(kind) + 6 * s;
            const bool withKind = ffm.horizontalAdvance(name) + kindW <= avail;
            p.setFont(f);
            p.setPen(Palette::foreground());
            p.drawText(QRectF(x, box.top, avail, box.height), Qt::AlignLeft | Qt::AlignVCenter,
                       ffm.elidedText(name, Qt::ElideRight, avail));
            if (withKind) {
                p.setFont(kindFont);
                p.setPen(Palette::mutedText());
                p.drawText(QRectF(x + ffm.horizontalAdvance(name) + 6 * s, box.top, kindW, box.height),
                           Qt::AlignLeft | Qt::AlignVCenter, kind);
            }
        }
    }
}

// The cursor's time pill on the axis, if the cursor is in view (its labels make way for it).
struct CursorPill {
    QRectF rect;
    QString text;
};

std::optional<CursorPill> cursorPill(const TimelineLayout& l, const TimelineGeometry& g, const TimelineRenderOptions& o)
{
    if (o.cursor < 0) return std::nullopt;
    const double s = l.scale();
    const QFont font = Palette::smallFont(s);
    const double x = g.xOf(static_cast<double>(o.cursor));
    if (x < l.axis.left() - 1 || x > l.axis.right() + 1) return std::nullopt;
    const double step = TimelineGeometry::niceStep(110 * s * g.nsPerPx) / 10;
    const QString text = TimelineGeometry::formatTime(static_cast<double>(o.cursor), step,
                                                      std::max(std::abs(g.viewStart), std::abs(g.viewEnd())));
    const QRectF r = pillRect(text, font, x, l.axis.top() + QFontMetricsF(font).height() / 2 + 4 * s, l.axis, s);
    return CursorPill{r, text};
}

void paintAxis(QPainter& p, const TimelineLayout& l, const std::vector<AxisTick>& ticks, const QRectF& keepClear)
{
    const double s = l.scale();
    const QFont font = Palette::smallFont(s);
    const QFontMetricsF fm(font);
    p.fillRect(QRectF(0, l.axis.top(), l.axis.right() + 1, l.axis.height()), Palette::background());
    p.setPen(QPen(Palette::border(), 1));
    p.drawLine(QPointF(l.axis.left(), l.axis.bottom() - 0.5), QPointF(l.axis.right(), l.axis.bottom() - 0.5));
    p.setFont(font);
    double lastRight = -1e9;
    for (const AxisTick& t : ticks) {
        if (t.x < l.axis.left() - 0.5 || t.x > l.axis.right() + 0.5) continue;
        p.setPen(QPen(t.major ? Palette::foreground() : Palette::mutedText(), 1));
        p.drawLine(QPointF(t.x, l.axis.bottom() - (t.major ? 8 : 5) * s), QPointF(t.x, l.axis.bottom()));
        const double w = fm.horizontalAdvance(t.label);
        QRectF r(t.x - w / 2, l.axis.top() + 4 * s, w, fm.height());
        if (r.left() < l.axis.left()) r.moveLeft(l.axis.left() + 2 * s);
        if (r.right() > l.axis.right()) r.moveRight(l.axis.right() - 2 * s);
        if (r.left() < lastRight + 8 * s) continue; // never overlap labels
        if (!keepClear.isNull() && r.adjusted(-4 * s, 0, 4 * s, 0).intersects(keepClear)) continue;
        p.setPen(Palette::foreground());
        p.drawText(r, Qt::AlignCenter, t.label);
        lastRight = r.right();
    }
}

void paintSelectionAndCursor(QPainter& p, const TimelineLayout& l, const TimelineGeometry& g,
                             const TimelineRenderOptions& o, const std::optional<CursorPill>& pill)
{
    const double s = l.scale();
    const QFont font = Palette::smallFont(s);
    const QRectF area(l.axis.left(), l.axis.top(), l.axis.width(), l.contentBottom() - l.axis.top());
    p.save();
    p.setClipRect(area);
    if (o.selectionStart >= 0 && o.selectionEnd >= 0 && o.selectionStart != o.selectionEnd) {
        const double a = std::min(o.selectionStart, o.selectionEnd);
        const double b = std::max(o.selectionStart, o.selectionEnd);
        const double x0 = g.xOf(a);
        const double x1 = g.xOf(b);
        p.fillRect(QRectF(x0, area.top(), x1 - x0, area.height()), Palette::selection());
        p.setPen(QPen(Palette::accent(), 1.5 * s));
        p.drawLine(QPointF(x0, area.top()), QPointF(x0, area.bottom()));
        p.drawLine(QPointF(x1, area.top()), QPointF(x1, area.bottom()));
        const QString text = QStringLiteral("\u0394 ") + TimelineGeometry::formatDuration(b - a);
        drawPill(p, text, font, (std::max(x0, area.left()) + std::min(x1, area.right())) / 2,
                 l.axis.bottom() - QFontMetricsF(font).height() / 2 - 3 * s, Palette::accent(), Palette::background(),
                 l.axis, s);
    }
    if (pill) {
        const double x = g.xOf(static_cast<double>(o.cursor));
        p.setPen(QPen(Palette::accent(), 2 * s));
        p.drawLine(QPointF(x, l.axis.bottom() - 4 * s), QPointF(x, area.bottom()));
        drawPill(p, pill->text, font, x, pill->rect.center().y(), Palette::accent(), Palette::background(), l.axis, s);
    }
    p.restore();
}

void paintLegend(QPainter& p, const TimelineIndex& index, const TimelineLayout& l)
{
    if (l.legend.isEmpty()) return;
    const double s = l.scale();
    p.fillRect(l.legend, Palette::panel());
    p.setPen(QPen(Palette::border(), 1));
    p.drawLine(QPointF(l.legend.left(), l.legend.top() + 0.5), QPointF(l.legend.right(), l.legend.top() + 0.5));
    const QFont font = Palette::uiFont(s * 0.9);
    const QFontMetricsF fm(font);
    const double cy = l.legend.center().y();
    const double sw = 22 * s;
    double x = l.legend.left() + 14 * s;
    const double right = l.legend.right() - 10 * s;

    for (StateCategory c : kAllStateCategories) {
        const StateStyle& st = Palette::style(c);
        const double w = sw + 6 * s + fm.horizontalAdvance(st.label);
        if (x + w > right) return;
        const QRectF swatch(x, cy - sw / 2, sw, sw);
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(QPen(Palette::border(), 1));
        p.setBrush(st.fill);
        p.drawRoundedRect(swatch, 4 * s, 4 * s);
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(st.ink);
        p.setFont(Palette::smallFont(s));
        p.drawText(swatch, Qt::AlignCenter, st.glyph);
        p.setPen(Palette::foreground());
        p.setFont(font);
        p.drawText(QRectF(x + sw + 6 * s, l.legend.top(), w, l.legend.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   st.label);
        x += w + 18 * s;
    }

    // Markers that occur in this trace (one entry per distinct label).
    const std::uint64_t kinds = index.markerKinds();
    QStringList seen;
    bool first = true;
    for (unsigned k = 0; k < 64; ++k) {
        if (!(kinds & (std::uint64_t{1} << k))) continue;
        const MarkerStyle style = MarkerStyle::of(static_cast<EventKind>(k));
        if (seen.contains(style.label)) continue;
        seen << style.label;
        const double w = 16 * s + fm.horizontalAdvance(style.label);
        if (x + w + (first ? 14 * s : 0) > right) return;
        if (first) {
            p.setPen(QPen(Palette::border(), 1));
            p.drawLine(QPointF(x, cy - sw / 2), QPointF(x, cy + sw / 2));
            x += 14 * s;
            first = false;
        }
        MarkerStyle::paint(p, style, QPointF(x + 5 * s, cy), TimelineRenderer::markerSize(s));
        p.setPen(Palette::foreground());
        p.setFont(font);
        p.drawText(QRectF(x + 18 * s, l.legend.top(), w, l.legend.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   style.label);
        x += w + 20 * s;
    }

    // Resource lanes are coloured by holder: say so once.
    const bool resources = std::any_of(index.lanes().begin(), index.lanes().end(),
                                       [](const Lane& lane) { return lane.kind != LaneKind::Executor; });
    if (resources) {
        const QString text = QCoreApplication::translate("TimelineRenderer", "GIL / lock lanes: colour of the holder");
        const double w = 3 * 7 * s + 8 * s + fm.horizontalAdvance(text);
        if (x + w + 14 * s > right) return;
        p.setPen(QPen(Palette::border(), 1));
        p.drawLine(QPointF(x, cy - sw / 2), QPointF(x, cy + sw / 2));
        x += 14 * s;
        for (int i = 0; i < 3; ++i) p.fillRect(QRectF(x + i * 7 * s, cy - sw / 2, 6 * s, sw), Palette::seriesColor(i));
        x += 3 * 7 * s + 8 * s;
        p.setPen(Palette::foreground());
        p.setFont(font);
        p.drawText(QRectF(x, l.legend.top(), w, l.legend.height()), Qt::AlignLeft | Qt::AlignVCenter, text);
    }
}

} // namespace

void TimelineRenderer::build(const Trace& trace, const TimelineIndex& index, const TimelineLayout& layout,
                             const TimelineGeometry& g, const TimelineRenderOptions& options, TimelineDrawList& out)
{
    out.clear();
    const double foldPx = std::max(0.5, options.foldPx);
    const double endTs = static_cast<double>(trace.endTs());
    const double markerPx = markerSize(layout.scale());
    const auto& lanes = index.lanes();
    for (std::size_t li = 0; li < lanes.size(); ++li) {
        const Lane& lane = lanes[li];
        const auto laneNo = static_cast<std::uint32_t>(li);
        if (lane.kind == LaneKind::Executor) {
            const auto& spans = trace.spans(lane.actor);
            foldLane(
                laneNo, spans.size(), [&](std::size_t i) { return spans[i].start; },
                [&](std::size_t i) { return categoryKey(spans[i].state); }, endTs, g, foldPx, out.spans);
        } else {
            const auto& holds = index.holds(lane.actor);
            foldLane(
                laneNo, holds.size(), [&](std::size_t i) { return holds[i].start; },
                [&](std::size_t i) { return holds[i].holder.valid() ? holds[i].holder.value : DrawSpan::kFree; }, endTs,
                g, foldPx, out.spans);
        }
        foldMarkers(static_cast<std::int32_t>(li), index.markers(lane.actor), trace, g, markerPx, false, out.markers);
        foldMarkers(static_cast<std::int32_t>(li), index.alarms(lane.actor), trace, g, markerPx, true, out.markers);
    }
    foldMarkers(-1, index.globalMarkers(), trace, g, markerPx, false, out.markers);
}

void TimelineRenderer::paint(QPainter& p, const Trace& trace, const TimelineIndex& index, const TimelineLayout& l,
                             const TimelineGeometry& g, const TimelineDrawList& list, const TimelineRenderOptions& o)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    p.fillRect(l.bounds, Palette::background());
    paintHeader(p, trace, l, o);
    paintLaneBackgrounds(p, index, l, o);

    const std::vector<AxisTick> ticks = g.ticks(110 * l.scale());
    p.save();
    p.setClipRect(l.plot);
    paintGrid(p, l, ticks);
    paintSpans(p, trace, index, l, list);
    if (o.live) {
        const double x = g.xOf(static_cast<double>(trace.endTs()));
        p.setPen(QPen(Palette::accent(), 1.5 * l.scale(), Qt::DotLine));
        p.drawLine(QPointF(x, l.plot.top()), QPointF(x, l.contentBottom()));
    }
    p.restore();

    p.save();
    p.setClipRect(l.plot.adjusted(-markerSize(l.scale()), 0, markerSize(l.scale()), 0));
    paintLaneMarkers(p, l, list);
    p.restore();
    p.save();
    p.setClipRect(l.flags.isEmpty() ? l.plot : l.flags.united(l.plot));
    paintGlobalMarkers(p, l, list);
    p.restore();

    paintLabels(p, trace, index, l, o);
    const auto pill = cursorPill(l, g, o);
    paintAxis(p, l, ticks, pill ? pill->rect : QRectF());
    paintSelectionAndCursor(p, l, g, o, pill);
    paintLegend(p, index, l);
    p.restore();
}

void TimelineRenderer::render(QPainter& painter, const Trace& trace, const TimelineIndex& index,
                              const TimelineLayout& layout, const TimelineGeometry& geometry,
                              const TimelineRenderOptions& options)
{
    TimelineDrawList list;
    build(trace, index, layout, geometry, options, list);
    paint(painter, trace, index, layout, geometry, list, options);
}

TimelineHit TimelineRenderer::hitTest(const Trace& trace, const TimelineIndex& index, const TimelineLayout& l,
                                      const TimelineGeometry& g, QPointF pt)
{
    TimelineHit hit;
    hit.t = g.timeAt(pt.x());
    hit.inPlot = l.plot.contains(pt);
    hit.inLabels = l.labels.contains(pt);
    if (!hit.inPlot && !hit.inLabels) return hit;
    hit.lane = l.laneAt(pt.y());
    const auto& lanes = index.lanes();
    if (hit.lane >= 0 && static_cast<std::size_t>(hit.lane) >= lanes.size()) hit.lane = -1;

    if (hit.inPlot) {
        // Markers first: they sit on top of the spans.
        const double half = markerSize(l.scale()) / 2 + 2;
        auto nearest = [&](const std::vector<EventIndex>& m) {
            auto tsOf = [&](std::size_t i) { return trace.event(m[i]).ts; };
            std::size_t j = firstAtOrAfter(0, m.size(), g.timeAt(pt.x() - half), tsOf);
            EventIndex best;
            double bestD = half;
            for (; j < m.size(); ++j) {
                const double d = g.xOf(static_cast<double>(tsOf(j))) - pt.x();
                if (d > half) break;
                if (std::abs(d) <= bestD) {
                    bestD = std::abs(d);
                    best = m[j];
                }
            }
            return best;
        };
        if (hit.lane >= 0) {
            const Lane& lane = lanes[static_cast<std::size_t>(hit.lane)];
            const auto& box = l.lanes[static_cast<std::size_t>(hit.lane)];
            if (pt.y() <= box.top + markerSize(l.scale()) + 3) {
                hit.marker = nearest(index.alarms(lane.actor));
                if (!hit.marker.valid()) hit.marker = nearest(index.markers(lane.actor));
            }
        }
        if (!hit.marker.valid()) hit.marker = nearest(index.globalMarkers());
    }

    if (hit.lane < 0 || !hit.inPlot) return hit;
    const Lane& lane = lanes[static_cast<std::size_t>(hit.lane)];
    if (hit.t < 0 || hit.t > static_cast<double>(trace.endTs())) return hit;
    const auto t = static_cast<std::int64_t>(std::floor(hit.t));
    if (lane.kind == LaneKind::Executor) {
        const auto i = trace.spanAt(lane.actor, t);
        if (!i) return hit;
        const StateSpan& span = trace.spans(lane.actor)[*i];
        hit.onSpan = true;
        hit.spanStart = span.start;
        hit.spanEnd = trace.spanEnd(lane.actor, *i);
        hit.state = span.state;
        hit.target = span.target;
    } else {
        const auto& h = index.holds(lane.actor);
        auto it =
            std::upper_bound(h.begin(), h.end(), t, [](std::int64_t v, const HoldChange& c) { return v < c.start; });
        if (it == h.begin()) return hit;
        const auto prev = std::prev(it);
        hit.onSpan = true;
        hit.spanStart = prev->start;
        hit.spanEnd = it != h.end() ? it->start : std::max(trace.endTs(), prev->start);
        hit.holder = prev->holder;
        hit.holders = prev->holders;
    }
    return hit;
}

QString TimelineRenderer::describe(const Trace& trace, const TimelineIndex& index, const TimelineHit& hit)
{
    auto esc = [](const QString& s) { return s.toHtmlEscaped(); };
    auto name = [&](ActorId id) { return esc(qstr(trace.actorName(id))); };
    const auto fmt = [](double ns) { return TimelineGeometry::formatDuration(ns); };

    if (hit.marker.valid() && hit.marker.value < trace.eventCount()) {
        const Event& e = trace.event(hit.marker);
        const MarkerStyle style = MarkerStyle::of(e.kind);
        QString html = QStringLiteral("<b>") + esc(style.label) + QStringLiteral("</b>");
        if (e.actor.valid()) html += QStringLiteral(" \u2014 ") + name(e.actor);
        if (e.target.valid() && e.target != e.actor) html += QStringLiteral(" \u2192 ") + name(e.target);
        html += QStringLiteral("<br>") +
                QCoreApplication::translate("TimelineRenderer", "at %1").arg(fmt(static_cast<double>(e.ts)));
        if (e.kind == EventKind::Notify) html += QStringLiteral("<br>n = %1").arg(e.value);
        const auto text = trace.text(e);
        if (!text.empty()) html += QStringLiteral("<br>") + esc(EngineText::display(text));
        if (e.line > 0)
            html += QStringLiteral("<br>") + QCoreApplication::translate("TimelineRenderer", "line %1").arg(e.line);
        return html;
    }
    if (hit.lane < 0 || static_cast<std::size_t>(hit.lane) >= index.lanes().size()) return {};
    const Lane& lane = index.lanes()[static_cast<std::size_t>(hit.lane)];
    const ActorInfo* info = trace.actor(lane.actor);
    QString html = QStringLiteral("<b>") + name(lane.actor) + QStringLiteral("</b>");
    if (info) html += QStringLiteral(" <i>") + esc(kindLabel(info->kind)) + QStringLiteral("</i>");
    if (!hit.onSpan) return html;
    const QString when =
        QCoreApplication::translate("TimelineRenderer", "from %1 for %2")
            .arg(fmt(static_cast<double>(hit.spanStart)), fmt(static_cast<double>(hit.spanEnd - hit.spanStart)));
    if (lane.kind == LaneKind::Executor) {
        const StateStyle& st = Palette::style(hit.state);
        html += QStringLiteral("<br>") + esc(st.glyph) + QLatin1Char(' ') + esc(Palette::stateLabel(hit.state));
        if (hit.target.valid()) {
            html += QStringLiteral("<br>") +
                    QCoreApplication::translate("TimelineRenderer", "waits for %1").arg(name(hit.target));
            const auto t = static_cast<std::int64_t>(hit.t);
            const ActorId holder = index.holderAt(hit.target, t);
            if (holder.valid() && holder != lane.actor)
                html += QLatin1Char(' ') +
                        QCoreApplication::translate("TimelineRenderer", "(held by %1)").arg(name(holder));
        }
        html += QStringLiteral("<br>") + when;
        return html;
    }
    if (hit.holder.valid()) {
        html += QStringLiteral("<br>") +
                QCoreApplication::translate("TimelineRenderer", "held by %1").arg(name(hit.holder));
        if (hit.holders > 1)
            html +=
                QLatin1Char(' ') + QCoreApplication::translate("TimelineRenderer", "and %1 more").arg(hit.holders - 1);
    } else {
        html += QStringLiteral("<br>") + QCoreApplication::translate("TimelineRenderer", "free");
    }
    html += QStringLiteral("<br>") + when;
    return html;
}

} // namespace lockstep::ui
