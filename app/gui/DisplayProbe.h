#pragma once

#include <string>

namespace lockstep::ui {

// Whether a window could open here, found out without starting Qt's GUI: QGuiApplication aborts
// the process ("could not connect to display") when the platform plugin finds no display, so the
// app asks first and prints what to do instead. Reads QT_QPA_PLATFORM, WAYLAND_DISPLAY and
// DISPLAY, and really connects to the X server or Wayland compositor they name (a stale DISPLAY
// left over from an SSH session names a server that is gone).
struct DisplayProbe {
    bool available = false;
    std::string reason; // when not available: what was looked for, for the message

    static DisplayProbe probe();
};

} // namespace lockstep::ui
