#include "views/StateBoard.h"

#include "render/Palette.h"
#include "render/ViewPainter.h"

#include <QFontMetricsF>
#include <QPaintEvent>
#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>

namespace lockstep::ui {

namespace {

constexpr int kFadeMs = 240;
constexpr int kMaxAnimatedCards = 64; // beyond this, fades cost more than they tell

bool isWaitState(State s)
{
    return s == State::Blocked || s == State::Waiting || s == State::Ready || s == State::BlockedIo
        || s == State::Sleeping;
}

} // namespace

StateBoard::StateBoard(QWidget* parent) : LessonView(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
}

bool StateBoard::appliesTo(const Trace& trace) const
{
    return std::any_of(trace.actors().begin(), trace.actors().end(),
                       [](const ActorInfo& a) { return isExecutor(a.kind); });
}

QString StateBoard::title() const { return tr("State board"); }

void StateBoard::setTrace(std::shared_ptr<const Trace> trace)
{
    if (m_replay.setTrace(std::move(trace))) {
        for (Card& c : m_cards)
            if (c.fade) c.fade->deleteLater();
        m_cards.clear();
        m_actorsSeen = 0;
    }
    refresh();
}

void StateBoard::setCursor(std::int64_t ts)
{
    m_cursor = ts;
    refresh();
}

void StateBoard::refresh()
{
    m_replay.seek(m_cursor);
    syncCards();
    update();
}

std::int64_t StateBoard::now() const
{
    const Trace* t = m_replay.trace();
    if (!t) return 0;
    return std::min(m_cursor, t->endTs());
}

void StateBoard::syncCards()
{
    const Trace* trace = m_replay.trace();
    if (!trace) return;
    // New executors get a card (a live run registers actors as it goes); cards keep actor order.
    if (trace->actors().size() != m_actorsSeen) {
        m_actorsSeen = trace->actors().size();
        std::vector<ActorId> ids;
        for (const ActorInfo& a : trace->actors())
            if (isExecutor(a.kind)) ids.push_back(a.id);
        std::vector<Card> cards;
        cards.reserve(ids.size());
        for (ActorId id : ids) {
            auto it = std::find_if(m_cards.begin(), m_cards.end(), [&](const Card& c) { return c.id == id; });
            if (it != m_cards.end()) {
                cards.push_back(std::move(*it));
            } else {
                Card c;
                c.id = id;
                c.state = m_replay.model().actor(id).state;
                c.shown = Palette::stateColor(c.state);
                cards.push_back(std::move(c));
            }
        }
        m_cards = std::move(cards);
    }
    const bool animate = m_animated && isVisible() && m_cards.size() <= kMaxAnimatedCards;
    for (Card& c : m_cards) {
        const State s = m_replay.model().actor(c.id).state;
        if (s == c.state) continue;
        c.state = s;
        const QColor target = Palette::stateColor(s);
        if (!animate) {
            if (c.fade) c.fade->stop();
            c.shown = target;
            continue;
        }
        if (!c.fade) {
            c.fade = new QVariantAnimation(this);
            c.fade->setDuration(kFadeMs);
            c.fade->setEasingCurve(QEasingCurve::OutCubic);
            const ActorId id = c.id;
            connect(c.fade, &QVariantAnimation::valueChanged, this, [this, id](const QVariant& v) {
                for (Card& card : m_cards)
                    if (card.id == id) card.shown = v.value<QColor>();
                update();
            });
        }
        c.fade->stop();
        c.fade->setStartValue(c.shown);
        c.fade->setEndValue(target);
        c.fade->start();
    }
}

State StateBoard::cardState(ActorId actor) const
{
    for (const Card& c : m_cards)
        if (c.id == actor) return c.state;
    return State::New;
}

QStringList StateBoard::holdsOf(ActorId actor) const
{
    QStringList out;
    const Trace* trace = m_replay.trace();
    if (!trace) return out;
    for (ActorId g : m_replay.model().gilsHeldBy(actor)) out << ViewPainter::actorName(*trace, g);
    for (ActorId l : m_replay.model().locksHeldBy(actor)) out << ViewPainter::actorName(*trace, l);
    return out;
}

QString StateBoard::waitsForOf(ActorId actor) const { return waitText(actor); }

QString StateBoard::waitText(ActorId actor) const
{
    const Trace* trace = m_replay.trace();
    if (!trace) return {};
    const BoardModel::Actor& a = m_replay.model().actor(actor);
    if (!isWaitState(a.state) && a.state != State::Zombie) return {};
    if (a.target.valid()) {
        const QString name = ViewPainter::actorName(*trace, a.target);
        if (a.state == State::Sleeping) return tr("timer (%1)").arg(name);
        return name;
    }
    switch (a.state) {
    case State::Ready: return tr("a CPU");
    case State::Sleeping: return tr("a timer");
    case State::Zombie: return tr("its parent to reap it");
    default: return {};
    }
}

StateBoard::Grid StateBoard::layout(int count, const QRectF& area) const
{
    Grid best;
    const QFontMetricsF fm(Palette::uiFont(viewScale()));
    const double unit = fm.height();
    best.gap = unit * 0.7;
    if (count <= 0) return best;
    // Pick the column count that gives the largest cards at a pleasant 16:9-ish aspect.
    double bestScore = -1;
    for (int c = 1; c <= count; ++c) {
        const int r = (count + c - 1) / c;
        const double cw = (area.width() - (c + 1) * best.gap) / c;
        const double ch = (area.height() - (r + 1) * best.gap) / r;
        if (cw <= 0 || ch <= 0) break;
        const double h = std::min(ch, cw / 1.55);
        const double score = h * std::min(cw, h * 2.4);
        if (score > bestScore) {
            bestScore = score;
            best.columns = c;
            best.cardWidth = cw;
            best.cardHeight = h;
        }
    }
    // Cards that are much wider than tall waste the projector: cap the width.
    best.cardWidth = std::min(best.cardWidth, best.cardHeight * 2.4);
    // Type grows with the card (few threads: big, legible from the back row) within limits.
    best.fontScale = std::clamp(best.cardHeight / (unit * 9.6), 0.55, 2.2);
    return best;
}

void StateBoard::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(rect(), Palette::background());
    const Trace* trace = m_replay.trace();
    if (!trace || m_cards.empty()) {
        ViewPainter::emptyState(p, rect(), tr("Run a lesson: each thread, process and coroutine gets a card here."),
                                viewScale());
        return;
    }
    const QFontMetricsF fm(Palette::uiFont(viewScale()));
    const double unit = fm.height();
    const QRectF header(unit * 0.7, unit * 0.5, width() - unit * 1.4, unit * 1.9);
    paintHeader(p, header);
    const QRectF area(0, header.bottom() + unit * 0.2, width(), height() - header.bottom() - unit * 0.2);
    const Grid g = layout(static_cast<int>(m_cards.size()), area);
    const int rows = (static_cast<int>(m_cards.size()) + g.columns - 1) / g.columns;
    const double usedW = g.columns * g.cardWidth + (g.columns - 1) * g.gap;
    const double usedH = rows * g.cardHeight + (rows - 1) * g.gap;
    const double x0 = area.left() + (area.width() - usedW) / 2;
    const double y0 = area.top() + std::max(g.gap, (area.height() - usedH) / 2);
    for (std::size_t i = 0; i < m_cards.size(); ++i) {
        const int col = static_cast<int>(i) % g.columns;
        const int row = static_cast<int>(i) / g.columns;
        const QRectF r(x0 + col * (g.cardWidth + g.gap), y0 + row * (g.cardHeight + g.gap), g.cardWidth,
                       g.cardHeight);
        if (r.top() > height()) break;
        paintCard(p, r, m_cards[i], g.fontScale);
    }
}

