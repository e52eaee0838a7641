#include "render/MarkerStyle.h"

#include "render/Palette.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>

namespace lockstep::ui {

MarkerStyle MarkerStyle::of(EventKind kind)
{
    using App = QCoreApplication;
    // Dark orange: readable on the yellow of "ready"; wine for generators. Lifted on a dark page.
    const QColor drop = Palette::dark() ? QColor(0xE0, 0x8A, 0x1E) : QColor(0xB3, 0x6B, 0x00);
    const QColor gen = Palette::dark() ? QColor(0xD0, 0x5A, 0x94) : QColor(0x88, 0x22, 0x55);
    switch (kind) {
    case EventKind::Notify: return {Palette::accent(), MarkerShape::Diamond, App::translate("MarkerStyle", "notify")};
    case EventKind::GilDropRequest:
        return {drop, MarkerShape::TriangleDown, App::translate("MarkerStyle", "GIL drop request")};
    case EventKind::Error: return {Palette::alarm(), MarkerShape::Cross, App::translate("MarkerStyle", "error")};
    case EventKind::AcquireTimedOut:
        return {Palette::alarm(), MarkerShape::Ring, App::translate("MarkerStyle", "timed out")};
    case EventKind::Deadlock: return {Palette::alarm(), MarkerShape::Line, App::translate("MarkerStyle", "deadlock")};
    case EventKind::Stalled:
        return {Palette::alarm(), MarkerShape::DashedLine, App::translate("MarkerStyle", "stalled")};
    case EventKind::Fork: return {Palette::foreground(), MarkerShape::Diamond, App::translate("MarkerStyle", "fork")};
    case EventKind::Exit: return {Palette::foreground(), MarkerShape::Square, App::translate("MarkerStyle", "exit")};
    case EventKind::Reap: return {Palette::foreground(), MarkerShape::Ring, App::translate("MarkerStyle", "reap")};
    case EventKind::Say: return {Palette::mutedText(), MarkerShape::Circle, App::translate("MarkerStyle", "output")};
    case EventKind::Mark: return {Palette::mutedText(), MarkerShape::Line, App::translate("MarkerStyle", "mark")};
    case EventKind::GenSend:
    case EventKind::GenThrow:
    case EventKind::GenClose:
    case EventKind::GenYield:
    case EventKind::GenReturn:
    case EventKind::GenRaise: return {gen, MarkerShape::Circle, App::translate("MarkerStyle", "generator")};
    default: {
        const auto name = eventKindName(kind);
        return {Palette::mutedText(), MarkerShape::Circle,
                QString::fromLatin1(name.data(), static_cast<qsizetype>(name.size()))};
    }
    }
}

void MarkerStyle::paint(QPainter& p, const MarkerStyle& style, QPointF c, double size)
{
    const double r = size / 2;
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    // A white halo keeps a marker visible on top of a span of any colour.
    QPen halo(Palette::background(), std::max(1.0, size / 6));
    halo.setJoinStyle(Qt::MiterJoin);
    QPainterPath path;
    switch (style.shape) {
    case MarkerShape::TriangleDown:
        path.moveTo(c.x() - r, c.y() - r);
        path.lineTo(c.x() + r, c.y() - r);
        path.lineTo(c.x(), c.y() + r);
        path.closeSubpath();
        break;
    case MarkerShape::Diamond:
        path.moveTo(c.x(), c.y() - r);
        path.lineTo(c.x() + r, c.y());
        path.lineTo(c.x(), c.y() + r);
        path.lineTo(c.x() - r, c.y());
        path.closeSubpath();
        break;
    case MarkerShape::Circle: path.addEllipse(c, r * 0.85, r * 0.85); break;
    case MarkerShape::Square: path.addRect(QRectF(c.x() - r * 0.8, c.y() - r * 0.8, r * 1.6, r * 1.6)); break;
    case MarkerShape::Ring: {
        p.setPen(QPen(style.color, std::max(1.5, size / 5)));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(c, r * 0.8, r * 0.8);
        p.restore();
        return;
    }
    case MarkerShape::Cross: {
        const double w = std::max(2.0, size / 3.5);
        for (const QPen& pen : {QPen(Palette::background(), w + 2, Qt::SolidLine, Qt::RoundCap),
                                QPen(style.color, w, Qt::SolidLine, Qt::RoundCap)}) {
            p.setPen(pen);
            p.drawLine(QPointF(c.x() - r, c.y() - r), QPointF(c.x() + r, c.y() + r));
            p.drawLine(QPointF(c.x() - r, c.y() + r), QPointF(c.x() + r, c.y() - r));
        }
        p.restore();
        return;
    }
    case MarkerShape::Line:
    case MarkerShape::DashedLine: {
        QPen pen(style.color, std::max(2.0, size / 4), style.shape == MarkerShape::Line ? Qt::SolidLine : Qt::DashLine);
        p.setPen(pen);
        p.drawLine(QPointF(c.x(), c.y() - r), QPointF(c.x(), c.y() + r));
        p.restore();
        return;
    }
    }
    p.setPen(halo);
    p.setBrush(style.color);
    p.drawPath(path);
    p.restore();
}

} // namespace lockstep::ui
