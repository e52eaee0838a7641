#pragma once

#include "lockstep/trace/Trace.h"

#include <QImage>
#include <QString>

#include <cstdint>

namespace lockstep::ui {

// How to export a timeline. Sizes are logical pixels; `scale` multiplies the pixel size of a PNG
// (2x and 4x for projectors and print) while keeping the same layout, so a 2x export looks like
// the 1x one, only sharper. An SVG is always written at scale 1 (it is resolution independent).
struct ExportOptions {
    int width = 1920;
    int height = 0;     // 0: auto from the lanes (every lane at its preferred height), min 1080
    double scale = 1.0; // 1, 2, 4 (any value in [0.25, 8] is accepted)
    QString title;      // header line; none when empty and subtitle is empty
    QString subtitle;
    std::int64_t t0 = 0;              // time range shown, ns
    std::int64_t t1 = -1;             // -1: to the end of the trace
    std::int64_t cursor = -1;         // optional cursor line
    std::int64_t selectionStart = -1; // optional selected range
    std::int64_t selectionEnd = -1;
    bool legend = true;
};

// These render the trace (the model), not a widget: they need a QGuiApplication (fonts) but no
// display, so they work on the offscreen platform and from lockstep-cli.
//
// The logical size the export will have (after the auto height).
[[nodiscard]] QSize timelineExportSize(const Trace& trace, const ExportOptions& options);
// The picture as an image of timelineExportSize() x scale pixels (e.g. for the clipboard).
[[nodiscard]] QImage renderTimelineImage(const Trace& trace, const ExportOptions& options);
// Writes a PNG. On failure returns false and, if `error` is given, says why (the image writer's
// message, e.g. "Permission denied", prefixed with the path).
bool exportTimelinePng(const Trace& trace, const QString& path, const ExportOptions& options, QString* error = nullptr);
// Writes an SVG (QSvgGenerator): lanes as rectangles, lane names and labels as <text>.
bool exportTimelineSvg(const Trace& trace, const QString& path, const ExportOptions& options, QString* error = nullptr);

} // namespace lockstep::ui
