#pragma once

#include <cstdint>
#include <string>

namespace lockstep {

// The open-file budget of a set of connections: each connection is a socket pair (two fds); the
// server ends take the lowest free fd numbers and the client ends are moved up to clientBase() and
// above, so that the server ends of up to ~1000 connections stay below FD_SETSIZE for select.
// Measured against the process's current fds and RLIMIT_NOFILE when constructed.
class FdBudget {
public:
    static constexpr int kSlack = 64; // multiplexer and channel fds, trace files, the runner's own

    explicit FdBudget(int connections);

    [[nodiscard]] int connections() const { return m_connections; }
    [[nodiscard]] int highestOpenFd() const { return m_highest; }
    [[nodiscard]] int openFds() const { return m_open; }
    // Lowest fd number for the client ends.
    [[nodiscard]] int clientBase() const { return m_clientBase; }
    // RLIMIT_NOFILE soft limit the connections need (every fd number must be below it).
    [[nodiscard]] std::uint64_t needed() const { return m_needed; }
    [[nodiscard]] std::uint64_t softLimit() const { return m_soft; }
    [[nodiscard]] std::uint64_t hardLimit() const { return m_hard; }
    // Fits under the hard limit (the soft one can be raised up to it without privileges).
    [[nodiscard]] bool fits() const { return m_needed <= m_hard; }
    // Why it does not fit and how to raise the limit, for an InputError.
    [[nodiscard]] std::string shortfall() const;
    // Raises the soft limit to needed() when it is lower and the hard limit allows; true if raised.
    bool raiseSoftLimit();

    // Highest fd open in this process now (-1 if none), from /proc/self/fd.
    [[nodiscard]] static int highestOpenFdNow();
    // Number of fds open in this process now, from /proc/self/fd.
    [[nodiscard]] static int openFdCountNow();

private:
    int m_connections = 0;
    int m_highest = -1;
    int m_open = 0;
    int m_clientBase = 0;
    std::uint64_t m_needed = 0;
    std::uint64_t m_soft = 0;
    std::uint64_t m_hard = 0;
};

} // namespace lockstep