void StateBoard::paintHeader(QPainter& p, const QRectF& r) const
{
    // Counts per category double as the legend: glyph + label + number.
    constexpr std::array kCats{StateCategory::Running, StateCategory::Ready,    StateCategory::Blocked,
                               StateCategory::Waiting, StateCategory::Sleeping, StateCategory::Zombie,
                               StateCategory::Done};
    std::array<int, kCats.size()> counts{};
    for (const Card& c : m_cards) {
        const StateCategory cat = stateCategory(c.state);
        for (std::size_t i = 0; i < kCats.size(); ++i)
            if (kCats[i] == cat) ++counts[i];
    }
    const QFont font = ViewPainter::resized(Palette::uiFont(viewScale()), 1.1);
    p.save();
    p.setFont(ViewPainter::resized(Palette::uiFont(viewScale()), 1.25));
    p.setPen(Palette::foreground());
    const QString time = tr("t = %1").arg(ViewPainter::duration(now()));
    const QFontMetricsF tfm(p.font());
    p.drawText(r, Qt::AlignRight | Qt::AlignVCenter, time);
    double x = r.left();
    const double chipH = ViewPainter::chipSize(QStringLiteral("X"), font).height();
    const double y = r.center().y() - chipH / 2;
    const double limit = r.right() - tfm.horizontalAdvance(time) - chipH;
    for (std::size_t i = 0; i < kCats.size(); ++i) {
        const StateStyle& s = Palette::style(kCats[i]);
        const QString text = s.glyph + QLatin1Char(' ') + s.label + QStringLiteral("  ") + QString::number(counts[i]);
        const QSizeF size = ViewPainter::chipSize(text, font);
        if (x + size.width() > limit) break;
        const QColor fill = counts[i] > 0 ? s.fill : ViewPainter::mix(s.fill, Palette::background(), 0.75);
        const QColor ink = counts[i] > 0 ? s.ink : Palette::mutedText();
        ViewPainter::chip(p, QPointF(x, y), text, fill, ink, font);
        x += size.width() + chipH * 0.35;
    }
    p.restore();
}

