// The `gil` lesson against its oracle: tests/python/gil_measure.py measures the same quantities
// with the real CPython on this machine, and the engine's ratios must fall in the same bands.
// Only ratios from one run are compared; a band CPython itself misses (an overloaded machine) is
// not required of the engine, but the engine must then stay close to what CPython did.

#include "test_gil_support.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

using namespace lockstep;
using namespace lockstep::giltest;
using nlohmann::json;

namespace {

// The countdown is calibrated to CPython's pace in every build, sanitizers included, so the same
// count takes the same time everywhere; smaller counts would let fixed costs (fork under ASan)
// distort the ratios.
const std::string kCount = "5000000";
constexpr int kRounds = 20;

// The wall-time ratios are in units of work: each run's wall time divided by what one turn of
// count() cost in CPU time during that same run. This host's vCPUs change speed by 2x within a
// second (a neighbour on the physical core comes and goes), so plain wall times of runs made a
// second apart compare the core's speeds, not the programs (seen: CPython's processes/sequential
// 0.32, the engine's threads/sequential 1.45 with its sequential run in a fast moment).
struct Figures {
    double nsPerTurn = 0;
    double sequentialMs = 0;
    double sequentialCpuNsPerTurn = 0; // during the sequential run
    double threadsRatio = 0;
    double processesRatio = 0;
    double nogilRatio = -1; // engine only: CPython 3.11 has no free-threaded build
    std::map<double, double> switchesPerS; // by interval (ms)
    std::map<double, double> convoyMedianMs; // by interval (ms)
    double convoyAloneMs = 0;
};

std::string describe(const char* who, const Figures& f)
{
    std::ostringstream os;
    os << who << ": " << f.nsPerTurn << " ns/turn, sequential " << f.sequentialMs << " ms at "
       << f.sequentialCpuNsPerTurn << " CPU ns/turn; in units of work: threads/seq "
       << f.threadsRatio << ", processes/seq " << f.processesRatio;
    if (f.nogilRatio >= 0) os << ", nogil/seq " << f.nogilRatio;
    for (const auto& [i, s] : f.switchesPerS)
        os << ", " << s << " switches/s at " << i << " ms";
    for (const auto& [i, m] : f.convoyMedianMs)
        os << ", convoy median " << m << " ms at " << i << " ms";
    os << ", round trip alone " << f.convoyAloneMs << " ms";
    return os.str();
}

// nullopt when python3 cannot be run at all. `skip`: the parts of gil_measure.py not wanted now.
std::optional<json> runOracle(const std::string& skip)
{
    const std::string cmd = "python3 '" + std::string(LOCKSTEP_TEST_PYTHON_DIR) + "/gil_measure.py' --count " + kCount
        + " --switch-intervals 1,5 --convoy-intervals 1,5,20 --rounds " + std::to_string(kRounds)
        + " --baseline-rounds 10 --pin --skip " + skip + " 2>&1";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (pipe == nullptr) return std::nullopt;
    std::string out;
    char buf[4096];
    while (const std::size_t n = std::fread(buf, 1, sizeof buf, pipe))
        out.append(buf, n);
    const int status = ::pclose(pipe);
    if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) return std::nullopt;
    EXPECT_EQ(WEXITSTATUS(status), 0) << out;
    return json::parse(out, nullptr, false);
}

// CPython's pace on this machine: the median of a few countdowns, in the thread's CPU time (as
// gil_measure.py measures it), taken afresh for every attempt. The engine is run at that pace, so
// "a turn costs what it costs CPython" checks the paced loop here, not how this machine compares
// with the one the lesson's default pace was measured on (seen: 20 ns there, 26-30 ns on the CI
// machine). The median, not the fastest: the core runs at twice its usual speed now and then for
// a few hundred ms, and a pace taken then is not what the runs after it see.
// Empty when python3 cannot be run.
std::string measureCpythonPace()
{
    const char* cmd = "python3 -c 'import time, statistics\n"
                      "def count(n):\n"
                      "    while n > 0:\n"
                      "        n -= 1\n"
                      "samples = []\n"
                      "for _ in range(7):\n"
                      "    t0 = time.thread_time_ns(); count(1000000); samples.append(time.thread_time_ns() - t0)\n"
                      "print(round(statistics.median(samples) / 1000000, 2))' 2>/dev/null";
    FILE* pipe = ::popen(cmd, "r");
    if (pipe == nullptr) return std::string();
    char buf[64] = {};
    const std::size_t n = std::fread(buf, 1, sizeof buf - 1, pipe);
    const int status = ::pclose(pipe);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || n == 0) return std::string();
    const double ns = std::strtod(buf, nullptr);
    return ns >= 1 && ns <= 1000 ? std::to_string(ns) : std::string();
}

