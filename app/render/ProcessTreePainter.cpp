#include "render/ProcessTreePainter.h"

#include "render/Palette.h"
#include "render/ViewPainter.h"

#include <QFontMetricsF>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

namespace lockstep::ui {

namespace {

// How long (trace time) an orphan takes to glide to its new parent: long enough to follow at
// live speed, short enough to be over before the next thing happens.
constexpr double kReparentGlideNs = 300e6;

double easeInOut(double t)
{
    return t < 0.5 ? 2 * t * t : 1 - std::pow(-2 * t + 2, 2) / 2;
}

} // namespace

bool ProcessTreePainter::applies(const Trace& trace)
{
    return std::any_of(
        trace.actors().begin(), trace.actors().end(), [](const ActorInfo& a) { return a.kind == ActorKind::Process; });
}

ProcessTreeModel ProcessTreePainter::modelAt(const Trace& trace, std::int64_t t)
{
    ProcessTreeModel model;
    model.reset(trace);
    const std::size_t end = t == std::numeric_limits<std::int64_t>::max()
        ? trace.eventCount()
        : static_cast<std::size_t>(trace.lowerBound(t + 1).value);
    for (std::size_t i = 0; i < end; ++i)
        model.apply(trace, trace.events()[i]);
    return model;
}

ProcessTreePainter::Shape ProcessTreePainter::shape(const ProcessTreeModel& model, ActorId moved, ActorId movedParent)
{
    const auto& nodes = model.nodes();
    const auto parentOf = [&](const ProcessTreeModel::Node& n) {
        const ActorId p = n.id == moved ? movedParent : n.parent;
        return model.node(p) ? p : ActorId {};
    };
    // A tidy tree: leaves take the next slot left to right, a parent sits above its children.
    Shape out;
    std::function<double(const ProcessTreeModel::Node&, int)> place = [&](const ProcessTreeModel::Node& n, int depth) {
        std::vector<double> xs;
        for (const auto& c : nodes)
            if (parentOf(c) == n.id && depth < 32) xs.push_back(place(c, depth + 1));
        const double slot = xs.empty() ? out.leaves++ : (xs.front() + xs.back()) / 2;
        out.cells.insert(n.id.value, QPointF(slot, depth));
        out.depth = std::max(out.depth, depth + 1.0);
        return slot;
    };
    for (const auto& n : nodes)
        if (!parentOf(n).valid()) place(n, 0);
    out.leaves = std::max(1.0, out.leaves);
    return out;
}

QHash<std::uint32_t, QPointF> ProcessTreePainter::placed(
    const Shape& shape, const QRectF& area, QSizeF card, double gapY)
{
    QHash<std::uint32_t, QPointF> out;
    const double slotW = area.width() / shape.leaves;
    for (auto it = shape.cells.begin(); it != shape.cells.end(); ++it)
        out.insert(it.key(),
            QPointF(area.left() + (it.value().x() + 0.5) * slotW,
                area.top() + it.value().y() * (card.height() + gapY) + card.height() / 2));
    return out;
}

QHash<std::uint32_t, QPointF> ProcessTreePainter::paint(
    QPainter& p, const QRectF& r, const Trace& trace, const ProcessTreeModel& model, std::int64_t t, double scale)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(r, Palette::background());
    QHash<std::uint32_t, QPointF> centres;
    if (model.nodes().empty()) {
        ViewPainter::emptyState(p, r, tr("No process has been forked yet."), scale);
        p.restore();
        return centres;
    }
    const double u0 = QFontMetricsF(Palette::uiFont(scale)).height();
    QRectF area = r.adjusted(u0, u0 * 0.7, -u0, -u0 * 0.7);

