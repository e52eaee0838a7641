// Integration tests of the `gil` lesson: every variant through the runner, checked against the
// rules of issue 4 (ratios from one run, never absolute times).

#include "test_gil_support.h"

#include "../core/CpuHogs.h"
#include "../core/LeakProbe.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/runner/Scenario.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

using namespace lockstep;
using namespace lockstep::giltest;
using nlohmann::json;

namespace {

// The countdown is calibrated to CPython's pace in every build, sanitizers included, so the same
// count takes the same time everywhere; smaller counts would let fixed costs (fork under ASan)
// distort the ratios.
const std::string kCount = "5000000";

// CPython's convoy (tests/python/gil_measure.py, both threads pinned as the engine pins them):
// per interval, the medians of `runs` runs; empty when python3 cannot be run.
std::map<double, std::vector<double>> cpythonConvoyMediansMs(int runs)
{
    std::map<double, std::vector<double>> most;
    for (int i = 0; i < runs; ++i) {
        const std::string cmd = "python3 '" + std::string(LOCKSTEP_TEST_PYTHON_DIR)
            + "/gil_measure.py' --convoy-intervals 1,5,20 --rounds 20 --baseline-rounds 10 --pin --skip walls,switches"
              " 2>/dev/null";
        FILE* pipe = ::popen(cmd.c_str(), "r");
        if (pipe == nullptr) return {};
        std::string out;
        char buf[4096];
        while (const std::size_t n = std::fread(buf, 1, sizeof buf, pipe))
            out.append(buf, n);
        const int status = ::pclose(pipe);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
        const json j = json::parse(out, nullptr, false);
        if (j.is_discarded() || !j.contains("convoy")) return {};
        for (const json& c : j.at("convoy")) {
            const double interval = c.at("interval_ms").get<double>();
            most[interval].push_back(c.at("io_latency_ms").at("median").get<double>());
        }
    }
    return most;
}

std::vector<StateSpan> spansOf(const Trace& trace, ActorId id)
{
    std::vector<StateSpan> out;
    for (std::size_t i = 0; i < trace.spans(id).size(); ++i)
        out.push_back(trace.spans(id)[i]);
    return out;
}

// [start, end) intervals an actor spent in `state`.
std::vector<std::pair<std::int64_t, std::int64_t>> intervalsIn(const Trace& trace, ActorId id, State state)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    const auto& spans = trace.spans(id);
    for (std::size_t i = 0; i < spans.size(); ++i)
        if (spans[i].state == state) out.emplace_back(spans[i].start, trace.spanEnd(id, i));
    return out;
}

// The intervals a Python thread ran Python code: Running, except the thread's start-up (the OS
// thread is running C code then, before its first take of the GIL).
std::vector<std::pair<std::int64_t, std::int64_t>> pythonRunning(const Trace& trace, ActorId id)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    const auto& spans = trace.spans(id);
    for (std::size_t i = 1; i < spans.size(); ++i)
        if (spans[i].state == State::Running && spans[i - 1].state != State::New)
            out.emplace_back(spans[i].start, trace.spanEnd(id, i));
    return out;
}

std::int64_t overlapNs(const std::vector<std::pair<std::int64_t, std::int64_t>>& a,
    const std::vector<std::pair<std::int64_t, std::int64_t>>& b)
{
    std::int64_t total = 0;
    for (const auto& [s1, e1] : a)
        for (const auto& [s2, e2] : b)
            total += std::max<std::int64_t>(0, std::min(e1, e2) - std::max(s1, s2));
    return total;
}

int countEvents(const Trace& trace, EventKind kind)
{
    int n = 0;
    for (const Event& e : trace.events())
        n += e.kind == kind ? 1 : 0;
    return n;
}

} // namespace

