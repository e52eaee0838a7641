#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

namespace lockstep::ui {

// The app's icons are SVGs in the resources drawn in "currentColor"; they are tinted here with the
// theme's ink so one set serves the light and the dark theme.
class Icons {
public:
    static void setInk(const QColor& ink, const QColor& accent);
    // ":/lockstep/icons/<name>.svg" tinted; `accented` uses the accent colour instead of the ink.
    [[nodiscard]] static QIcon get(const QString& name, bool accented = false);
    [[nodiscard]] static QIcon appIcon();
};

} // namespace lockstep::ui
