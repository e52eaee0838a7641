#include "render/ViewPainter.h"

#include "render/Palette.h"

#include <QFontMetricsF>
#include <QPainterPath>
#include <QtMath>

#include <algorithm>
#include <cmath>

namespace lockstep::ui {

QString ViewPainter::qstr(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString ViewPainter::actorName(const Trace& trace, ActorId id)
{
    if (!id.valid()) return {};
    const auto name = trace.actorName(id);
    if (name.empty()) return tr("#%1").arg(id.value);
    return qstr(name);
}

QString ViewPainter::duration(std::int64_t ns)
{
    const double v = static_cast<double>(ns);
    const double a = std::abs(v);
    if (a < 1e3) return tr("%1 ns").arg(ns);
    if (a < 1e6) return tr("%1 µs").arg(v / 1e3, 0, 'f', a < 1e4 ? 2 : 1);
    if (a < 1e9) return tr("%1 ms").arg(v / 1e6, 0, 'f', a < 1e7 ? 2 : 1);
    return tr("%1 s").arg(v / 1e9, 0, 'f', 2);
}

QFont ViewPainter::resized(QFont font, double factor)
{
    if (font.pixelSize() > 0)
        font.setPixelSize(std::max(1, qRound(font.pixelSize() * factor)));
    else
        font.setPointSizeF(std::max(1.0, font.pointSizeF() * factor));
    return font;
}

QColor ViewPainter::mix(const QColor& a, const QColor& b, double t)
{
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t),
                            static_cast<float>(a.alphaF() + (b.alphaF() - a.alphaF()) * t));
}

QColor ViewPainter::withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

namespace {

void arrowHead(QPainter& p, QPointF tip, double angle, const QColor& color, double size)
{
    const double spread = qDegreesToRadians(26.0);
    const QPointF a = tip - QPointF(std::cos(angle - spread), std::sin(angle - spread)) * size;
    const QPointF b = tip - QPointF(std::cos(angle + spread), std::sin(angle + spread)) * size;
    QPainterPath head;
    head.moveTo(tip);
    head.lineTo(a);
    head.lineTo(b);
    head.closeSubpath();
    p.save();
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawPath(head);
    p.restore();
}

} // namespace

void ViewPainter::arrow(QPainter& p, QPointF from, QPointF to, const QPen& pen, double headSize)
{
    const QPointF d = to - from;
    const double len = std::hypot(d.x(), d.y());
    if (len < 1e-6) return;
    const double angle = std::atan2(d.y(), d.x());
    // Stop the shaft under the head so a thick line does not poke through the tip.
    const QPointF shaftEnd = to - d / len * std::min(len, headSize * 0.8);
    p.save();
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawLine(from, shaftEnd);
    p.restore();
    arrowHead(p, to, angle, pen.color(), headSize);
}

void ViewPainter::curvedArrow(QPainter& p, QPointF from, QPointF to, double bend, const QPen& pen, double headSize)
{
    const QPointF d = to - from;
    const double len = std::hypot(d.x(), d.y());
    if (len < 1e-6) return;
    const QPointF normal(-d.y() / len, d.x() / len);
    const QPointF ctrl = (from + to) / 2 + normal * (bend * len);
    const QPointF t = to - ctrl;
    const double tlen = std::hypot(t.x(), t.y());
    const double angle = std::atan2(t.y(), t.x());
    const QPointF shaftEnd = tlen > 1e-6 ? to - t / tlen * std::min(tlen, headSize * 0.8) : to;
    QPainterPath path;
    path.moveTo(from);
    path.quadTo(ctrl, shaftEnd);
    p.save();
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
    p.restore();
    arrowHead(p, to, angle, pen.color(), headSize);
}

void ViewPainter::card(QPainter& p, const QRectF& r, const QColor& fill, const QColor& border, double radius)
{
    p.save();
    p.setPen(Qt::NoPen);
    p.setBrush(withAlpha(Palette::foreground(), 40));
    p.drawRoundedRect(r.translated(0, radius * 0.25), radius, radius);
    p.setBrush(fill);
    p.setPen(border.isValid() ? QPen(border, std::max(1.0, radius * 0.12)) : QPen(Qt::NoPen));
    p.drawRoundedRect(r, radius, radius);
    p.restore();
}

QSizeF ViewPainter::chipSize(const QString& text, const QFont& font)
{
    const QFontMetricsF fm(font);
    const double h = fm.height() * 1.35;
    return {fm.horizontalAdvance(text) + h * 0.8, h};
}

QRectF ViewPainter::chip(QPainter& p, QPointF topLeft, const QString& text, const QColor& fill, const QColor& ink,
                         const QFont& font)
{
    const QSizeF s = chipSize(text, font);
    const QRectF r(topLeft, s);
    p.save();
    p.setPen(Qt::NoPen);
    p.setBrush(fill);
    p.drawRoundedRect(r, s.height() / 2, s.height() / 2);
    p.setPen(ink);
    p.setFont(font);
    p.drawText(r, Qt::AlignCenter, text);
    p.restore();
    return r;
}

QRectF ViewPainter::stateChip(QPainter& p, QPointF topLeft, State state, const QFont& font)
{
    const StateStyle& style = Palette::style(state);
    const QString text = style.glyph.isEmpty() ? Palette::stateLabel(state)
                                               : style.glyph + QLatin1Char(' ') + Palette::stateLabel(state);
    return chip(p, topLeft, text, style.fill, style.ink, font);
}

void ViewPainter::emptyState(QPainter& p, const QRectF& r, const QString& message, double scale)
{
    p.save();
    p.setPen(Palette::mutedText());
    p.setFont(resized(Palette::uiFont(scale), 1.3));
    p.drawText(r.adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, message);
    p.restore();
}

void ViewPainter::elidedText(QPainter& p, const QRectF& r, int flags, const QString& text)
{
    const QFontMetricsF fm(p.font());
    p.drawText(r, flags, fm.elidedText(text, Qt::ElideRight, r.width()));
}

} // namespace lockstep::ui
