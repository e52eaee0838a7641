#pragma once

#include "lockstep/trace/State.h"
#include "lockstep/trace/Trace.h"

#include <QColor>
#include <QCoreApplication>
#include <QFont>
#include <QPainter>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <cstdint>
#include <string_view>

namespace lockstep::ui {

// Drawing vocabulary shared by the lesson views, so arrows, chips and badges look the same in
// every tab. Colours always come from Palette; these helpers only place and shape them.
class ViewPainter {
    Q_DECLARE_TR_FUNCTIONS(ViewPainter)

public:
    [[nodiscard]] static QString qstr(std::string_view text);
    [[nodiscard]] static QString actorName(const Trace& trace, ActorId id);
    // "850 ns", "12.3 µs", "4.20 ms", "1.25 s".
    [[nodiscard]] static QString duration(std::int64_t ns);
    [[nodiscard]] static QFont resized(QFont font, double factor);
    [[nodiscard]] static QColor mix(const QColor& a, const QColor& b, double t);
    [[nodiscard]] static QColor withAlpha(QColor c, int alpha);

    // A line from `from` to `to` with a filled head at `to`.
    static void arrow(QPainter& p, QPointF from, QPointF to, const QPen& pen, double headSize);
    // A quadratic curve bent by `bend` (fraction of the length, sign = side) with a head at `to`.
    static void curvedArrow(QPainter& p, QPointF from, QPointF to, double bend, const QPen& pen, double headSize);
    // Rounded rectangle with a soft shadow, the base of every card.
    static void card(QPainter& p, const QRectF& r, const QColor& fill, const QColor& border, double radius);
    // A pill with text (font height plus padding); returns its rect.
    static QRectF chip(QPainter& p, QPointF topLeft, const QString& text, const QColor& fill, const QColor& ink,
                       const QFont& font);
    [[nodiscard]] static QSizeF chipSize(const QString& text, const QFont& font);
    // The state's glyph and label on its Palette fill: colour is never the only cue.
    static QRectF stateChip(QPainter& p, QPointF topLeft, State state, const QFont& font);
    // Centered hint for a view that has nothing to show yet.
    static void emptyState(QPainter& p, const QRectF& r, const QString& message, double scale);
    // Text elided to fit `width`.
    static void elidedText(QPainter& p, const QRectF& r, int flags, const QString& text);
};

} // namespace lockstep::ui