    // Caption and the STAT key, in the view's base size.
    p.setFont(Palette::uiFont(scale));
    p.setPen(Palette::foreground());
    int live = 0;
    for (const auto& n : model.nodes())
        live += !n.reaped && n.state != State::Terminated;
    p.drawText(QRectF(area.left(), area.top(), area.width(), u0), Qt::AlignLeft | Qt::AlignVCenter,
        tr("in the process table: %1 · zombies: %2").arg(live).arg(model.zombies()));
    p.setPen(Palette::mutedText());
    p.setFont(Palette::smallFont(scale));
    const QString key = tr("STAT as ps shows it: R running or runnable · S sleeping · D uninterruptible · "
                           "Z zombie (exited, not yet reaped)");
    ViewPainter::elidedText(
        p, QRectF(area.left(), area.bottom() - u0, area.width(), u0), Qt::AlignLeft | Qt::AlignVCenter, key);
    area.adjust(0, u0 * 1.6, 0, -u0 * 1.6);
    // The kernel objects between the processes get a band below the tree.
    QRectF objectBand;
    if (!model.objects().empty()) {
        const double bandH = std::min(u0 * 6.5, area.height() * 0.4);
        objectBand = QRectF(area.left(), area.bottom() - bandH, area.width(), bandH);
        area.setBottom(objectBand.top() - u0 * 1.5);
    }

    // A finished run's last frame shows where everything ended up; before that, an orphan
    // re-parented less than a glide ago is on its way from its old place to its new one.
    const bool atEnd = trace.finished() && t >= trace.endTs();
    const Shape now = shape(model, {}, {});
    std::vector<std::pair<const ProcessTreeModel::Node*, Shape>> gliding;
    double depth = now.depth, leaves = now.leaves;
    for (const auto& n : model.nodes()) {
        if (n.reparentTs < 0) continue;
        // Sized for the tree before every re-parenting too, so nothing jumps when a glide ends.
        Shape before = shape(model, n.id, n.previousParent);
        depth = std::max(depth, before.depth);
        leaves = std::max(leaves, before.leaves);
        if (!atEnd && t - n.reparentTs < kReparentGlideNs) gliding.emplace_back(&n, std::move(before));
    }
    // Card size from the tree's shape: the type grows while a small tree leaves room.
    const double fit = std::min(area.width() / (leaves * u0 * 12.5), area.height() / (depth * u0 * 8.5));
    const double s = scale * std::clamp(fit, 0.3, 1.8);
    const double u = QFontMetricsF(Palette::uiFont(s)).height();
    const QSizeF card(std::min(area.width() / leaves - u * 0.8, u * 14), u * 7);
    const double gapY
        = depth <= 1 ? 0 : std::clamp((area.height() - depth * card.height()) / (depth - 1), u * 1.5, u * 4);

    centres = placed(now, area, card, gapY);
    for (const auto& [n, before] : gliding) {
        const double k = easeInOut(std::clamp((t - n->reparentTs) / kReparentGlideNs, 0.0, 1.0));
        const QPointF a = placed(before, area, card, gapY).value(n->id.value), b = centres.value(n->id.value);
        centres.insert(n->id.value, a + (b - a) * k);
    }
    const auto rectOf = [&](ActorId id) {
        const QPointF c = centres.value(id.value);
        return QRectF(c.x() - card.width() / 2, c.y() - card.height() / 2, card.width(), card.height());
    };