TEST(GilLesson, EveryVariantCompletesWithItsSummaryKeys)
{
    const std::map<std::string, std::string> small = { { "count", "200000" }, { "rounds", "4" }, { "io_ms", "2" },
        { "work", "2000" }, { "baseline_rounds", "3" } };
    for (const Variant& v : gilLesson().variants) {
        const RunResult r = runGil(v.id, small);
        SCOPED_TRACE(v.id + ": " + r.summary.dump());
        ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
        const json& s = r.summary;
        for (const char* key :
            { "wall_ms", "switch_interval_ms", "gil_switches", "gil_switches_per_s", "actors", "machine_busy" })
            EXPECT_TRUE(s.contains(key)) << key;
        EXPECT_TRUE(s.at("machine_busy").is_boolean());
        EXPECT_TRUE(s.contains("threads") || s.contains("processes"));
        EXPECT_FALSE(s.contains("errors"));
        EXPECT_DOUBLE_EQ(s.at("switch_interval_ms").get<double>(), 5.0);
        ASSERT_TRUE(s.at("actors").is_array());
        ASSERT_FALSE(s.at("actors").empty());
        for (const json& a : s.at("actors"))
            for (const char* key : { "name", "running_ms", "waiting_gil_ms", "blocked_io_ms" })
                EXPECT_TRUE(a.contains(key)) << key;
        if (v.id == "convoy") {
            EXPECT_EQ(s.at("io_latency_ms").at("count").get<int>(), 4);
            EXPECT_GT(s.at("io_latency_ms").at("median").get<double>(), 0.0);
            EXPECT_GE(s.at("io_latency_ms").at("p99").get<double>(), s.at("io_latency_ms").at("median").get<double>());
        }
        if (v.id == "cpu-processes") {
            EXPECT_EQ(s.at("processes").get<int>(), 2);
        }
        if (v.id == "cpu-nogil") {
            EXPECT_EQ(s.at("gil_switches").get<int>(), 0);
        }
    }
}

