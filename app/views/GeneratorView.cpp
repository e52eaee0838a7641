#include "views/GeneratorView.h"

#include "render/Palette.h"
#include "render/ViewPainter.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QRegularExpression>

#include <algorithm>

namespace lockstep::ui {

namespace {

bool isCallerToGenerator(EventKind k)
{
    return k == EventKind::GenSend || k == EventKind::GenThrow || k == EventKind::GenClose;
}

} // namespace

GeneratorView::GeneratorView(QWidget* parent) : LessonView(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
}

bool GeneratorView::appliesTo(const Trace& trace) const
{
    return std::any_of(trace.actors().begin(), trace.actors().end(),
                       [](const ActorInfo& a) { return a.kind == ActorKind::Coroutine; });
}

QString GeneratorView::title() const { return tr("Generator"); }

void GeneratorView::setTrace(std::shared_ptr<const Trace> trace)
{
    if (m_replay.setTrace(std::move(trace))) {
        m_generator = {};
        m_caller = {};
        m_rolesScanned = 0;
    }
    refresh();
}

void GeneratorView::setCursor(std::int64_t ts)
{
    m_cursor = ts;
    refresh();
}

void GeneratorView::refresh()
{
    resolveRoles();
    m_replay.seek(m_cursor);
    update();
}

void GeneratorView::resolveRoles()
{
    const Trace* t = m_replay.trace();
    if (!t || m_caller.valid()) return;
    // The generator the caller drives is the target of the first send / throw / close that comes
    // from a thread; a coroutine sending to its own child is `yield from` delegating.
    const auto& events = t->events();
    for (; m_rolesScanned < events.size(); ++m_rolesScanned) {
        const Event& e = events[m_rolesScanned];
        if (!isCallerToGenerator(e.kind) || !e.target.valid() || !e.actor.valid()) continue;
        const ActorInfo* sender = t->actor(e.actor);
        const ActorInfo* target = t->actor(e.target);
        const bool delegating = sender && sender->kind == ActorKind::Coroutine && target && target->parent == e.actor;
        if (delegating) continue;
        m_generator = e.target;
        m_caller = e.actor;
        return;
    }
    if (!m_generator.valid()) {
        for (const ActorInfo& a : t->actors()) {
            const ActorInfo* parent = t->actor(a.parent);
            if (a.kind == ActorKind::Coroutine && (!parent || parent->kind != ActorKind::Coroutine)) {
                m_generator = a.id;
                break;
            }
        }
    }
}

ActorId GeneratorView::generator() const { return m_generator; }
ActorId GeneratorView::caller() const { return m_caller; }

QString GeneratorView::inspectName(State state)
{
    switch (state) {
    case State::GenCreated: return QStringLiteral("GEN_CREATED");
    case State::GenRunning: return QStringLiteral("GEN_RUNNING");
    case State::GenSuspended: return QStringLiteral("GEN_SUSPENDED");
    case State::GenClosed: return QStringLiteral("GEN_CLOSED");
    default: return QStringLiteral("GEN_CREATED");
    }
}

QString GeneratorView::generatorState() const
{
    if (!m_generator.valid()) return {};
    return inspectName(m_replay.model().stateOf(m_generator));
}

std::vector<ActorId> GeneratorView::delegationChain() const
{
    std::vector<ActorId> chain;
    const Trace* t = m_replay.trace();
    if (!t || !m_generator.valid()) return chain;
    chain.push_back(m_generator);
    // Follow the newest live child each step: that is where `yield from` forwards to now.
    for (int depth = 0; depth < 32; ++depth) {
        ActorId next;
        for (ActorId a : m_replay.model().actors()) {
            const ActorInfo* info = t->actor(a);
            if (info && info->kind == ActorKind::Coroutine && info->parent == chain.back()
                && m_replay.model().stateOf(a) != State::GenClosed)
                next = a;
        }
        if (!next.valid()) break;
        chain.push_back(next);
    }
    return chain;
}

QString GeneratorView::name(ActorId id) const
{
    const Trace* t = m_replay.trace();
    return t ? ViewPainter::actorName(*t, id) : QString();
}

QString GeneratorView::pythonText(const QString& json)
{
    // The engine records values as JSON; students read Python: None, True, 'text'.
    if (json == QLatin1String("null")) return QStringLiteral("None");
    if (json == QLatin1String("true")) return QStringLiteral("True");
    if (json == QLatin1String("false")) return QStringLiteral("False");
    if (json.size() >= 2 && json.startsWith(QLatin1Char('"')) && json.endsWith(QLatin1Char('"'))
        && !json.mid(1, json.size() - 2).contains(QLatin1Char('"')) && !json.contains(QLatin1Char('\\')))
        return QLatin1Char('\'') + json.mid(1, json.size() - 2) + QLatin1Char('\'');
    if (!json.contains(QLatin1Char('"'))) {
        QString out = json;
        out.replace(QRegularExpression(QStringLiteral("\\bnull\\b")), QStringLiteral("None"));
        out.replace(QRegularExpression(QStringLiteral("\\btrue\\b")), QStringLiteral("True"));
        out.replace(QRegularExpression(QStringLiteral("\\bfalse\\b")), QStringLiteral("False"));
        out.replace(QLatin1Char(','), QStringLiteral(", "));
        out.replace(QStringLiteral(",  "), QStringLiteral(", "));
        return out;
    }
    return json;
}

QString GeneratorView::label(const GeneratorModel::Transfer& t) const
{
    const Trace* trace = m_replay.trace();
    const QString v = trace ? pythonText(ViewPainter::qstr(trace->text(t.value))) : QString();
    switch (t.kind) {
    case EventKind::GenSend:
        return v.isEmpty() || v == QLatin1String("None") ? tr("next()") : tr("send(%1)").arg(v);
    case EventKind::GenThrow: return tr("throw(%1)").arg(v);
    case EventKind::GenClose: return tr("close()");
    case EventKind::GenYield: return tr("yield %1").arg(v.isEmpty() ? QStringLiteral("None") : v);
    case EventKind::GenReturn:
        return v.isEmpty() ? tr("return (StopIteration)") : tr("return %1 (StopIteration)").arg(v);
    case EventKind::GenRaise: return tr("raise %1").arg(v);
    default: return v;
    }
}

QString GeneratorView::callText(const GeneratorModel::Transfer& t) const
{
    const Trace* trace = m_replay.trace();
    const QString v = trace ? pythonText(ViewPainter::qstr(trace->text(t.value))) : QString();
    const QString g = name(t.to);
    switch (t.kind) {
    case EventKind::GenSend:
        return v.isEmpty() || v == QLatin1String("None") ? QStringLiteral("next(%1)").arg(g)
                                                         : QStringLiteral("%1.send(%2)").arg(g, v);
    case EventKind::GenThrow: return QStringLiteral("%1.throw(%2)").arg(g, v);
    case EventKind::GenClose: return QStringLiteral("%1.close()").arg(g);
    default: return label(t);
    }
}

QStringList GeneratorView::transferLabels() const
{
    QStringList out;
    for (const auto& t : m_replay.model().transfers()) out << label(t);
    return out;
}

QColor GeneratorView::colorOf(EventKind kind) const
{
    switch (kind) {
    case EventKind::GenSend: return Palette::accent();
    case EventKind::GenThrow: return Palette::alarm();
    case EventKind::GenClose: return Palette::style(StateCategory::Done).fill;
    case EventKind::GenYield: return Palette::style(State::Running).fill;
    case EventKind::GenReturn: return Palette::style(State::Sleeping).fill;
    case EventKind::GenRaise: return Palette::alarm();
    default: return Palette::foreground();
    }
}

void GeneratorView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(rect(), Palette::background());
    if (!m_replay.trace() || !m_generator.valid()) {
        ViewPainter::emptyState(p, rect(), tr("No generator in this run yet."), viewScale());
        return;
    }
    const double u = QFontMetricsF(Palette::uiFont(viewScale())).height();
    const QRectF all = QRectF(rect()).adjusted(u * 0.7, u * 0.6, -u * 0.7, -u * 0.6);
    const double topH = std::clamp(all.height() * 0.42, u * 9, u * 16);
    paintStacks(p, QRectF(all.left(), all.top(), all.width(), topH));
    const QRectF lower(all.left(), all.top() + topH + u * 0.7, all.width(), all.height() - topH - u * 0.7);
    const double outW = std::clamp(lower.width() * 0.3, u * 12, u * 22);
    paintSequence(p, QRectF(lower.left(), lower.top(), lower.width() - outW - u * 0.7, lower.height()));
    paintOutput(p, QRectF(lower.right() - outW, lower.top(), outW, lower.height()));
}