    // Tree edges: parent to child; an orphan's old parent stays linked by a dashed line.
    for (const auto& n : model.nodes()) {
        const QRectF child = rectOf(n.id);
        if (model.node(n.parent)) {
            const QRectF parent = rectOf(n.parent);
            p.setPen(QPen(Palette::foreground(), std::max(1.0, u * 0.09)));
            p.drawLine(QPointF(parent.center().x(), parent.bottom()), QPointF(child.center().x(), child.top()));
        }
        if (model.node(n.previousParent) && n.previousParent != n.parent) {
            // Where it came from: a thin dashed curve to the parent it had until that one exited.
            const QRectF old = rectOf(n.previousParent);
            ViewPainter::curvedArrow(p, old.center(), QPointF(child.left(), child.center().y()), -0.2,
                QPen(Palette::mutedText(), std::max(1.0, u * 0.07), Qt::DashLine), u * 0.45);
        }
    }
    // waitpid: the parent waits for that child.
    for (const auto& w : model.waits()) {
        const QRectF a = rectOf(w.waiter), b = rectOf(w.child);
        const QColor c = Palette::style(State::Waiting).fill;
        const QPointF from(a.right() - u, a.bottom()), to(b.right() - u * 0.5, b.top());
        ViewPainter::curvedArrow(p, from, to, 0.25, QPen(c, u * 0.16), u * 0.6);
        p.setFont(Palette::smallFont(s));
        p.setPen(Palette::foreground());
        p.drawText(QRectF((from + to) / 2 + QPointF(u * 0.4, -u * 0.5), QSizeF(u * 8, u)),
            Qt::AlignLeft | Qt::AlignVCenter, tr("waitpid"));
    }
    // Each object, and an edge to every process that has it open: solid for a writer, dashed for a
    // reader, dotted for a semaphore's user; thick and in the state's colour while it is blocked there.
    const auto& objects = model.objects();
    const double objW = objects.empty() ? 0 : std::min(objectBand.width() / objects.size() - u0, u0 * 20);
    for (std::size_t i = 0; i < objects.size(); ++i) {
        const auto& o = objects[i];
        const double cx = objectBand.left() + (i + 0.5) * objectBand.width() / objects.size();
        const QRectF box(cx - objW / 2, objectBand.top(), objW, objectBand.height());
        int k = 0;
        for (const auto& [process, roles] : o.users) {
            const ProcessTreeModel::Node* n = model.node(process);
            if (!n || !centres.contains(process.value)) continue;
            const QRectF card = rectOf(process);
            const bool blockedHere = n->stateTarget == o.id && !n->reaped;
            const QColor c = blockedHere ? Palette::style(n->state).fill : Palette::mutedText();
            const Qt::PenStyle style = (roles & 2) ? Qt::SolidLine : (roles & 1) ? Qt::DashLine : Qt::DotLine;
            // Straight down when nothing is in the way; from the card's side, bowing outwards, when
            // the straight line would cross another card (main above its child above the object).
            QPointF from(card.center().x(), card.bottom());
            QPointF to(box.center().x() + (from.x() - box.center().x()) * 0.3, box.top());
            bool blocked = false;
            for (const auto& other : model.nodes()) {
                if (other.id == process) continue;
                const QRectF oc = rectOf(other.id);
                for (double f = 0.1; f < 1 && !blocked; f += 0.1)
                    blocked = oc.contains(from + (to - from) * f);
            }
            QPainterPath path(from);
            const bool right = card.center().x() >= box.center().x();
            if (blocked) {
                from = QPointF(right ? card.right() : card.left(), card.center().y());
                to = QPointF(box.center().x() + (right ? 1 : -1) * std::min(objW / 3, u0 * (1 + k)), box.top());
                const double bow = (right ? 1 : -1) * u0 * (3 + 1.5 * k);
                const QPointF control(
                    (right ? std::max(from.x(), to.x()) : std::min(from.x(), to.x())) + bow, (from.y() + to.y()) / 2);
                path = QPainterPath(from);
                path.quadTo(control, to);
            } else {
                path.lineTo(to);
            }
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(c, blockedHere ? u0 * 0.22 : std::max(1.0, u0 * 0.08), style));
            p.drawPath(path);
            if (o.kind == ActorKind::Pipe) { // which end: the point of the pipe lesson
                const QString roleText = (roles & 3) == 3 ? tr("reads+writes")
                    : (roles & 2)                         ? tr("writes")
                                                          : tr("reads");
                p.setFont(Palette::smallFont(scale));
                p.setPen(Palette::foreground());
                const QPointF at = path.pointAtPercent(0.5);
                p.drawText(QRectF(at.x() + (right ? u0 * 0.3 : -u0 * 8.3), at.y() - u0 * 0.5, u0 * 8, u0),
                    (right ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, roleText);
            }
            ++k;
        }
        int waiting = 0;
        for (const auto& [process, roles] : o.users) {
            const ProcessTreeModel::Node* n = model.node(process);
            waiting += n && !n->reaped && n->stateTarget == o.id;
        }
        paintObject(p, box, trace, o, waiting, scale);
    }
    for (const auto& n : model.nodes())
        paintCard(p, rectOf(n.id), trace, model, n, s);
    p.restore();
    return centres;
}

