#include "lockstep/io/SelectMultiplexer.h"

#include "lockstep/engine/Cancelled.h"

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace lockstep {

SelectMultiplexer::SelectMultiplexer(int wakeFd) : m_wakeFd(wakeFd)
{
    if (wakeFd >= 0) checkFd(wakeFd);
}

std::string SelectMultiplexer::outOfRangeMessage(int fd)
{
    return std::string(kOutOfRange) + ": fd " + std::to_string(fd) + " does not fit into an fd_set, which holds fds 0.." +
           std::to_string(kSetSize - 1) + " (FD_SETSIZE = " + std::to_string(kSetSize) +
           "); CPython raises ValueError here. Watch fewer connections with select (allowed: up to 1000), or use "
           "poll or epoll";
}

void SelectMultiplexer::checkFd(int fd)
{
    if (fd < 0 || fd >= kSetSize) throw InputError(outOfRangeMessage(fd));
}

void SelectMultiplexer::add(int fd)
{
    checkFd(fd);
    m_fds.insert(std::upper_bound(m_fds.begin(), m_fds.end(), fd), fd);
}

void SelectMultiplexer::remove(int fd)
{
    const auto it = std::lower_bound(m_fds.begin(), m_fds.end(), fd);
    if (it != m_fds.end() && *it == fd) m_fds.erase(it);
}

MuxWaitResult SelectMultiplexer::wait(int timeoutMs, std::vector<int>& ready)
{
    MuxWaitResult result;
    const std::int64_t start = nowNs();
    fd_set readSet;
    int n = 0;
    for (;;) {
        // select() overwrites the set with its answer, so it is built again for every call.
        FD_ZERO(&readSet);
        int maxFd = m_wakeFd;
        for (const int fd : m_fds) FD_SET(fd, &readSet);
        if (!m_fds.empty()) maxFd = std::max(maxFd, m_fds.back());
        if (m_wakeFd >= 0) FD_SET(m_wakeFd, &readSet);
        const int ms = remainingMs(timeoutMs, start);
        timeval tv{ms / 1000, (ms % 1000) * 1000};
        n = ::select(maxFd + 1, &readSet, nullptr, nullptr, timeoutMs < 0 ? nullptr : &tv);
        if (n >= 0) break;
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "select");
    }
    ready.clear();
    // The user-space half of select's cost: every watched fd is tested, ready or not.
    for (const int fd : m_fds)
        if (FD_ISSET(fd, &readSet)) ready.push_back(fd);
    result.woken = m_wakeFd >= 0 && FD_ISSET(m_wakeFd, &readSet);
    result.ns = nowNs() - start;
    result.handed = static_cast<int>(m_fds.size());
    result.scanned = static_cast<int>(m_fds.size());
    result.ready = static_cast<int>(ready.size());
    return result;
}

} // namespace lockstep
