#pragma once

#include <QColor>
#include <QString>

class QApplication;

namespace lockstep::ui {

// The window chrome's look: Fusion style, a light or dark QPalette, the resource style sheet with
// its colour placeholders filled, and an application font scaled for presenter mode. The data
// canvases (timeline, views, exports) keep ui::Palette's colours in either theme.
class Theme {
public:
    struct Colours {
        QColor bg, panel, canvas, border, groove, hover, text, muted, accent, accentHover, accentSoft, accentText,
            tooltip, tooltipText, input;
        // The failure banner: a tinted panel, its border and its text, legible in either theme.
        QColor alarmSoft, alarmBorder, alarmText;
    };

    static void apply(bool dark, double scale);
    [[nodiscard]] static bool dark();
    [[nodiscard]] static double scale();
    [[nodiscard]] static const Colours& colours();
    [[nodiscard]] static Colours coloursFor(bool dark);
    // Pixel size of the chrome's font at scale 1.
    static constexpr int kChromePixelSize = 14;
};

} // namespace lockstep::ui
