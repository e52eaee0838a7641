#pragma once

#include "lockstep/trace/Trace.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lockstep::ui {

// The servers lesson at the cursor, folded from its Counters: each server lane ("server (epoll)")
// with the threads, processes and connections it holds now and at most, its peak memory, and the latencies of the
// requests its clients completed while it ran (the clients' "latency_us" Counters).
class ServersModel {
public:
    struct Server {
        ActorId id;
        std::string design; // "epoll", ... (from the lane's name)
        int threads = 0, processes = 0, fds = 0;
        int maxThreads = 0, maxProcesses = 0, maxFds = 0;
        std::int64_t peakRssKb = 0; // the process and its children's private pages, at most so far
        std::int64_t startRssKb = -1; // when the server started: the peak less this is what serving held
        std::vector<std::int64_t> latencyUs; // in completion order
        std::int64_t firstTs = -1, lastTs = -1; // of the requests completed
    };

    void reset(const Trace&) { }
    void apply(const Trace& trace, const Event& e);

    [[nodiscard]] const std::vector<Server>& servers() const { return m_servers; }
    // q-quantile (0..1) of a server's latencies so far, in ms; 0 without any.
    [[nodiscard]] static double percentileMs(const Server& s, double q);

private:
    Server* server(const Trace& trace, ActorId id);
    std::vector<Server> m_servers;
};

} // namespace lockstep::ui
