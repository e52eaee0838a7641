#include "views/FuturesView.h"

#include "render/Palette.h"
#include "render/ViewPainter.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cstdlib>
#include <cmath>

namespace lockstep::ui {

namespace {

// A future's state in the shared palette's terms: waiting to run, running, done, or cancelled.
State paletteState(const std::string& s)
{
    if (s == "RUNNING") return State::Running;
    if (s == "FINISHED") return State::Terminated;
    if (s == "CANCELLED" || s == "CANCELLED_AND_NOTIFIED") return State::Blocked;
    return State::Ready;
}

} // namespace

FuturesView::FuturesView(QWidget* parent) : ReplayedView(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
}

bool FuturesView::appliesTo(const Trace& trace) const
{
    return std::any_of(
        trace.actors().begin(), trace.actors().end(), [](const ActorInfo& a) { return a.kind == ActorKind::Future; });
}

QString FuturesView::title() const
{
    return tr("Pool and futures");
}

void FuturesView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(rect(), Palette::background());
    const Trace* trace = m_replay.trace();
    const FuturesModel& m = m_replay.model();
    if (!trace || m.futures().empty()) {
        ViewPainter::emptyState(p, rect(), tr("Nothing has been submitted yet."), viewScale());
        return;
    }
    const double s = viewScale();
    const QFont base = Palette::uiFont(s);
    QFont bold = base;
    bold.setBold(true);
    const double u = QFontMetricsF(base).height();
    const QRectF all = QRectF(rect()).adjusted(u, u * 0.7, -u, -u * 0.7);

    // Three columns: work queue, workers, futures.
    const double queueW = std::min(all.width() * 0.18, u * 10);
    const double workersW = std::min(all.width() * 0.3, u * 16);
    const QRectF queueCol(all.left(), all.top(), queueW, all.height());
    const QRectF workerCol(queueCol.right() + u, all.top(), workersW, all.height());
    const QRectF futureCol(workerCol.right() + u, all.top(), all.right() - workerCol.right() - u, all.height());
    const auto heading = [&](const QRectF& col, const QString& text) {
        p.setFont(bold);
        p.setPen(Palette::foreground());
        ViewPainter::elidedText(
            p, QRectF(col.left(), col.top(), col.width(), u * 1.3), Qt::AlignLeft | Qt::AlignVCenter, text);
    };

    heading(queueCol, m.callQueue() ? tr("call queue: %1").arg(m.queued()) : tr("work queue: %1").arg(m.queued()));
    const double slotH = u * 1.2;
    // The queue's own items, as it recorded them: a work item (its future's index; a cancelled one
    // waits there until a worker reaches it and notifies it) or the shutdown sentinel, None.
    const auto& items = m.queueItems();
    for (std::size_t i = 0; i < items.size() && i < 24; ++i) {
        const QRectF slot(queueCol.left(), queueCol.top() + u * 1.6 + static_cast<double>(i) * (slotH + u * 0.2),
            queueCol.width(), slotH);
        const bool sentinel = items[i] == "None";
        const auto f = sentinel ? m.futures().size() : static_cast<std::size_t>(std::atoi(items[i].c_str()));
        // A thread pool's queued items wait (PENDING, or CANCELLED until a worker notifies them); a
        // process pool's call queue holds futures already RUNNING.
        const State look = f < m.futures().size() ? paletteState(m.futures()[f].state) : State::Ready;
        ViewPainter::card(p, slot, Palette::style(look).fill, QColor(), u * 0.2);
        p.setFont(ViewPainter::resized(base, 0.85));
        p.setPen(Palette::style(look).ink);
        p.drawText(slot.adjusted(u * 0.4, 0, -u * 0.4, 0), Qt::AlignLeft | Qt::AlignVCenter,
            sentinel ? tr("None (shutdown)") : tr("task %1").arg(ViewPainter::qstr(items[i])));
    }

    heading(workerCol, tr("workers: %1").arg(m.workers().size()));
    const double workerH = u * 3.2;
    for (std::size_t i = 0; i < m.workers().size(); ++i) {
        const auto& w = m.workers()[i];
        const QRectF r(workerCol.left(), workerCol.top() + u * 1.6 + static_cast<double>(i) * (workerH + u * 0.4),
            workerCol.width(), workerH);
        if (r.bottom() > all.bottom()) break;
        const StateStyle& style = Palette::style(w.state);
        ViewPainter::card(p, r, Palette::panel(), style.fill, u * 0.3);
        p.setFont(bold);
        p.setPen(Palette::foreground());
        ViewPainter::elidedText(p, QRectF(r.left() + u * 0.5, r.top() + u * 0.2, r.width() - u, u * 1.2),
            Qt::AlignLeft | Qt::AlignVCenter, ViewPainter::actorName(*trace, w.id));
        const QRectF chip = ViewPainter::stateChip(
            p, QPointF(r.left() + u * 0.5, r.top() + u * 1.6), w.state, ViewPainter::resized(base, 0.85));
        p.setFont(base);
        p.setPen(Palette::mutedText());
        const QString task = w.task >= 0 ? tr("task %1").arg(w.task) : tr("idle");
        p.drawText(QRectF(chip.right() + u * 0.5, chip.top(), r.right() - chip.right() - u, chip.height()),
            Qt::AlignLeft | Qt::AlignVCenter, task);
    }

