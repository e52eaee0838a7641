#include "lockstep/io/WaitStats.h"

#include <algorithm>
#include <cmath>

namespace lockstep {

void WaitStats::add(const MuxWaitResult& r)
{
    ++m_waits;
    m_ready += r.ready;
    m_scanned += r.scanned;
    m_handed += r.handed;
    if (r.ready > 0) m_busyNs.push_back(r.ns);
    else ++m_idle;
}

double WaitStats::percentileNs(double p) const
{
    if (m_busyNs.empty()) return 0;
    std::vector<std::int64_t> sorted = m_busyNs;
    std::sort(sorted.begin(), sorted.end());
    if (p <= 0) return static_cast<double>(sorted.front());
    const auto n = sorted.size();
    if (p == 0.5 && n % 2 == 0) return (static_cast<double>(sorted[n / 2 - 1]) + static_cast<double>(sorted[n / 2])) / 2;
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(n)));
    return static_cast<double>(sorted[std::clamp<std::size_t>(rank, 1, n) - 1]);
}

double WaitStats::perWait(std::int64_t total) const
{
    return m_waits == 0 ? 0.0 : static_cast<double>(total) / m_waits;
}

} // namespace lockstep
