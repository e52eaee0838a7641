#include "lockstep/io/EchoClients.h"

#include <sys/socket.h>

#include "lockstep/engine/RunContext.h"
#include "lockstep/io/ConnectionSet.h"
#include "lockstep/io/FdBoard.h"
#include "lockstep/io/IomuxSnippet.h"
#include "lockstep/io/RoundChannel.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

namespace lockstep {

EchoClients::EchoClients(RunContext& ctx, const IomuxConfig& config, const ConnectionSet& connections, FdBoard& board,
                         RoundChannel& channel, std::vector<EchoPoint>& points, std::uint64_t seed)
    : m_ctx(ctx), m_config(config), m_connections(connections), m_board(board), m_channel(channel), m_points(points),
      m_rng(seed * 0x9E3779B97F4A7C15ull + 0x10A), m_dead(static_cast<std::size_t>(connections.size()), 0),
      m_message(static_cast<std::size_t>(config.messageBytes)), m_echo(static_cast<std::size_t>(config.messageBytes))
{
}

void EchoClients::run(const std::function<ActorId()>& server)
{
    m_self = RunContext::currentActor();
    for (std::size_t p = 0; p < m_points.size(); ++p) runPoint(m_points[p], static_cast<int>(p), server);
    if (!m_points.empty()) hangUp(static_cast<int>(m_points.size()) - 1);
}

void EchoClients::hangUp(int lastPoint)
{
    // Every client leaves, the stalled ones too. Closing the client end makes its server end
    // readable with nothing to read; the kernel says so at once, so the board records it here.
    // Last connection first: the run's fd table gives back the highest numbers first.
    for (int i = m_connections.size() - 1; i >= 0; --i) {
        m_ctx.gate().pass(m_self);
        m_ctx.closeFd(m_connections.clientFd(i));
        m_board.markHangup(i, m_self, IomuxSnippet::kClientClose);
    }
    RoundTicket ticket;
    ticket.point = lastPoint;
    ticket.round = -1;
    ticket.hangUp = true;
    m_channel.post(ticket);
}

void EchoClients::fillMessage(int round, int index)
{
    for (std::size_t b = 0; b < m_message.size(); ++b)
        m_message[b] = static_cast<char>('a' + (round * 7 + index * 13 + static_cast<int>(b)) % 26);
}

void EchoClients::runPoint(EchoPoint& point, int pointIndex, const std::function<ActorId()>& server)
{
    auto& rec = m_ctx.recorder();
    // The active clients: chosen from the seed, spread over the whole set, and kept from round to
    // round (a few chatty connections among many idle ones, as in libevent's benchmark) unless
    // rotate_active asks for new ones every round. A client that stalled is replaced.
    std::vector<int> live;
    for (int i = 0; i < point.fds; ++i)
        if (!m_dead[static_cast<std::size_t>(i)]) live.push_back(i);
    std::vector<char> inSet(static_cast<std::size_t>(point.fds), 0);
    std::vector<int> current;
    std::vector<int> chosen;
    std::vector<int> stalledNow;
    const int total = m_config.warmup + m_config.rounds;
    for (int r = 0; r < total; ++r) {
        const bool measured = r >= m_config.warmup;
        if (m_config.rotateActive) {
            for (const int i : current) inSet[static_cast<std::size_t>(i)] = 0;
            current.clear();
        }
        // Top up with a partial Fisher-Yates shuffle of the live connections.
        const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(point.active), live.size());
        for (std::size_t j = 0; current.size() < k && j < live.size(); ++j) {
            std::swap(live[j], live[j + static_cast<std::size_t>(m_rng() % (live.size() - j))]);
            const int c = live[j];
            if (inSet[static_cast<std::size_t>(c)]) continue;
            inSet[static_cast<std::size_t>(c)] = 1;
            current.push_back(c);
        }
        chosen = current;
        std::sort(chosen.begin(), chosen.end());

        for (const int i : chosen) {
            fillMessage(r, i);
            m_ctx.gate().pass(m_self);
            const int fd = m_connections.clientFd(i);
            // MSG_NOSIGNAL: a closed peer is an EPIPE error here, never a SIGPIPE.
            const ssize_t n = ::send(fd, m_message.data(), m_message.size(), MSG_NOSIGNAL);
            if (n != static_cast<ssize_t>(m_message.size()))
                throw std::system_error(n < 0 ? errno : EAGAIN, std::generic_category(), "client write");
            rec.record(EventKind::IoWrite, m_self, m_board.actor(i), n, {}, IomuxSnippet::kClientSend);
            m_board.markReadable(i, m_self, IomuxSnippet::kClientSend);
        }
        m_channel.post(RoundTicket{pointIndex, r, static_cast<std::int64_t>(k * m_message.size()), measured});

        bool serverDone = false;
        stalledNow.clear();
        for (const int i : chosen) {
            const int got = readEcho(i, serverDone);
            fillMessage(r, i);
            if (got < static_cast<int>(m_message.size())) {
                stalledNow.push_back(i);
                const ActorId fdActor = m_board.actor(i);
                rec.recordText(EventKind::Stalled, m_self,
                               "client of fd " + std::to_string(m_connections.serverFd(i)) + " got " +
                                   std::to_string(got) + " of " + std::to_string(m_message.size()) +
                                   " echo bytes: the server was not told about the rest",
                               fdActor, got, IomuxSnippet::kClientRecv);
            } else if (std::memcmp(m_echo.data(), m_message.data(), m_message.size()) != 0) {
                ++point.mismatched;
            }
        }
        if (!serverDone) awaitServerDone(server());
        m_channel.consumeDone();

        if (measured && k > 0) ++point.rounds;
        for (const int i : stalledNow) {
            m_dead[static_cast<std::size_t>(i)] = 1;
            m_stalledFds.push_back(m_connections.serverFd(i));
            ++point.stalled;
            live.erase(std::find(live.begin(), live.end(), i));
            current.erase(std::find(current.begin(), current.end(), i));
            inSet[static_cast<std::size_t>(i)] = 0;
        }
    }
}

