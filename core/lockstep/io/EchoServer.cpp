#include "lockstep/io/EchoServer.h"

#include "lockstep/engine/RunContext.h"
#include "lockstep/io/ConnectionSet.h"
#include "lockstep/io/FdBoard.h"
#include "lockstep/io/IomuxSnippet.h"
#include "lockstep/io/Multiplexer.h"
#include "lockstep/io/RoundChannel.h"

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>

namespace lockstep {

EchoServer::EchoServer(RunContext& ctx, const IomuxConfig& config, const ConnectionSet& connections, FdBoard& board,
                       RoundChannel& channel, std::vector<EchoPoint>& points)
    : m_ctx(ctx), m_config(config), m_connections(connections), m_board(board), m_channel(channel), m_points(points),
      m_buffer(4096)
{
}

void EchoServer::run(ActorId clients)
{
    m_self = RunContext::currentActor();
    m_actor.store(m_self.value, std::memory_order_release);
    for (std::size_t p = 0; p < m_points.size(); ++p) runPoint(m_points[p], static_cast<int>(p), clients);
}

void EchoServer::runPoint(EchoPoint& point, int pointIndex, ActorId clients)
{
    auto& rec = m_ctx.recorder();
    const std::string muxName(muxKindName(m_config.mux));
    const ActorId muxActor =
        m_ctx.addActor(ActorKind::Multiplexer, muxName + " (" + std::to_string(point.fds) + " fds)", m_self);
    // The run's cancel eventfd is part of every wait: cancelling wakes the server at once.
    auto mux = makeMultiplexer(m_config.mux, m_ctx.cancelFd(), &m_ctx);
    m_ctx.gate().pass(m_self);
    for (int i = 0; i < point.fds; ++i) mux->add(m_connections.serverFd(i));
    rec.recordText(EventKind::Mark, m_self,
                   muxName + ": watching " + std::to_string(point.fds) + " fds" +
                       (mux->handedPerWait() == 0 ? " (registered once with epoll_ctl)" : " (handed in on every call)"),
                   muxActor, point.fds, IomuxSnippet::kRegister);

    const int total = m_config.warmup + m_config.rounds;
    for (int r = 0; r < total; ++r) {
        const RoundTicket ticket = m_channel.awaitPosted(clients);
        if (ticket.point != pointIndex || ticket.round != r)
            throw std::logic_error("iomux: server and clients out of step");
        std::int64_t echoed = 0;
        while (echoed < ticket.bytes) {
            const MuxWaitResult res = waitOnce(*mux, muxActor);
            if (ticket.measured) point.stats.add(res);
            if (res.ready == 0) break; // nothing more reported: whatever is still unread stays there
            for (const int fd : m_ready) echoed += serve(fd);
        }
        m_channel.finish();
    }
    if (pointIndex + 1 == static_cast<int>(m_points.size())) m_closed = closeHungUp(*mux, muxActor, clients);
}

MuxWaitResult EchoServer::waitOnce(Multiplexer& mux, ActorId muxActor)
{
    auto& rec = m_ctx.recorder();
    m_ctx.gate().pass(m_self);
    rec.record(EventKind::MuxWaitBegin, m_self, muxActor, mux.handedPerWait(), {}, IomuxSnippet::kSelect);
    m_ctx.setState(m_self, State::BlockedIo, muxActor, true, IomuxSnippet::kSelect);
    const MuxWaitResult res = mux.wait(m_config.idleTimeoutMs, m_ready);
    m_ctx.setState(m_self, State::Running);
    if (res.woken) m_ctx.throwIfCancelled();
    rec.record(EventKind::MuxWaitEnd, m_self, muxActor, res.ready, {}, IomuxSnippet::kSelect);
    rec.record(EventKind::MuxScan, m_self, muxActor, res.scanned, {}, IomuxSnippet::kScan);
    return res;
}

int EchoServer::closeHungUp(Multiplexer& mux, ActorId muxActor, ActorId clients)
{
    const RoundTicket ticket = m_channel.awaitPosted(clients);
    if (!ticket.hangUp) throw std::logic_error("iomux: the clients did not hang up after the last round");
    int closed = 0;
    // `while sel.get_map():` the loop runs until no fd is registered. Its guard: a wait that
    // reports nothing within the idle timeout (a hang-up the mechanism never reported).
    while (mux.size() > 0) {
        const MuxWaitResult res = waitOnce(mux, muxActor);
        if (res.ready == 0) break;
        for (const int fd : m_ready)
            if (serveHungUp(mux, fd)) ++closed;
    }
    m_leftOpen = static_cast<int>(mux.size());
    if (m_leftOpen > 0)
        m_ctx.recorder().recordText(EventKind::Mark, m_self,
                                    std::to_string(m_leftOpen) +
                                        " watched fds never reported their hang-up: the run closes them",
                                    muxActor, m_leftOpen, IomuxSnippet::kSelect);
    return closed;
}

int EchoServer::boardIndex(int fd) const
{
    const int index = m_board.indexOfServerFd(fd);
    if (index < 0) throw std::logic_error("iomux: multiplexer reported an fd it does not watch: " + std::to_string(fd));
    return index;
}

std::size_t EchoServer::readChunk() const
{
    // recv(CHUNK): 4096, or read_chunk bytes for the partial-read variants.
    return m_config.partialRead ? static_cast<std::size_t>(m_config.readChunk) : m_buffer.size();
}

bool EchoServer::serveHungUp(Multiplexer& mux, int fd)
{
    const int index = boardIndex(fd);
    const ActorId fdActor = m_board.actor(index);
    auto& rec = m_ctx.recorder();
    m_ctx.gate().pass(m_self);
    const std::size_t chunk = readChunk();
    ssize_t n = 0;
    do {
        n = ::read(fd, m_buffer.data(), chunk);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return false; // reported, yet nothing there: wait again
        if (errno != ECONNRESET) throw std::system_error(errno, std::generic_category(), "read");
        n = 0; // a reset reads as a hang-up
    }
    rec.record(EventKind::IoRead, m_self, fdActor, n, {}, IomuxSnippet::kRecv);
    if (n > 0) {
        // Bytes the client left unread behind it (a partial read): the echo goes to nobody.
        // MSG_NOSIGNAL: EPIPE instead of SIGPIPE, as CPython (which ignores SIGPIPE) sees it.
        ssize_t w = 0;
        do {
            w = ::send(fd, m_buffer.data(), static_cast<std::size_t>(n), MSG_NOSIGNAL);
        } while (w < 0 && errno == EINTR);
        if (w >= 0) {
            rec.record(EventKind::IoWrite, m_self, fdActor, w, {}, IomuxSnippet::kSend);
            return false;
        }
        if (errno != EPIPE && errno != ECONNRESET) throw std::system_error(errno, std::generic_category(), "send(echo)");
        rec.recordText(EventKind::Mark, m_self,
                       "BrokenPipeError: the client of fd " + std::to_string(fd) + " left before its echo", fdActor, n,
                       IomuxSnippet::kBrokenPipe);
    }
    rec.record(EventKind::LineReached, m_self, {}, 0, {}, IomuxSnippet::kUnregister);
    mux.remove(fd);
    m_board.markClosed(index, m_self, IomuxSnippet::kClose);
    m_ctx.closeFd(fd);
    return true;
}

std::int64_t EchoServer::serve(int fd)
{
    const int index = boardIndex(fd);
    const ActorId fdActor = m_board.actor(index);
    auto& rec = m_ctx.recorder();
    m_ctx.gate().pass(m_self);

    // partial_read: one small read, then back to the loop. Edge-triggered: read until EAGAIN, as
    // epoll(7) requires. Level-triggered: one read, like recv(4096); anything left is reported again.
    const std::size_t chunk = readChunk();
    const bool drain = !m_config.partialRead && m_config.mux == MuxKind::EpollET;
    std::int64_t total = 0;
    for (;;) {
        const ssize_t n = ::read(fd, m_buffer.data(), chunk);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            throw std::system_error(errno, std::generic_category(), "read");
        }
        if (n == 0) break; // the client closed: nothing to echo
        rec.record(EventKind::IoRead, m_self, fdActor, n, {}, IomuxSnippet::kRecv);
        // Echo it back. A client reads its echo every round, so the socket buffer never fills.
        // Recorded before the write: the client may read the echo (and record that) the moment it lands.
        rec.record(EventKind::IoWrite, m_self, fdActor, n, {}, IomuxSnippet::kSend);
        // MSG_NOSIGNAL: a client that left early is the BrokenPipeError CPython's send() raises
        // (CPython ignores SIGPIPE), not a SIGPIPE that kills the whole app.
        bool broken = false;
        for (ssize_t off = 0; off < n;) {
            const ssize_t w = ::send(fd, m_buffer.data() + off, static_cast<std::size_t>(n - off), MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EINTR) continue;
                if (errno != EPIPE && errno != ECONNRESET)
                    throw std::system_error(errno, std::generic_category(), "send(echo)");
                rec.recordText(EventKind::Mark, m_self,
                               "BrokenPipeError: the client of fd " + std::to_string(fd) + " left before its echo",
                               fdActor, n, IomuxSnippet::kBrokenPipe);
                broken = true;
                break;
            }
            off += w;
        }
        if (broken) break;
        total += n;
        if (!drain) break;
    }
    int left = 0;
    if (::ioctl(fd, FIONREAD, &left) == 0 && left == 0) m_board.markIdle(index, m_self, IomuxSnippet::kRecv);
    return total;
}

} // namespace lockstep
