#include "lockstep/io/IomuxConfig.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/Lesson.h"

#include <algorithm>
#include <cstdint>

namespace lockstep {

namespace {

class ConfigReader {
public:
    ConfigReader(const nlohmann::json& config, const std::function<std::string(const std::string&)>& where)
        : m_config(config), m_where(where)
    {
    }

    [[noreturn]] void fail(const std::string& key, const std::string& what) const
    {
        throw InputError(m_where("/" + key) + ": " + key + ": " + what);
    }

    [[nodiscard]] const nlohmann::json* find(const std::string& key) const
    {
        const auto it = m_config.find(key);
        return it == m_config.end() ? nullptr : &*it;
    }

    int integer(const std::string& key, int fallback, int lo, int hi, bool required = false) const
    {
        const nlohmann::json* v = find(key);
        const std::string allowed = " (allowed: an integer " + std::to_string(lo) + ".." + std::to_string(hi) + ")";
        if (!v) {
            if (required) fail(key, "required key is missing" + allowed);
            return fallback;
        }
        if (!v->is_number_integer()) fail(key, "wrong type: found " + v->dump() + allowed);
        const auto x = v->get<std::int64_t>();
        if (x < lo || x > hi) fail(key, std::to_string(x) + " is out of range" + allowed);
        return static_cast<int>(x);
    }

    bool boolean(const std::string& key, bool fallback) const
    {
        const nlohmann::json* v = find(key);
        if (!v) return fallback;
        if (!v->is_boolean()) fail(key, "wrong type: found " + v->dump() + " (allowed: true, false)");
        return v->get<bool>();
    }

    std::vector<int> intList(const std::string& key, int lo, int hi) const
    {
        const nlohmann::json* v = find(key);
        std::vector<int> out;
        if (!v) return out;
        const std::string allowed = " (allowed: a list of integers " + std::to_string(lo) + ".." + std::to_string(hi) +
                                    " such as [100, 1000, 4000], or [] / [0] for no sweep)";
        if (!v->is_array()) fail(key, "wrong type: found " + v->dump() + allowed);
        if (v->size() > static_cast<std::size_t>(Limits::kMaxListLength))
            fail(key, std::to_string(v->size()) + " points" + allowed);
        if (v->size() == 1 && (*v)[0].is_number_integer() && (*v)[0].get<std::int64_t>() == 0) return out;
        for (std::size_t i = 0; i < v->size(); ++i) {
            const auto& e = (*v)[i];
            if (!e.is_number_integer()) fail(key, "element " + std::to_string(i) + ": found " + e.dump() + allowed);
            const auto x = e.get<std::int64_t>();
            if (x < lo || x > hi)
                fail(key, "element " + std::to_string(i) + ": " + std::to_string(x) + " is out of range" + allowed);
            out.push_back(static_cast<int>(x));
        }
        return out;
    }

private:
    const nlohmann::json& m_config;
    const std::function<std::string(const std::string&)>& m_where;
};

} // namespace

int IomuxConfig::maxPoint() const
{
    return points.empty() ? 0 : *std::max_element(points.begin(), points.end());
}

IomuxConfig IomuxConfig::parse(const nlohmann::json& config,
                               const std::function<std::string(const std::string&)>& where)
{
    static constexpr const char* kKeys[] = {"mux",          "fds",           "active",        "rounds",
                                            "warmup",       "sweep",         "message_bytes", "partial_read",
                                            "read_chunk",   "idle_timeout_ms", "client_timeout_ms", "rotate_active"};
    if (!config.is_object()) throw InputError(where("") + ": config: must be an object (allowed: an object)");
    ConfigReader r(config, where);
    for (const auto& [key, value] : config.items()) {
        if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys)) {
            std::string allowed;
            for (const char* k : kKeys) allowed += (allowed.empty() ? "" : ", ") + std::string(k);
            r.fail(key, "unknown key (allowed: " + allowed + ")");
        }
    }

    IomuxConfig c;
    const nlohmann::json* mux = r.find("mux");
    if (!mux) r.fail("mux", "required key is missing (allowed: " + std::string(muxKindNames()) + ")");
    if (!mux->is_string()) r.fail("mux", "wrong type: found " + mux->dump() + " (allowed: " + std::string(muxKindNames()) + ")");
    const auto kind = muxKindFromName(mux->get<std::string>());
    if (!kind) r.fail("mux", "unknown multiplexer '" + mux->get<std::string>() + "' (allowed: " + std::string(muxKindNames()) + ")");
    c.mux = *kind;

    c.fds = r.integer("fds", c.fds, 1, Limits::kMaxFds, true);
    c.active = r.integer("active", c.active, 1, Limits::kMaxFds);
    c.rounds = r.integer("rounds", c.rounds, 1, 1'000'000);
    c.warmup = r.integer("warmup", c.warmup, 0, 1'000'000);
    c.sweep = r.intList("sweep", 1, Limits::kMaxFds);
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
