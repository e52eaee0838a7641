#include "gui/DisplayProbe.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <fcntl.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace lockstep::ui {

namespace {

std::string env(const char* name)
{
    const char* v = std::getenv(name);
    return v != nullptr ? v : "";
}

// Connects to a Unix socket; `abstract` uses Linux's abstract namespace (leading NUL), where Xorg
// and Xvfb also listen.
bool unixConnects(const std::string& path, bool abstract)
{
    sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    const std::size_t offset = abstract ? 1 : 0;
    if (path.empty() || path.size() + offset >= sizeof addr.sun_path) return false;
    std::memcpy(addr.sun_path + offset, path.data(), path.size());
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    const auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + offset + path.size());
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), len) == 0;
    ::close(fd);
    return ok;
}

// TCP connect with a short timeout (an X display forwarded by SSH is localhost:10 = port 6010).
bool tcpConnects(const std::string& host, int port)
{
    addrinfo hints {};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return false;
    bool ok = false;
    for (addrinfo* a = found; a != nullptr && !ok; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
        if (fd < 0) continue;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            ok = true;
        } else if (errno == EINPROGRESS) {
            pollfd p {fd, POLLOUT, 0};
            int err = 0;
            socklen_t errLen = sizeof err;
            ok = ::poll(&p, 1, 1000) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errLen) == 0 && err == 0;
        }
        ::close(fd);
    }
    ::freeaddrinfo(found);
    return ok;
}

bool x11Reachable(const std::string& display)
{
    // [host]:N[.screen]; an empty host or "unix" is the local socket.
    const auto colon = display.rfind(':');
    if (colon == std::string::npos) return false;
    const std::string host = display.substr(0, colon);
    const int number = std::atoi(display.c_str() + colon + 1);
    if (host.empty() || host == "unix") {
        const std::string path = "/tmp/.X11-unix/X" + std::to_string(number);
        return unixConnects(path, false) || unixConnects(path, true);
    }
    return tcpConnects(host, 6000 + number);
}

bool waylandReachable(const std::string& display)
{
    if (display.empty()) return false;
    if (display.front() == '/') return unixConnects(display, false);
    const std::string runtime = env("XDG_RUNTIME_DIR");
    return !runtime.empty() && unixConnects(runtime + "/" + display, false);
}

} // namespace

DisplayProbe DisplayProbe::probe()
{
    DisplayProbe p;
    const std::string platform = env("QT_QPA_PLATFORM");
    const std::string x = env("DISPLAY");
    const std::string wayland = env("WAYLAND_DISPLAY");
    // A platform that needs no display server (offscreen, minimal, vnc, eglfs, linuxfb, ...):
    // the user chose it, Qt will manage.
    const bool wantsX = platform.rfind("xcb", 0) == 0;
    const bool wantsWayland = platform.rfind("wayland", 0) == 0;
    if (!platform.empty() && !wantsX && !wantsWayland) {
        p.available = true;
        return p;
    }
    if (!wantsX && waylandReachable(wayland)) {
        p.available = true;
        return p;
    }
    if (!wantsWayland && x11Reachable(x)) {
        p.available = true;
        return p;
    }
    if (x.empty() && wayland.empty())
        p.reason = "no display: DISPLAY and WAYLAND_DISPLAY are unset";
    else if (!x.empty() && !wantsWayland)
        p.reason = "no X server answers at DISPLAY=" + x;
    else
        p.reason = "no Wayland compositor answers at WAYLAND_DISPLAY=" + wayland;
    return p;
}

} // namespace lockstep::ui
