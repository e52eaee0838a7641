#pragma once

#include "lockstep/engine/PyError.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>

namespace lockstep {

// A Python timeout argument turned into what a blocking wait needs. The API takes seconds as a
// double where a negative value stands for Python's None ("wait forever"). The deadline is fixed
// when the Timeout is made, so loops that wait several times (Semaphore, Queue, wait_for) share one
// end time exactly as CPython's `endtime = _time() + timeout` does.
class Timeout {
public:
    enum class Kind : std::uint8_t { NonBlocking, Forever, Timed };

    // Far beyond any lesson's run time, and small enough that now() + it cannot overflow the clock.
    static constexpr double kMaxSeconds = 1e9;

    static Timeout forever() { return Timeout(Kind::Forever, -1); }
    static Timeout nonBlocking() { return Timeout(Kind::NonBlocking, 0); }

    // Condition.wait() / Event.wait() rules: None waits forever, > 0 waits that long, anything else
    // (0, and NaN since `nan > 0` is false) only tries once.
    static Timeout waitSeconds(double seconds)
    {
        if (seconds < 0) return forever();
        if (seconds > 0) return Timeout(Kind::Timed, seconds);
        return nonBlocking();
    }

    // threading.Lock.acquire(blocking, timeout) rules (timeout < 0 = -1 = no timeout).
    static Timeout lockAcquire(bool blocking, double seconds)
    {
        if (std::isnan(seconds)) throw PyError("ValueError", "Invalid value NaN (not a number)");
        if (!blocking) {
            if (seconds >= 0) throw PyError("ValueError", "can't specify a timeout for a non-blocking call");
            return nonBlocking();
        }
        if (seconds < 0) return forever();
        if (seconds == 0) return nonBlocking();
        return Timeout(Kind::Timed, seconds);
    }

    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] bool isForever() const { return m_kind == Kind::Forever; }
    [[nodiscard]] bool isTimed() const { return m_kind == Kind::Timed; }
    [[nodiscard]] bool isNonBlocking() const { return m_kind == Kind::NonBlocking; }
    [[nodiscard]] double seconds() const { return m_seconds; }
    [[nodiscard]] std::chrono::steady_clock::time_point deadline() const { return m_deadline; }
    [[nodiscard]] bool expired() const { return isTimed() && std::chrono::steady_clock::now() >= m_deadline; }
    // Seconds left until the deadline (Timed only; may be <= 0).
    [[nodiscard]] double remainingSeconds() const
    {
        return std::chrono::duration<double>(m_deadline - std::chrono::steady_clock::now()).count();
    }
    // Event payload convention (AcquireRequest / WaitBegin value): -1 none, 0 non-blocking, else ns.
    [[nodiscard]] std::int64_t ns() const
    {
        switch (m_kind) {
        case Kind::Forever: return -1;
        case Kind::NonBlocking: return 0;
        case Kind::Timed: break;
        }
        return static_cast<std::int64_t>(m_seconds * 1e9);
    }

private:
    Timeout(Kind kind, double seconds) : m_kind(kind), m_seconds(seconds)
    {
        if (kind == Kind::Timed) {
            m_seconds = std::min(seconds, kMaxSeconds);
            m_deadline = std::chrono::steady_clock::now() +
                         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::duration<double>(m_seconds));
        }
    }

    Kind m_kind;
    double m_seconds;
    std::chrono::steady_clock::time_point m_deadline{};
};

} // namespace lockstep
