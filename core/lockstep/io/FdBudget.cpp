#include "lockstep/io/FdBudget.h"

#include <dirent.h>
#include <sys/resource.h>
#include <sys/select.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <vector>

namespace lockstep {

namespace {
template <typename F>
void forEachOpenFd(F&& f)
{
    DIR* dir = ::opendir("/proc/self/fd");
    if (!dir) return;
    const int own = ::dirfd(dir);
    while (const dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        const int fd = std::atoi(entry->d_name);
        if (fd != own) f(fd);
    }
    ::closedir(dir);
}

std::uint64_t clampLimit(rlim_t v)
{
    if (v == RLIM_INFINITY) return std::numeric_limits<std::uint32_t>::max();
    return static_cast<std::uint64_t>(v);
}
} // namespace

int FdBudget::highestOpenFdNow()
{
    int highest = -1;
    forEachOpenFd([&](int fd) { highest = std::max(highest, fd); });
    return highest;
}

int FdBudget::openFdCountNow()
{
    int count = 0;
    forEachOpenFd([&](int) { ++count; });
    return count;
}

FdBudget::FdBudget(int connections) : m_connections(std::max(connections, 0))
{
    std::vector<int> open;
    forEachOpenFd([&](int fd) { open.push_back(fd); });
    m_open = static_cast<int>(open.size());
    m_highest = open.empty() ? -1 : *std::max_element(open.begin(), open.end());
    // The server ends fill the lowest free numbers: the last of them is below connections + open.
    // The client ends start above that, and never below FD_SETSIZE, out of select's range.
    m_clientBase = std::max(FD_SETSIZE, m_connections + m_open + kSlack);
    // They take the lowest free numbers from clientBase on, stepping over fds already open there.
    const auto above = std::count_if(open.begin(), open.end(), [&](int fd) { return fd >= m_clientBase; });
    m_needed = static_cast<std::uint64_t>(m_clientBase) + static_cast<std::uint64_t>(m_connections) +
               static_cast<std::uint64_t>(above) + kSlack;
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        m_soft = clampLimit(rl.rlim_cur);
        m_hard = clampLimit(rl.rlim_max);
    }
}

std::string FdBudget::shortfall() const
{
    // Two fds per connection plus the process's own and the slack on both sides.
    const std::uint64_t overhead = static_cast<std::uint64_t>(2 * m_open + 2 * kSlack);
    const std::uint64_t maxConnections = m_hard > overhead ? (m_hard - overhead) / 2 : 0;
    return std::to_string(m_connections) + " connections need " + std::to_string(m_needed) +
           " open files (a socket pair, two fds, per connection, plus the process's own), but RLIMIT_NOFILE "
           "allows " + std::to_string(m_hard) + " (hard limit; soft limit " + std::to_string(m_soft) +
           "); raise it in the shell that starts lockstep, e.g. `ulimit -n " + std::to_string(m_needed) +
           "` (above the hard limit this needs root: /etc/security/limits.conf or systemd's LimitNOFILE=), or use "
           "at most about " + std::to_string(maxConnections) + " connections";
}

bool FdBudget::raiseSoftLimit()
{
    if (m_needed <= m_soft || !fits()) return false;
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return false;
    rl.rlim_cur = static_cast<rlim_t>(m_needed);
    if (::setrlimit(RLIMIT_NOFILE, &rl) != 0) return false;
    m_soft = m_needed;
    return true;
}

} // namespace lockstep
