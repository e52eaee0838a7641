#pragma once

// The window as the GUI tests open it: the source tree's lessons (or another folder), no settings
// read or written, light theme unless asked, no animations, shown at `size`.

#include "gui/MainWindow.h"

#include <QSize>

#include <memory>

namespace lockstep::ui::guitest {

// How a test wants the window; the defaults are the window the other tests expect.
struct WindowLook {
    Lang lang = Lang::En;
    bool dark = false;
    bool presenter = false;
    QSize size = QSize(1920, 1080);
    QString lessonsDir = QStringLiteral(LOCKSTEP_SOURCE_LESSONS);
};

inline std::unique_ptr<MainWindow> makeWindow(const WindowLook& look)
{
    MainWindow::Options options;
    options.lessonsDir = look.lessonsDir;
    options.persistSettings = false;
    options.lang = look.lang;
    options.presenter = look.presenter;
    options.dark = look.dark;
    options.animations = false;
    auto w = std::make_unique<MainWindow>(options);
    w->resize(look.size);
    w->show();
    return w;
}

inline std::unique_ptr<MainWindow> makeWindow(Lang lang = Lang::En, QSize size = QSize(1920, 1080))
{
    WindowLook look;
    look.lang = lang;
    look.size = size;
    return makeWindow(look);
}

} // namespace lockstep::ui::guitest
