#pragma once

#include "lockstep/io/MuxKind.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace lockstep {

// The iomux engine's variant config, checked. Every key but `mux` and `fds` is optional:
//   mux               select | poll | epoll-lt | epoll-et
//   fds               connections the server watches (1..16000; select: 1..1000)
//   active            clients that write each round (default 10; at most the connections watched)
//   rounds            measured rounds per point (default 100)      warmup  rounds before them (default 10)
//   sweep             connection counts to run one after the other ([] or [0]: just `fds`)
//   message_bytes     bytes each active client writes per round (default 8)
//   partial_read      the server reads only read_chunk bytes per readiness report (default false)
//   read_chunk        bytes per read with partial_read (default 1, less than message_bytes)
//   idle_timeout_ms   how long the server's wait may find nothing before the round is over (default 50)
//   client_timeout_ms how long a client waits for its echo at most (default 2000)
//   rotate_active     pick new active clients every round instead of keeping the same ones (default
//                     false); their sockets are then cold in the CPU caches, which makes every ready
//                     fd cost more, for epoll too
struct IomuxConfig {
    // select's fd_set holds fds 0..1023; the process's own fds take a few, so about 1000 connections.
    static constexpr int kSelectMaxConnections = 1000;

    MuxKind mux = MuxKind::Select;
    int fds = 100;
    int active = 10;
    int rounds = 100;
    int warmup = 10;
    std::vector<int> sweep;
    int messageBytes = 8;
    bool partialRead = false;
    int readChunk = 1;
    int idleTimeoutMs = 50;
    int clientTimeoutMs = 2000;
    bool rotateActive = false;

    std::vector<int> points;    // connection counts to run, in order
    std::vector<int> skipped;   // sweep points select cannot watch

    [[nodiscard]] int maxPoint() const;
    [[nodiscard]] bool swept() const { return !sweep.empty(); }

    // `where(pointer)` gives "file:line:column" of a key of the config for messages. Throws InputError.
    static IomuxConfig parse(const nlohmann::json& config, const std::function<std::string(const std::string&)>& where);
};

} // namespace lockstep