void StateBoard::paintCard(QPainter& p, const QRectF& r, const Card& card, double fontScale) const
{
    const Trace& trace = *m_replay.trace();
    const BoardModel::Actor& a = m_replay.model().actor(card.id);
    const ActorInfo* info = trace.actor(card.id);
    const double s = viewScale() * fontScale;
    const QFont base = Palette::uiFont(s);
    const QFontMetricsF fm(base);
    const double u = fm.height();
    const double pad = u * 0.6;
    const bool done = stateCategory(card.state) == StateCategory::Done;

    QColor panel = Palette::panel();
    if (done) panel = ViewPainter::mix(panel, Palette::background(), 0.5);
    ViewPainter::card(p, r, panel, ViewPainter::mix(card.shown, panel, 0.35), u * 0.45);

    p.save();
    p.setClipRect(r);
    // Title: name, and what kind of executor it is (with its process, if any).
    QFont titleFont = ViewPainter::resized(base, 1.45);
    titleFont.setBold(true);
    const QFontMetricsF tfm(titleFont);
    QRectF line(r.left() + pad, r.top() + pad * 0.8, r.width() - 2 * pad, tfm.height());
    QString kind;
    switch (info ? info->kind : ActorKind::Thread) {
    case ActorKind::Process: kind = tr("process"); break;
    case ActorKind::Coroutine: kind = tr("coroutine"); break;
    default: kind = tr("thread"); break;
    }
    if (info && info->parent.valid()) kind = tr("%1 in %2").arg(kind, ViewPainter::actorName(trace, info->parent));
    p.setFont(base);
    p.setPen(Palette::mutedText());
    const double kindW = std::min(fm.horizontalAdvance(kind) + u * 0.2, line.width() * 0.45);
    ViewPainter::elidedText(p, QRectF(line.right() - kindW, line.top(), kindW, line.height()),
                            Qt::AlignRight | Qt::AlignVCenter, kind);
    p.setFont(titleFont);
    p.setPen(done ? Palette::mutedText() : Palette::foreground());
    ViewPainter::elidedText(p, QRectF(line.left(), line.top(), line.width() - kindW - u * 0.3, line.height()),
                            Qt::AlignLeft | Qt::AlignVCenter, ViewPainter::actorName(trace, card.id));

    // State band: glyph and precise label on the (fading) state colour, and for how long.
    const StateStyle& style = Palette::style(card.state);
    const QRectF band(r.left() + pad, line.bottom() + u * 0.35, r.width() - 2 * pad, u * 1.9);
    p.setPen(Qt::NoPen);
    p.setBrush(card.shown);
    p.drawRoundedRect(band, u * 0.35, u * 0.35);
    QFont bandFont = ViewPainter::resized(base, 1.2);
    bandFont.setBold(true);
    p.setFont(bandFont);
    p.setPen(style.ink);
    const QRectF bandText = band.adjusted(u * 0.5, 0, -u * 0.5, 0);
    const QString since = ViewPainter::duration(std::max<std::int64_t>(0, now() - a.since));
    p.setFont(base);
    const double sinceW = fm.horizontalAdvance(since) + u * 0.2;
    if (a.since > 0 || card.state != State::New)
        p.drawText(bandText, Qt::AlignRight | Qt::AlignVCenter, since);
    p.setFont(bandFont);
    ViewPainter::elidedText(p, bandText.adjusted(0, 0, -sinceW, 0), Qt::AlignLeft | Qt::AlignVCenter,
                            style.glyph + QStringLiteral("  ") + Palette::stateLabel(card.state));

    // Rows: label column + value. Rows that do not fit are dropped from the bottom.
    const double labelW = std::min(r.width() * 0.3, fm.horizontalAdvance(tr("waits for")) + u * 0.8);
    double y = band.bottom() + u * 0.45;
    const double rowH = u * 1.45;
    const double bottom = r.bottom() - pad * 0.6;
    const QFont chipFont = base;
    auto rowLabel = [&](const QString& text) {
        p.setFont(base);
        p.setPen(Palette::mutedText());
        ViewPainter::elidedText(p, QRectF(r.left() + pad, y, labelW, rowH), Qt::AlignLeft | Qt::AlignVCenter, text);
    };
    const double valueX = r.left() + pad + labelW;
    const double valueRight = r.right() - pad;

    if (y + rowH <= bottom) {
        rowLabel(tr("holds"));
        double x = valueX;
        const double chipTop = y + (rowH - ViewPainter::chipSize(QStringLiteral("X"), chipFont).height()) / 2;
        bool any = false;
        for (ActorId gil : m_replay.model().gilsHeldBy(card.id)) {
            const QString name = ViewPainter::actorName(trace, gil);
            if (x + ViewPainter::chipSize(name, chipFont).width() > valueRight) break;
            const QColor fill = Palette::gilColor();
            x = ViewPainter::chip(p, QPointF(x, chipTop), name, fill, Palette::inkOn(fill), chipFont).right() + u * 0.3;
            any = true;
        }
        const StateStyle& held = Palette::style(State::Held);
        for (ActorId lock : m_replay.model().locksHeldBy(card.id)) {
            const QString name = QStringLiteral("■ ") + ViewPainter::actorName(trace, lock);
            if (x + ViewPainter::chipSize(name, chipFont).width() > valueRight) {
                p.setPen(Palette::mutedText());
                p.setFont(base);
                p.drawText(QRectF(x, y, valueRight - x, rowH), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("…"));
                break;
            }
            x = ViewPainter::chip(p, QPointF(x, chipTop), name, held.fill, held.ink, chipFont).right() + u * 0.3;
            any = true;
        }
        if (!any) {
            p.setFont(base);
            p.setPen(Palette::mutedText());
            p.drawText(QRectF(valueX, y, valueRight - valueX, rowH), Qt::AlignLeft | Qt::AlignVCenter,
                       tr("nothing"));
        }
        y += rowH;
    }
    if (y + rowH <= bottom) {
        rowLabel(tr("waits for"));
        const QString wait = waitText(card.id);
        if (wait.isEmpty()) {
            p.setFont(base);
            p.setPen(Palette::mutedText());
            p.drawText(QRectF(valueX, y, valueRight - valueX, rowH), Qt::AlignLeft | Qt::AlignVCenter, tr("—"));
        } else {
            const double chipTop = y + (rowH - ViewPainter::chipSize(wait, chipFont).height()) / 2;
            const QFontMetricsF cfm(chipFont);
            const QString shown = cfm.elidedText(wait, Qt::ElideRight, std::max(u, valueRight - valueX - u));
            ViewPainter::chip(p, QPointF(valueX, chipTop), shown, style.fill, style.ink, chipFont);
        }
        y += rowH;
    }
    if (y + rowH <= bottom) {
        rowLabel(tr("line"));
        p.setPen(Palette::foreground());
        if (a.line > 0) {
            QFont num = base;
            num.setBold(true);
            p.setFont(num);
            const QString n = QString::number(a.line);
            const double nw = QFontMetricsF(num).horizontalAdvance(n) + u * 0.5;
            p.drawText(QRectF(valueX, y, nw, rowH), Qt::AlignLeft | Qt::AlignVCenter, n);
            p.setFont(Palette::monoFont(s));
            p.setPen(Palette::accent());
            ViewPainter::elidedText(p, QRectF(valueX + nw, y, valueRight - valueX - nw, rowH),
                                    Qt::AlignLeft | Qt::AlignVCenter, sourceLine(a.line));
        } else {
            p.setFont(base);
            p.setPen(Palette::mutedText());
            p.drawText(QRectF(valueX, y, valueRight - valueX, rowH), Qt::AlignLeft | Qt::AlignVCenter, tr("—"));
        }
        y += rowH;
    }
    if (a.error.valid() && y + rowH <= bottom) {
        QFont f = base;
        f.setBold(true);
        p.setFont(f);
        p.setPen(Palette::alarm());
        ViewPainter::elidedText(p, QRectF(r.left() + pad, y, r.width() - 2 * pad, rowH),
                                Qt::AlignLeft | Qt::AlignVCenter,
                                QStringLiteral("⚠ ") + ViewPainter::qstr(trace.text(a.error)));
        y += rowH;
    }
    if (a.said.valid() && y + rowH <= bottom) {
        QFont f = base;
        f.setItalic(true);
        p.setFont(f);
        p.setPen(Palette::foreground());
        ViewPainter::elidedText(p, QRectF(r.left() + pad, y, r.width() - 2 * pad, rowH),
                                Qt::AlignLeft | Qt::AlignVCenter,
                                QStringLiteral("“") + ViewPainter::qstr(trace.text(a.said)) + QStringLiteral("”"));
    }
    p.restore();
}

} // namespace lockstep::ui
