#pragma once

#include "lockstep/io/EchoPoint.h"
#include "lockstep/io/IomuxConfig.h"
#include "lockstep/io/Multiplexer.h"
#include "lockstep/trace/Ids.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace lockstep {

class ConnectionSet;
class FdBoard;
class RoundChannel;
class RunContext;

// The event-driven echo server: one thread, one multiplexer per sweep point watching the first N
// server ends. Each round it waits, reads what the multiplexer reports ready and writes it back.
// It knows nothing about which clients wrote; only how many bytes the round carried (the
// benchmark's stop condition, as in libevent's), or that a wait found nothing before the idle timeout.
class EchoServer {
public:
    EchoServer(RunContext& ctx, const IomuxConfig& config, const ConnectionSet& connections, FdBoard& board,
               RoundChannel& channel, std::vector<EchoPoint>& points);

    // Body of the "server" engine thread; `clients` is the client driver's actor.
    void run(ActorId clients);
    // The server thread's actor once run() started (for the client driver's state targets).
    [[nodiscard]] ActorId actor() const { return ActorId(m_actor.load(std::memory_order_acquire)); }
    // Connections the server closed after their clients hung up, and watched ones it never heard
    // hang up (closed by the run instead). Read after the server thread has been joined.
    [[nodiscard]] int closedOnHangUp() const { return m_closed; }
    [[nodiscard]] int leftOpen() const { return m_leftOpen; }

private:
    void runPoint(EchoPoint& point, int pointIndex, ActorId clients);
    // One `events = sel.select(timeout=IDLE)`, recorded; the ready fds land in m_ready.
    MuxWaitResult waitOnce(Multiplexer& mux, ActorId muxActor);
    // Reads from one ready fd as configured and echoes it; returns the bytes echoed.
    std::int64_t serve(int fd);
    // After the hang-up ticket: waits until every watched fd has reported its hang-up and been
    // unregistered and closed (or a wait finds nothing more). Returns the fds closed.
    int closeHungUp(Multiplexer& mux, ActorId muxActor, ActorId clients);
    [[nodiscard]] int boardIndex(int fd) const; // throws if the fd is none of the server ends
    [[nodiscard]] std::size_t readChunk() const;
    // One ready fd after the clients left: b'' (or a broken pipe) -> unregister and close.
    // Returns true if the fd was closed.
    bool serveHungUp(Multiplexer& mux, int fd);

    RunContext& m_ctx;
    const IomuxConfig& m_config;
    const ConnectionSet& m_connections;
    FdBoard& m_board;
    RoundChannel& m_channel;
    std::vector<EchoPoint>& m_points;
    std::atomic<std::uint32_t> m_actor{ActorId::kInvalid};
    ActorId m_self;
    std::vector<char> m_buffer;
    std::vector<int> m_ready;
    int m_closed = 0;
    int m_leftOpen = 0;
};

} // namespace lockstep
