#pragma once

#include "lockstep/io/EchoPoint.h"
#include "lockstep/io/IomuxConfig.h"
#include "lockstep/trace/Ids.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace lockstep {

class ConnectionSet;
class FdBoard;
class Multiplexer;
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

private:
    void runPoint(EchoPoint& point, int pointIndex, ActorId clients);
    // Reads from one ready fd as configured and echoes it; returns the bytes echoed.
    std::int64_t serve(int fd);

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
};

} // namespace lockstep
