#pragma once

#include "lockstep/proc/ChildRecord.h"

#include <chrono>
#include <cstdint>

namespace lockstep {

// The child's end of the report pipe. Only async-signal-safe calls (clock_gettime through
// steady_clock, write): usable in a child forked from a multithreaded process.
class ChildChannel {
public:
    ChildChannel(int fd, std::chrono::steady_clock::time_point runStart) : m_fd(fd), m_start(runStart) { }

    // ns since the run started: the same clock and origin as the parent's TraceRecorder::now().
    [[nodiscard]] std::int64_t now() const
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - m_start).count();
    }
    // Sends one record stamped now. Returns false if the parent is gone.
    bool report(std::int32_t kind, std::int64_t a = 0, std::int64_t b = 0, std::int32_t line = 0) const;
    [[nodiscard]] int fd() const { return m_fd; }
    // The run's time zero on CLOCK_MONOTONIC (steady_clock's clock), in ns: what now() subtracts.
    [[nodiscard]] std::int64_t startNs() const
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(m_start.time_since_epoch()).count();
    }

private:
    int m_fd;
    std::chrono::steady_clock::time_point m_start;
};

} // namespace lockstep
