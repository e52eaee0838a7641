#include "views/GilView.h"

#include "render/EngineText.h"
#include "render/Palette.h"
#include "render/ViewPainter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace lockstep::ui {

namespace {

void drawFlag(QPainter& p, const QRectF& r, bool raised, const QColor& on, const QColor& off)
{
    p.save();
    const QColor c = raised ? on : off;
    p.setPen(QPen(c, r.width() * 0.08, Qt::SolidLine, Qt::RoundCap));
    p.drawLine(QPointF(r.left() + r.width() * 0.2, r.top()), QPointF(r.left() + r.width() * 0.2, r.bottom()));
    QPainterPath flag;
    const double top = raised ? r.top() : r.top() + r.height() * 0.45;
    flag.moveTo(r.left() + r.width() * 0.2, top);
    flag.lineTo(r.right(), top + r.height() * 0.2);
    flag.lineTo(r.left() + r.width() * 0.2, top + r.height() * 0.4);
    flag.closeSubpath();
    p.setPen(Qt::NoPen);
    p.setBrush(raised ? on : Qt::transparent);
    if (!raised) p.setPen(QPen(off, r.width() * 0.06));
    p.drawPath(flag);
    p.restore();
}

} // namespace

GilView::GilView(QWidget* parent) : LessonView(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
}

bool GilView::appliesTo(const Trace& trace) const
{
    return std::any_of(trace.actors().begin(), trace.actors().end(),
                       [](const ActorInfo& a) { return a.kind == ActorKind::Gil; });
}

QString GilView::title() const { return tr("GIL"); }

void GilView::setTrace(std::shared_ptr<const Trace> trace)
{
    if (m_replay.setTrace(std::move(trace))) {
        m_inferredIntervalNs = -1;
        m_inferredSamples = 0;
    }
    inferInterval();
    refresh();
}

void GilView::inferInterval()
{
    // A waiter sets the drop request when its timed wait of one interval expires without a switch
    // (CPython's take_gil), so the delay from the later of its request and the last switch to its
    // drop request is the interval plus wake-up latency, never less: the smallest of a few delays
    // is the best estimate (a loaded machine only adds latency).
    constexpr int kWanted = 16;
    const Trace* t = m_replay.trace();
    if (!t || m_inferredSamples >= kWanted) return;
    std::vector<std::int64_t> samples;
    for (const ActorInfo& a : t->actors()) {
        if (a.kind != ActorKind::Gil) continue;
        std::vector<std::pair<ActorId, std::int64_t>> pending;
        std::int64_t lastTaken = 0;
        const auto& idx = t->eventsOf(a.id);
        for (std::size_t i = 0; i < idx.size() && i < 20'000 && samples.size() < kWanted; ++i) {
            const Event& e = t->event(idx[i]);
            auto it = std::find_if(pending.begin(), pending.end(), [&](auto& p) { return p.first == e.actor; });
            if (e.kind == EventKind::GilRequest && it == pending.end()) {
                pending.emplace_back(e.actor, e.ts);
            } else if (e.kind == EventKind::GilTaken) {
                if (it != pending.end()) pending.erase(it);
                lastTaken = e.ts;
            } else if (e.kind == EventKind::GilDropRequest && it != pending.end()) {
                samples.push_back(e.ts - std::max(it->second, lastTaken));
            }
        }
    }
    if (samples.empty()) return;
    m_inferredIntervalNs = *std::min_element(samples.begin(), samples.end());
    m_inferredSamples = static_cast<int>(samples.size());
}

std::int64_t GilView::intervalNs() const
{
    const GilModel& m = m_replay.model();
    if (m.intervalFromTrace() || m_inferredIntervalNs <= 0) return m.intervalNs();
    return m_inferredIntervalNs;
}

void GilView::setCursor(std::int64_t ts)
{
    m_cursor = ts;
    refresh();
}

void GilView::refresh()
{
    m_replay.seek(m_cursor);
    update();
}

std::int64_t GilView::now() const
{
    const Trace* t = m_replay.trace();
    return t ? std::min(m_cursor, t->endTs()) : 0;
}

QString GilView::name(ActorId id) const
{
    const Trace* t = m_replay.trace();
    return t ? ViewPainter::actorName(*t, id) : QString();
}

QString GilView::holderName() const
{
    const auto& gils = m_replay.model().gils();
    return gils.empty() || !gils.front().holder.valid() ? QString() : name(gils.front().holder);
}

std::uint64_t GilView::switches() const
{
    const auto& gils = m_replay.model().gils();
    return gils.empty() ? 0 : gils.front().switches;
}

bool GilView::dropRequested() const
{
    const auto& gils = m_replay.model().gils();
    return !gils.empty() && gils.front().dropRequested;
}

