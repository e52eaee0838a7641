#include "views/SyncObjectsView.h"

#include "render/Palette.h"
#include "render/ViewPainter.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace lockstep::ui {

using Object = SyncObjectsModel::Object;
using Kind = SyncObjectsModel::Kind;

SyncObjectsView::SyncObjectsView(QWidget* parent) : LessonView(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
}

bool SyncObjectsView::appliesTo(const Trace& trace) const
{
    bool shows = false;
    for (const ActorInfo& a : trace.actors()) {
        // The pool's queue and events are the futures view's; a process-shared semaphore is the
        // process tree's.
        if (a.kind == ActorKind::Future || a.kind == ActorKind::Process) return false;
        shows = shows || SyncObjectsModel::shows(a.kind);
    }
    return shows;
}

QString SyncObjectsView::title() const
{
    return tr("Event, semaphore, queue");
}

void SyncObjectsView::setTrace(std::shared_ptr<const Trace> trace)
{
    m_replay.setTrace(std::move(trace));
    m_replay.seek(m_cursor);
    update();
}

void SyncObjectsView::setCursor(std::int64_t ts)
{
    m_cursor = ts;
    m_replay.seek(m_cursor);
    update();
}

QString SyncObjectsView::name(ActorId id) const
{
    const Trace* t = m_replay.trace();
    return t && id.valid() ? ViewPainter::actorName(*t, id) : QString();
}

void SyncObjectsView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(rect(), Palette::background());
    const auto& objects = m_replay.model().objects();
    if (!m_replay.trace() || objects.empty()) {
        ViewPainter::emptyState(p, rect(), tr("No event, semaphore or queue yet."), viewScale());
        return;
    }
    const double u = QFontMetricsF(Palette::uiFont(viewScale())).height();
    const QRectF all = QRectF(rect()).adjusted(u, u * 0.7, -u, -u * 0.7);
    // One card per object, in a grid that keeps each card at least ~22 lines wide.
    const int n = static_cast<int>(objects.size());
    const int cols = std::clamp(static_cast<int>(all.width() / (u * 22)), 1, std::min(n, 3));
    const int rows = (n + cols - 1) / cols;
    const double gap = u * 0.8;
    const double cw = (all.width() - gap * (cols - 1)) / cols;
    // As tall as the rows leave room for, but no taller than a card needs (waiters, recent calls).
    const double ch = std::clamp((all.height() - gap * (rows - 1)) / rows, u * 9, u * 16);
    for (int i = 0; i < n; ++i) {
        const QRectF r(all.left() + (i % cols) * (cw + gap), all.top() + (i / cols) * (ch + gap), cw, ch);
        if (r.top() >= all.bottom()) break;
        paintCard(p, objects[static_cast<std::size_t>(i)], r.intersected(all), u);
    }
}

