#pragma once

#include "lockstep/io/MuxKind.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace lockstep {

class RunContext;

// What one wait call cost and found. The counts cover the watched fds only, never the wake fd that
// the engine adds to every wait so that cancelling a run interrupts it at once.
struct MuxWaitResult {
    int handed = 0;       // fds whose interest this call copied into the kernel (epoll: none, they live there)
    int ready = 0;        // watched fds reported ready
    int scanned = 0;      // entries the user-space loop examined to find them
    bool woken = false;   // the wake fd was readable
    std::int64_t ns = 0;  // duration of the whole call: building its arguments, the system call, the scan
};

// A readiness multiplexer watching fds for input, as an event-driven server uses it: register the
// connections once, then wait again and again. Not thread-safe: one server thread owns it.
class Multiplexer {
public:
    virtual ~Multiplexer() = default;
    Multiplexer() = default;
    Multiplexer(const Multiplexer&) = delete;
    Multiplexer& operator=(const Multiplexer&) = delete;

    [[nodiscard]] virtual MuxKind kind() const = 0;
    // Watches `fd` for readability. Throws InputError when this mechanism cannot watch it (select).
    virtual void add(int fd) = 0;
    // Stops watching `fd` (sel.unregister); an fd it does not watch is ignored. Call before closing it.
    virtual void remove(int fd) = 0;
    [[nodiscard]] virtual std::size_t size() const = 0;
    // Fds each wait call hands to the kernel (select and poll: all of them; epoll: none).
    [[nodiscard]] virtual int handedPerWait() const = 0;
    // One wait of up to `timeoutMs` (-1: no limit) for a watched fd or the wake fd to turn readable;
    // `ready` receives the ready watched fds. EINTR is retried; other failures throw std::system_error.
    virtual MuxWaitResult wait(int timeoutMs, std::vector<int>& ready) = 0;

protected:
    [[nodiscard]] static std::int64_t nowNs();
    // Milliseconds left of `timeoutMs` counted from `startNs`, for a retry after EINTR (-1 stays -1).
    [[nodiscard]] static int remainingMs(int timeoutMs, std::int64_t startNs);
};

// `wakeFd`: an fd included in every wait (the run's cancel eventfd), -1 for none. `ctx`: if given,
// the multiplexer's own fds (epoll's) are tracked by the run so that nothing can leak.
[[nodiscard]] std::unique_ptr<Multiplexer> makeMultiplexer(MuxKind kind, int wakeFd, RunContext* ctx = nullptr);

} // namespace lockstep
