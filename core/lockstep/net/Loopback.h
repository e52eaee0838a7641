#pragma once
// Loopback TCP for the lessons that run a server and its clients in one process (io-models,
// servers): a listening socket on 127.0.0.1 with a port the kernel picks, and a connection to it.
// The fds are the caller's to track (RunContext::trackFd) and close.

#include <stdexcept>
#include <string>

namespace lockstep {

// "what: strerror(errno)".
[[nodiscard]] std::runtime_error sysError(const std::string& what);

// A listening socket (close-on-exec) on 127.0.0.1:0; its port in `port`. Throws sysError.
int listenLoopback(int backlog, int& port);
// A connected socket to 127.0.0.1:port with TCP_NODELAY (small requests go out at once). Throws.
int connectLoopback(int port);

} // namespace lockstep
