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

void PollMultiplexer::add(int fd)
{
    if (fd < 0) return;
    if (static_cast<std::size_t>(fd) >= m_slot.size()) m_slot.resize(static_cast<std::size_t>(fd) + 1, -1);
    m_slot[static_cast<std::size_t>(fd)] = static_cast<std::int32_t>(m_fds.size());
    m_fds.push_back(pollfd{fd, POLLIN, 0});
}

void PollMultiplexer::remove(int fd)
{
    if (fd < 0 || static_cast<std::size_t>(fd) >= m_slot.size() || m_slot[static_cast<std::size_t>(fd)] < 0) return;
    // The last entry takes the removed one's place, as CPython's poll object rebuilds its array
    // from a dict: the order of the array means nothing to poll.
    const auto at = static_cast<std::size_t>(m_slot[static_cast<std::size_t>(fd)]);
    m_slot[static_cast<std::size_t>(fd)] = -1;
    if (at + 1 != m_fds.size()) {
        m_fds[at] = m_fds.back();
        m_slot[static_cast<std::size_t>(m_fds[at].fd)] = static_cast<std::int32_t>(at);
    }
    m_fds.pop_back();
}

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
