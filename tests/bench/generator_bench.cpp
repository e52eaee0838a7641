// Cost of one generator round trip (caller -> generator stack -> caller: send(v), the body's
// `x = yield x`) against a plain, non-inlined function call doing the same work, a bare
// Boost.Context fiber round trip, and CPython doing the same (`g.send(x)` into `x = yield x`,
// timed by python3's timeit in the same run). A round trip is two stack switches plus the
// protocol's bookkeeping (state checks, value hand-over, the C++ exception-handling state); no
// trace recording (no RunContext). After the table a summary prints the medians and the ratios
// generator / CPython and generator / bare fiber.
#include "lockstep/gen/Generator.h"

#include <benchmark/benchmark.h>

#include <sys/wait.h>

#include <boost/context/fiber.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace lockstep::gen;

namespace {

__attribute__((noinline)) PyValue plainEcho(PyValue v)
{
    benchmark::DoNotOptimize(v);
    return v;
}

__attribute__((noinline)) long plainIncrement(long v)
{
    benchmark::DoNotOptimize(v);
    return v + 1;
}

PyValue echoBody(Coroutine& co)
{
    PyValue x = nullptr;
    for (;;) x = co.yield_(std::move(x));
}

} // namespace

// Generator.send(v): the Python-level API (value in, yielded value out).
static void BM_GeneratorSendRoundTrip(benchmark::State& state)
{
    GenHost host;
    Generator g(host, "echo", &echoBody);
    g.next();
    long i = 0;
    for (auto _ : state) {
        PyValue r = g.send(PyValue(i++));
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GeneratorSendRoundTrip);

// The same through the non-throwing Coroutine API (what the engine's drivers use).
static void BM_CoroutineSendRoundTrip(benchmark::State& state)
{
    GenHost host;
    Generator g(host, "echo", &echoBody);
    g.next();
    Coroutine& co = g.coroutine();
    long i = 0;
    for (auto _ : state) {
        Outcome r = co.send(PyValue(i++));
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CoroutineSendRoundTrip);

// Bare Boost.Context: resume a fiber that resumes us straight back (the switch cost alone).
static void BM_BareFiberRoundTrip(benchmark::State& state)
{
    namespace ctx = boost::context;
    ctx::fiber f{[](ctx::fiber&& caller) {
        for (;;) caller = std::move(caller).resume();
        return std::move(caller);
    }};
    for (auto _ : state) {
        f = std::move(f).resume();
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BareFiberRoundTrip);

// A plain call passing the same Python value in and out.
static void BM_PlainCallPyValue(benchmark::State& state)
{
    long i = 0;
    for (auto _ : state) {
        PyValue r = plainEcho(PyValue(i++));
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PlainCallPyValue);

// A plain call with a machine integer: the floor.
static void BM_PlainCallLong(benchmark::State& state)
{
    long i = 0;
    for (auto _ : state) {
        long r = plainIncrement(i++);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PlainCallLong);

namespace {

// Medians of one benchmark, in nanoseconds.
struct Median {
    double wall = 0;
    double cpu = 0;
};

// Passes everything to the display reporter chosen by the command line, and keeps each
// benchmark's median for the summary: the "median" aggregate with --benchmark_repetitions, else
// the median of the runs seen.
class SummaryReporter : public benchmark::BenchmarkReporter {
public:
    explicit SummaryReporter(benchmark::BenchmarkReporter* display) : m_display(display) { }

    bool ReportContext(const Context& context) override { return m_display->ReportContext(context); }
    void ReportRuns(const std::vector<Run>& runs) override
    {
        for (const Run& run : runs) {
            if (run.error_occurred) continue;
            const double toNs = 1e9 / benchmark::GetTimeUnitMultiplier(run.time_unit);
            const Median m { run.GetAdjustedRealTime() * toNs, run.GetAdjustedCPUTime() * toNs };
            const std::string& name = run.run_name.function_name;
            if (run.run_type == Run::RT_Aggregate) {
                if (run.aggregate_name == "median") m_aggregate[name] = m;
            } else {
                m_samples[name].push_back(m);
            }
        }
        m_display->ReportRuns(runs);
    }
    void Finalize() override { m_display->Finalize(); }

    [[nodiscard]] bool has(const std::string& name) const
    {
        return m_aggregate.count(name) != 0 || m_samples.count(name) != 0;
    }
    [[nodiscard]] Median median(const std::string& name) const
    {
        if (const auto it = m_aggregate.find(name); it != m_aggregate.end()) return it->second;
        const auto it = m_samples.find(name);
        if (it == m_samples.end() || it->second.empty()) return {};
        std::vector<double> wall, cpu;
        for (const Median& m : it->second) {
            wall.push_back(m.wall);
            cpu.push_back(m.cpu);
        }
        return { medianOf(wall), medianOf(cpu) };
    }

private:
    static double medianOf(std::vector<double> v)
    {
        std::sort(v.begin(), v.end());
        const std::size_t n = v.size();
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    benchmark::BenchmarkReporter* m_display;
    std::map<std::string, Median> m_aggregate;
    std::map<std::string, std::vector<Median>> m_samples;
};

struct CPythonTiming {
    bool ok = false;
    std::string version;
    Median perSend;
    std::string problem;
};

// CPython's round trip on this machine, now: timeit of `g.send(x)` into `x = yield x` (g and x are
// locals of timeit's timing function), median of 5 repetitions, wall clock (perf_counter) and CPU
// time (process_time) like the benchmark's two columns.
CPythonTiming measureCPython()
{
    static constexpr const char* kScript = R"PY(
import statistics, sys, time, timeit
setup = "def echo():\n    x = None\n    while True:\n        x = yield x\ng = echo()\nnext(g)\nx = 1"
n = 500000
def median_ns(timer):
    runs = timeit.Timer("g.send(x)", setup=setup, timer=timer).repeat(repeat=5, number=n)
    return statistics.median(runs) / n * 1e9
print(sys.version.split()[0], median_ns(time.perf_counter), median_ns(time.process_time))
)PY";
    CPythonTiming result;
    const std::string command = std::string("python3 -c '") + kScript + "' 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) {
        result.problem = "could not start python3";
        return result;
    }
    std::string output;
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe))
        output += buffer;
    const int status = pclose(pipe);
    std::istringstream in(output);
    if (status == 0 && in >> result.version >> result.perSend.wall >> result.perSend.cpu) {
        result.ok = true;
    } else {
        // 127: the shell found no python3.
        result.problem
            = WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "python3 not found" : "python3 failed: " + output;
    }
    return result;
}

void printSummary(std::ostream& out, const SummaryReporter& results)
{
    const char* const kGenerator = "BM_GeneratorSendRoundTrip";
    const char* const kCoroutine = "BM_CoroutineSendRoundTrip";
    const char* const kFiber = "BM_BareFiberRoundTrip";
    if (!results.has(kGenerator) && !results.has(kCoroutine)) return;

    const CPythonTiming python = measureCPython();
    const bool haveFiber = results.has(kFiber);
    const Median fiber = results.median(kFiber);
    auto line = [&out](const std::string& label, Median m) {
        char text[160];
        std::snprintf(text, sizeof text, "  %-34s %8.1f ns %8.1f ns", label.c_str(), m.wall, m.cpu);
        out << text;
    };
    auto ratio = [&out](const char* what, Median num, Median den) {
        char text[96];
        std::snprintf(text, sizeof text, "   %s %.2fx / %.2fx", what, num.wall / den.wall, num.cpu / den.cpu);
        out << text;
    };

    out << "\nSend/yield round trip, medians            wall time   CPU time   (ratios: wall / CPU)\n";
    for (const char* name : { kGenerator, kCoroutine }) {
        if (!results.has(name)) continue;
        const Median m = results.median(name);
        line(name, m);
        if (python.ok) ratio("vs CPython", m, python.perSend);
        if (haveFiber) ratio("vs bare fiber", m, fiber);
        out << "\n";
    }
    if (haveFiber) {
        line(kFiber, fiber);
        out << "\n";
    }
    if (python.ok) {
        line("CPython " + python.version + " g.send(x)", python.perSend);
        out << "   (timeit, median of 5 x 500000)\n";
    } else {
        out << "  CPython comparison skipped: " << python.problem << "\n";
    }
    out.flush();
}

} // namespace

int main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    const std::unique_ptr<benchmark::BenchmarkReporter> display(benchmark::CreateDefaultDisplayReporter());
    SummaryReporter reporter(display.get());
    benchmark::RunSpecifiedBenchmarks(&reporter);
    // With --benchmark_format=json|csv stdout is machine-readable: the summary goes to stderr then.
    printSummary(dynamic_cast<benchmark::ConsoleReporter*>(display.get()) ? std::cout : std::cerr, reporter);
    benchmark::Shutdown();
    return 0;
}
