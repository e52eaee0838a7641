#include "views/ServersView.h"

#include "render/Palette.h"
#include "render/ViewPainter.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>

namespace lockstep::ui {

ServersView::ServersView(QWidget* parent) : ReplayedView(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
}

bool ServersView::appliesTo(const Trace& trace) const
{
    return std::any_of(trace.actors().begin(), trace.actors().end(),
        [](const ActorInfo& a) { return a.kind == ActorKind::Thread && a.name.rfind("server (", 0) == 0; });
}

QString ServersView::title() const
{
    return tr("Servers");
}

void ServersView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(rect(), Palette::background());
    const auto& servers = model().servers();
    if (!m_replay.trace() || servers.empty()) {
        ViewPainter::emptyState(p, rect(), tr("No server has started yet."), viewScale());
        return;
    }
    const double s = viewScale();
    const QFont base = Palette::uiFont(s);
    QFont bold = base;
    bold.setBold(true);
    const QFont small = ViewPainter::resized(base, 0.85);
    const double u = QFontMetricsF(base).height();
    const QRectF all = QRectF(rect()).adjusted(u, u * 0.7, -u, -u * 0.7);
    // The full row needs a name, three gauges and the latencies side by side, and three lines.
    if (all.width() < u * 34 || all.height() / static_cast<double>(servers.size()) < u * 3.2) {
        paintCompact(p, all, u);
        return;
    }

    // One scale for every gauge: the most any server held of anything.
    int top = 1;
    for (const auto& sv : servers)
        top = std::max({ top, sv.maxThreads, sv.maxProcesses, sv.maxFds });
    // Every server in view (eight in a race): rows shrink before any is cut off.
    const double rowH = std::clamp(all.height() / static_cast<double>(servers.size()) - u * 0.4, u * 2.4, u * 5.5);
    const double nameW = std::min(all.width() * 0.2, u * 10);
    const double gaugeW = std::min(all.width() * 0.34, u * 16);
    for (std::size_t i = 0; i < servers.size(); ++i) {
        const auto& sv = servers[i];
        const QRectF row(all.left(), all.top() + static_cast<double>(i) * (rowH + u * 0.4), all.width(), rowH);
        if (row.bottom() > all.bottom() + 1) break;
        ViewPainter::card(p, row, Palette::panel(), Palette::border(), u * 0.3);
        const QRectF in = row.adjusted(u * 0.5, u * 0.3, -u * 0.5, -u * 0.3);
        p.setFont(bold);
        p.setPen(Palette::foreground());
        ViewPainter::elidedText(p, QRectF(in.left(), in.top(), nameW, u * 1.2), Qt::AlignLeft | Qt::AlignVCenter,
            QString::fromStdString(sv.design));

        // What it holds: now (filled) and at most (outline), threads / processes / connections.
        struct Gauge {
            QString label;
            int now, peak;
            State look;
        };
        const std::array<Gauge, 3> gauges { { { tr("threads"), sv.threads, sv.maxThreads, State::Running },
            { tr("processes"), sv.processes, sv.maxProcesses, State::Sleeping },
            { tr("connections"), std::max(0, sv.fds - 1), std::max(0, sv.maxFds - 1), State::BlockedIo } } };
        const double gh = std::min(u * 1.0, (in.height() - u * 0.2) / 3.0);
        const double labelW = u * 7.5;
        for (std::size_t g = 0; g < gauges.size(); ++g) {
            const QRectF line(in.left() + nameW + u * 0.5, in.top() + static_cast<double>(g) * gh, gaugeW, gh * 0.9);
            p.setFont(small);
            p.setPen(Palette::mutedText());
            ViewPainter::elidedText(p, QRectF(line.left(), line.top(), labelW, line.height()), Qt::AlignLeft | Qt::AlignVCenter,
                tr("%1 %2 (peak %3)").arg(gauges[g].label).arg(gauges[g].now).arg(gauges[g].peak));
            const QRectF bar(line.left() + labelW, line.top() + line.height() * 0.2, line.width() - labelW, line.height() * 0.6);
            const StateStyle& look = Palette::style(gauges[g].look);
            p.setPen(QPen(look.fill, 1.2));
            p.setBrush(Qt::NoBrush);
            p.drawRect(QRectF(bar.left(), bar.top(), bar.width() * gauges[g].peak / top, bar.height()));
            p.setPen(Qt::NoPen);
            p.setBrush(look.fill);
            p.drawRect(QRectF(bar.left(), bar.top(), bar.width() * gauges[g].now / top, bar.height()));
        }

        // Its clients' latencies so far, and a histogram by decade (under 0.1 ms ... 1 s and more).
        const double x0 = in.left() + nameW + gaugeW + u;
        const QRectF stats(x0, in.top(), in.right() - x0, in.height());
        // Latency first (what a client feels), then what it served and what serving held in memory.
        const double lineH = std::min(u * 1.15, stats.height() / 3);
        p.setFont(base);
        p.setPen(Palette::foreground());
        ViewPainter::elidedText(p, QRectF(stats.left(), stats.top(), stats.width(), lineH),
            Qt::AlignLeft | Qt::AlignVCenter, latencyText(sv));
        p.setFont(small);
        p.setPen(Palette::mutedText());
        ViewPainter::elidedText(p, QRectF(stats.left(), stats.top() + lineH, stats.width(), lineH),
            Qt::AlignLeft | Qt::AlignVCenter, servedText(sv));
        std::array<int, 5> buckets {};
        for (const std::int64_t us : sv.latencyUs) {
            const int b = us < 100 ? 0 : us < 1000 ? 1 : us < 10'000 ? 2 : us < 100'000 ? 3 : 4;
            ++buckets[static_cast<std::size_t>(b)];
        }
        const int most = std::max(1, *std::max_element(buckets.begin(), buckets.end()));
        static const char* const kLabels[] = { "<0.1", "<1", "<10", "<100", "≥100 ms" };
        const QRectF hist(
            stats.left(), stats.top() + lineH * 2, std::min(stats.width(), u * 18), stats.height() - lineH * 2);
        const double bw = hist.width() / 5;
        for (int b = 0; b < 5; ++b) {
            const double h = std::max(0.0, hist.height() - u) * buckets[static_cast<std::size_t>(b)] / most;
            const QRectF barRect(hist.left() + b * bw + bw * 0.1, hist.bottom() - u - h, bw * 0.8, h);
            p.setPen(Qt::NoPen);
            p.setBrush(b >= 3 ? Palette::style(State::Blocked).fill : Palette::accent());
            p.drawRect(barRect);
            p.setFont(small);
            p.setPen(Palette::mutedText());
            p.drawText(QRectF(hist.left() + b * bw, hist.bottom() - u, bw, u), Qt::AlignCenter, QString::fromUtf8(kLabels[b]));
        }
    }
}

