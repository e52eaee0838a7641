#include "views/ConditionView.h"

#include "render/EngineText.h"
#include "render/Palette.h"
#include "render/ViewPainter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <map>

namespace lockstep::ui {

ConditionView::ConditionView(QWidget* parent) : LessonView(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
}

bool ConditionView::appliesTo(const Trace& trace) const
{
    return std::any_of(trace.actors().begin(), trace.actors().end(),
                       [](const ActorInfo& a) { return a.kind == ActorKind::Condition; });
}

QString ConditionView::title() const { return tr("Condition"); }

void ConditionView::setTrace(std::shared_ptr<const Trace> trace)
{
    m_replay.setTrace(std::move(trace));
    refresh();
}

void ConditionView::setCursor(std::int64_t ts)
{
    m_cursor = ts;
    refresh();
}

void ConditionView::refresh()
{
    m_replay.seek(m_cursor);
    update();
}

QString ConditionView::name(ActorId id) const
{
    const Trace* t = m_replay.trace();
    return t ? ViewPainter::actorName(*t, id) : QString();
}

QStringList ConditionView::transcript() const
{
    QStringList out;
    const Trace* t = m_replay.trace();
    if (!t) return out;
    for (const auto& l : m_replay.model().dialogue()) out << name(l.speaker) + QStringLiteral(": ") + spoken(l);
    return out;
}

QString ConditionView::spoken(const ConditionModel::Line& line) const
{
    // Threads print "speaker: line"; the bubble already names the speaker.
    const QString text = ViewPainter::qstr(m_replay.trace()->text(line.text));
    const QString prefix = name(line.speaker) + QStringLiteral(": ");
    return text.startsWith(prefix) ? text.mid(prefix.size()) : text;
}

QString ConditionView::ownerName() const { return name(m_replay.model().owner()); }

void ConditionView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(rect(), Palette::background());
    if (!m_replay.trace() || !m_replay.model().condition().valid()) {
        ViewPainter::emptyState(p, rect(), tr("This run has no Condition yet."), viewScale());
        return;
    }
    const double u = QFontMetricsF(Palette::uiFont(viewScale())).height();
    const QRectF all = QRectF(rect()).adjusted(u * 0.7, u * 0.7, -u * 0.7, -u * 0.7);
    const double gap = u * 0.7;
    if (all.width() > all.height() * 1.1) {
        const double leftW = all.width() * 0.46;
        paintMechanics(p, QRectF(all.left(), all.top(), leftW, all.height()));
        paintDialogue(p, QRectF(all.left() + leftW + gap, all.top(), all.width() - leftW - gap, all.height()));
    } else {
        const double topH = all.height() * 0.5;
        paintMechanics(p, QRectF(all.left(), all.top(), all.width(), topH));
        paintDialogue(p, QRectF(all.left(), all.top() + topH + gap, all.width(), all.height() - topH - gap));
    }
}

ConditionView::Card ConditionView::beginCard(QPainter& p, const QRectF& r, const QString& title) const
{
    // A panel with a bold title; the painter is saved and clipped to it (the caller restores).
    const QFont base = Palette::uiFont(viewScale());
    const double u = QFontMetricsF(base).height();
    ViewPainter::card(p, r, Palette::panel(), QColor(), u * 0.5);
    p.save();
    p.setClipRect(r);
    Card c;
    c.inner = r.adjusted(u, u * 0.7, -u, -u * 0.7);
    QFont titleFont = ViewPainter::resized(base, 1.3);
    titleFont.setBold(true);
    c.titleHeight = QFontMetricsF(titleFont).height();
    p.setFont(titleFont);
    p.setPen(Palette::foreground());
    p.drawText(QRectF(c.inner.left(), c.inner.top(), c.inner.width(), c.titleHeight), Qt::AlignLeft | Qt::AlignVCenter,
               title);
    p.setFont(base);
    return c;
}

