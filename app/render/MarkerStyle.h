#pragma once

#include "lockstep/trace/EventKind.h"

#include <QColor>
#include <QPointF>
#include <QString>

class QPainter;

namespace lockstep::ui {

enum class MarkerShape : std::uint8_t { TriangleDown, Diamond, Circle, Square, Cross, Ring, Line, DashedLine };

// How an instant event is drawn on the timeline and named in the legend. Shapes are painted as
// vector paths (not font glyphs) so that they look the same in PNG and SVG on any machine.
struct MarkerStyle {
    QColor color;
    MarkerShape shape = MarkerShape::Circle;
    QString label; // translated legend name, e.g. "notify"

    [[nodiscard]] static MarkerStyle of(EventKind kind);
    // Paints the marker centred on `centre`, `size` px across.
    static void paint(QPainter& painter, const MarkerStyle& style, QPointF centre, double size);
};

} // namespace lockstep::ui
