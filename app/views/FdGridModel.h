#pragma once

#include "lockstep/trace/Trace.h"

#include <cstdint>
#include <vector>

namespace lockstep::ui {

// Readiness of every fd at the cursor (FdReady masks and fd state changes) and the multiplexer's
// last call: the fds handed to the kernel (MuxWaitBegin), returned ready (MuxWaitEnd) and examined
// in user space afterwards (MuxScan).
class FdGridModel {
public:
    static constexpr std::uint8_t kReadable = 1;
    static constexpr std::uint8_t kWritable = 4;
    static constexpr std::uint8_t kHangup = 16;
    static constexpr std::uint8_t kClosed = 64; // unregistered and closed: no longer watched
    [[nodiscard]] static constexpr bool isReady(std::uint8_t mask) { return (mask & (kReadable | kWritable | kHangup)) != 0; }

    struct Call {
        std::int64_t beginTs = -1;
        std::int64_t endTs = -1;  // -1 while the call is in progress at the cursor
        std::int64_t copied = 0;  // handed to the kernel
        std::int64_t ready = 0;
        std::int64_t scanned = 0; // examined in user space
    };

    void reset(const Trace&) {}
    void apply(const Trace& trace, const Event& e);

    [[nodiscard]] std::uint8_t mask(ActorId fd) const
    {
        return fd.value < m_masks.size() ? m_masks[fd.value] : std::uint8_t{0};
    }
    [[nodiscard]] ActorId multiplexer() const { return m_mux; }
    // How many fds (the first ones on the board) the current multiplexer watches; -1 = unknown.
    [[nodiscard]] std::int64_t watched() const { return m_watched; }
    [[nodiscard]] const Call& lastCall() const { return m_last; }
    [[nodiscard]] std::uint64_t calls() const { return m_calls; }
    [[nodiscard]] std::int64_t readyNow() const { return m_readyNow; }

private:
    void setMask(ActorId fd, std::uint8_t mask);

    std::vector<std::uint8_t> m_masks; // by actor id
    std::int64_t m_readyNow = 0;
    ActorId m_mux;
    std::int64_t m_watched = -1;
    Call m_last;
    std::uint64_t m_calls = 0;
};

} // namespace lockstep::ui
