#include "lockstep/io/IomuxConfig.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/ConfigReader.h"
#include "lockstep/lesson/Lesson.h"

#include <algorithm>
#include <cstdint>

namespace lockstep {

int IomuxConfig::maxPoint() const
{
    return points.empty() ? 0 : *std::max_element(points.begin(), points.end());
}

IomuxConfig IomuxConfig::parse(const nlohmann::json& config,
                               const std::function<std::string(const std::string&)>& where)
{
    const ConfigReader r(where, config);
    r.allowOnly({"mux", "fds", "active", "rounds", "warmup", "sweep", "message_bytes", "partial_read", "read_chunk",
                 "idle_timeout_ms", "client_timeout_ms", "rotate_active"});

    IomuxConfig c;
    const std::string allowedMux = " (allowed: " + std::string(muxKindNames()) + ")";
    if (!r.has("mux")) r.fail("mux", "required key is missing" + allowedMux);
    const std::string mux = r.string("mux", {});
    const auto kind = muxKindFromName(mux);
    if (!kind) r.fail("mux", "unknown multiplexer '" + mux + "'" + allowedMux);
    c.mux = *kind;

    c.fds = static_cast<int>(r.requiredInteger("fds", 1, Limits::kMaxFds));
    c.active = r.integer("active", c.active, 1, Limits::kMaxFds);
    c.rounds = r.integer("rounds", c.rounds, 1, 1'000'000);
    c.warmup = r.integer("warmup", c.warmup, 0, 1'000'000);
    // [] and [0] both mean no sweep (a parameter's empty list may arrive as either).
    const nlohmann::json* sweep = r.find("sweep");
    const bool noSweep = sweep != nullptr && sweep->is_array() && sweep->size() == 1 && (*sweep)[0].is_number_integer() &&
                         (*sweep)[0].get<std::int64_t>() == 0;
    if (!noSweep) c.sweep = r.intList("sweep", 1, Limits::kMaxFds);
    c.messageBytes = r.integer("message_bytes", c.messageBytes, 1, 4096);
    c.partialRead = r.boolean("partial_read", c.partialRead);
    c.readChunk = r.integer("read_chunk", c.readChunk, 1, 4096);
    c.idleTimeoutMs = r.integer("idle_timeout_ms", c.idleTimeoutMs, 1, 10'000);
    c.clientTimeoutMs = r.integer("client_timeout_ms", c.clientTimeoutMs, 1, 60'000);
    c.rotateActive = r.boolean("rotate_active", c.rotateActive);

    if (c.partialRead && c.readChunk >= c.messageBytes) {
        r.fail("read_chunk", std::to_string(c.readChunk) + " bytes would read the whole " +
                                 std::to_string(c.messageBytes) + "-byte message: not a partial read (allowed: 1.." +
                                 std::to_string(c.messageBytes - 1) + ", less than message_bytes)");
    }

    if (c.sweep.empty()) {
        if (c.mux == MuxKind::Select && c.fds > kSelectMaxConnections) {
            r.fail("fds", std::to_string(c.fds) +
                              " connections are more than select can watch: filedescriptor out of range in select() "
                              "(select's fd_set only holds fds 0.." + std::to_string(1023) +
                              ", FD_SETSIZE = 1024, and the process's own fds come first; CPython raises ValueError "
                              "for such an fd; allowed for select: 1.." + std::to_string(kSelectMaxConnections) +
                              "; poll and epoll take up to " + std::to_string(Limits::kMaxFds) + ")");
        }
        c.points.push_back(c.fds);
    } else {
        for (const int n : c.sweep) {
            if (c.mux == MuxKind::Select && n > kSelectMaxConnections) c.skipped.push_back(n);
            else c.points.push_back(n);
        }
        if (c.points.empty()) {
            r.fail("sweep", "every point is above the " + std::to_string(kSelectMaxConnections) +
                                " connections select can watch (filedescriptor out of range in select()); allowed "
                                "for select: points 1.." + std::to_string(kSelectMaxConnections));
        }
    }
    return c;
}

} // namespace lockstep
