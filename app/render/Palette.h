#pragma once

#include "lockstep/trace/State.h"

#include <QColor>
#include <QFont>
#include <QString>

#include <array>

namespace lockstep::ui {

// The one visual language of Lockstep: every view, the timeline and every export colour a state
// through this class and nothing else. Colours are the Okabe-Ito colour-blind-safe set, and every
// state is also given a text label and a glyph so that colour is never the only cue.
struct StateStyle {
    QColor fill;   // span / card background
    QColor ink;    // text drawn on top of `fill` (contrast >= 4.5:1)
    QString label; // translated, e.g. "running"
    QString glyph; // one character / symbol, e.g. "▶", "■", "☾"
};

// All eight categories in legend order (the order a legend lists them in).
inline constexpr std::array<StateCategory, 8> kAllStateCategories = {
    StateCategory::Running,  StateCategory::Ready,  StateCategory::Blocked, StateCategory::Waiting,
    StateCategory::Sleeping, StateCategory::Zombie, StateCategory::Done,    StateCategory::Idle,
};

// Light by default: projectors wash out dark pages, and a light page prints and pastes into slides
// well. The dark variant (setDark) keeps every state colour but idle, and swaps the chrome around
// the data (background, panels, text, lines) so that a dark window is dark all through, exports
// included. All functions are cheap and may be called from paint code. Colours and fonts are safe
// from any thread; labels (which go through QCoreApplication::translate) are built on first use and
// refreshed by retranslate() on the GUI thread.
class Palette {
public:
    // Switches every view, the timeline and the exports made from now on (GUI thread; a render
    // running in another thread picks it up with its next colour).
    static void setDark(bool dark);
    [[nodiscard]] static bool dark();

    [[nodiscard]] static const StateStyle& style(StateCategory category);
    [[nodiscard]] static const StateStyle& style(State state) { return style(stateCategory(state)); }
    [[nodiscard]] static QColor stateColor(State state) { return style(state).fill; }
    [[nodiscard]] static QString stateLabel(State state); // precise name, e.g. "blocked on I/O"
    // Re-reads the translated labels (call after installing a QTranslator for a new language).
    static void retranslate();

    // Chrome around the data.
    [[nodiscard]] static QColor background();
    [[nodiscard]] static QColor panel();
    [[nodiscard]] static QColor foreground();
    [[nodiscard]] static QColor mutedText();
    [[nodiscard]] static QColor grid();
    [[nodiscard]] static QColor accent();   // selection, cursor
    [[nodiscard]] static QColor alarm();    // deadlock cycle, errors, stalls
    [[nodiscard]] static QColor gilColor(); // GIL ownership lane
    [[nodiscard]] static QColor fdReadable();
    [[nodiscard]] static QColor fdWritable();
    [[nodiscard]] static QColor fdHangup();

    // Extensions (render helper).
    [[nodiscard]] static QColor border();    // hairlines between lanes and around panels
    [[nodiscard]] static QColor selection(); // translucent fill of a selected time range
    // A categorical colour for the i-th item of a series (e.g. the thread that holds the GIL or a
    // lock). Paul Tol's colour-blind-safe qualitative colours, darkest / least state-like first.
    [[nodiscard]] static QColor seriesColor(int index);
    // Black or white, whichever reads better on `fill` (WCAG contrast).
    [[nodiscard]] static QColor inkOn(const QColor& fill);
    // WCAG 2 contrast ratio between two colours (1 .. 21).
    [[nodiscard]] static double contrastRatio(const QColor& a, const QColor& b);

    // Fonts sized for a classroom projector; `scale` multiplies (presenter mode / 2x exports).
    // Sizes are in pixels so that an export renders identically on every machine. The family list
    // prefers Noto Sans, then Noto Sans CJK SC (so Chinese narration renders), then DejaVu Sans.
    [[nodiscard]] static QFont uiFont(double scale = 1.0);
    [[nodiscard]] static QFont monoFont(double scale = 1.0);
    [[nodiscard]] static QFont titleFont(double scale = 1.0); // headings, export titles
    [[nodiscard]] static QFont smallFont(double scale = 1.0); // axis ticks, counts
    // Base pixel size of uiFont(1.0).
    static constexpr int kUiPixelSize = 16;
};

} // namespace lockstep::ui