// The pace of the current attempt.
std::string g_pace;

const std::string& cpythonPace() { return g_pace; }

// An engine run of the gil lesson at CPython's pace here.
RunResult runPaced(const std::string& variant, std::map<std::string, std::string> params)
{
    if (!cpythonPace().empty()) params["ns_per_turn"] = cpythonPace();
    return runGil(variant, std::move(params));
}

// Each part is measured in rounds, CPython and the engine alternating (which one goes first
// alternates too), and every figure is the median over the rounds: load that comes and goes on a
// shared machine then falls on both sides alike instead of on whichever ran at the wrong moment.
// What the machine offered during one measurement, from probes taken between its parts.
enum class Conditions { Quiet, Busy };

const char* conditionsName(Conditions c) { return c == Conditions::Quiet ? "quiet" : "busy"; }

constexpr int kMeasureRounds = 3;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// The figure-by-figure median of several rounds.
Figures medianOf(const std::vector<Figures>& rounds)
{
    auto pick = [&](auto get) {
        std::vector<double> v;
        for (const Figures& f : rounds) v.push_back(get(f));
        return median(v);
    };
    Figures m;
    m.nsPerTurn = pick([](const Figures& f) { return f.nsPerTurn; });
    m.sequentialMs = pick([](const Figures& f) { return f.sequentialMs; });
    m.sequentialCpuNsPerTurn = pick([](const Figures& f) { return f.sequentialCpuNsPerTurn; });
    m.threadsRatio = pick([](const Figures& f) { return f.threadsRatio; });
    m.processesRatio = pick([](const Figures& f) { return f.processesRatio; });
    m.nogilRatio = pick([](const Figures& f) { return f.nogilRatio; });
    m.convoyAloneMs = pick([](const Figures& f) { return f.convoyAloneMs; });
    for (const auto& [interval, unused] : rounds.front().switchesPerS)
        m.switchesPerS[interval] = pick([&, i = interval](const Figures& f) { return f.switchesPerS.at(i); });
    // The convoy's noise is one-sided: when the CPU-bound thread's vCPU is slow to wake (idle
    // cores of a virtual machine are descheduled by the host), it has not taken the GIL back by
    // the client's next request, and a whole run shows no convoy -- measured here in about a third
    // of the runs, CPython's as often as the engine's, also pinned on a quiet machine. Nothing makes
    // a convoy appear that is not there, so the round that showed the most of it stands for the
    // undisturbed value (the bands still bound it from above).
    for (const auto& [interval, unused] : rounds.front().convoyMedianMs) {
        double most = 0;
        for (const Figures& f : rounds)
            most = std::max(most, f.convoyMedianMs.at(interval));
        m.convoyMedianMs[interval] = most;
    }
    return m;
}

struct Measurement {
    Figures py;
    Figures en;
    bool pythonAvailable = true;
    std::vector<MachineProbe> probes;

    // Quiet: two free cores at every probe, so CPython's bands must hold for the engine too.
    // Otherwise the engine is only compared with CPython, measured alternately with it.
    [[nodiscard]] Conditions conditions() const
    {
        double lo = 2;
        for (const auto& p : probes) lo = std::min(lo, p.parallelism);
        return lo >= 1.7 ? Conditions::Quiet : Conditions::Busy;
    }
};

// One part of gil_measure.py in CPython, parsed into `py`; false when python3 printed no JSON.
bool oracleWalls(Figures& py, bool& available)
{
    const auto walls = runOracle("switches,convoy");
    available = walls.has_value();
    if (!walls || walls->is_discarded()) return false;
    py.nsPerTurn = walls->at("ns_per_turn").get<double>();
    py.sequentialMs = walls->at("sequential_ms").get<double>();
    py.sequentialCpuNsPerTurn = walls->at("sequential_cpu_ns_per_turn").get<double>();
    const double seqWork = py.sequentialMs / py.sequentialCpuNsPerTurn;
    py.threadsRatio = walls->at("threads_ms").get<double>() / walls->at("threads_cpu_ns_per_turn").get<double>() / seqWork;
    py.processesRatio
        = walls->at("processes_ms").get<double>() / walls->at("processes_cpu_ns_per_turn").get<double>() / seqWork;
    return true;
}

