#include "lockstep/io/ConnectionSet.h"

#include "lockstep/engine/RunContext.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace lockstep {

ConnectionSet::ConnectionSet(RunContext* ctx) : m_ctx(ctx) {}

ConnectionSet::~ConnectionSet()
{
    // Tracked fds are closed by the run (RunContext::releaseOsResources) once run() returns: closing
    // 2 x 16000 of them one by one through closeFd() would cost a search of the tracked list each.
    if (m_ctx) return;
    for (const int fd : m_client) ::close(fd);
    for (const int fd : m_server) ::close(fd);
}

void ConnectionSet::open(int count, int clientBase)
{
    m_server.reserve(m_server.size() + static_cast<std::size_t>(count));
    m_client.reserve(m_client.size() + static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        int sv[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0)
            throw std::system_error(errno, std::generic_category(), "socketpair");
        if (m_ctx) {
            m_ctx->trackFd(sv[0]);
        }
        m_server.push_back(sv[0]);
        // Move the client end up and free its low number for the next server end.
        const int client = ::fcntl(sv[1], F_DUPFD_CLOEXEC, clientBase);
        const int err = errno;
        ::close(sv[1]);
        if (client < 0) throw std::system_error(err, std::generic_category(), "fcntl(F_DUPFD)");
        if (m_ctx) m_ctx->trackFd(client);
        m_client.push_back(client);
    }
}

int ConnectionSet::highestServerFd() const
{
    return m_server.empty() ? -1 : *std::max_element(m_server.begin(), m_server.end());
}

} // namespace lockstep
