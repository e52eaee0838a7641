#pragma once
// The server designs of the course notes, raced on real loopback TCP with the same client load:
//
//   iterative             one thread: accept, serve that client until it closes, then the next
//   fork-per-client       os.fork() per connection; the child serves it, the parent reaps it
//   thread-per-client     a new thread per connection
//   thread-pool           `pool_size` threads take connections from a queue
//   threading-tcp-server  socketserver.ThreadingTCPServer: a selector loop (poll, 0.5 s interval)
//                         accepts, a thread per connection handles it
//   non-blocking          one thread, every socket non-blocking, polled in a loop
//   select, epoll         one thread, an event loop on select() / epoll_wait()
//
// `clients` client threads each connect and make `requests` request/response exchanges (32 bytes
// each way; the server does `work_us` of CPU work per request). With `slow_client`, one more
// client connects first and sends its request a byte every 10 ms: head-of-line blocking for the
// iterative server. The engine measures each request's latency at the client and samples the
// server's threads, processes and open fds (Counter events on the "server" lane).

#include "lockstep/engine/RunContext.h"
#include "lockstep/lesson/ConfigReader.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lockstep {

enum class ServerDesign {
    Iterative,
    ForkPerClient,
    ThreadPerClient,
    ThreadPool,
    ThreadingTcpServer,
    NonBlocking,
    Select,
    Epoll,
};
[[nodiscard]] const char* serverDesignName(ServerDesign d);

struct ServersConfig {
    std::vector<ServerDesign> designs; // one, or all of them in turn (race)
    int clients = 8;
    int requests = 20;
    bool slowClient = false;
    int workUs = 200;
    int poolSize = 4;

    static ServersConfig parse(const nlohmann::json& config, const ConfigReader::Where& where);
};

class ServersProgram {
public:
    ServersProgram(RunContext& ctx, ServersConfig config);
    // Summary: one server's keys at the top level (requests, throughput_rps, latency_ms {p50,
    // p99}, max_threads, max_processes, max_fds, rss_kb), and `race` with every server's.
    void run(nlohmann::json& summary);

private:
    nlohmann::json runOne(ServerDesign design);

    RunContext& m_ctx;
    ServersConfig m_cfg;
};

} // namespace lockstep