QRectF GeneratorView::paintFrame(QPainter& p, const QRectF& r, ActorId actor, bool coroutine, bool active) const
{
    const GeneratorModel& m = m_replay.model();
    const QFont base = Palette::uiFont(viewScale());
    const double u = QFontMetricsF(base).height();
    const State st = coroutine ? m.stateOf(actor) : (active ? State::Running : State::Waiting);
    const bool closed = st == State::GenClosed;
    const QColor open = ViewPainter::mix(Palette::panel(), Palette::foreground(), 0.05);
    const QColor border = active ? Palette::accent() : Palette::grid();
    ViewPainter::card(p, r, closed ? Palette::background() : open, border, u * 0.35);
    QFont nf = ViewPainter::resized(base, 1.2);
    nf.setBold(true);
    const double nh = QFontMetricsF(nf).height();
    const QRectF in = r.adjusted(u * 0.6, u * 0.3, -u * 0.6, -u * 0.3);
    p.save();
    p.setClipRect(r);
    // The state chip first (right), then the name in what is left, elided in a narrow tab.
    double chipLeft = in.right();
    if (coroutine || active) {
        const State shown = coroutine ? st : State::Running;
        QString text = Palette::style(shown).glyph + QLatin1Char(' ') + (coroutine ? inspectName(st) : tr("running"));
        QFont cf = base;
        if (ViewPainter::chipSize(text, cf).width() > in.width() * 0.55) cf = ViewPainter::resized(base, 0.8);
        const QSizeF cs = ViewPainter::chipSize(text, cf);
        chipLeft = in.right() - cs.width();
        ViewPainter::chip(p, QPointF(chipLeft, in.top() + (nh - cs.height()) / 2), text, Palette::style(shown).fill,
                          Palette::style(shown).ink, cf);
    }
    p.setFont(nf);
    p.setPen(closed ? Palette::mutedText() : Palette::foreground());
    ViewPainter::elidedText(p, QRectF(in.left(), in.top(), std::max(0.0, chipLeft - in.left() - u * 0.3), nh),
                            Qt::AlignLeft | Qt::AlignVCenter,
                            coroutine ? name(actor) + QStringLiteral("()") : name(actor));
    const int line = m.lineOf(actor);
    if (in.height() > nh + u) {
        const QRectF lr(in.left(), in.top() + nh + u * 0.2, in.width(), u * 1.2);
        p.setFont(base);
        p.setPen(Palette::mutedText());
        // A frame shows the line it reached; the caller, whose script has no lines in the snippet,
        // shows the call it made last (next(g), g.send(10), ...).
        QString code = sourceLine(line);
        QString ln = line > 0 ? tr("line %1").arg(line) : (coroutine ? tr("not started") : QString());
        if (!coroutine && line <= 0) {
            const auto& ts = m.transfers();
            for (auto it = ts.rbegin(); it != ts.rend(); ++it) {
                if (it->from != actor) continue;
                ln = tr("called");
                code = callText(*it);
                break;
            }
        }
        const double lw = ln.isEmpty() ? 0.0 : QFontMetricsF(base).horizontalAdvance(ln) + u * 0.6;
        p.drawText(QRectF(lr.left(), lr.top(), lw, lr.height()), Qt::AlignLeft | Qt::AlignVCenter, ln);
        p.setFont(Palette::monoFont(viewScale()));
        p.setPen(closed ? Palette::mutedText() : Palette::accent());
        ViewPainter::elidedText(p, QRectF(lr.left() + lw, lr.top(), lr.width() - lw, lr.height()),
                                Qt::AlignLeft | Qt::AlignVCenter, code);
    }
    p.restore();
    return r;
}