void engineWalls(Figures& en)
{
    const RunResult seq = runPaced("cpu-sequential", { { "count", kCount } });
    en.sequentialMs = wallMs(seq);
    en.sequentialCpuNsPerTurn = seq.summary.at("cpu_ns_per_turn").get<double>();
    en.nsPerTurn = seq.summary.at("ns_per_turn").at("calibrated").get<double>();
    const double seqWork = workMs(seq);
    en.threadsRatio = workMs(runPaced("cpu-threads", { { "count", kCount }, { "threads", "2" } })) / seqWork;
    en.processesRatio = workMs(runPaced("cpu-processes", { { "count", kCount }, { "processes", "2" } })) / seqWork;
    en.nogilRatio = workMs(runPaced("cpu-nogil", { { "count", kCount }, { "threads", "2" } })) / seqWork;
}

bool oracleSwitches(Figures& py)
{
    const auto switches = runOracle("walls,convoy");
    if (!switches || switches->is_discarded()) return false;
    for (const json& s : switches->at("switches"))
        py.switchesPerS[s.at("interval_ms").get<double>()] = s.at("switches_per_s").get<double>();
    return true;
}

void engineSwitches(Figures& en)
{
    for (const double interval : { 1.0, 5.0 }) {
        const RunResult thr = runPaced("cpu-threads",
            { { "count", kCount }, { "threads", "2" }, { "switch_interval_ms", std::to_string(interval) } });
        en.switchesPerS[interval] = thr.summary.at("gil_switches_per_s").get<double>();
    }
}

bool oracleConvoy(Figures& py)
{
    const auto convoy = runOracle("walls,switches");
    if (!convoy || convoy->is_discarded()) return false;
    for (const json& c : convoy->at("convoy")) {
        py.convoyMedianMs[c.at("interval_ms").get<double>()] = c.at("io_latency_ms").at("median").get<double>();
        py.convoyAloneMs = std::max(py.convoyAloneMs, c.at("io_latency_alone_ms").at("median").get<double>());
    }
    return true;
}

void engineConvoy(Figures& en)
{
    for (const double interval : { 1.0, 5.0, 20.0 }) {
        const RunResult c = runPaced("convoy",
            { { "rounds", std::to_string(kRounds) }, { "baseline_rounds", "10" }, { "pin_cores", "true" },
                { "switch_interval_ms", std::to_string(interval) } });
        en.convoyMedianMs[interval] = convoyMedianMs(c);
        en.convoyAloneMs = std::max(en.convoyAloneMs, c.summary.at("io_latency_alone_ms").at("median").get<double>());
    }
}

Measurement measure()
{
    Measurement m;
    std::vector<Figures> py(kMeasureRounds), en(kMeasureRounds);
    auto probe = [&] { m.probes.push_back(MachineProbe::measure()); };
    // Runs one part for every round, alternating which side goes first; false if CPython failed.
    auto part = [&](auto&& oracle, auto&& engine) {
        for (int r = 0; r < kMeasureRounds; ++r) {
            probe();
            const bool pythonFirst = r % 2 == 0;
            if (!pythonFirst) engine(en[static_cast<std::size_t>(r)]);
            if (!oracle(py[static_cast<std::size_t>(r)])) return false;
            if (pythonFirst) engine(en[static_cast<std::size_t>(r)]);
        }
        return true;
    };
    const bool walls = part(
        [&](Figures& f) {
            const bool ok = oracleWalls(f, m.pythonAvailable);
            EXPECT_TRUE(!m.pythonAvailable || ok) << "gil_measure.py printed no JSON";
            return ok;
        },
        engineWalls);
    if (!walls || !part(oracleSwitches, engineSwitches) || !part(oracleConvoy, engineConvoy)) return m;
    probe();
    m.py = medianOf(py);
    m.en = medianOf(en);
    return m;
}

// Collects the failed checks of one comparison.
class Verdict {
public:
    void check(bool ok, const std::string& what)
    {
        if (!ok) m_failures += "  " + what + "\n";
    }
    [[nodiscard]] bool ok() const { return m_failures.empty(); }
    [[nodiscard]] const std::string& failures() const { return m_failures; }

private:
    std::string m_failures;
};