void SyncObjectsView::paintCard(QPainter& p, const Object& o, const QRectF& r, double u) const
{
    const QFont base = Palette::uiFont(viewScale());
    QFont bold = base;
    bold.setBold(true);
    ViewPainter::card(p, r, Palette::panel(), Palette::border(), u * 0.4);
    p.save();
    p.setClipRect(r);
    const QRectF in = r.adjusted(u * 0.7, u * 0.5, -u * 0.7, -u * 0.5);

    // Title: the object's name and its Python class, e.g. "jobs = Queue(maxsize=3)".
    QString cls = ViewPainter::qstr(o.className);
    if (o.kind == Kind::Semaphore && o.capacity >= 0) cls += QStringLiteral("(%1)").arg(o.capacity);
    if (o.kind == Kind::Queue) cls += o.capacity > 0 ? QStringLiteral("(maxsize=%1)").arg(o.capacity) : QStringLiteral("()");
    if (o.kind == Kind::Event) cls += QStringLiteral("()");
    p.setFont(bold);
    p.setPen(Palette::foreground());
    ViewPainter::elidedText(p, QRectF(in.left(), in.top(), in.width(), u * 1.3), Qt::AlignLeft | Qt::AlignVCenter,
        name(o.id) + QStringLiteral(" = ") + cls);

    const QRectF body(in.left(), in.top() + u * 1.6, in.width(), in.height() - u * 1.6);
    double y = body.top();
    switch (o.kind) {
    case Kind::Event:
        y = paintFlag(p, o, body, u);
        break;
    case Kind::Semaphore:
        y = paintTokens(p, o, body, u);
        break;
    case Kind::Queue:
        y = paintSlots(p, o, body, u);
        break;
    }

    // The threads inside a blocking call on it, in the order they came (a FIFO for each of them).
    const QFont small = ViewPainter::resized(base, 0.85);
    p.setFont(small);
    p.setPen(Palette::mutedText());
    y += u * 0.4;
    p.drawText(QRectF(in.left(), y, in.width(), u), Qt::AlignLeft | Qt::AlignVCenter,
        o.waiters.empty() ? tr("nobody waits") : tr("waiting, in arrival order:"));
    y += u * 1.1;
    double x = in.left();
    for (const auto& w : o.waiters) {
        const State look = o.kind == Kind::Event || w.call == "join()" ? State::Waiting : State::Blocked;
        const QString text = Palette::style(look).glyph + QLatin1Char(' ') + name(w.thread) + QLatin1Char(' ')
            + ViewPainter::qstr(w.call);
        const QSizeF size = ViewPainter::chipSize(text, small);
        if (x > in.left() && x + size.width() > in.right()) {
            x = in.left();
            y += size.height() + u * 0.3;
        }
        const QRectF chip
            = ViewPainter::chip(p, QPointF(x, y), text, Palette::style(look).fill, Palette::style(look).ink, small);
        x = chip.right() + u * 0.4;
    }
    if (!o.waiters.empty()) y += ViewPainter::chipSize(QStringLiteral("X"), small).height() + u * 0.3;

    // The last calls that completed, newest at the bottom, in Python's notation.
    y += u * 0.4;
    p.setFont(Palette::monoFont(viewScale() * 0.85));
    for (const auto& c : o.recent) {
        if (y + u > in.bottom()) break;
        QString line = name(c.thread) + QStringLiteral(": ") + ViewPainter::qstr(c.text);
        if (c.woke >= 0) line += QStringLiteral("   ") + tr("(woke %n waiter(s))", nullptr, static_cast<int>(c.woke));
        p.setPen(Palette::foreground());
        ViewPainter::elidedText(p, QRectF(in.left(), y, in.width(), u), Qt::AlignLeft | Qt::AlignVCenter, line);
        y += u * 1.05;
    }
    p.restore();
}

double SyncObjectsView::paintFlag(QPainter& p, const Object& o, const QRectF& r, double u) const
{
    // Set reads as "go" (running), clear as "stop" (waiting); the word says it too.
    const State look = o.flag ? State::Running : State::Waiting;
    QFont big = Palette::titleFont(viewScale());
    big.setBold(true);
    const QString flag = o.flag ? tr("flag: set") : tr("flag: clear");
    const QRectF chip = ViewPainter::chip(
        p, r.topLeft(), Palette::style(look).glyph + QLatin1Char(' ') + flag, Palette::style(look).fill,
        Palette::style(look).ink, big);
    if (o.flagBy.valid()) {
        p.setFont(Palette::uiFont(viewScale()));
        p.setPen(Palette::mutedText());
        ViewPainter::elidedText(p, QRectF(chip.right() + u * 0.6, chip.top(), r.right() - chip.right() - u * 0.6, chip.height()),
            Qt::AlignLeft | Qt::AlignVCenter, (o.flag ? tr("set by %1") : tr("cleared by %1")).arg(name(o.flagBy)));
    }
    return chip.bottom();
}