namespace {

// The wall time of `threads` plain OS threads, each running `turns` turns of `loop` at once: what
// any program made of that loop gets from the machine at this moment, with no engine involved.
double plainThreadsWallMs(const PacedLoop& loop, int threads, std::int64_t turns)
{
    static const std::atomic<std::uint32_t> kNeverBreak { 0 };
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i)
        pool.emplace_back([&] { loop.run(turns, kNeverBreak); });
    for (std::thread& t : pool)
        t.join();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

double medianOf(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

// CPython 3.11 on two cores: two threads take about as long as sequential code, two processes (or
// a free-threaded build) about half. The bands come from issue 4.
//
// This 2-vCPU machine is shared: the speed of a core moves 2x within a second and, at times, its
// two vCPUs run on one physical core, when no program gets two cores' worth of work done. One run
// of each variant then says more about the moment than about the GIL (a CI run saw nogil/seq 0.98
// beside probes that had just found two free cores). So the variants run in many short rounds,
// each with a control beside them: the same loop in two plain OS threads against one thread doing
// both counts. A round is judged only if that control ran in parallel (at most 0.6 of serial) and
// two cores were free at its probe; the bands apply to the medians of at least five judged rounds,
// so a round whose sequential run met a faster or slower core than the rest cannot decide.
TEST(GilTiming, ThreadsTakeTurnsWhileProcessesAndNoGilRunInParallel)
{
    GIL_SKIP_UNDER_SANITIZERS();
    // Half the other tests' count: ~110 ms sequential, long enough for 20 GIL hand-overs and a
    // fork's cost (~1 ms here) to stay small, short enough that a round (~0.6 s) mostly sees one
    // speed of the core.
    const std::string count = "2500000";
    const std::int64_t turns = std::stoll(count);
    constexpr int kMaxRounds = 16;
    constexpr std::size_t kWantJudged = 9;
    constexpr std::size_t kNeedJudged = 5;
    constexpr double kControlParallel = 0.6;
    std::ostringstream log;
    std::vector<double> thrRatios, nogilRatios, procRatios;
    int round = 0;
    for (; round < kMaxRounds && thrRatios.size() < kWantJudged; ++round) {
        const MachineProbe probe = MachineProbe::measure();
        const RunResult seqRun = runGil("cpu-sequential", { { "count", count } });
        // Every run in units of work (its wall time over its CPU cost of a turn): a sequential run
        // that met a fast core and parallel runs that met both vCPUs sharing one physical core
        // (seen: 17.7 ns a turn alone, 23 ns both busy, in the same round) compare programs, not
        // the core's moments.
        const double seq = workMs(seqRun);
        const PacedLoop loop = PacedLoop::calibrated(seqRun.summary.at("ns_per_turn").at("target").get<double>());
        // The control's two halves bracket the engine's parallel runs, in an order that alternates.
        const bool serialFirst = round % 2 == 0;
        const double ctrl1 = serialFirst ? plainThreadsWallMs(loop, 1, 2 * turns) : plainThreadsWallMs(loop, 2, turns);
        const double thr = workMs(runGil("cpu-threads", { { "count", count }, { "threads", "2" } }));
        const double nogil = workMs(runGil("cpu-nogil", { { "count", count }, { "threads", "2" } }));
        const double procs = workMs(runGil("cpu-processes", { { "count", count }, { "processes", "2" } }));
        const double ctrl2 = serialFirst ? plainThreadsWallMs(loop, 2, turns) : plainThreadsWallMs(loop, 1, 2 * turns);
        const double control = serialFirst ? ctrl2 / ctrl1 : ctrl1 / ctrl2;

        const bool judged = probe.parallelism >= 1.7 && control <= kControlParallel;
        log << "round " << round << (judged ? "" : " (not judged: two plain threads did not run in parallel)")
            << ": control parallel/serial " << control << ", sequential " << wallMs(seqRun) << " ms at "
            << seqRun.summary.at("cpu_ns_per_turn").get<double>() << " CPU ns/turn, in units of work: threads/seq "
            << thr / seq << ", nogil/seq " << nogil / seq << ", processes/seq " << procs / seq << " ["
            << probe.describe() << "]\n";
        if (!judged) continue;
        thrRatios.push_back(thr / seq);
        nogilRatios.push_back(nogil / seq);
        procRatios.push_back(procs / seq);
    }
    if (thrRatios.size() < kNeedJudged)
        GTEST_SKIP() << "the machine ran two plain threads in parallel in only " << thrRatios.size() << " of " << round
                     << " rounds (" << kNeedJudged << " needed)\n"
                     << log.str();
    const double thr = medianOf(thrRatios), nogil = medianOf(nogilRatios), procs = medianOf(procRatios);
    log << "medians of " << thrRatios.size() << " judged rounds: threads/seq " << thr << ", nogil/seq " << nogil
        << ", processes/seq " << procs << "\n";
    EXPECT_TRUE(thr >= 0.85 && thr <= 1.4) << log.str();
    EXPECT_LE(nogil, 0.75) << log.str();
    EXPECT_LE(procs, 0.75) << log.str();
    std::printf("%s", log.str().c_str());
}

// Two CPU-bound threads hand the GIL over about once per switch interval.
TEST(GilTiming, SwitchRateFollowsTheInterval)
{
    GIL_REQUIRE_QUIET_MACHINE(1.7, 100.0);
    std::ostringstream log;
    for (const double intervalMs : { 1.0, 5.0 }) {
        bool ok = false;
        for (int attempt = 0; attempt < 3 && !ok; ++attempt) {
            const RunResult r = runGil("cpu-threads",
                { { "count", kCount }, { "threads", "2" }, { "switch_interval_ms", std::to_string(intervalMs) } });
            const double perS = r.summary.at("gil_switches_per_s").get<double>();
            const double expected = 1000.0 / intervalMs;
            log << intervalMs << " ms: " << perS << " switches/s (expected about " << expected << ")\n";
            ok = perS >= expected / 2 && perS <= expected * 2;
        }
        EXPECT_TRUE(ok) << log.str();
    }
}

// The convoy effect: an I/O round trip of microseconds costs about one switch interval beside a
// CPU-bound thread, and grows with the interval.
TEST(GilTiming, ConvoyLatencyIsAboutOneIntervalAndGrowsWithIt)
{
    GIL_REQUIRE_QUIET_MACHINE(1.7, 100.0);
    std::ostringstream log;
    bool ok = false;
    int judged = 0;
    // The convoy needs a free core beside the CPU-bound thread, for the whole run: an attempt
    // counts only when none of its runs found the machine busy (the engine's own passive probe,
    // summary key machine_busy), since CPython shows no convoy either then.
    // A run can also show no convoy on a quiet machine: when the CPU-bound thread's idle vCPU is
    // slow to wake, it has not taken the GIL back by the client's next request (CPython's runs do
    // the same, see GilOracle). That noise only ever removes the convoy, so each interval's
    // most-convoyed median over the attempts judged so far stands for it; the bands are unchanged.
    std::map<double, double> most;
    for (int attempt = 0; attempt < 6 && !ok; ++attempt) {
        std::map<double, double> median;
        double alone = 0;
        bool busy = false;
        for (const double intervalMs : { 1.0, 5.0, 20.0 }) {
            const RunResult r = runGil("convoy",
                { { "rounds", intervalMs >= 20 ? "10" : "20" }, { "switch_interval_ms", std::to_string(intervalMs) } });
            ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
            median[intervalMs] = convoyMedianMs(r);
            alone = std::max(alone, r.summary.at("io_latency_alone_ms").at("median").get<double>());
            busy = busy || r.summary.at("machine_busy").get<bool>();
            log << "attempt " << attempt << ", " << intervalMs << " ms: median " << median[intervalMs] << " ms, p99 "
                << r.summary.at("io_latency_ms").at("p99").get<double>() << " ms, alone "
                << r.summary.at("io_latency_alone_ms").at("median").get<double>() << " ms, free cores "
                << r.summary.at("free_cores").dump() << (r.summary.at("machine_busy").get<bool>() ? " (busy)" : "")
                << "\n";
        }
        if (busy) continue;
        ++judged;
        ok = true;
        for (const auto& [interval, m] : median) {
            const double best = most[interval] = std::max(most[interval], m);
            ok = ok && best >= 0.3 * interval && best <= 3 * interval;
        }
        ok = ok && most[20.0] > most[5.0] && most[5.0] > most[1.0] && alone < 0.3;
    }
    if (judged == 0) GTEST_SKIP() << "machine busy during every attempt (no free core for the convoy)\n" << log.str();
    if (!ok) {
        // Before blaming the model: does CPython show the convoy on this machine right now? (On a
        // VM whose idle vCPUs wake slowly it does not, for hours at a time.) Same rule: its
        // most-convoyed median of three pinned runs.
        // An interval can judge the engine only where CPython shows the convoy in each of three
        // runs made now; skipped when every interval the engine missed is one where CPython's
        // runs missed it too (the machine's lottery, not the model's).
        const auto inBand = [](double m, double interval) { return m >= 0.3 * interval && m <= 3 * interval; };
        const std::map<double, std::vector<double>> py = cpythonConvoyMediansMs(3);
        bool machine = !py.empty();
        bool engineMissed = false;
        for (const auto& [interval, medians] : py) {
            log << "CPython, " << interval << " ms: medians";
            bool steady = true;
            for (const double m : medians) {
                log << " " << m;
                steady = steady && inBand(m, interval);
            }
            log << " ms\n";
            const bool missed = !inBand(most[interval], interval);
            engineMissed = engineMissed || missed;
            if (missed && steady) machine = false;
        }
        if (machine && engineMissed)
            GTEST_SKIP() << "CPython misses the convoy on this machine right now too (slow wake-ups)\n" << log.str();
    }
    EXPECT_TRUE(ok) << log.str();
}

// I/O-bound threads release the GIL while blocked: four threads' waits overlap. Thread start-up
// and wake-ups cost more on a busy or instrumented (sanitizer) build, and they fall into the wall
// time, so the pairs (one thread, four threads) are interleaved, repeated three times, and the
// medians are judged; 20 ms waits keep the fixed costs small beside what is measured.
TEST(GilLesson, IoThreadsOverlapTheirWaits)
{
    const std::map<std::string, std::string> p = { { "rounds", "5" }, { "io_ms", "20" }, { "work", "20000" } };
    auto with = [&](int threads) {
        auto q = p;
        q["threads"] = std::to_string(threads);
        return runGil("io-threads", q);
    };
    std::vector<double> ratios;
    std::vector<double> overlaps;
    std::ostringstream log;
    for (int attempt = 0; attempt < 3; ++attempt) {
        const RunResult one = with(1);
        const RunResult four = with(4);
        ASSERT_EQ(one.outcome, RunOutcome::Completed) << one.error;
        ASSERT_EQ(four.outcome, RunOutcome::Completed) << four.error;
        for (const json& a : four.summary.at("actors"))
            EXPECT_GT(a.at("blocked_io_ms").get<double>(), 0.0);
        ratios.push_back(wallMs(four) / wallMs(one));
        overlaps.push_back(four.summary.at("io_overlap").get<double>());
        log << "attempt " << attempt << ": one " << one.summary.dump() << "\nfour " << four.summary.dump() << "\n";
    }
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    // Serial waits would make four threads four times slower; overlapped, about as fast as one.
    EXPECT_LT(median(ratios), 2.0) << log.str();
    // Four threads each blocked for most of the run: on average more than two at once.
    EXPECT_GT(median(overlaps), 2.0) << log.str();
}

// The timeline shows who holds the GIL: with it, the Python threads never run at the same time and
// the GIL's Held spans name the running thread; without it, they do run at the same time.
TEST(GilLesson, TraceShowsWhoHoldsTheGil)
{
    const RunResult r
        = runGil("cpu-threads", { { "count", kCount }, { "threads", "2" }, { "switch_interval_ms", "1" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const Trace& trace = *r.trace;
    const auto t1 = trace.findActor("Thread-1");
    const auto t2 = trace.findActor("Thread-2");
    const auto gil = trace.findActor("GIL");
    ASSERT_TRUE(t1 && t2 && gil);
    const auto run1 = pythonRunning(trace, *t1);
    const auto run2 = pythonRunning(trace, *t2);
    EXPECT_GT(run1.size(), 3U);
    EXPECT_GT(run2.size(), 3U);
    EXPECT_EQ(overlapNs(run1, run2), 0) << [&] {
        std::ostringstream os;
        for (const auto& [s1, e1] : run1)
            for (const auto& [s2, e2] : run2)
                if (std::min(e1, e2) > std::max(s1, s2))
                    os << "[" << s1 << ", " << e1 << ") x [" << s2 << ", " << e2 << ")\n";
        for (const ActorId id : { *t1, *t2 }) {
            os << trace.actorName(id) << ":";
            for (const StateSpan& sp : spansOf(trace, id))
                os << " " << stateName(sp.state) << "@" << sp.start;
            os << "\n";
        }
        return os.str();
    }();
    EXPECT_FALSE(intervalsIn(trace, *t1, State::Ready).empty());
    // Whenever a thread is running Python code, the GIL is held by that very thread.
    for (const auto& [thread, runs] : { std::pair { *t1, run1 }, std::pair { *t2, run2 } }) {
        for (const auto& [start, end] : runs) {
            const auto at = trace.spanAt(*gil, start + (end - start) / 2);
            ASSERT_TRUE(at.has_value());
            EXPECT_EQ(trace.spans(*gil)[*at].state, State::Held);
            EXPECT_EQ(trace.spans(*gil)[*at].target, thread);
        }
    }
    for (const EventKind kind :
        { EventKind::GilRequest, EventKind::GilTaken, EventKind::GilDropRequest, EventKind::GilDropped })
        EXPECT_GT(countEvents(trace, kind), 0);
    EXPECT_EQ(r.summary.at("gil_switches").get<int>() > 0, true);

    const RunResult free = runGil("cpu-nogil", { { "count", kCount }, { "threads", "2" } });
    const Trace& ft = *free.trace;
    const auto f1 = ft.findActor("Thread-1");
    const auto f2 = ft.findActor("Thread-2");
    ASSERT_TRUE(f1 && f2);
    EXPECT_GT(overlapNs(pythonRunning(ft, *f1), pythonRunning(ft, *f2)), 0);
    EXPECT_EQ(countEvents(ft, EventKind::GilDropRequest), 0);
}

// multiprocessing: fork, a zombie until join() reaps it, nothing left behind afterwards.
TEST(GilLesson, ProcessesForkExitAsZombiesAndAreReaped)
{
    const auto before = test::LeakProbe::now();
    const RunResult r = runGil("cpu-processes", { { "count", "2000000" }, { "processes", "3" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const Trace& trace = *r.trace;
    EXPECT_EQ(countEvents(trace, EventKind::Fork), 3);
    EXPECT_EQ(countEvents(trace, EventKind::Exit), 3);
    EXPECT_EQ(countEvents(trace, EventKind::Reap), 3);
    std::set<pid_t> pids;
    for (const Event& e : trace.events())
        if (e.kind == EventKind::Fork) pids.insert(static_cast<pid_t>(e.value));
    EXPECT_EQ(pids.size(), 3U);
    for (int i = 1; i <= 3; ++i) {
        const auto proc = trace.findActor("Process-" + std::to_string(i));
        ASSERT_TRUE(proc.has_value());
        std::vector<State> states;
        for (const StateSpan& s : spansOf(trace, *proc))
            states.push_back(s.state);
        EXPECT_EQ(states, (std::vector<State> { State::New, State::Running, State::Zombie, State::Terminated }));
        // The child's own interpreter: its main thread held its own GIL while counting.
        const auto gil = trace.findActor("Process-" + std::to_string(i) + ":GIL");
        ASSERT_TRUE(gil.has_value());
        EXPECT_FALSE(intervalsIn(trace, *gil, State::Held).empty());
    }
    const auto after = test::LeakProbe::settledTo(before);
    EXPECT_FALSE(after.hasChildren);
    EXPECT_EQ(after.fds, before.fds);
    for (pid_t pid : pids) {
        errno = 0;
        EXPECT_EQ(::kill(pid, 0), -1);
    }
    for (const json& a : r.summary.at("actors"))
        EXPECT_GT(a.at("running_ms").get<double>(), 0.0);
}

// A run cut short by its time limit ends cleanly, whatever it was doing: counting, waiting for
// the GIL, blocked in I/O or waiting for children.
TEST(GilLesson, TimeLimitEndsEveryVariantWithoutLeaks)
{
    const std::map<std::string, std::string> big = { { "count", "200000000" }, { "rounds", "10000" }, { "io_ms", "50" },
        { "threads", "3" }, { "processes", "3" } };
    runGil("cpu-sequential", { { "count", "1000" } }); // warm-up: calibration and runtime threads
    const auto before = test::LeakProbe::now();
    for (const Variant& v : gilLesson().variants) {
        const RunResult r = runGil(v.id, big, 0.3);
        EXPECT_EQ(r.outcome, RunOutcome::TimedOut) << v.id << ": " << r.error;
        EXPECT_TRUE(r.trace->finished());
    }
    const auto after = test::LeakProbe::settledTo(before);
    EXPECT_EQ(after.threads, before.threads);
    EXPECT_EQ(after.fds, before.fds);
    EXPECT_FALSE(after.hasChildren);
}

TEST(GilLesson, BadConfigIsAnInputErrorThatSaysWhatIsAllowed)
{
    const Lesson& lesson = gilLesson();
    const Variant* variant = lesson.variant("cpu-threads");
    ASSERT_NE(variant, nullptr);
    auto scenario = ScenarioRegistry::instance().create("gil");
    auto messageFor = [&](const json& config) -> std::string {
        ScenarioInput input { lesson, *variant, json::object(), config, 1, Lang::En };
        try {
            scenario->validate(input);
        } catch (const InputError& e) {
            return e.what();
        }
        return "";
    };
    const json good = { { "mode", "threads" }, { "count", 1000 }, { "threads", 2 }, { "switch_interval_ms", 5 } };
    EXPECT_EQ(messageFor(good), "");

    auto with = [&](const std::string& key, const json& value) {
        json c = good;
        c[key] = value;
        return messageFor(c);
    };
    EXPECT_NE(with("mode", "thread")
                  .find("mode: unknown mode 'thread' (allowed: sequential, threads, nogil, "
                        "processes, io, convoy)"),
        std::string::npos);
    EXPECT_NE(with("threads", 65).find("threads: 65 is out of range (allowed: an integer 1..64)"), std::string::npos);
    EXPECT_NE(with("threads", 1.5).find("threads: wrong type: found a number 1.5 (allowed: an integer 1..64)"),
        std::string::npos);
    // One reader for every engine: 2.0 is a float, as in Python, not the integer 2.
    EXPECT_NE(with("threads", 2.0).find("threads: wrong type: found a number 2"), std::string::npos)
        << with("threads", 2.0);
    EXPECT_NE(
        with("switch_interval_ms", 0.05).find("switch_interval_ms: 0.05 is out of range (allowed: a number 0.1..100)"),
        std::string::npos);
    EXPECT_NE(with("count", "many").find("count: wrong type: found a string"), std::string::npos);
    EXPECT_NE(with("processes", 2)
                  .find("processes: unknown key for mode 'threads' (allowed: mode, "
                        "switch_interval_ms, ns_per_turn, count, threads)"),
        std::string::npos);
    json procs = { { "mode", "processes" }, { "processes", 17 } };
    EXPECT_NE(messageFor(procs).find("processes: 17 is out of range (allowed: an integer 1..16)"), std::string::npos);
    EXPECT_NE(messageFor(json::object()).find("mode: required key is missing"), std::string::npos);
    // The message points into the lesson file.
    EXPECT_NE(with("threads", 0).find("gil.json:"), std::string::npos);

    // Parameters are checked by the loader against the lesson's ranges, before anything runs.
    RunRequest req;
    req.lesson = lesson;
    req.variant = "cpu-threads";
    req.params = { { "threads", "65" } };
    EXPECT_THROW(LessonRunner runner(req), InputError);
    req.params = { { "switch_interval_ms", "200" } };
    EXPECT_THROW(LessonRunner runner(req), InputError);
}

// Thread.start() waits on the new thread's _started event with the GIL released: the new thread
// takes the GIL at once, before the starter reaches its next line, and the starter waits for it
// to come back (a drop request, a switch interval later: the new thread is counting).
TEST(GilLesson, ThreadStartHandsTheGilToTheNewThread)
{
    const RunResult r
        = runGil("cpu-threads", { { "count", kCount }, { "threads", "2" }, { "switch_interval_ms", "5" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const Trace& trace = *r.trace;
    const auto main = trace.findActor("MainThread");
    const auto t1 = trace.findActor("Thread-1");
    ASSERT_TRUE(main && t1);
    std::vector<std::int64_t> mainLines; // when MainThread reached a line: t.start() twice, then joins
    std::int64_t t1Taken = -1, mainRetaken = -1, mainRequested = -1;
    for (const Event& e : trace.events()) {
        if (e.kind == EventKind::LineReached && e.actor == *main) mainLines.push_back(e.ts);
        if (e.kind == EventKind::GilTaken && e.actor == *t1 && t1Taken < 0) t1Taken = e.ts;
        if (t1Taken >= 0 && e.actor == *main && e.kind == EventKind::GilRequest && mainRequested < 0)
            mainRequested = e.ts;
        if (t1Taken >= 0 && e.actor == *main && e.kind == EventKind::GilTaken && mainRetaken < 0) mainRetaken = e.ts;
    }
    ASSERT_GE(mainLines.size(), 2U);
    ASSERT_GE(t1Taken, 0);
    // Before the second t.start(): the first one did not return until Thread-1 had run.
    EXPECT_LT(t1Taken, mainLines[1]);
    ASSERT_GE(mainRequested, 0);
    ASSERT_GT(mainRetaken, mainRequested);
    // The starter asked for the GIL back and waited for its drop request to be honoured.
    EXPECT_GE(mainRetaken - mainRequested, 2'500'000)
        << "MainThread got the GIL back after " << (mainRetaken - mainRequested) / 1000 << " us";
    EXPECT_LT(mainRetaken, mainLines[1]);
}

// The calibration of the countdown (~0.1 s) happens before the run's time zero: the program's
// first events are at the start of the timeline, not after an empty stretch.
TEST(GilLesson, CalibrationIsOffTheRecord)
{
    const RunResult r = runGil("cpu-sequential", { { "count", "100000" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const auto main = r.trace->findActor("MainThread");
    ASSERT_TRUE(main);
    std::int64_t first = -1;
    for (const Event& e : r.trace->events())
        if (e.actor == *main) {
            first = e.ts;
            break;
        }
    ASSERT_GE(first, 0);
    EXPECT_LT(first, 50'000'000) << "MainThread's first event at " << first / 1000000 << " ms";
    // Nor after: the trace ends with the run, not a calibration's length later (drains during the
    // calibration measured the end on the clock before the restart).
    std::int64_t last = 0;
    for (const Event& e : r.trace->events())
        last = std::max(last, e.ts);
    EXPECT_LT(r.trace->endTs() - last, 50'000'000)
        << "trace ends " << (r.trace->endTs() - last) / 1000000 << " ms after its last event";
}

// With both cores taken by other processes, a convoy run says the machine was busy instead of
// silently showing no convoy (CPython shows none either then).
TEST(GilLesson, ConvoyOnABusyMachineSaysSo)
{
    lockstep::testing::CpuHogs hogs(3);
    ASSERT_EQ(hogs.started(), 3);
    const RunResult r = runGil("convoy", { { "rounds", "40" } });
    hogs.stop();
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    EXPECT_TRUE(r.summary.at("machine_busy").get<bool>()) << r.summary.dump();
    // PSI judges even a run of a few ms; without it the free-core count needs 50 ms or more.
    if (r.summary.at("cpu_pressure").is_number()) {
        EXPECT_GT(r.summary.at("cpu_pressure").get<double>(), 0.25) << r.summary.dump();
    } else if (r.summary.at("free_cores").is_number()) {
        EXPECT_LT(r.summary.at("free_cores").get<double>(), 1.5) << r.summary.dump();
    }
    bool said = false;
    for (const Event& e : r.trace->events())
        said = said || (e.kind == EventKind::Mark && r.trace->text(e.text).rfind("machine busy:", 0) == 0);
    EXPECT_TRUE(said) << "no 'machine busy' mark on the timeline";
}