void ProcessTreePainter::paintObject(
    QPainter& p, const QRectF& r, const Trace& trace, const ProcessTreeModel::Object& o, int waiting, double scale)
{
    // The type shrinks to fit the box: three objects side by side in presenter mode get narrow ones.
    const QFont full = Palette::uiFont(scale);
    const double fullU = QFontMetricsF(full).height();
    const double fit = std::clamp(std::min(r.height() / (fullU * 6.2), r.width() / (fullU * 11)), 0.6, 1.0);
    const QFont base = ViewPainter::resized(full, fit);
    const double u = QFontMetricsF(base).height();
    ViewPainter::card(p, r, Palette::panel(), Palette::border(), u * 0.4);
    const QRectF in = r.adjusted(u * 0.6, u * 0.4, -u * 0.6, -u * 0.4);
    QFont bold = base;
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(Palette::foreground());
    const QString kind = o.kind == ActorKind::Pipe ? tr("pipe (kernel buffer)")
        : o.kind == ActorKind::SharedMemory        ? tr("shared memory (MAP_SHARED)")
        : o.kind == ActorKind::Queue               ? tr("buffer in the putting process")
                                                   : tr("semaphore (shared counter)");
    // The name, then what kind of object it is: two lines, so that a narrow box (three objects in
    // presenter mode) still shows the whole name.
    ViewPainter::elidedText(p, QRectF(in.left(), in.top(), in.width(), u * 1.2), Qt::AlignLeft | Qt::AlignVCenter,
        ViewPainter::actorName(trace, o.id));
    p.setFont(ViewPainter::resized(base, 0.85));
    p.setPen(Palette::mutedText());
    ViewPainter::elidedText(
        p, QRectF(in.left(), in.top() + u * 1.2, in.width(), u), Qt::AlignLeft | Qt::AlignVCenter, kind);
    const QRectF gauge(in.left(), in.top() + u * 2.4, in.width(), u * 1.2);
    QString text;
    double fill = -1;
    if (o.kind == ActorKind::Pipe) {
        const auto kib
            = [](std::int64_t b) { return QString::number(static_cast<double>(b) / 1024.0, 'f', b % 1024 ? 1 : 0); };
        if (o.capacity > 0)
            fill = std::clamp(static_cast<double>(std::max<std::int64_t>(o.level, 0)) / o.capacity, 0.0, 1.0);
        if (waiting > 0) text = tr("%1 blocked on it · ").arg(waiting);
        text += o.capacity > 0
            ? tr("%1 of %2 KiB in the pipe").arg(kib(std::max<std::int64_t>(o.level, 0)), kib(o.capacity))
            : tr("%1 KiB in the pipe").arg(kib(std::max<std::int64_t>(o.level, 0)));
    } else if (o.kind == ActorKind::Semaphore) {
        if (o.capacity > 0)
            fill = std::clamp(static_cast<double>(std::max<std::int64_t>(o.level, 0)) / o.capacity, 0.0, 1.0);
        text = tr("count %1 of %2 · %3 waiting in acquire()")
                   .arg(std::max<std::int64_t>(o.level, 0))
                   .arg(o.capacity)
                   .arg(waiting);
    } else if (o.kind == ActorKind::Queue) {
        // multiprocessing.Queue's _buffer: what put() appended and the feeder thread has not written yet.
        text = tr("%1 items for the feeder thread").arg(o.level < 0 ? 0 : o.level);
    } else {
        text = tr("value = %1").arg(o.level < 0 ? 0 : o.level);
    }
    if (fill >= 0) {
        p.setPen(QPen(Palette::border(), std::max(1.0, u * 0.06)));
        p.setBrush(Palette::background());
        p.drawRoundedRect(gauge, u * 0.25, u * 0.25);
        p.setPen(Qt::NoPen);
        p.setBrush(Palette::accent());
        p.drawRoundedRect(QRectF(gauge.left(), gauge.top(), gauge.width() * fill, gauge.height()), u * 0.25, u * 0.25);
    }
    p.setFont(fill >= 0 ? base : ViewPainter::resized(bold, 1.4));
    p.setPen(fill >= 0 ? Palette::foreground() : Palette::foreground());
    const QRectF textRect = fill >= 0 ? QRectF(in.left(), gauge.bottom() + u * 0.2, in.width(), u * 1.2)
                                      : QRectF(in.left(), gauge.top(), in.width(), u * 1.8);
    ViewPainter::elidedText(p, textRect, Qt::AlignLeft | Qt::AlignVCenter, text);
}