QString ServersView::latencyText(const ServersModel::Server& sv)
{
    return tr("p50 %1 ms · p99 %2 ms")
        .arg(ServersModel::percentileMs(sv, 0.5), 0, 'f', 2)
        .arg(ServersModel::percentileMs(sv, 0.99), 0, 'f', 2);
}

QString ServersView::servedText(const ServersModel::Server& sv)
{
    const double secs = sv.lastTs > sv.firstTs ? static_cast<double>(sv.lastTs - sv.firstTs) / 1e9 : 0;
    return tr("%1 requests · %2 req/s · memory %3 MB (+%4)")
        .arg(sv.latencyUs.size())
        .arg(secs > 0 ? std::round(static_cast<double>(sv.latencyUs.size()) / secs) : 0.0, 0, 'f', 0)
        .arg(static_cast<double>(sv.peakRssKb) / 1024.0, 0, 'f', 1)
        .arg(static_cast<double>(sv.peakRssKb - std::max<std::int64_t>(sv.startRssKb, 0)) / 1024.0, 0, 'f', 1);
}

void ServersView::paintCompact(QPainter& p, const QRectF& all, double u) const
{
    const auto& servers = model().servers();
    const QFont base = Palette::uiFont(viewScale());
    QFont bold = base;
    bold.setBold(true);
    const QFont small = ViewPainter::resized(base, 0.85);
    const double gap = u * 0.25;
    const double rowH = std::clamp(all.height() / static_cast<double>(servers.size()) - gap, u * 1.3, u * 3.6);
    // Two lines when there is room: the name and its latencies, then what it held and served.
    const bool twoLines = rowH >= u * 2.3;
    for (std::size_t i = 0; i < servers.size(); ++i) {
        const auto& sv = servers[i];
        const QRectF row(all.left(), all.top() + static_cast<double>(i) * (rowH + gap), all.width(), rowH);
        if (row.bottom() > all.bottom() + 1) break;
        ViewPainter::card(p, row, Palette::panel(), Palette::border(), u * 0.25);
        const QRectF in = row.adjusted(u * 0.4, u * 0.1, -u * 0.4, -u * 0.1);
        const double lineH = twoLines ? in.height() / 2 : in.height();
        const QString name = QString::fromStdString(sv.design);
        p.setFont(bold);
        const double nameW = std::min(QFontMetricsF(bold).horizontalAdvance(name) + u * 0.6, in.width() * 0.45);
        p.setPen(Palette::foreground());
        ViewPainter::elidedText(p, QRectF(in.left(), in.top(), nameW, lineH), Qt::AlignLeft | Qt::AlignVCenter, name);
        p.setFont(base);
        ViewPainter::elidedText(p, QRectF(in.left() + nameW, in.top(), in.width() - nameW, lineH),
            Qt::AlignLeft | Qt::AlignVCenter, latencyText(sv));
        if (!twoLines) continue;
        const QString held = tr("threads %1 (peak %2) · processes %3 (peak %4) · connections %5 (peak %6)")
                                 .arg(sv.threads)
                                 .arg(sv.maxThreads)
                                 .arg(sv.processes)
                                 .arg(sv.maxProcesses)
                                 .arg(std::max(0, sv.fds - 1))
                                 .arg(std::max(0, sv.maxFds - 1));
        p.setFont(small);
        p.setPen(Palette::mutedText());
        ViewPainter::elidedText(p, QRectF(in.left(), in.top() + lineH, in.width(), lineH),
            Qt::AlignLeft | Qt::AlignVCenter, held + QStringLiteral(" · ") + servedText(sv));
    }
}

} // namespace lockstep::ui
