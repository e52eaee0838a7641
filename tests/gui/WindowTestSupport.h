#pragma once

// The window as the GUI tests open it: the source tree's lessons, no settings read or written,
// light theme, no animations, shown at `size`.

#include "gui/MainWindow.h"

#include <QSize>

#include <memory>

namespace lockstep::ui::guitest {

inline std::unique_ptr<MainWindow> makeWindow(Lang lang = Lang::En, QSize size = QSize(1920, 1080))
{
    MainWindow::Options options;
    options.lessonsDir = QStringLiteral(LOCKSTEP_SOURCE_LESSONS);
    options.persistSettings = false;
    options.lang = lang;
    options.presenter = false;
    options.dark = false;
    options.animations = false;
    auto w = std::make_unique<MainWindow>(options);
    w->resize(size);
    w->show();
    return w;
}

} // namespace lockstep::ui::guitest