void ProcessTreePainter::paintCard(QPainter& p, const QRectF& r, const Trace& trace, const ProcessTreeModel& model,
    const ProcessTreeModel::Node& n, double s)
{
    const auto name = [&](ActorId id) { return ViewPainter::actorName(trace, id); };
    const QFont base = Palette::uiFont(s);
    const double u = QFontMetricsF(base).height();
    p.save();
    if (n.reaped) p.setOpacity(0.45); // gone from ps: kept faded so the story stays readable
    const StateStyle& style = Palette::style(n.state);
    ViewPainter::card(p, r, Palette::panel(), style.fill, u * 0.4);
    p.setClipRect(r);
    const QRectF in = r.adjusted(u * 0.5, u * 0.4, -u * 0.5, -u * 0.4);

    // The STAT letter, big, in the state's colour (a dash once reaped, or for a process /proc was
    // never read for, such as Lockstep itself).
    const double letterSide = u * 3.3;
    const QRectF box(in.left(), in.top(), letterSide, letterSide);
    const bool hasLetter = n.letter != 0 && !n.reaped;
    p.setPen(hasLetter ? Qt::NoPen : QPen(Palette::border(), u * 0.08));
    p.setBrush(hasLetter ? style.fill : Palette::background());
    p.drawRoundedRect(box, u * 0.3, u * 0.3);
    QFont letterFont = ViewPainter::resized(Palette::monoFont(s), letterSide / u * 0.55);
    letterFont.setBold(true);
    p.setFont(letterFont);
    p.setPen(hasLetter ? style.ink : Palette::mutedText());
    p.drawText(box, Qt::AlignCenter, hasLetter ? QString(QLatin1Char(n.letter)) : QStringLiteral("–"));

    const double x = box.right() + u * 0.5;
    const double w = in.right() - x;
    QFont bold = ViewPainter::resized(base, 1.15);
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(Palette::foreground());
    ViewPainter::elidedText(p, QRectF(x, in.top(), w, u * 1.2), Qt::AlignLeft | Qt::AlignVCenter, name(n.id));
    p.setFont(Palette::monoFont(s * 0.9));
    p.setPen(Palette::mutedText());
    if (n.pid > 0)
        ViewPainter::elidedText(
            p, QRectF(x, in.top() + u * 1.2, w, u), Qt::AlignLeft | Qt::AlignVCenter, tr("PID %1").arg(n.pid));
    if (n.ppid > 0)
        ViewPainter::elidedText(
            p, QRectF(x, in.top() + u * 2.2, w, u), Qt::AlignLeft | Qt::AlignVCenter, tr("PPID %1").arg(n.ppid));
    ViewPainter::stateChip(p, QPointF(in.left(), box.bottom() + u * 0.25), n.state, ViewPainter::resized(base, 0.85));

    // What the student should notice about this process, in one line.
    QString note;
    QColor noteFill;
    bool adopter = false;
    for (const auto& other : model.nodes())
        adopter = adopter || (other.reparentTs >= 0 && other.parent == n.id);
    if (n.reaped) {
        note = tr("reaped by %1, exit status %2").arg(name(n.reaper)).arg(n.exitCode.value_or(0));
    } else if (n.exitTs >= 0) {
        note = tr("exit status %1, not reaped yet").arg(n.exitCode.value_or(0));
        noteFill = Palette::style(State::Zombie).fill;
    } else if (n.reparentTs >= 0) {
        note = tr("orphan, adopted by %1").arg(name(n.parent));
        noteFill = Palette::style(State::Ready).fill;
    } else if (adopter) {
        note = tr("child subreaper: adopts orphans");
    }
    if (!note.isEmpty()) {
        const QRectF line(in.left(), in.bottom() - u * 1.15, in.width(), u * 1.15);
        const QFont small = ViewPainter::resized(base, 0.85);
        if (noteFill.isValid()) {
            ViewPainter::chip(p, line.topLeft(), note, noteFill, Palette::inkOn(noteFill), small);
        } else {
            p.setFont(small);
            p.setPen(Palette::mutedText());
            ViewPainter::elidedText(p, line, Qt::AlignLeft | Qt::AlignVCenter, note);
        }
    }
    p.restore();
}

} // namespace lockstep::ui