Verdict compare(const Figures& py, const Figures& en, Conditions conditions)
{
    const bool bands = conditions == Conditions::Quiet;
    Verdict v;
    auto threadsBand = [](double r) { return r >= 0.85 && r <= 1.4; };
    auto parallelBand = [](double r) { return r <= 0.75; };
    auto switchBand = [](double perS, double intervalMs) {
        const double expected = 1000.0 / intervalMs;
        return perS >= expected / 2 && perS <= expected * 2;
    };
    auto convoyBand
        = [](double median, double intervalMs) { return median >= 0.3 * intervalMs && median <= 3 * intervalMs; };

    // On a busy machine wall-time ratios follow the load of the moment, not the program: only the
    // switch rates (both set by the same scheduler) are compared then.
    if (bands) {
        // The pace: a turn of count(n) costs about what it costs CPython, both measured in the
        // sequential runs made back to back (not under sanitizers, where the engine's empty loop
        // alone may be slower than CPython).
        const double pace = en.sequentialCpuNsPerTurn / py.sequentialCpuNsPerTurn;
        if (!kSanitized)
            v.check(pace > 0.5 && pace < 2.0, "a turn of count(n) should cost about what it costs CPython");
        if (threadsBand(py.threadsRatio))
            v.check(threadsBand(en.threadsRatio), "threads/sequential out of [0.85, 1.4]");
        v.check(std::abs(en.threadsRatio - py.threadsRatio) <= 0.4, "threads/sequential far from CPython's");
        // CPython's processes sometimes beat half the sequential time here (a forked multiprocessing
        // child counts faster than the parent): the band, not CPython's exact ratio, is the yardstick.
        if (parallelBand(py.processesRatio)) {
            v.check(parallelBand(en.processesRatio), "processes/sequential above 0.75");
            v.check(parallelBand(en.nogilRatio), "nogil/sequential above 0.75");
        } else {
            v.check(en.processesRatio <= py.processesRatio + 0.3, "processes far slower than CPython's");
            v.check(en.nogilRatio <= py.processesRatio + 0.3, "nogil threads far slower than CPython's processes");
        }
    }

    for (const auto& [interval, perS] : py.switchesPerS) {
        const double mine = en.switchesPerS.at(interval);
        if (bands && switchBand(perS, interval))
            v.check(switchBand(mine, interval), "switches/s at " + std::to_string(interval) + " ms out of band");
        v.check(mine / perS >= 0.4 && mine / perS <= 2.5,
            "switches/s at " + std::to_string(interval) + " ms far from CPython's");
    }

    // Without free cores the CPU-bound thread rarely runs when the client blocks: no convoy forms,
    // in CPython either. Only a quiet machine shows it.
    bool pyConvoy = bands;
    for (const auto& [interval, median] : py.convoyMedianMs) {
        if (!bands) break;
        if (!convoyBand(median, interval)) {
            pyConvoy = false;
            continue;
        }
        v.check(convoyBand(en.convoyMedianMs.at(interval), interval),
            "convoy median at " + std::to_string(interval) + " ms out of [0.3, 3] intervals");
    }
    if (pyConvoy && py.convoyMedianMs.at(20.0) > py.convoyMedianMs.at(1.0))
        v.check(en.convoyMedianMs.at(20.0) > en.convoyMedianMs.at(5.0)
                && en.convoyMedianMs.at(5.0) > en.convoyMedianMs.at(1.0),
            "convoy latency should grow with the switch interval");
    v.check(en.convoyAloneMs < 1.0, "a round trip alone should take well under a millisecond");
    return v;
}

} // namespace

TEST(GilOracle, EngineRatiosFallInTheBandsCPythonShowsHere)
{
    GIL_SKIP_UNDER_SANITIZERS();
    std::ostringstream log;
    bool ok = false;
    bool judged = false;
    // A shared machine can disturb a measurement: a few tries, each comparing CPython with the
    // engine part by part, alternately, under the same conditions.
    // The convoy's rounds count over every attempt made: a run without a convoy is the machine's
    // doing (see medianOf), so each side's most-convoyed round so far stands for it.
    std::map<double, double> pyConvoy;
    std::map<double, double> enConvoy;
    for (int attempt = 0; attempt < 3 && !ok; ++attempt) {
        g_pace = measureCpythonPace();
        Measurement m = measure();
        if (!m.pythonAvailable) GTEST_SKIP() << "python3 is not available";
        if (::testing::Test::HasFailure()) return;
        for (auto& [interval, ms] : m.py.convoyMedianMs)
            ms = pyConvoy[interval] = std::max(pyConvoy[interval], ms);
        for (auto& [interval, ms] : m.en.convoyMedianMs)
            ms = enConvoy[interval] = std::max(enConvoy[interval], ms);
        const Conditions conditions = m.conditions();
        log << "attempt " << attempt << " (machine " << conditionsName(conditions) << ":";
        for (const auto& p : m.probes)
            log << " " << std::round(p.parallelism * 100) / 100;
        log << " cores; engine paced at CPython's "
            << (cpythonPace().empty() ? std::string("default") : cpythonPace() + " ns/turn") << ")\n  " << describe("CPython", m.py) << "\n  " << describe("engine", m.en) << "\n";
        judged = true;
        const Verdict verdict = compare(m.py, m.en, conditions);
        log << verdict.failures();
        ok = verdict.ok();
    }
    if (!judged) GTEST_SKIP() << "no measurement could be made\n" << log.str();
    EXPECT_TRUE(ok) << log.str();
    std::printf("%s", log.str().c_str());
}