int EchoClients::readEcho(int index, bool& serverDone)
{
    const int fd = m_connections.clientFd(index);
    const ActorId fdActor = m_board.actor(index);
    const std::size_t want = m_message.size();
    std::size_t got = 0;
    bool blocked = false;
    m_ctx.gate().pass(m_self);
    for (;;) {
        const ssize_t n = ::read(fd, m_echo.data() + got, want - got);
        if (n > 0) {
            got += static_cast<std::size_t>(n);
            if (got == want) break;
            continue;
        }
        if (n == 0) break;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) throw std::system_error(errno, std::generic_category(), "client read");
        if (serverDone) break; // the server is idle: what is missing will not come
        if (!blocked) {
            m_ctx.setState(m_self, State::BlockedIo, fdActor, true, IomuxSnippet::kClientRecv);
            blocked = true;
        }
        pollfd fds[3] = {{fd, POLLIN, 0}, {m_channel.doneFd(), POLLIN, 0}, {m_ctx.cancelFd(), POLLIN, 0}};
        int rc = 0;
        do {
            rc = ::poll(fds, 3, m_config.clientTimeoutMs);
        } while (rc < 0 && errno == EINTR);
        if (rc < 0) throw std::system_error(errno, std::generic_category(), "client poll");
        if (fds[2].revents != 0) {
            m_ctx.setState(m_self, State::Running);
            m_ctx.throwIfCancelled();
        }
        if (rc == 0) break; // the client's own timeout
        if (fds[1].revents != 0) serverDone = true; // read once more: the last echo may be there too
    }
    if (blocked) m_ctx.setState(m_self, State::Running);
    if (got > 0) m_ctx.recorder().record(EventKind::IoRead, m_self, fdActor, static_cast<std::int64_t>(got), {},
                                         IomuxSnippet::kClientRecv);
    return static_cast<int>(got);
}

void EchoClients::awaitServerDone(ActorId server)
{
    // The server's waits all end within idle_timeout_ms, so this always comes; cancel ends it too.
    RunContext::BlockScope scope(m_ctx, State::BlockedIo, server, true);
    for (;;) {
        pollfd fds[2] = {{m_channel.doneFd(), POLLIN, 0}, {m_ctx.cancelFd(), POLLIN, 0}};
        const int rc = ::poll(fds, 2, m_config.clientTimeoutMs);
        if (rc < 0 && errno != EINTR) throw std::system_error(errno, std::generic_category(), "client poll");
        if (rc > 0 && fds[1].revents != 0) m_ctx.throwIfCancelled();
        if (rc > 0 && fds[0].revents != 0) return;
    }
}

} // namespace lockstep
