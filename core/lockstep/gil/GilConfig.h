#pragma once

#include "lockstep/lesson/ConfigReader.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace lockstep {

// The gil engine's variant config, checked. `mode` is required; the other keys depend on it:
//   common      switch_interval_ms (sys.setswitchinterval, 0.1..100, default 5), ns_per_turn
//               (what one turn of `while n > 0: n -= 1` costs, 0 = CPython's default pace)
//   sequential  count                     threads / nogil  count, threads
//   processes   count, processes          io      threads, rounds, io_ms, work
//   convoy      rounds, baseline_rounds
struct GilConfig {
    enum class Mode { Sequential, Threads, NoGil, Processes, Io, Convoy };

    // CPython 3.11 on the reference machine: `while n > 0: n -= 1` costs about this much per turn
    // (tests/python/gil_measure.py measures it; the lesson's ns_per_turn parameter overrides it).
    static constexpr double kDefaultNsPerTurn = 20.0;

    Mode mode = Mode::Sequential;
    std::string modeName;
    std::int64_t count = 20'000'000;
    int threads = 2;
    int processes = 2;
    double switchIntervalMs = 5.0;
    double nsPerTurn = kDefaultNsPerTurn;
    int rounds = 40;
    double ioMs = 20.0;
    std::int64_t work = 20'000;
    int baselineRounds = 20;
    // convoy: the CPU-bound thread and the client on two different cores (os.sched_setaffinity),
    // so that the OS scheduler cannot park the CPU-bound thread behind the client for a while.
    bool pinCores = false;

    // Throws InputError located with `where`.
    static GilConfig parse(const nlohmann::json& config, const ConfigReader::Where& where);
};

} // namespace lockstep