void GeneratorView::paintStacks(QPainter& p, const QRectF& r) const
{
    const GeneratorModel& m = m_replay.model();
    const QFont base = Palette::uiFont(viewScale());
    const double u = QFontMetricsF(base).height();
    const double colW = r.width() * 0.34;
    const QRectF left(r.left(), r.top(), colW, r.height());
    const QRectF right(r.right() - colW, r.top(), colW, r.height());
    const QRectF mid(left.right(), r.top(), right.left() - left.right(), r.height());
    QFont head = ViewPainter::resized(base, 1.05);
    head.setBold(true);
    const double hh = QFontMetricsF(head).height();
    const std::vector<ActorId> chain = delegationChain();
    const bool genRunning = std::find(chain.begin(), chain.end(), m.active()) != chain.end();

    // Caller's stack.
    ViewPainter::card(p, left, Palette::panel(), QColor(), u * 0.5);
    p.setFont(head);
    p.setPen(Palette::mutedText());
    ViewPainter::elidedText(p, QRectF(left.left() + u * 0.7, left.top() + u * 0.4, left.width() - u * 1.4, hh),
                            Qt::AlignLeft | Qt::AlignVCenter, tr("caller's stack"));
    const double frameH = std::min(u * 3.4, (r.height() - hh - u * 1.4) / std::max<std::size_t>(1, chain.size()));
    if (m_caller.valid()) {
        // When the generator runs, its frame sits on top of the caller's: show that as a ghost.
        double y = left.top() + hh + u * 0.8;
        if (genRunning) {
            const QRectF ghost(left.left() + u * 0.7, y, left.width() - u * 1.4, u * 1.6);
            p.setPen(QPen(Palette::accent(), u * 0.08, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(ghost, u * 0.3, u * 0.3);
            p.setFont(base);
            p.setPen(Palette::accent());
            p.drawText(ghost, Qt::AlignCenter, tr("%1() runs on top of this stack").arg(name(chain.back())));
            y = ghost.bottom() + u * 0.4;
        }
        paintFrame(p, QRectF(left.left() + u * 0.7, y, left.width() - u * 1.4, std::max(frameH, u * 3.0)), m_caller,
                   false, m.active() == m_caller || !m.active().valid());
    }

    // Generator frames, outermost first; `yield from` links them.
    ViewPainter::card(p, right, Palette::panel(), QColor(), u * 0.5);
    p.setFont(head);
    p.setPen(Palette::mutedText());
    {
        const QRectF hr(right.left() + u * 0.7, right.top() + u * 0.4, right.width() - u * 1.4, hh);
        QString text =
            genRunning ? tr("generator frames (running)") : tr("generator frames (kept alive, off the stack)");
        if (QFontMetricsF(head).horizontalAdvance(text) > hr.width()) text = tr("generator frames");
        ViewPainter::elidedText(p, hr, Qt::AlignLeft | Qt::AlignVCenter, text);
    }
    double y = right.top() + hh + u * 0.8;
    for (std::size_t i = 0; i < chain.size(); ++i) {
        if (i > 0) {
            p.setFont(Palette::monoFont(viewScale() * 0.9));
            p.setPen(Palette::mutedText());
            p.drawText(QRectF(right.left() + u * 1.4, y - u * 0.1, right.width(), u), Qt::AlignLeft | Qt::AlignVCenter,
                       tr("↓ yield from"));
            y += u * 0.9;
        }
        const double h = std::max(u * 3.0, frameH - (i > 0 ? u * 0.9 : 0));
        if (y + h > right.bottom() - u * 0.3) break;
        paintFrame(p, QRectF(right.left() + u * 0.7 + static_cast<double>(i) * u * 0.8, y,
                             right.width() - u * 1.4 - static_cast<double>(i) * u * 0.8, h),
                   chain[i], true, m.active() == chain[i]);
        y += h + u * 0.3;
    }

    // The last transfer: a big arrow across the gap, carrying its value.
    if (!m.transfers().empty()) {
        const auto& t = m.transfers().back();
        const bool toGen = isCallerToGenerator(t.kind);
        const QColor c = colorOf(t.kind);
        const double y0 = mid.center().y() + u * 0.6;
        const QPointF a(toGen ? mid.left() + u * 0.5 : mid.right() - u * 0.5, y0);
        const QPointF b(toGen ? mid.right() - u * 0.5 : mid.left() + u * 0.5, y0);
        ViewPainter::arrow(p, a, b, QPen(c, u * 0.35, Qt::SolidLine, Qt::RoundCap), u * 1.2);
        QFont lf = ViewPainter::resized(base, 1.45);
        lf.setBold(true);
        p.setFont(lf);
        p.setPen(Palette::foreground());
        const QFontMetricsF lfm(lf);
        const QRectF lr(mid.left() + u * 0.3, y0 - lfm.height() - u * 0.5, mid.width() - u * 0.6, lfm.height());
        ViewPainter::elidedText(p, lr, Qt::AlignCenter, label(t));
        p.setFont(base);
        p.setPen(Palette::mutedText());
        p.drawText(QRectF(mid.left(), y0 + u * 0.6, mid.width(), u), Qt::AlignCenter,
                   tr("%1 → %2").arg(name(t.from), name(t.to)));
    } else {
        p.setFont(base);
        p.setPen(Palette::mutedText());
        p.drawText(mid, Qt::AlignCenter | Qt::TextWordWrap, tr("created, not started:\nthe first call must be next()"));
    }
}

void GeneratorView::paintSequence(QPainter& p, const QRectF& r) const
{
    const GeneratorModel& m = m_replay.model();
    const QFont base = Palette::uiFont(viewScale());
    const double u = QFontMetricsF(base).height();
    ViewPainter::card(p, r, Palette::panel(), QColor(), u * 0.5);
    p.save();
    p.setClipRect(r);
    // Lifelines: the caller, the generator, then its subgenerators as they appear.
    std::vector<ActorId> lanes;
    if (m_caller.valid()) lanes.push_back(m_caller);
    lanes.push_back(m_generator);
    for (ActorId a : m.actors())
        if (std::find(lanes.begin(), lanes.end(), a) == lanes.end()) lanes.push_back(a);
    const QRectF in = r.adjusted(u * 0.8, u * 0.5, -u * 0.8, -u * 0.5);
    const double laneW = in.width() / static_cast<double>(lanes.size());
    auto laneX = [&](ActorId a) {
        const auto it = std::find(lanes.begin(), lanes.end(), a);
        return in.left() + laneW * (static_cast<double>(it - lanes.begin()) + 0.5);
    };
    QFont hf = ViewPainter::resized(base, 1.05);
    hf.setBold(true);
    const double headH = ViewPainter::chipSize(QStringLiteral("X"), hf).height();
    for (ActorId a : lanes) {
        const ActorInfo* info = m_replay.trace()->actor(a);
        const bool co = info && info->kind == ActorKind::Coroutine;
        const State st = co ? m.stateOf(a) : State::Running;
        const QString text = co ? Palette::style(st).glyph + QLatin1Char(' ') + name(a) : name(a);
        const QSizeF cs = ViewPainter::chipSize(text, hf);
        ViewPainter::chip(p, QPointF(laneX(a) - cs.width() / 2, in.top()), text,
                          co ? Palette::style(st).fill : Palette::foreground(),
                          co ? Palette::style(st).ink : Palette::background(), hf);
        p.setPen(QPen(Palette::grid(), u * 0.1, Qt::DashLine));
        p.drawLine(QPointF(laneX(a), in.top() + headH), QPointF(laneX(a), in.bottom()));
    }
    // Arrows, newest at the bottom.
    const auto& ts = m.transfers();
    const double top = in.top() + headH + u * 0.4;
    const double rowH = std::clamp((in.bottom() - top) / static_cast<double>(std::max<std::size_t>(ts.size(), 1)),
                                   u * 2.0, u * 2.8);
    const int fit = std::max(0, static_cast<int>((in.bottom() - top) / rowH));
    const std::size_t first = ts.size() > static_cast<std::size_t>(fit) ? ts.size() - static_cast<std::size_t>(fit) : 0;
    QFont lf = base;
    const QFontMetricsF lfm(lf);
    for (std::size_t i = first; i < ts.size(); ++i) {
        const auto& t = ts[i];
        const double y = top + static_cast<double>(i - first) * rowH + rowH * 0.72;
        const double x1 = laneX(t.from);
        const double x2 = laneX(t.to);
        const bool newest = i + 1 == ts.size();
        const QColor c = colorOf(t.kind);
        const double dir = x2 >= x1 ? 1.0 : -1.0;
        ViewPainter::arrow(p, QPointF(x1 + dir * u * 0.2, y), QPointF(x2 - dir * u * 0.2, y),
                           QPen(c, u * (newest ? 0.22 : 0.14),
                                isCallerToGenerator(t.kind) ? Qt::SolidLine : Qt::DashLine),
                           u * 0.6);
        lf.setBold(newest);
        p.setFont(lf);
        p.setPen(newest ? Palette::foreground() : Palette::mutedText());
        const QString text = QStringLiteral("%1  ").arg(i + 1) + label(t);
        const double lx = std::min(x1, x2);
        const double lw = std::max(std::abs(x2 - x1), lfm.horizontalAdvance(text) + u);
        const QRectF labelRect(lx + (std::abs(x2 - x1) - lw) / 2, y - lfm.height() - u * 0.05, lw, lfm.height());
        ViewPainter::elidedText(p, labelRect,
                                Qt::AlignCenter, text);
    }
    if (ts.empty()) {
        p.setFont(base);
        p.setPen(Palette::mutedText());
        p.drawText(QRectF(in.left(), top, in.width(), in.bottom() - top), Qt::AlignCenter, tr("No transfer yet."));
    }
    p.restore();
}

void GeneratorView::paintOutput(QPainter& p, const QRectF& r) const
{
    const GeneratorModel& m = m_replay.model();
    const Trace& trace = *m_replay.trace();
    const QFont base = Palette::uiFont(viewScale());
    const double u = QFontMetricsF(base).height();
    ViewPainter::card(p, r, ViewPainter::mix(Palette::background(), Palette::panel(), 0.5), Palette::grid(), u * 0.5);
    p.save();
    p.setClipRect(r);
    const QRectF in = r.adjusted(u * 0.7, u * 0.5, -u * 0.7, -u * 0.5);
    QFont hf = base;
    hf.setBold(true);
    p.setFont(hf);
    p.setPen(Palette::mutedText());
    p.drawText(QRectF(in.left(), in.top(), in.width(), u * 1.2), Qt::AlignLeft | Qt::AlignVCenter, tr("output"));
    const QFont mono = Palette::monoFont(viewScale());
    const QFontMetricsF mfm(mono);
    const double top = in.top() + u * 1.5;
    p.setFont(mono);
    // Oldest first like a terminal; once full, the newest lines stay in view.
    std::vector<std::pair<std::size_t, double>> shown; // (index, height)
    double used = 0;
    for (std::size_t i = m.output().size(); i-- > 0;) {
        const QString text = ViewPainter::qstr(trace.text(m.output()[i].text));
        const double h = mfm.boundingRect(QRectF(0, 0, in.width(), 1e6), Qt::TextWordWrap, text).height();
        if (used + h > in.bottom() - top) break;
        used += h + u * 0.15;
        shown.emplace_back(i, h);
    }
    double y = top;
    for (auto it = shown.rbegin(); it != shown.rend(); ++it) {
        const auto& o = m.output()[it->first];
        p.setPen(o.error ? Palette::alarm() : Palette::foreground());
        p.drawText(QRectF(in.left(), y, in.width(), it->second), Qt::TextWordWrap,
                   ViewPainter::qstr(trace.text(o.text)));
        y += it->second + u * 0.15;
    }
    if (m.output().empty()) {
        p.setFont(base);
        p.setPen(Palette::mutedText());
        p.drawText(QRectF(in.left(), top, in.width(), in.bottom() - top), Qt::AlignCenter, tr("nothing printed yet"));
    }
    p.restore();
}

} // namespace lockstep::ui
