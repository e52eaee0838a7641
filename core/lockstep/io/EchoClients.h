#pragma once

#include "lockstep/io/EchoPoint.h"
#include "lockstep/io/IomuxConfig.h"
#include "lockstep/trace/Ids.h"

#include <cstdint>
#include <functional>
#include <random>
#include <vector>

namespace lockstep {

class ConnectionSet;
class FdBoard;
class RoundChannel;
class RunContext;

// One client driver thread playing every client (not one thread per connection): each round the
// `active` clients (chosen from the run's seed, spread over the whole set) write one message each,
// the round is posted to the server, and the clients read their echoes back. A client whose echo is still
// incomplete when the server has gone idle (or after client_timeout_ms) has stalled: it is counted,
// recorded, and gives up its connection for the rest of the run.
class EchoClients {
public:
    EchoClients(RunContext& ctx, const IomuxConfig& config, const ConnectionSet& connections, FdBoard& board,
                RoundChannel& channel, std::vector<EchoPoint>& points, std::uint64_t seed);

    // Body of the "clients" engine thread. `server` gives the server thread's actor (for state targets).
    void run(const std::function<ActorId()>& server);

    // Server fds of the connections that stalled, in the order they did.
    [[nodiscard]] const std::vector<int>& stalledFds() const { return m_stalledFds; }

private:
    void runPoint(EchoPoint& point, int pointIndex, const std::function<ActorId()>& server);
    void fillMessage(int round, int index);
    // Reads one client's echo; returns the bytes received. Sets `serverDone` once the server's
    // round-done signal was seen.
    int readEcho(int index, bool& serverDone);
    void awaitServerDone(ActorId server);
    // hang_up(): every client closes its end; the server is told with a hang-up ticket.
    void hangUp(int lastPoint);

    RunContext& m_ctx;
    const IomuxConfig& m_config;
    const ConnectionSet& m_connections;
    FdBoard& m_board;
    RoundChannel& m_channel;
    std::vector<EchoPoint>& m_points;
    std::mt19937_64 m_rng;
    ActorId m_self;
    std::vector<char> m_dead;          // by connection: gave up after a stall
    std::vector<int> m_stalledFds;
    std::vector<char> m_message;
    std::vector<char> m_echo;
};

} // namespace lockstep