QStringList GilView::waiterNames() const
{
    QStringList out;
    const auto& gils = m_replay.model().gils();
    if (gils.empty()) return out;
    for (const auto* m : m_replay.model().waiters(gils.front())) out << name(m->thread);
    return out;
}

void GilView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(rect(), Palette::background());
    const auto& gils = m_replay.model().gils();
    if (!m_replay.trace() || gils.empty()) {
        ViewPainter::emptyState(p, rect(), tr("No thread has asked for the GIL yet."), viewScale());
        return;
    }
    const double u = QFontMetricsF(Palette::uiFont(m_scale)).height();
    QRectF all = QRectF(rect()).adjusted(u * 0.7, u * 0.7, -u * 0.7, -u * 0.7);
    // The run found no free core for the effect this lesson shows: say so above everything, in
    // the alarm colour, so nobody reads "no convoy" as CPython's behaviour on a quiet machine.
    if (const std::string& note = m_replay.model().machineNote(); !note.empty()) {
        QFont bold = Palette::uiFont(m_scale);
        bold.setBold(true);
        p.setFont(bold);
        const QString text = QStringLiteral("\u26A0 ") + EngineText::display(note);
        const QRectF box = p.boundingRect(QRectF(all.left(), all.top(), all.width(), u * 4),
                                          Qt::AlignLeft | Qt::TextWordWrap, text);
        p.setPen(Palette::alarm());
        p.drawText(QRectF(all.left(), all.top(), all.width(), box.height()), Qt::AlignLeft | Qt::TextWordWrap, text);
        all.setTop(all.top() + box.height() + u * 0.5);
    }
    // One panel per GIL, in a grid (processes have one GIL each).
    const int n = static_cast<int>(gils.size());
    const int cols = n == 1 ? 1 : (all.width() > all.height() ? std::min(n, 2 + (n > 4)) : 1 + (n > 2));
    const int rows = (n + cols - 1) / cols;
    const double gap = u * 0.7;
    const double w = (all.width() - (cols - 1) * gap) / cols;
    const double h = (all.height() - (rows - 1) * gap) / rows;
    // Type grows with the panel: one GIL on a projector gets big, four per-process GILs stay legible.
    const double fontScale = std::clamp(std::min(w / (u * 34), h / (u * 19)), 0.6, 1.9);
    for (int i = 0; i < n; ++i) {
        const QRectF r(all.left() + (i % cols) * (w + gap), all.top() + (i / cols) * (h + gap), w, h);
        paintGil(p, r, gils[static_cast<std::size_t>(i)], fontScale);
    }
}

