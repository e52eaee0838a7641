#include "lockstep/io/EpollMultiplexer.h"

#include "lockstep/engine/RunContext.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace lockstep {

EpollMultiplexer::EpollMultiplexer(Trigger trigger, int wakeFd, RunContext* ctx)
    : m_trigger(trigger), m_wakeFd(wakeFd), m_ctx(ctx)
{
    m_epfd = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_epfd < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
    if (m_ctx) m_ctx->trackFd(m_epfd);
    if (wakeFd >= 0) {
        // The wake fd is level-triggered in both modes: once cancelled, every later wait sees it.
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.fd = wakeFd;
        if (::epoll_ctl(m_epfd, EPOLL_CTL_ADD, wakeFd, &ev) != 0) {
            const int err = errno;
            if (m_ctx) m_ctx->closeFd(m_epfd);
            else ::close(m_epfd);
            throw std::system_error(err, std::generic_category(), "epoll_ctl(wake fd)");
        }
    }
    m_events.resize(16);
}

EpollMultiplexer::~EpollMultiplexer()
{
    if (m_ctx) m_ctx->closeFd(m_epfd);
    else ::close(m_epfd);
}

void EpollMultiplexer::add(int fd)
{
    epoll_event ev{};
    ev.events = EPOLLIN | (m_trigger == Trigger::Edge ? EPOLLET : 0u);
    ev.data.fd = fd;
    if (::epoll_ctl(m_epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
        throw std::system_error(errno, std::generic_category(), "epoll_ctl(EPOLL_CTL_ADD)");
    ++m_count;
    // Room for every watched fd (up to a cap) so that one wait can return all of them; the array's
    // size does not change the cost of a wait, only how many events one call may return.
    m_events.resize(std::clamp<std::size_t>(m_count + 1, 16, kMaxEvents));
}

void EpollMultiplexer::remove(int fd)
{
    if (::epoll_ctl(m_epfd, EPOLL_CTL_DEL, fd, nullptr) == 0 && m_count > 0) --m_count;
}

MuxWaitResult EpollMultiplexer::wait(int timeoutMs, std::vector<int>& ready)
{
    MuxWaitResult result;
    const std::int64_t start = nowNs();
    int n = 0;
    for (;;) {
        n = ::epoll_wait(m_epfd, m_events.data(), static_cast<int>(m_events.size()), remainingMs(timeoutMs, start));
        if (n >= 0) break;
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "epoll_wait");
    }
    ready.clear();
    // Only the returned entries are examined: the kernel already did the finding.
    for (int i = 0; i < n; ++i) {
        const int fd = m_events[static_cast<std::size_t>(i)].data.fd;
        if (fd == m_wakeFd) result.woken = true;
        else ready.push_back(fd);
    }
    result.ns = nowNs() - start;
    result.handed = 0;
    result.scanned = static_cast<int>(ready.size());
    result.ready = static_cast<int>(ready.size());
    return result;
}

} // namespace lockstep