void ConditionView::paintMechanics(QPainter& p, const QRectF& r) const
{
    const ConditionModel& m = m_replay.model();
    const Trace& trace = *m_replay.trace();
    const QFont base = Palette::uiFont(viewScale());
    const double u = QFontMetricsF(base).height();
    const Card card = beginCard(p, r, tr("Condition %1").arg(name(m.condition())));
    const QRectF in = card.inner;
    const double th = card.titleHeight;
    p.setPen(Palette::mutedText());
    p.drawText(QRectF(in.left(), in.top(), in.width(), th), Qt::AlignRight | Qt::AlignVCenter,
               tr("waits %1 · notifies %2").arg(m.waits()).arg(m.notifies().size()));
    double y = in.top() + th + u * 0.7;

    // Layer 1 on top, the threads in the middle, layer 2 below: the owner link goes up to the
    // lock, notify arrows go down to the waiters, and nothing crosses.
    QFont layerFont = ViewPainter::resized(base, 1.05);
    layerFont.setBold(true);
    const double labelW = std::min(in.width() * 0.3, u * 7.5);
    const double boxX = in.left() + labelW;
    const double boxW = in.right() - boxX;
    // The short description under each layer's number only where the column has room for it,
    // and never taller than the layer beside it.
    auto layerLabel = [&](double top, double height, const QString& number, const QString& text) {
        QFont f = layerFont;
        while (QFontMetricsF(f).horizontalAdvance(number) > labelW - u * 0.4 && f.pixelSize() > 9)
            f = ViewPainter::resized(f, 0.9);
        p.setFont(f);
        p.setPen(Palette::foreground());
        p.drawText(QRectF(in.left(), top, labelW - u * 0.4, u * 1.3), Qt::AlignLeft | Qt::AlignVCenter, number);
        if (labelW < u * 6.5 || height < u * 2.2) return;
        const QFont small = ViewPainter::resized(base, 0.9);
        const QFontMetricsF sfm(small);
        const QRectF box(in.left(), top + u * 1.3, labelW - u * 0.5, height - u * 1.3);
        if (sfm.boundingRect(QRectF(0, 0, box.width(), 1e6), Qt::TextWordWrap, text).height() > box.height()) return;
        p.setFont(small);
        p.setPen(Palette::mutedText());
        p.drawText(box, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, text);
    };

    // Layer 1: the underlying lock and its owner.
    const ActorId owner = m.owner();
    const StateStyle& lockStyle = Palette::style(owner.valid() ? State::Held : State::Free);
    const QRectF lockBox(boxX, y, boxW, u * 3.0);
    layerLabel(y, lockBox.height(), tr("1 · lock"), tr("held around wait() and notify()"));
    ViewPainter::card(p, lockBox, lockStyle.fill, QColor(), u * 0.35);
    QFont lf = ViewPainter::resized(base, 1.2);
    lf.setBold(true);
    p.setFont(lf);
    p.setPen(lockStyle.ink);
    const QRectF lockText = lockBox.adjusted(u * 0.7, 0, -u * 0.7, 0);
    p.drawText(lockText, Qt::AlignLeft | Qt::AlignVCenter,
               QStringLiteral("■ ") + (m.lock().valid() ? name(m.lock()) : tr("(unknown)")));
    p.drawText(lockText, Qt::AlignRight | Qt::AlignVCenter,
               owner.valid() ? tr("owner: %1").arg(name(owner)) : tr("free"));
    y = lockBox.bottom() + u * 1.6;

    // The threads, as state-coloured chips.
    std::map<std::uint32_t, QRectF> threadChips;
    QFont chipFont = ViewPainter::resized(base, 1.25);
    chipFont.setBold(true);
    double x = boxX;
    const double chipH = ViewPainter::chipSize(QStringLiteral("X"), chipFont).height();
    p.setFont(layerFont);
    p.setPen(Palette::foreground());
    p.drawText(QRectF(in.left(), y, labelW - u * 0.4, chipH), Qt::AlignLeft | Qt::AlignVCenter, tr("threads"));
    // Name and state label when they fit on one row, else the glyph alone carries the state.
    auto chipText = [&](ActorId t, bool full) {
        const State state = m.stateOf(t);
        const QString text = Palette::style(state).glyph + QLatin1Char(' ') + name(t);
        return full ? text + QStringLiteral(" · ") + Palette::stateLabel(state) : text;
    };
    double fullWidth = 0;
    for (ActorId t : m.threads()) fullWidth += ViewPainter::chipSize(chipText(t, true), chipFont).width() + u * 0.6;
    const bool full = fullWidth <= boxW;
    const double firstRowTop = y;
    for (ActorId t : m.threads()) {
        const StateStyle& st = Palette::style(m.stateOf(t));
        const QString text = chipText(t, full);
        const QSizeF cs = ViewPainter::chipSize(text, chipFont);
        if (x + cs.width() > in.right() && x > boxX) {
            x = boxX;
            y += chipH + u * 0.3;
        }
        threadChips[t.value] = ViewPainter::chip(p, QPointF(x, y), text, st.fill, st.ink, chipFont);
        x += cs.width() + u * 0.6;
    }
    // The owner link: from the owner's chip up to the lock.
    if (const auto it = threadChips.find(owner.value);
        owner.valid() && it != threadChips.end() && it->second.top() <= firstRowTop + 1) {
        const QPointF from(it->second.center().x(), it->second.top());
        ViewPainter::arrow(p, from, QPointF(from.x(), lockBox.bottom() + u * 0.1),
                           QPen(lockStyle.fill, u * 0.2, Qt::SolidLine, Qt::RoundCap), u * 0.6);
    }
    y += chipH + u * 1.6;

    // Layer 2: the waiter queue, head first; each waiter blocks on its own lock until notified.
    const double cardH = u * 2.9;
    {
        const std::size_t shownWaiters = std::max<std::size_t>(1, m.waiters().size());
        layerLabel(y, static_cast<double>(shownWaiters) * (cardH + u * 0.4) - u * 0.4, tr("2 · waiters"),
                   tr("FIFO; each sleeps on its own lock"));
    }
    const bool banner = m.stalled() || !m.errors().empty();
    const double bottomRoom = (banner ? u * 3.2 : 0) + u * 1.8;
    std::map<std::uint32_t, QRectF> waiterCards;
    if (m.waiters().empty()) {
        const QRectF empty(boxX, y, boxW, cardH);
        p.setPen(QPen(Palette::grid(), u * 0.1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(empty, u * 0.35, u * 0.35);
        p.setFont(base);
        p.setPen(Palette::mutedText());
        p.drawText(empty, Qt::AlignCenter, tr("empty: nobody is waiting"));
        y += cardH + u * 0.4;
    }
    int hidden = 0;
    for (const auto& w : m.waiters()) {
        if (y + cardH > in.bottom() - bottomRoom) {
            ++hidden;
            continue;
        }
        const bool released = w.status == ConditionModel::WaiterStatus::Released;
        const StateStyle& st = Palette::style(released ? State::Ready : State::Waiting);
        const QRectF c(boxX, y, boxW, cardH);
        ViewPainter::card(p, c, ViewPainter::mix(st.fill, Palette::panel(), 0.55), st.fill, u * 0.35);
        QFont nf = ViewPainter::resized(base, 1.2);
        nf.setBold(true);
        p.setFont(nf);
        p.setPen(Palette::foreground());
        const double nh = QFontMetricsF(nf).height();
        const QRectF top(c.left() + u * 0.6, c.top() + u * 0.2, c.width() - u * 1.2, nh);
        p.drawText(top, Qt::AlignLeft | Qt::AlignVCenter, name(w.thread));
        p.setFont(Palette::monoFont(viewScale() * 0.9));
        p.setPen(Palette::mutedText());
        ViewPainter::elidedText(p, QRectF(top.left(), top.bottom(), top.width(), u * 1.1),
                                Qt::AlignLeft | Qt::AlignVCenter, tr("own lock: %1").arg(name(w.lock)));
        QString status;
        switch (w.status) {
        case ConditionModel::WaiterStatus::Allocated: status = tr("took its own lock"); break;
        case ConditionModel::WaiterStatus::Queued: status = st.glyph + QLatin1Char(' ') + tr("waiting"); break;
        case ConditionModel::WaiterStatus::Released:
            status = st.glyph + QLatin1Char(' ') + tr("notified by %1").arg(name(w.releasedBy));
            break;
        }
        const QSizeF ss = ViewPainter::chipSize(status, base);
        ViewPainter::chip(p, QPointF(c.right() - ss.width() - u * 0.5, top.center().y() - ss.height() / 2 + u * 0.1),
                          status, st.fill, st.ink, base);
        waiterCards[w.thread.value] = c;
        y += cardH + u * 0.4;
    }
    if (hidden > 0) {
        p.setFont(base);
        p.setPen(Palette::mutedText());
        p.drawText(QRectF(boxX, y - u * 0.3, boxW, u * 1.2), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("+%1 more waiting").arg(hidden));
    }

    // Errors and a stall close the story in the alarm colour.
    QString bannerText;
    if (!m.errors().empty()) {
        const auto& e = m.errors().back();
        bannerText = tr("%1 raised %2").arg(name(e.speaker), ViewPainter::qstr(trace.text(e.text)));
    } else if (m.stalled()) {
        bannerText = m.stallText().valid() ? tr("Stalled: %1").arg(EngineText::display(trace.text(m.stallText())))
                                           : tr("Stalled: every thread waits and nobody can notify.");
    }
    if (banner) {
        const QRectF b(in.left(), in.bottom() - u * 3.0, in.width(), u * 3.0);
        ViewPainter::card(p, b, ViewPainter::mix(Palette::alarm(), Palette::panel(), 0.85), Palette::alarm(), u * 0.3);
        QFont f = base;
        f.setBold(true);
        p.setFont(f);
        p.setPen(Palette::alarm());
        p.drawText(b.adjusted(u * 0.6, 0, -u * 0.6, 0), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap,
                   bannerText);
    }

    // The last notify: arrows from the notifier to the waiters it released, or a lost notify.
    // Drawn last, over a halo, so it stays readable where it crosses the lock.
    if (!m.notifies().empty()) {
        const auto& n = m.notifies().back();
        const auto from = threadChips.find(n.notifier.value);
        for (ActorId woken : n.woken) {
            const auto to = waiterCards.find(woken.value);
            if (from == threadChips.end() || to == waiterCards.end()) continue;
            const QPointF a(from->second.center().x(), from->second.bottom());
            const QPointF b(std::clamp(a.x(), to->second.left() + u, to->second.right() - u), to->second.top());
            ViewPainter::curvedArrow(p, a, b, a.x() == b.x() ? 0.0 : 0.15,
                                     QPen(Palette::accent(), u * 0.22, Qt::SolidLine, Qt::RoundCap), u * 0.8);
        }
        QString label;
        QColor ink = Palette::accent();
        if (n.woken.empty()) {
            label = tr("%1 called notify() with nobody waiting: the notify is lost").arg(name(n.notifier));
            ink = Palette::alarm();
        } else {
            QStringList names;
            for (ActorId w : n.woken) names << name(w);
            label = (n.all ? tr("%1 called notify_all(): woke %2") : tr("%1 called notify(): woke %2"))
                        .arg(name(n.notifier), names.join(QStringLiteral(", ")));
        }
        QFont f = ViewPainter::resized(base, 1.1);
        f.setBold(true);
        p.setFont(f);
        p.setPen(ink);
        const double ly = std::min(y + u * 0.2, in.bottom() - bottomRoom + u * 0.2);
        const QRectF need =
            QFontMetricsF(f).boundingRect(QRectF(in.left(), ly, in.width(), u * 6), Qt::TextWordWrap, label);
        p.drawText(QRectF(in.left(), ly, in.width(), need.height()), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                   label);

        // Earlier notifies, newest first: a lost one (nobody waiting) stands out in the alarm colour.
        double hy = ly + need.height() + u * 0.8;
        const double limit = in.bottom() - (banner ? u * 3.4 : 0);
        const auto& all = m.notifies();
        if (all.size() > 1 && hy + u * 2.4 < limit) {
            p.setFont(layerFont);
            p.setPen(Palette::foreground());
            p.drawText(QRectF(in.left(), hy, in.width(), u * 1.2), Qt::AlignLeft | Qt::AlignVCenter,
                       tr("notify history"));
            hy += u * 1.4;
            p.setFont(base);
            for (std::size_t i = all.size() - 1; i-- > 0 && hy + u * 1.2 < limit;) {
                const auto& call = all[i];
                QStringList names;
                for (ActorId w : call.woken) names << name(w);
                const QString line = call.woken.empty()
                    ? tr("#%1  %2 → nobody waiting: lost").arg(i + 1).arg(name(call.notifier))
                    : tr("#%1  %2 → woke %3").arg(i + 1).arg(name(call.notifier), names.join(QStringLiteral(", ")));
                p.setPen(call.woken.empty() ? Palette::alarm() : Palette::mutedText());
                ViewPainter::elidedText(p, QRectF(in.left() + u * 0.5, hy, in.width() - u * 0.5, u * 1.2),
                                        Qt::AlignLeft | Qt::AlignVCenter, line);
                hy += u * 1.25;
            }
        }
    }
    p.restore();
}

void ConditionView::paintDialogue(QPainter& p, const QRectF& r) const
{
    const ConditionModel& m = m_replay.model();
    const QFont base = Palette::uiFont(viewScale());
    const double u = QFontMetricsF(base).height();
    const Card card = beginCard(p, r, tr("Dialogue"));
    const QRectF in = card.inner;
    const double th = card.titleHeight;
    const auto& lines = m.dialogue();
    if (lines.empty()) {
        p.setFont(base);
        p.setPen(Palette::mutedText());
        p.drawText(in.adjusted(0, th, 0, 0), Qt::AlignCenter, tr("Nobody has spoken yet."));
        p.restore();
        return;
    }
    // Speakers take sides (and colours) in order of first appearance.
    std::vector<ActorId> speakers;
    for (const auto& l : lines)
        if (std::find(speakers.begin(), speakers.end(), l.speaker) == speakers.end()) speakers.push_back(l.speaker);
    auto index = [&](ActorId s) {
        return static_cast<int>(std::find(speakers.begin(), speakers.end(), s) - speakers.begin());
    };
    const QFont bubbleFont = ViewPainter::resized(base, 1.45);
    QFont nameFont = ViewPainter::resized(base, 0.95);
    nameFont.setBold(true);
    const QFontMetricsF bfm(bubbleFont);
    const double nameH = QFontMetricsF(nameFont).height();
    const double maxTextW = in.width() * 0.7;
    const double padX = u * 0.8;
    const double padY = u * 0.5;
    const double tail = u * 0.7;
    const double gap = u * 0.45;
    struct Bubble {
        std::size_t line;
        QString text;
        QSizeF size;
    };
    // Oldest at the top like a script; once the column is full, the newest lines stay in view.
    std::vector<Bubble> shown;
    const double top = in.top() + th + u * 0.6;
    double used = 0;
    for (std::size_t i = lines.size(); i-- > 0;) {
        const QString text = spoken(lines[i]);
        const QRectF tb = bfm.boundingRect(QRectF(0, 0, maxTextW, 1e6), Qt::TextWordWrap, text);
        // A little slack: text measured at fractional widths must not wrap its last glyph when drawn.
        const QSizeF size(std::ceil(tb.width()) + u * 0.3 + 2 * padX, tb.height() + 2 * padY);
        const double blockH = nameH + size.height() + gap;
        if (used + blockH > in.bottom() - top) break;
        used += blockH;
        shown.push_back({i, text, size});
    }
    std::reverse(shown.begin(), shown.end());
    double y = top;
    for (const Bubble& b : shown) {
        const auto& l = lines[b.line];
        const int who = index(l.speaker);
        const bool right = who % 2 == 1;
        const QColor tint = Palette::seriesColor(who);
        const QColor fill = ViewPainter::mix(Palette::background(), tint, 0.16);
        p.setFont(nameFont);
        p.setPen(tint);
        const double bx = right ? in.right() - b.size.width() - tail : in.left() + tail;
        p.drawText(QRectF(bx, y, b.size.width(), nameH), (right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter,
                   name(l.speaker));
        const QRectF bubble(bx, y + nameH, b.size.width(), b.size.height());
        const bool newest = b.line + 1 == lines.size();
        QPainterPath path;
        path.addRoundedRect(bubble, u * 0.7, u * 0.7);
        QPainterPath tip;
        const double ty = bubble.top() + std::min(bubble.height() * 0.5, u * 1.2);
        if (right) {
            tip.moveTo(bubble.right() - u * 0.5, ty - u * 0.5);
            tip.lineTo(bubble.right() + tail, ty + u * 0.2);
            tip.lineTo(bubble.right() - u * 0.5, ty + u * 0.4);
        } else {
            tip.moveTo(bubble.left() + u * 0.5, ty - u * 0.5);
            tip.lineTo(bubble.left() - tail, ty + u * 0.2);
            tip.lineTo(bubble.left() + u * 0.5, ty + u * 0.4);
        }
        tip.closeSubpath();
        path = path.united(tip);
        p.setPen(QPen(newest ? tint : ViewPainter::mix(fill, tint, 0.35), u * (newest ? 0.16 : 0.08)));
        p.setBrush(fill);
        p.drawPath(path);
        p.setFont(bubbleFont);
        p.setPen(Palette::foreground());
        p.drawText(bubble.adjusted(padX, padY, -padX, -padY), Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignVCenter,
                   b.text);
        y = bubble.bottom() + gap;
    }
    p.restore();
}

} // namespace lockstep::ui
