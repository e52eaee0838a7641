#include "views/WaitForGraphView.h"

#include "render/EngineText.h"
#include "render/Palette.h"
#include "render/ViewPainter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QtMath>

#include <algorithm>
#include <array>
#include <cmath>

namespace lockstep::ui {

namespace {

bool isLockKind(ActorKind k) { return k == ActorKind::Lock || k == ActorKind::RLock; }

// Where the segment from the centre of a square of half-side `half` towards `dir` leaves it.
double squareExit(QPointF dir, double half)
{
    const double m = std::max(std::abs(dir.x()), std::abs(dir.y()));
    return m > 1e-9 ? half / m : half;
}

void drawPadlock(QPainter& p, QPointF c, double size, const QColor& ink)
{
    p.save();
    const QRectF body(c.x() - size * 0.42, c.y() - size * 0.05, size * 0.84, size * 0.6);
    QPen pen(ink, size * 0.13, Qt::SolidLine, Qt::RoundCap);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    const QRectF shackle(c.x() - size * 0.26, c.y() - size * 0.45, size * 0.52, size * 0.7);
    p.drawArc(shackle, 0, 180 * 16);
    p.drawLine(QPointF(shackle.left(), shackle.center().y()), QPointF(shackle.left(), body.top()));
    p.drawLine(QPointF(shackle.right(), shackle.center().y()), QPointF(shackle.right(), body.top()));
    p.setPen(Qt::NoPen);
    p.setBrush(ink);
    p.drawRoundedRect(body, size * 0.08, size * 0.08);
    p.restore();
}

void drawCheckbox(QPainter& p, const QRectF& box, bool ticked, const QColor& fill, const QColor& ink,
                  const QColor& border)
{
    p.save();
    p.setPen(QPen(ticked ? fill : border, box.width() * 0.09));
    p.setBrush(ticked ? fill : Qt::transparent);
    p.drawRoundedRect(box, box.width() * 0.2, box.width() * 0.2);
    if (ticked) {
        QPainterPath tick;
        tick.moveTo(box.left() + box.width() * 0.22, box.top() + box.height() * 0.52);
        tick.lineTo(box.left() + box.width() * 0.42, box.top() + box.height() * 0.72);
        tick.lineTo(box.left() + box.width() * 0.78, box.top() + box.height() * 0.30);
        p.setPen(QPen(ink, box.width() * 0.13, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
        p.drawPath(tick);
    }
    p.restore();
}

// A broken condition: the program made it impossible, which is more than "not now".
void drawCross(QPainter& p, const QRectF& box, const QColor& ink)
{
    p.save();
    p.setPen(QPen(ink, box.width() * 0.13, Qt::SolidLine, Qt::RoundCap));
    const QRectF in = box.adjusted(box.width() * 0.25, box.height() * 0.25, -box.width() * 0.25, -box.height() * 0.25);
    p.drawLine(in.topLeft(), in.bottomRight());
    p.drawLine(in.topRight(), in.bottomLeft());
    p.restore();
}

} // namespace

WaitForGraphView::WaitForGraphView(QWidget* parent) : LessonView(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
}

bool WaitForGraphView::appliesTo(const Trace& trace) const
{
    int threads = 0;
    bool locks = false;
    for (const ActorInfo& a : trace.actors()) {
        if (a.kind == ActorKind::Thread) ++threads;
        // A Condition's own lock and its waiter locks belong to the condition view.
        const ActorInfo* parent = trace.actor(a.parent);
        if (isLockKind(a.kind) && !(parent && parent->kind == ActorKind::Condition)) locks = true;
    }
    if (!locks) return false;
    if (threads >= 2) return true;
    // One thread can still deadlock on itself (a plain Lock taken twice): such traces are short.
    for (const Event& e : trace.events())
        if (e.kind == EventKind::Deadlock) return true;
    return false;
}

QString WaitForGraphView::title() const { return tr("Wait-for graph"); }

void WaitForGraphView::setTrace(std::shared_ptr<const Trace> trace)
{
    m_whole.setTrace(trace);
    m_replay.setTrace(std::move(trace));
    refresh();
}

void WaitForGraphView::setCursor(std::int64_t ts)
{
    m_cursor = ts;
    refresh();
}

void WaitForGraphView::refresh()
{
    m_whole.seek(std::numeric_limits<std::int64_t>::max());
    m_replay.seek(m_cursor);
    update();
}

std::int64_t WaitForGraphView::now() const
{
    const Trace* t = m_replay.trace();
    return t ? std::min(m_cursor, t->endTs()) : 0;
}

QString WaitForGraphView::name(ActorId id) const
{
    const Trace* t = m_replay.trace();
    return t ? ViewPainter::actorName(*t, id) : QString();
}

int WaitForGraphView::nodeCount() const { return static_cast<int>(m_whole.model().participants().size()); }

QString WaitForGraphView::cycleText() const
{
    const auto cycle = m_replay.model().cycle();
    if (cycle.empty()) {
        // The detector saw a cycle the events here do not show (should not happen): its own words.
        const Trace* t = m_replay.trace();
        if (m_replay.model().deadlocked() && t && m_replay.model().deadlockText().valid())
            return ViewPainter::qstr(t->text(m_replay.model().deadlockText()));
        return {};
    }
    const std::size_t k = cycle.size() / 2;
    QString text;
    for (std::size_t i = 0; i < k; ++i) {
        const ActorId thread = cycle[2 * i];
        const ActorId lock = cycle[2 * i + 1];
        const ActorId holder = cycle[(2 * i + 2) % cycle.size()];
        const QString holderName = holder == thread ? tr("itself") : name(holder);
        if (i == 0)
            text = tr("%1 waits for %2 held by %3").arg(name(thread), name(lock), holderName);
        else
            text += tr(", which waits for %1 held by %2").arg(name(lock), holderName);
    }
    return text;
}

std::vector<ActorId> WaitForGraphView::seating() const
{
    // Around the table: the deadlock's cycle in order when the run has one (t0, the lock it waits
    // for, that lock's holder, ...: each edge of the cycle joins neighbours and the cycle is the
    // ring itself); everyone else interleaved lock, thread, lock, thread in creation order, which
    // seats each philosopher between its two forks and each thread next to the locks it takes.
    const WaitForModel& whole = m_whole.model();
    std::vector<ActorId> order = whole.deadlocked() ? whole.cycle() : std::vector<ActorId>{};
    std::vector<ActorId> locks;
    std::vector<ActorId> threads;
    for (ActorId id : whole.participants()) {
        if (std::find(order.begin(), order.end(), id) != order.end()) continue;
        (whole.isLock(id) ? locks : threads).push_back(id);
    }
    std::sort(locks.begin(), locks.end());
    std::sort(threads.begin(), threads.end());
    for (std::size_t i = 0; i < std::max(locks.size(), threads.size()); ++i) {
        if (i < locks.size()) order.push_back(locks[i]);
        if (i < threads.size()) order.push_back(threads[i]);
    }
    return order;
}

std::vector<WaitForGraphView::Node> WaitForGraphView::layoutNodes(const QRectF& area, double& nodeRadius) const
{
    std::vector<Node> nodes;
    const std::vector<ActorId> ids = seating();
    const QFont base = Palette::uiFont(viewScale());
    const double u = QFontMetricsF(base).height();
    const std::size_t n = ids.size();
    if (n == 0) return nodes;
    // Labels sit outside the ring: leave room for the widest one beside it and two lines above /
    // below it, then make nodes as big as the spacing on the ring allows.
    QFont labelFont = ViewPainter::resized(base, 1.2);
    labelFont.setBold(true);
    const QFontMetricsF lfm(labelFont);
    const QFontMetricsF sfm(base);
    double labelW = 0;
    for (ActorId id : ids) {
        labelW = std::max(labelW, lfm.horizontalAdvance(name(id)));
        labelW = std::max(labelW, sfm.horizontalAdvance(tr("held by %1").arg(name(id))));
    }
    const double labelH = lfm.height() + sfm.height();
    const QPointF c = area.center();
    double radius = 0;
    nodeRadius = u * 2;
    for (int pass = 0; pass < 3; ++pass) {
        radius = std::max(u * 2, std::min(area.width() / 2 - nodeRadius * 1.2 - labelW - u * 0.5,
                                          area.height() / 2 - nodeRadius * 1.2 - labelH - u * 0.4));
        const double chord = n > 1 ? 2 * radius * std::sin(M_PI / static_cast<double>(n)) : radius;
        nodeRadius = std::clamp(chord * 0.26, u * 0.9, u * 2.2);
    }
    for (std::size_t i = 0; i < n; ++i) {
        // Start at the top and go clockwise; with two nodes place them left and right.
        const double a = -M_PI / 2 + 2 * M_PI * static_cast<double>(i) / static_cast<double>(n)
            + (n == 2 ? -M_PI / 2 : 0);
        const QPointF dir(std::cos(a), std::sin(a));
        const double r = n == 1 ? 0 : radius;
        nodes.push_back({ids[i], m_whole.model().isLock(ids[i]), c + dir * r, dir});
    }
    return nodes;
}

void WaitForGraphView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(rect(), Palette::background());
    if (!m_replay.trace() || m_whole.model().participants().empty()) {
        ViewPainter::emptyState(p, rect(), tr("No thread has touched a lock yet."), viewScale());
        return;
    }
    const double u = QFontMetricsF(Palette::uiFont(viewScale())).height();
    const QRectF all = QRectF(rect()).adjusted(u * 0.8, u * 0.6, -u * 0.8, -u * 0.6);
    // The verdict (cycle in words) spans the bottom; the graph and the checklist share the rest.
    const double verdictH = u * 4.2;
    const QRectF verdict(all.left(), all.bottom() - verdictH, all.width(), verdictH);
    const QRectF upper(all.left(), all.top(), all.width(), all.height() - verdictH - u * 0.6);
    QRectF graph;
    QRectF list;
    if (upper.width() > upper.height() * 1.25) {
        // The checklist wraps its evidence lines, so in a narrow tab it yields room to the graph.
        const double listW = std::min({std::max(upper.width() * 0.38, u * 12), upper.width() * 0.5, u * 26});
        list = QRectF(upper.right() - listW, upper.top(), listW, upper.height());
        graph = QRectF(upper.left(), upper.top(), upper.width() - listW - u * 0.8, upper.height());
    } else {
        const double listH = std::min(upper.height() * 0.45, u * 14);
        list = QRectF(upper.left(), upper.bottom() - listH, upper.width(), listH);
        graph = QRectF(upper.left(), upper.top(), upper.width(), upper.height() - listH - u * 0.6);
    }
    paintGraph(p, graph);
    paintChecklist(p, list);
    paintVerdict(p, verdict);
}

void WaitForGraphView::paintGraph(QPainter& p, const QRectF& whole) const
{
    const WaitForModel& m = m_replay.model();
    const double u = QFontMetricsF(Palette::uiFont(viewScale())).height();
    // A one-line legend on top; the ring below it never runs into it.
    const QRectF legend(whole.left(), whole.top(), whole.width(), u * 1.3);
    const QRectF area = whole.adjusted(0, legend.height() + u * 0.3, 0, 0);
    double nr = 0;
    const std::vector<Node> nodes = layoutNodes(area, nr);
    auto find = [&](ActorId id) -> const Node* {
        for (const Node& n : nodes)
            if (n.id == id) return &n;
        return nullptr;
    };
    const auto cycle = m.cycle();
    const bool alarm = m.deadlocked() && !cycle.empty();
    auto inCycle = [&](ActorId from, ActorId to) {
        if (!alarm) return false;
        for (std::size_t i = 0; i < cycle.size(); ++i)
            if (cycle[i] == from && cycle[(i + 1) % cycle.size()] == to) return true;
        return false;
    };
    auto boundary = [&](const Node& n, QPointF towards) {
        QPointF d = towards - n.pos;
        const double len = std::hypot(d.x(), d.y());
        if (len < 1e-6) return n.pos;
        d /= len;
        const double exit = n.lock ? squareExit(d, nr * 0.85) : nr;
        return n.pos + d * (exit + u * 0.12);
    };

    // The table: a faint ring the nodes sit on.
    if (nodes.size() > 2) {
        p.save();
        p.setPen(QPen(Palette::grid(), u * 0.08, Qt::DotLine));
        p.setBrush(Qt::NoBrush);
        const double r = std::hypot(nodes[0].pos.x() - area.center().x(), nodes[0].pos.y() - area.center().y());
        p.drawEllipse(area.center(), r, r);
        p.restore();
    }

    // Cycle glow first, under everything.
    if (alarm) {
        p.save();
        p.setPen(Qt::NoPen);
        p.setBrush(ViewPainter::withAlpha(Palette::alarm(), 50));
        for (ActorId id : cycle)
            if (const Node* n = find(id)) p.drawEllipse(n->pos, nr * 1.45, nr * 1.45);
        p.restore();
    }

    const QColor holdColor = Palette::foreground();
    const QColor waitColor = Palette::style(State::Blocked).fill;
    const double head = u * 0.75;
    // Hold edges: lock -> holder.
    for (const auto& h : m.holds().holds()) {
        const Node* lock = find(h.lock);
        const Node* thread = find(h.thread);
        if (!lock || !thread) continue;
        const bool hot = inCycle(h.lock, h.thread);
        const bool alsoWaits = m.waitOf(h.thread) == h.lock;
        QPen pen(hot ? Palette::alarm() : holdColor, u * (hot ? 0.28 : 0.16), Qt::SolidLine, Qt::RoundCap);
        const QPointF a = boundary(*lock, thread->pos);
        const QPointF b = boundary(*thread, lock->pos);
        if (alsoWaits) ViewPainter::curvedArrow(p, a, b, 0.3, pen, head);
        else ViewPainter::arrow(p, a, b, pen, head);
    }
    // Wait edges: thread -> lock, dashed.
    for (const auto& w : m.waits()) {
        const Node* thread = find(w.thread);
        const Node* lock = find(w.lock);
        if (!lock || !thread) continue;
        const bool hot = inCycle(w.thread, w.lock);
        QPen pen(hot ? Palette::alarm() : waitColor, u * (hot ? 0.28 : 0.16), Qt::DashLine, Qt::RoundCap);
        const QPointF a = boundary(*thread, lock->pos);
        const QPointF b = boundary(*lock, thread->pos);
        const bool alsoHolds = m.holds().holds(w.thread, w.lock);
        if (alsoHolds) ViewPainter::curvedArrow(p, a, b, 0.3, pen, head);
        else ViewPainter::arrow(p, a, b, pen, head);
    }

    // Nodes.
    const QFont labelFont = [&] {
        QFont f = ViewPainter::resized(Palette::uiFont(viewScale()), 1.2);
        f.setBold(true);
        return f;
    }();
    const QFont smallFont = Palette::uiFont(viewScale());
    for (const Node& n : nodes) {
        const bool hot = alarm && std::find(cycle.begin(), cycle.end(), n.id) != cycle.end();
        QString sub;
        if (n.lock) {
            const bool held = m.holds().isHeld(n.id);
            const StateStyle& st = Palette::style(held ? State::Held : State::Free);
            const QRectF sq(n.pos.x() - nr * 0.85, n.pos.y() - nr * 0.85, nr * 1.7, nr * 1.7);
            ViewPainter::card(p, sq, st.fill, hot ? Palette::alarm() : Palette::foreground(), nr * 0.18);
            drawPadlock(p, n.pos, nr * 0.95, st.ink);
            const auto holders = m.holds().holdersOf(n.id);
            sub = holders.empty() ? tr("free") : tr("held by %1").arg(name(holders.front()));
        } else {
            const State s = m.stateOf(n.id);
            const StateStyle& st = Palette::style(s);
            p.save();
            p.setPen(QPen(hot ? Palette::alarm() : Palette::foreground(), u * (hot ? 0.22 : 0.12)));
            p.setBrush(st.fill);
            p.drawEllipse(n.pos, nr, nr);
            QFont g = ViewPainter::resized(Palette::uiFont(viewScale()), std::max(1.0, nr / u * 0.95));
            p.setFont(g);
            p.setPen(st.ink);
            p.drawText(QRectF(n.pos.x() - nr, n.pos.y() - nr, 2 * nr, 2 * nr), Qt::AlignCenter, st.glyph);
            p.restore();
            sub = Palette::stateLabel(s);
        }
        // Label outside the ring, aligned away from the centre.
        const QFontMetricsF lfm(labelFont);
        const QFontMetricsF sfm(smallFont);
        const QString title = name(n.id);
        const double w = std::max(lfm.horizontalAdvance(title), sfm.horizontalAdvance(sub)) + u * 0.2;
        const double h = lfm.height() + sfm.height();
        const double reach = (n.lock ? nr * 1.2 : nr) + u * 0.35;
        QPointF anchor = n.pos + n.outward * reach;
        QRectF box(0, 0, w, h);
        if (n.outward.x() > 0.35) box.moveLeft(anchor.x());
        else if (n.outward.x() < -0.35) box.moveRight(anchor.x());
        else box.moveLeft(anchor.x() - w / 2);
        if (n.outward.y() > 0.35) box.moveTop(anchor.y());
        else if (n.outward.y() < -0.35) box.moveBottom(anchor.y());
        else box.moveTop(anchor.y() - h / 2);
        int align = Qt::AlignHCenter;
        if (n.outward.x() > 0.35) align = Qt::AlignLeft;
        else if (n.outward.x() < -0.35) align = Qt::AlignRight;
        p.setFont(labelFont);
        p.setPen(hot ? Palette::alarm() : Palette::foreground());
        p.drawText(QRectF(box.left(), box.top(), w, lfm.height()), align | Qt::AlignVCenter, title);
        p.setFont(smallFont);
        p.setPen(Palette::mutedText());
        p.drawText(QRectF(box.left(), box.top() + lfm.height(), w, sfm.height()), align | Qt::AlignVCenter, sub);
    }

    // Legend: what the strokes mean.
    p.save();
    p.setFont(smallFont);
    const QFontMetricsF sfm(smallFont);
    const double y = legend.center().y();
    const double sw = u * 1.8;
    double x = legend.left();
    const QString holdText = tr("lock → its holder");
    const QString waitText = tr("thread → lock it waits for");
    ViewPainter::arrow(p, QPointF(x, y), QPointF(x + sw, y), QPen(holdColor, u * 0.14), u * 0.5);
    p.setPen(Palette::mutedText());
    p.drawText(QRectF(x + sw + u * 0.4, legend.top(), sfm.horizontalAdvance(holdText) + 2, legend.height()),
               Qt::AlignLeft | Qt::AlignVCenter, holdText);
    x += sw + u * 0.4 + sfm.horizontalAdvance(holdText) + u * 1.2;
    if (x + sw + sfm.horizontalAdvance(waitText) < legend.right()) {
        ViewPainter::arrow(p, QPointF(x, y), QPointF(x + sw, y), QPen(waitColor, u * 0.14, Qt::DashLine), u * 0.5);
        p.setPen(Palette::mutedText());
        p.drawText(QRectF(x + sw + u * 0.4, legend.top(), sfm.horizontalAdvance(waitText) + 2, legend.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, waitText);
    }
    p.restore();
}

std::vector<WaitForGraphView::ChecklistRow> WaitForGraphView::checklist() const
{
    const WaitForModel& m = m_replay.model();
    const Trace* t = m_replay.trace();
    // Before the engine has said anything about a condition it has not been met yet.
    const std::array<std::pair<QString, QString>, kCoffmanCount> words{{
        {tr("Mutual exclusion"), tr("no thread requests a lock that is held")},
        {tr("Hold and wait"), tr("no thread waits while holding a lock")},
        {tr("No preemption"), tr("no lock has been taken yet")},
        {tr("Circular wait"), tr("no cycle of waiting threads")},
    }};
    std::vector<ChecklistRow> rows;
    for (std::size_t i = 0; i < kCoffmanCount; ++i) {
        const auto c = static_cast<CoffmanCondition>(i);
        const WaitForModel::Fact& f = m.fact(c);
        const QString evidence = f.recorded && t ? EngineText::display(t->text(f.reason)) : words[i].second;
        rows.push_back({c, f.status, words[i].first, evidence});
    }
    return rows;
}

void WaitForGraphView::paintChecklist(QPainter& p, const QRectF& area) const
{
    const bool all = m_replay.model().coffman().all();
    const double u = QFontMetricsF(Palette::uiFont(viewScale())).height();
    ViewPainter::card(p, area, Palette::panel(), all ? Palette::alarm() : QColor(), u * 0.5);
    const QRectF in = area.adjusted(u * 0.9, u * 0.7, -u * 0.9, -u * 0.7);
    QFont titleFont = ViewPainter::resized(Palette::uiFont(viewScale()), 1.3);
    titleFont.setBold(true);
    QFont nameFont = ViewPainter::resized(Palette::uiFont(viewScale()), 1.12);
    nameFont.setBold(true);
    const QFont textFont = Palette::uiFont(viewScale());
    p.save();
    p.setClipRect(area);
    p.setFont(titleFont);
    p.setPen(Palette::foreground());
    const double th = QFontMetricsF(titleFont).height();
    p.drawText(QRectF(in.left(), in.top(), in.width(), th), Qt::AlignLeft | Qt::AlignVCenter,
               tr("Coffman conditions"));
    p.setFont(textFont);
    p.setPen(all ? Palette::alarm() : Palette::mutedText());
    const double fh = QFontMetricsF(textFont).height();
    p.drawText(QRectF(in.left(), in.top() + th, in.width(), fh * 1.2), Qt::AlignLeft | Qt::AlignVCenter,
               all ? tr("All four hold at once: deadlock.") : tr("A deadlock needs all four at once."));

    double y = in.top() + th + fh * 1.6;
    const double box = u * 1.25;
    const QColor tickFill = all ? Palette::alarm() : Palette::accent();
    const QColor tickInk = Palette::background();
    const double rowSpace = std::clamp((in.bottom() - y) / 4.0, u * 2.6, u * 4.4);
    for (const ChecklistRow& r : checklist()) {
        if (y + u * 1.2 > in.bottom()) break;
        const bool on = r.status == CoffmanStatus::Met;
        const QRectF boxRect(in.left(), y + u * 0.05, box, box);
        drawCheckbox(p, boxRect, on, tickFill, tickInk, Palette::mutedText());
        if (r.status == CoffmanStatus::Broken) drawCross(p, boxRect, Palette::foreground());
        const double tx = in.left() + box + u * 0.6;
        p.setFont(nameFont);
        p.setPen(on ? Palette::foreground() : Palette::mutedText());
        const double nh = QFontMetricsF(nameFont).height();
        const QString title = r.status == CoffmanStatus::Broken ? tr("%1: broken").arg(r.title) : r.title;
        p.drawText(QRectF(tx, y, in.right() - tx, nh), Qt::AlignLeft | Qt::AlignVCenter, title);
        p.setFont(textFont);
        p.setPen(Palette::mutedText());
        // The engine's reasons name threads and locks, so some wrap to more lines than a row has:
        // such a row takes the room it needs rather than losing its last words.
        const double textH = QFontMetricsF(textFont)
                                 .boundingRect(QRectF(0, 0, in.right() - tx, 1e6), Qt::TextWordWrap, r.evidence)
                                 .height();
        const QRectF textRect(tx, y + nh, in.right() - tx, std::max({fh, textH, rowSpace - nh - u * 0.2}));
        p.drawText(textRect, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, r.evidence);
        y += std::max(rowSpace, nh + textH + u * 0.5);
    }
    p.restore();
}

void WaitForGraphView::paintVerdict(QPainter& p, const QRectF& area) const
{
    const WaitForModel& m = m_replay.model();
    const double u = QFontMetricsF(Palette::uiFont(viewScale())).height();
    const QString cycle = cycleText();
    QString text;
    QColor ink = Palette::foreground();
    QColor border;
    if (m.deadlocked() && !cycle.isEmpty()) {
        text = tr("Deadlock: %1.").arg(cycle);
        ink = Palette::alarm();
        border = Palette::alarm();
    } else if (!m.cycle().empty()) {
        text = tr("Cycle: %1.").arg(cycle);
        ink = Palette::alarm();
    } else if (!m.waits().empty()) {
        QStringList parts;
        for (const auto& w : m.waits()) {
            const auto holders = m.holds().holdersOf(w.lock);
            parts << (holders.empty() ? tr("%1 waits for %2").arg(name(w.thread), name(w.lock))
                                      : tr("%1 waits for %2 held by %3")
                                            .arg(name(w.thread), name(w.lock), name(holders.front())));
        }
        text = parts.join(QStringLiteral("; ")) + tr(". No cycle: every wait can still end.");
    } else {
        text = tr("No thread is waiting for a lock.");
        ink = Palette::mutedText();
    }
    ViewPainter::card(p, area, Palette::panel(), border, u * 0.5);
    QFont f = ViewPainter::resized(Palette::uiFont(viewScale()), 1.3);
    f.setBold(m.deadlocked());
    // Shrink long sentences (big philosopher tables) until they fit.
    const QRectF in = area.adjusted(u * 0.9, u * 0.4, -u * 0.9, -u * 0.4);
    for (int i = 0; i < 6; ++i) {
        const QRectF need = QFontMetricsF(f).boundingRect(in, Qt::AlignVCenter | Qt::TextWordWrap, text);
        if (need.height() <= in.height()) break;
        f = ViewPainter::resized(f, 0.87);
    }
    p.save();
    p.setFont(f);
    p.setPen(ink);
    p.drawText(in, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, text);
    p.restore();
}

} // namespace lockstep::ui
