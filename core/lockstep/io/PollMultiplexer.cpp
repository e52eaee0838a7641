#include "lockstep/io/PollMultiplexer.h"

#include <cerrno>
#include <system_error>

namespace lockstep {

PollMultiplexer::PollMultiplexer(int wakeFd)
{
    if (wakeFd >= 0) {
        m_fds.push_back(pollfd{wakeFd, POLLIN, 0});
        m_first = 1;
    }
}

void PollMultiplexer::add(int fd) { m_fds.push_back(pollfd{fd, POLLIN, 0}); }

MuxWaitResult PollMultiplexer::wait(int timeoutMs, std::vector<int>& ready)
{
    MuxWaitResult result;
    const std::int64_t start = nowNs();
    int n = 0;
    for (;;) {
        n = ::poll(m_fds.data(), static_cast<nfds_t>(m_fds.size()), remainingMs(timeoutMs, start));
        if (n >= 0) break;
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
    }
    ready.clear();
    // poll answers in place: every entry's revents has to be looked at to find the ready ones.
    for (std::size_t i = m_first; i < m_fds.size(); ++i)
        if (m_fds[i].revents != 0) ready.push_back(m_fds[i].fd);
    result.woken = m_first == 1 && m_fds[0].revents != 0;
    result.ns = nowNs() - start;
    result.handed = static_cast<int>(size());
    result.scanned = static_cast<int>(size());
    result.ready = static_cast<int>(ready.size());
    return result;
}

} // namespace lockstep