double SyncObjectsView::paintTokens(QPainter& p, const Object& o, const QRectF& r, double u) const
{
    // One token per unit the semaphore could hand out: filled while available. An unbounded
    // semaphore released more than it was acquired shows the extra units beyond its initial value.
    const std::int64_t value = std::max<std::int64_t>(o.level, 0);
    const std::int64_t slots = std::clamp<std::int64_t>(std::max(o.capacity, value), 1, 32);
    const double d = std::min(u * 1.6, (r.width() - u) / static_cast<double>(slots) - u * 0.3);
    const QColor avail = Palette::style(State::Running).fill;
    for (std::int64_t i = 0; i < slots; ++i) {
        const QRectF t(r.left() + static_cast<double>(i) * (d + u * 0.3), r.top(), d, d);
        p.setPen(QPen(i < value ? avail.darker(130) : Palette::border(), std::max(1.0, u * 0.08)));
        p.setBrush(i < value ? avail : Palette::background());
        p.drawEllipse(t);
    }
    p.setFont(Palette::uiFont(viewScale()));
    p.setPen(Palette::foreground());
    const double y = r.top() + d + u * 0.3;
    const QString count = o.level < 0 ? tr("count unknown")
        : o.capacity >= 0       ? tr("count %1 of %2: %3 can acquire without waiting").arg(value).arg(o.capacity).arg(value)
                                : tr("count %1").arg(value);
    ViewPainter::elidedText(p, QRectF(r.left(), y, r.width(), u * 1.2), Qt::AlignLeft | Qt::AlignVCenter, count);
    return y + u * 1.2;
}

double SyncObjectsView::paintSlots(QPainter& p, const Object& o, const QRectF& r, double u) const
{
    // A bounded queue shows all its slots (empty ones outlined); an unbounded one its items and one
    // free slot. The item next to come out of get() is on the left.
    const int items = static_cast<int>(o.items.size());
    const int slots = std::clamp(o.capacity > 0 ? static_cast<int>(o.capacity) : items + 1, 1, 16);
    const double w = std::min(u * 5, (r.width() - u * 0.3 * (slots - 1)) / slots);
    const double h = u * 1.8;
    const QFont mono = Palette::monoFont(viewScale() * 0.9);
    p.setFont(mono);
    for (int i = 0; i < slots; ++i) {
        const QRectF s(r.left() + i * (w + u * 0.3), r.top(), w, h);
        if (i < items) {
            ViewPainter::card(p, s, Palette::style(State::Ready).fill, QColor(), u * 0.2);
            p.setPen(Palette::style(State::Ready).ink);
            ViewPainter::elidedText(p, s.adjusted(u * 0.2, 0, -u * 0.2, 0), Qt::AlignCenter,
                ViewPainter::qstr(o.items[static_cast<std::size_t>(i)]));
        } else {
            p.setPen(QPen(Palette::border(), std::max(1.0, u * 0.08), Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(s, u * 0.2, u * 0.2);
        }
    }
    p.setFont(Palette::uiFont(viewScale()));
    p.setPen(Palette::foreground());
    const double y = r.top() + h + u * 0.3;
    QString size = o.capacity > 0 ? tr("qsize %1 of maxsize %2").arg(o.level).arg(o.capacity) : tr("qsize %1").arg(o.level);
    if (o.level > slots) size += QStringLiteral("  ") + tr("(+%1 not shown)").arg(o.level - slots);
    if (o.capacity > 0 && o.level >= o.capacity) size += QStringLiteral(" — ") + tr("full: put() blocks");
    else if (o.level == 0) size += QStringLiteral(" — ") + tr("empty: get() blocks");
    ViewPainter::elidedText(p, QRectF(r.left(), y, r.width(), u * 1.2), Qt::AlignLeft | Qt::AlignVCenter, size);
    return y + u * 1.2;
}

} // namespace lockstep::ui