void GilView::paintGil(QPainter& p, const QRectF& r, const GilModel::Gil& g, double fontScale) const
{
    const GilModel& model = m_replay.model();
    const double s = m_scale * fontScale;
    const QFont base = Palette::uiFont(s);
    const double u = QFontMetricsF(base).height();
    const std::int64_t t = now();
    ViewPainter::card(p, r, Palette::panel(), QColor(), u * 0.5);
    p.save();
    p.setClipRect(r);
    const QRectF in = r.adjusted(u, u * 0.7, -u, -u * 0.7);

    QFont big = ViewPainter::resized(base, 1.35);
    big.setBold(true);
    const double bigH = QFontMetricsF(big).height();
    // Title row.
    QString title = name(g.id);
    const ActorInfo* info = m_replay.trace()->actor(g.id);
    if (info && info->parent.valid()) title = tr("%1 of %2").arg(title, name(info->parent));
    p.setFont(big);
    p.setPen(Palette::foreground());
    p.drawText(QRectF(in.left(), in.top(), in.width(), bigH), Qt::AlignLeft | Qt::AlignVCenter, title);
    p.setFont(base);
    p.setPen(Palette::mutedText());
    p.drawText(QRectF(in.left(), in.top(), in.width(), bigH), Qt::AlignRight | Qt::AlignVCenter,
               tr("switch interval %1%2")
                   .arg(ViewPainter::duration(intervalNs()),
                        model.intervalFromTrace() ? QString()
                                                  : (m_inferredIntervalNs > 0 ? tr(" (measured)") : tr(" (default)"))));

    // Top band: the token with its holder, the drop-request flag, the switch counter.
    const double topY = in.top() + bigH + u * 0.5;
    const double topH = std::clamp(in.height() * 0.36, u * 5, u * 9);
    const double d = std::min(topH, in.width() * 0.22);
    const QRectF token(in.left(), topY + (topH - d) / 2, d, d);
    const bool held = g.holder.valid();
    p.setPen(QPen(held ? Palette::gilColor() : Palette::mutedText(), u * 0.2));
    p.setBrush(held ? Palette::gilColor() : Qt::transparent);
    p.drawEllipse(token);
    QFont tokenFont = ViewPainter::resized(base, std::max(1.0, d / u * 0.3));
    tokenFont.setBold(true);
    p.setFont(tokenFont);
    p.setPen(held ? Palette::background() : Palette::mutedText());
    p.drawText(token, Qt::AlignCenter, QStringLiteral("GIL"));

    const double colX = token.right() + u * 1.2;
    const double counterW = std::min(in.width() * 0.28, u * 11);
    const double colW = in.right() - counterW - colX - u;
    QFont huge = ViewPainter::resized(base, 2.0);
    huge.setBold(true);
    const double hugeH = QFontMetricsF(huge).height();
    double y = topY;
    p.setFont(base);
    p.setPen(Palette::mutedText());
    p.drawText(QRectF(colX, y, colW, u), Qt::AlignLeft | Qt::AlignVCenter, held ? tr("held by") : tr("the GIL is"));
    y += u;
    p.setFont(huge);
    p.setPen(held ? Palette::foreground() : Palette::mutedText());
    ViewPainter::elidedText(p, QRectF(colX, y, colW, hugeH), Qt::AlignLeft | Qt::AlignVCenter,
                            held ? name(g.holder) : tr("free"));
    y += hugeH;
    p.setFont(base);
    p.setPen(Palette::mutedText());
    if (held) p.drawText(QRectF(colX, y, colW, u), Qt::AlignLeft | Qt::AlignVCenter,
                         tr("for %1").arg(ViewPainter::duration(t - g.holderSince)));
    y += u * 1.5;
    // Drop request: the waiter's timeout asked the holder to let go at its next check.
    const QRectF flag(colX, y, u * 1.3, u * 1.5);
    drawFlag(p, flag, g.dropRequested, Palette::alarm(), Palette::mutedText());
    QFont flagFont = base;
    flagFont.setBold(g.dropRequested);
    p.setFont(flagFont);
    p.setPen(g.dropRequested ? Palette::alarm() : Palette::mutedText());
    ViewPainter::elidedText(p, QRectF(flag.right() + u * 0.5, y, colW - flag.width() - u * 0.5, u * 1.5),
                            Qt::AlignLeft | Qt::AlignVCenter,
                            g.dropRequested ? tr("drop request set by %1").arg(name(g.dropRequester))
                                            : tr("no drop request"));

    // Switch counter.
    const QRectF counter(in.right() - counterW, topY, counterW, topH);
    p.setFont(base);
    p.setPen(Palette::mutedText());
    p.drawText(QRectF(counter.left(), counter.top(), counter.width(), u), Qt::AlignRight | Qt::AlignVCenter,
               tr("switches so far"));
    QFont counterFont = ViewPainter::resized(base, 2.6);
    counterFont.setBold(true);
    p.setFont(counterFont);
    p.setPen(Palette::foreground());
    const double cfh = QFontMetricsF(counterFont).height();
    p.drawText(QRectF(counter.left(), counter.top() + u, counter.width(), cfh), Qt::AlignRight | Qt::AlignVCenter,
               QString::number(g.switches));
    if (t > 0) {
        p.setFont(base);
        p.setPen(Palette::mutedText());
        const double rate = static_cast<double>(g.switches) / (static_cast<double>(t) / 1e9);
        p.drawText(QRectF(counter.left(), counter.top() + u + cfh, counter.width(), u),
                   Qt::AlignRight | Qt::AlignVCenter, tr("%1 per second").arg(rate, 0, 'f', rate < 10 ? 1 : 0));
    }

    // Waiting threads, oldest first; the oldest has the switch-interval countdown ring.
    y = topY + topH + u * 0.6;
    p.setFont(base);
    p.setPen(Palette::mutedText());
    p.drawText(QRectF(in.left(), y, in.width(), u), Qt::AlignLeft | Qt::AlignVCenter, tr("waiting for the GIL"));
    y += u * 1.2;
    const auto waiters = model.waiters(g);
    const double ringD = u * 3.2;
    const StateStyle& ready = Palette::style(State::Ready);
    double x = in.left();
    if (waiters.empty()) {
        p.setPen(Palette::mutedText());
        p.drawText(QRectF(in.left(), y, in.width(), ringD), Qt::AlignLeft | Qt::AlignVCenter, tr("nobody"));
    }
    for (std::size_t i = 0; i < waiters.size(); ++i) {
        const GilModel::Member& m = *waiters[i];
        const std::int64_t since = m.requestTs >= 0 ? m.requestTs : m.stateSince;
        QFont chipFont = ViewPainter::resized(base, 1.15);
        chipFont.setBold(true);
        const QString label = ready.glyph + QLatin1Char(' ') + name(m.thread) + QStringLiteral("  ")
            + ViewPainter::duration(t - since);
        if (i == 0) {
            // The countdown restarts when the GIL changes hands (CPython's waiter re-arms its timeout).
            const std::int64_t start = std::max(since, g.lastTakenTs);
            const double frac =
                std::clamp(static_cast<double>(t - start) / static_cast<double>(intervalNs()), 0.0, 1.0);
            const QRectF ring(x, y, ringD, ringD);
            p.setPen(QPen(Palette::grid(), u * 0.35));
            p.setBrush(Qt::NoBrush);
            p.drawEllipse(ring.adjusted(u * 0.2, u * 0.2, -u * 0.2, -u * 0.2));
            p.setPen(QPen(frac >= 1.0 ? Palette::alarm() : Palette::gilColor(), u * 0.35, Qt::SolidLine,
                          Qt::FlatCap));
            p.drawArc(ring.adjusted(u * 0.2, u * 0.2, -u * 0.2, -u * 0.2), 90 * 16, -qRound(frac * 360 * 16));
            QFont small = ViewPainter::resized(base, 0.8);
            p.setFont(small);
            p.setPen(Palette::foreground());
            const std::int64_t left = std::max<std::int64_t>(0, intervalNs() - (t - start));
            p.drawText(ring, Qt::AlignCenter, ViewPainter::duration(left));
            x = ring.right() + u * 0.4;
        }
        const QSizeF cs = ViewPainter::chipSize(label, chipFont);
        if (x + cs.width() > in.right()) {
            p.setFont(base);
            p.setPen(Palette::mutedText());
            p.drawText(QRectF(x, y, in.right() - x, ringD), Qt::AlignLeft | Qt::AlignVCenter,
                       tr("+%1 more").arg(waiters.size() - i));
            break;
        }
        ViewPainter::chip(p, QPointF(x, y + (ringD - cs.height()) / 2), label, ready.fill, ready.ink, chipFont);
        x += cs.width() + u * 0.5;
        if (i == 0) {
            p.setFont(base);
            p.setPen(Palette::mutedText());
            const QString note = tr("next in line: its timeout sets the drop request");
            const double nw = QFontMetricsF(base).horizontalAdvance(note);
            if (waiters.size() == 1 && x + nw < in.right())
                p.drawText(QRectF(x, y, nw + u, ringD), Qt::AlignLeft | Qt::AlignVCenter, note);
        }
    }
    y += ringD + u * 0.8;

    // Share of GIL time per thread so far: convoys and starvation show up as uneven bars.
    p.setFont(base);
    p.setPen(Palette::mutedText());
    if (y + u * 2 < in.bottom())
        p.drawText(QRectF(in.left(), y, in.width(), u), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("time holding the GIL"));
    y += u * 1.3;
    const double rowH = std::clamp((in.bottom() - y) / std::max<std::size_t>(1, g.members.size()), u * 1.2, u * 2.0);
    const double nameW = std::min(in.width() * 0.2, u * 8);
    const double pctW = u * 3.5;
    const double chipW = std::min(in.width() * 0.25, u * 10);
    const double barX = in.left() + nameW + u * 0.4;
    const double barW = in.right() - barX - pctW - chipW - u * 0.8;
    for (const GilModel::Member& m : g.members) {
        if (y + rowH > in.bottom() + 1) break;
        const std::int64_t h = model.heldNs(g, m, t);
        const double frac = t > 0 ? std::clamp(static_cast<double>(h) / static_cast<double>(t), 0.0, 1.0) : 0.0;
        QFont nf = base;
        nf.setBold(m.thread == g.holder);
        p.setFont(nf);
        p.setPen(Palette::foreground());
        ViewPainter::elidedText(p, QRectF(in.left(), y, nameW, rowH), Qt::AlignLeft | Qt::AlignVCenter,
                                name(m.thread));
        const QRectF track(barX, y + rowH * 0.22, std::max(0.0, barW), rowH * 0.56);
        p.setPen(Qt::NoPen);
        p.setBrush(Palette::grid());
        p.drawRoundedRect(track, track.height() / 2, track.height() / 2);
        p.setBrush(Palette::gilColor());
        if (frac > 0)
            p.drawRoundedRect(QRectF(track.left(), track.top(), std::max(track.height(), track.width() * frac),
                                     track.height()),
                              track.height() / 2, track.height() / 2);
        p.setFont(base);
        p.setPen(Palette::foreground());
        p.drawText(QRectF(track.right() + u * 0.3, y, pctW, rowH), Qt::AlignRight | Qt::AlignVCenter,
                   tr("%1%").arg(frac * 100, 0, 'f', 0));
        const State st = m.state;
        const QFont cf = ViewPainter::resized(base, 0.9);
        const QSizeF cs = ViewPainter::chipSize(Palette::stateLabel(st), cf);
        if (cs.width() < chipW + u * 2)
            ViewPainter::stateChip(p, QPointF(in.right() - chipW, y + (rowH - cs.height()) / 2), st, cf);
        y += rowH;
    }
    p.restore();
}

} // namespace lockstep::ui
