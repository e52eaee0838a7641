#include "lockstep/gil/GilConfig.h"

#include "lockstep/lesson/Lesson.h"

#include <vector>

namespace lockstep {

namespace {

struct ModeInfo {
    const char* name;
    GilConfig::Mode mode;
    std::vector<std::string> keys; // config keys the mode takes besides the common ones
};

const std::vector<ModeInfo>& modes()
{
    using Mode = GilConfig::Mode;
    static const std::vector<ModeInfo> table = {
        { "sequential", Mode::Sequential, { "count" } },
        { "threads", Mode::Threads, { "count", "threads" } },
        { "nogil", Mode::NoGil, { "count", "threads" } },
        { "processes", Mode::Processes, { "count", "processes" } },
        { "io", Mode::Io, { "threads", "rounds", "io_ms", "work" } },
        { "convoy", Mode::Convoy, { "rounds", "baseline_rounds", "pin_cores" } },
    };
    return table;
}

} // namespace

GilConfig GilConfig::parse(const nlohmann::json& config, const ConfigReader::Where& where)
{
    const ConfigReader r(where, config);
    std::vector<std::string> names;
    for (const auto& m : modes())
        names.emplace_back(m.name);
    const ModeInfo& info = modes()[static_cast<std::size_t>(r.choice("mode", names))];

    GilConfig c;
    c.mode = info.mode;
    c.modeName = info.name;
    std::vector<std::string> allowed = { "mode", "switch_interval_ms", "ns_per_turn" };
    allowed.insert(allowed.end(), info.keys.begin(), info.keys.end());
    r.allowOnly(allowed, "for mode '" + c.modeName + "'");

    c.switchIntervalMs = r.number("switch_interval_ms", c.switchIntervalMs, 0.1, 100.0);
    c.nsPerTurn = r.number("ns_per_turn", c.nsPerTurn, 0.0, 1000.0);
    if (c.nsPerTurn == 0.0) c.nsPerTurn = kDefaultNsPerTurn;
    c.count = r.integer("count", c.count, std::int64_t { 1 }, std::int64_t { 1'000'000'000 });
    c.threads = r.integer("threads", c.threads, 1, Limits::kMaxThreads);
    c.processes = r.integer("processes", c.processes, 1, Limits::kMaxProcesses);
    c.rounds = r.integer("rounds", c.rounds, 1, 100'000);
    c.ioMs = r.number("io_ms", c.ioMs, 0.0, 10'000.0);
    c.work = r.integer("work", c.work, std::int64_t { 0 }, std::int64_t { 1'000'000'000 });
    c.baselineRounds = r.integer("baseline_rounds", c.baselineRounds, 0, 100'000);
    c.pinCores = r.boolean("pin_cores", c.pinCores);
    return c;
}

} // namespace lockstep
