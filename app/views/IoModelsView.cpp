#include "views/IoModelsView.h"

#include "render/Palette.h"
#include "render/ViewPainter.h"

#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>

#include <algorithm>

namespace lockstep::ui {

namespace {

using Phase = IoModelsModel::Phase;

QString number(std::int64_t n)
{
    return QLocale().toString(static_cast<qlonglong>(n));
}

} // namespace

IoModelsView::IoModelsView(QWidget* parent) : ReplayedView(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
}

bool IoModelsView::appliesTo(const Trace& trace) const
{
    return std::any_of(trace.actors().begin(), trace.actors().end(), [](const ActorInfo& a) {
        return a.kind == ActorKind::Thread && a.name.rfind("recv (", 0) == 0;
    });
}

QString IoModelsView::title() const
{
    return tr("I/O models");
}

void IoModelsView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(rect(), Palette::background());
    const Trace* trace = m_replay.trace();
    const auto& rs = m_replay.model().receivers();
    if (!trace || rs.empty()) {
        ViewPainter::emptyState(p, rect(), tr("No receiver has started yet."), viewScale());
        return;
    }
    const double s = viewScale();
    const QFont base = Palette::uiFont(s);
    QFont bold = base;
    bold.setBold(true);
    const double u = QFontMetricsF(base).height();
    const QRectF all = QRectF(rect()).adjusted(u, u * 0.7, -u, -u * 0.7);
    const std::int64_t now = std::min(m_cursor, trace->endTs());

    p.setFont(bold);
    p.setPen(Palette::foreground());
    ViewPainter::elidedText(p, QRectF(all.left(), all.top(), all.width(), u * 1.3), Qt::AlignLeft | Qt::AlignVCenter,
        tr("One message, two phases: waiting for the data, then copying it into the process"));