    const double workersBottom = workerCol.top() + u * 1.6
        + static_cast<double>(m.workers().size()) * (workerH + u * 0.4);

    heading(futureCol, tr("futures (as CPython names their states)"));
    std::vector<QRectF> cards(m.futures().size());
    const auto& fs = m.futures();
    const int n = static_cast<int>(fs.size());
    const int cols = std::max(1, static_cast<int>(std::floor(futureCol.width() / (u * 11))));
    const int rows = (n + cols - 1) / cols;
    const double cw = futureCol.width() / cols - u * 0.4;
    const double ch = std::clamp((futureCol.height() - u * 1.6) / std::max(1, rows) - u * 0.4, u * 2.2, u * 4);
    for (int i = 0; i < n; ++i) {
        const auto& f = fs[static_cast<std::size_t>(i)];
        const QRectF r(futureCol.left() + (i % cols) * (cw + u * 0.4),
            futureCol.top() + u * 1.6 + (i / cols) * (ch + u * 0.4), cw, ch);
        if (r.bottom() > all.bottom()) break;
        cards[static_cast<std::size_t>(i)] = r;
        const StateStyle& style = Palette::style(paletteState(f.state));
        ViewPainter::card(p, r, style.fill, QColor(), u * 0.3);
        p.setPen(style.ink);
        p.setFont(bold);
        ViewPainter::elidedText(p, QRectF(r.left() + u * 0.4, r.top() + u * 0.15, r.width() - u * 0.8, u * 1.1),
            Qt::AlignLeft | Qt::AlignVCenter,
            ViewPainter::actorName(*trace, f.id) + QStringLiteral("  ") + QString::fromStdString(f.state));
        p.setFont(ViewPainter::resized(base, 0.85));
        QString detail;
        if (f.resultOrder > 0)
            detail = tr("#%1 back: %2").arg(f.resultOrder).arg(QString::fromStdString(f.result));
        else if (m.callQueue() && f.state == "RUNNING"
            && std::find(items.begin(), items.end(), std::to_string(i)) != items.end())
            detail = tr("in the call queue");
        else if (f.worker.valid())
            detail = ViewPainter::actorName(*trace, f.worker);
        ViewPainter::elidedText(p, QRectF(r.left() + u * 0.4, r.top() + u * 1.25, r.width() - u * 0.8, u * 1.0),
            Qt::AlignLeft | Qt::AlignVCenter, detail);
    }

    // What came back to MainThread, in the order it printed it (result(), as_completed, map), and an
    // arrow from each of the last few futures it got, numbered as they came back.
    const auto& printed = m.printed();
    if (printed.empty()) return;
    const int shown = std::min<int>(static_cast<int>(printed.size()), 8);
    const double lineH = u * 1.15;
    const double boxH = u * 1.8 + lineH * shown;
    const double boxTop = workersBottom + u * 0.6;
    if (boxTop + boxH > all.bottom() + 1) return; // no room below the workers
    const QRectF box(workerCol.left(), boxTop, workerCol.width(), boxH);
    ViewPainter::card(p, box, Palette::panel(), Palette::border(), u * 0.3);
    p.setFont(bold);
    p.setPen(Palette::foreground());
    ViewPainter::elidedText(p, QRectF(box.left() + u * 0.5, box.top() + u * 0.2, box.width() - u, u * 1.2),
        Qt::AlignLeft | Qt::AlignVCenter, tr("MainThread got"));
    p.setFont(ViewPainter::resized(base, 0.9));
    const std::size_t first = printed.size() - static_cast<std::size_t>(shown);
    std::vector<double> lineY(printed.size(), -1);
    for (std::size_t k = first; k < printed.size(); ++k) {
        const double y = box.top() + u * 1.5 + static_cast<double>(k - first) * lineH;
        lineY[k] = y + lineH / 2;
        p.setPen(k + 1 == printed.size() ? Palette::foreground() : Palette::mutedText());
        ViewPainter::elidedText(p, QRectF(box.left() + u * 0.5, y, box.width() - u, lineH),
            Qt::AlignLeft | Qt::AlignVCenter, ViewPainter::qstr(printed[k]));
    }
    // The futures whose outcome MainThread printed, newest three: card -> its line in the box.
    int resultsShown = 0;
    for (int order = static_cast<int>(fs.size()); order >= 1 && resultsShown < 3; --order) {
        for (std::size_t i = 0; i < fs.size(); ++i) {
            if (fs[i].resultOrder != order || cards[i].isNull()) continue;
            // The printed line that names this future ("3: 30").
            const std::string prefix = std::to_string(i) + ": ";
            for (std::size_t k = first; k < printed.size(); ++k) {
                if (printed[k].rfind(prefix, 0) != 0) continue;
                const QPointF from(cards[i].left(), cards[i].center().y());
                const QPointF to(box.right(), lineY[k]);
                const QPen pen(Palette::accent(), std::max(1.5, u * 0.12));
                ViewPainter::curvedArrow(p, from, to, 0.2, pen, u * 0.5);
                const QPointF mid = (from + to) / 2;
                ViewPainter::chip(p, QPointF(mid.x() - u * 0.6, mid.y() - u * 0.6), QStringLiteral("#%1").arg(order),
                    Palette::accent(), Palette::background(), ViewPainter::resized(base, 0.85));
                ++resultsShown;
                break;
            }
        }
    }
}

} // namespace lockstep::ui