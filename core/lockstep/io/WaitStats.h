#pragma once

#include "lockstep/io/Multiplexer.h"

#include <cstdint>
#include <vector>

namespace lockstep {

// The measured waits of one sweep point. ns_per_wait is the median of the waits that returned
// ready fds: a wait that returned nothing only sat out its timeout (the edge-triggered stall) and
// says nothing about the cost of finding ready fds; those are counted as idle waits instead.
class WaitStats {
public:
    void add(const MuxWaitResult& r);

    [[nodiscard]] int waits() const { return m_waits; }
    [[nodiscard]] int idleWaits() const { return m_idle; }
    [[nodiscard]] double medianNs() const { return percentileNs(0.5); }
    // Nearest-rank percentile (0..1) of the busy waits' durations; 0 when there were none.
    [[nodiscard]] double percentileNs(double p) const;
    [[nodiscard]] double readyPerWait() const { return perWait(m_ready); }
    [[nodiscard]] double scannedPerWait() const { return perWait(m_scanned); }
    [[nodiscard]] double handedPerWait() const { return perWait(m_handed); }

private:
    [[nodiscard]] double perWait(std::int64_t total) const;

    int m_waits = 0;
    int m_idle = 0;
    std::int64_t m_ready = 0;
    std::int64_t m_scanned = 0;
    std::int64_t m_handed = 0;
    std::vector<std::int64_t> m_busyNs;
};

} // namespace lockstep