    // One time scale for every row: the longest receive so far.
    std::int64_t span = 1;
    for (const auto& r : rs)
        if (r.startTs >= 0) span = std::max(span, (r.doneTs >= 0 ? r.doneTs : now) - r.startTs);
    const double rowH = std::clamp((all.height() - u * 1.8) / static_cast<double>(rs.size()) - u * 0.5, u * 3.4, u * 5.5);
    const double nameW = std::min(all.width() * 0.2, u * 9);
    for (std::size_t i = 0; i < rs.size(); ++i) {
        const auto& r = rs[i];
        const QRectF row(all.left(), all.top() + u * 1.8 + static_cast<double>(i) * (rowH + u * 0.5), all.width(), rowH);
        if (row.bottom() > all.bottom() + 1) break;
        ViewPainter::card(p, row, Palette::panel(), Palette::border(), u * 0.3);
        const QRectF in = row.adjusted(u * 0.5, u * 0.3, -u * 0.5, -u * 0.3);
        p.setFont(bold);
        p.setPen(Palette::foreground());
        ViewPainter::elidedText(p, QRectF(in.left(), in.top(), nameW, u * 1.2), Qt::AlignLeft | Qt::AlignVCenter,
            QString::fromStdString(r.model));
        ViewPainter::stateChip(p, QPointF(in.left(), in.top() + u * 1.4), r.state, ViewPainter::resized(base, 0.85));

        // The bar: wait (in the colour of what the thread did meanwhile), then the copy.
        const QRectF bar(in.left() + nameW + u * 0.5, in.top() + u * 0.1, in.width() - nameW - u * 0.5, u * 1.3);
        p.setPen(QPen(Palette::border(), 1));
        p.setBrush(Palette::background());
        p.drawRoundedRect(bar, u * 0.2, u * 0.2);
        const auto xOf = [&](std::int64_t ts) {
            return bar.left() + bar.width() * std::clamp(static_cast<double>(ts - r.startTs) / span, 0.0, 1.0);
        };
        if (!r.unavailable.empty()) {
            p.setFont(base);
            p.setPen(Palette::mutedText());
            ViewPainter::elidedText(p, bar.adjusted(u * 0.4, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                QString::fromStdString(r.unavailable));
            continue;
        }
        if (r.startTs < 0) continue;
        const std::int64_t waitEnd = r.readyTs >= 0 ? r.readyTs : (r.doneTs >= 0 ? r.doneTs : now);
        // What the thread did while it waited: slept (blocking, select), asked (non-blocking) or
        // worked on its own (signal-driven, asynchronous).
        const bool sleeps = r.model == "blocking" || r.model == "multiplexing";
        const StateStyle& waitLook = Palette::style(sleeps ? State::BlockedIo : State::Running);
        const QRectF waitRect(bar.left(), bar.top(), std::max(1.0, xOf(waitEnd) - bar.left()), bar.height());
        p.setPen(Qt::NoPen);
        p.setBrush(waitLook.fill);
        p.drawRoundedRect(waitRect, u * 0.2, u * 0.2);
        p.setFont(ViewPainter::resized(base, 0.85));
        p.setPen(waitLook.ink);
        const QString waitText = r.model == "blocking" ? tr("waiting: asleep in recv()")
            : r.model == "non-blocking"               ? tr("waiting: recv() → EAGAIN, again and again")
            : r.model == "multiplexing"               ? tr("waiting: asleep in select()")
            : r.model == "signal-driven"              ? tr("waiting: own work until SIGIO")
                                                      : tr("waiting: own work until the completion");
        ViewPainter::elidedText(p, waitRect.adjusted(u * 0.3, 0, -u * 0.2, 0), Qt::AlignLeft | Qt::AlignVCenter, waitText);
        if (r.phase == Phase::Copying || r.phase == Phase::Done) {
            // Microseconds next to milliseconds: drawn at least a finger wide, and labelled.
            const double x0 = xOf(waitEnd);
            const QRectF copyRect(std::min(x0, bar.right() - u * 0.6), bar.top() - u * 0.15, u * 0.6, bar.height() + u * 0.3);
            // Filled: the process copied (its own time, in recv()); hollow: the kernel did, before
            // it posted the completion.
            p.setPen(r.copiedByKernel ? QPen(Palette::accent(), std::max(1.5, u * 0.12)) : QPen(Qt::NoPen));
            p.setBrush(r.copiedByKernel ? Palette::background() : Palette::accent());
            p.drawRoundedRect(copyRect, u * 0.15, u * 0.15);
        }

        // What it cost.
        QStringList facts;
        if (r.syscalls >= 0)
            facts << (r.syscalls == 1 ? tr("1 system call") : tr("%1 system calls").arg(number(r.syscalls)));
        if (r.eagain > 0 || r.model == "non-blocking") facts << tr("%1 EAGAIN").arg(number(r.eagain));
        if (r.cpuUs >= 0) facts << tr("CPU %1 ms").arg(QString::number(static_cast<double>(r.cpuUs) / 1000.0, 'f', 2));
        if (r.waitUs >= 0) facts << tr("waited %1 ms").arg(QString::number(static_cast<double>(r.waitUs) / 1000.0, 'f', 1));
        if (r.copyNs >= 0)
            facts << (r.copiedByKernel ? tr("copied by the kernel before the completion")
                                       : tr("copy %1 µs in the process").arg(QString::number(static_cast<double>(r.copyNs) / 1000.0, 'f', 1)));
        if (r.syscalls >= 0) facts << (r.threadBlocked ? tr("thread blocked") : tr("thread never blocked"));
        if (r.otherWork > 0) facts << tr("own work: %1 turns").arg(number(r.otherWork));
        p.setFont(base);
        p.setPen(Palette::foreground());
        const QRectF factsRect(bar.left(), bar.bottom() + u * 0.3, bar.width(), in.bottom() - bar.bottom() - u * 0.3);
        p.drawText(factsRect, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, facts.join(QStringLiteral(" · ")));
    }
}

} // namespace lockstep::ui
