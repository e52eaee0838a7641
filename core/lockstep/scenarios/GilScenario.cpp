#include "lockstep/scenarios/GilScenario.h"

#include "lockstep/gil/Gil.h"
#include "lockstep/gil/GilCore.h"
#include "lockstep/gil/JoinLatch.h"
#include "lockstep/gil/PacedLoop.h"
#include "lockstep/gil/PyThreadState.h"
#include "lockstep/lesson/Lesson.h"
#include "lockstep/proc/ProcessPool.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace lockstep {

namespace {

using nlohmann::json;

// CPython 3.11 on the reference machine: `while n > 0: n -= 1` costs about this much per turn
// (tests/python/gil_measure.py measures it; the lesson's ns_per_turn parameter overrides it).
constexpr double kDefaultNsPerTurn = 20.0;

// What the rest of client()'s loop body (for, two perf_counter() calls, latency.append) costs
// CPython, in turns of the countdown: about 0.3 µs measured in situ on the reference machine.
constexpr std::int64_t kClientLoopTurns = 15;

enum class Mode { Sequential, Threads, NoGil, Processes, Io, Convoy };

struct ModeInfo {
    const char* name;
    Mode mode;
    std::vector<std::string> keys; // config keys the mode accepts besides the common ones
};

const std::vector<ModeInfo>& modes()
{
    static const std::vector<ModeInfo> table = {
        { "sequential", Mode::Sequential, { "count" } },
        { "threads", Mode::Threads, { "count", "threads" } },
        { "nogil", Mode::NoGil, { "count", "threads" } },
        { "processes", Mode::Processes, { "count", "processes" } },
        { "io", Mode::Io, { "threads", "rounds", "io_ms", "work" } },
        { "convoy", Mode::Convoy, { "rounds", "baseline_rounds" } },
    };
    return table;
}

const std::vector<std::string> kCommonKeys = { "mode", "switch_interval_ms", "ns_per_turn" };

std::string joinNames(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

std::string formatNumber(double v)
{
    std::ostringstream os;
    os << v;
    return os.str();
}

struct GilConfig {
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
};

// Reads and checks a variant's config; every problem is an InputError pointing into the lesson.
class ConfigReader {
public:
    explicit ConfigReader(const ScenarioInput& input) : m_input(input), m_config(input.config) { }

    GilConfig read()
    {
        if (!m_config.is_object()) fail("", "config", "must be an object");
        GilConfig c;
        if (!m_config.contains("mode")) fail("", "mode", "missing (allowed: " + modeNames() + ")");
        const json& mode = m_config["mode"];
        if (!mode.is_string()) fail("/mode", "mode", "must be a string (allowed: " + modeNames() + ")");
        const ModeInfo* info = nullptr;
        for (const auto& m : modes())
            if (mode.get<std::string>() == m.name) info = &m;
        if (info == nullptr)
            fail("/mode", "mode", "unknown mode '" + mode.get<std::string>() + "' (allowed: " + modeNames() + ")");
        c.mode = info->mode;
        c.modeName = info->name;

        std::vector<std::string> allowed = kCommonKeys;
        allowed.insert(allowed.end(), info->keys.begin(), info->keys.end());
        for (const auto& [key, value] : m_config.items()) {
            if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
                fail("/" + key, key, "unknown key for mode '" + c.modeName + "' (allowed: " + joinNames(allowed) + ")");
        }

        c.switchIntervalMs = number("switch_interval_ms", c.switchIntervalMs, 0.1, 100.0);
        c.nsPerTurn = number("ns_per_turn", c.nsPerTurn, 0.0, 1000.0);
        if (c.nsPerTurn == 0.0) c.nsPerTurn = kDefaultNsPerTurn;
        c.count = integer("count", c.count, 1, 1'000'000'000);
        c.threads = static_cast<int>(integer("threads", c.threads, 1, Limits::kMaxThreads));
        c.processes = static_cast<int>(integer("processes", c.processes, 1, Limits::kMaxProcesses));
        c.rounds = static_cast<int>(integer("rounds", c.rounds, 1, 100'000));
        c.ioMs = number("io_ms", c.ioMs, 0.0, 10'000.0);
        c.work = integer("work", c.work, 0, 1'000'000'000);
        c.baselineRounds = static_cast<int>(integer("baseline_rounds", c.baselineRounds, 0, 100'000));
        return c;
    }

private:
    static std::string modeNames()
    {
        std::vector<std::string> names;
        for (const auto& m : modes())
            names.emplace_back(m.name);
        return joinNames(names);
    }

    [[noreturn]] void fail(const std::string& pointer, const std::string& key, const std::string& what) const
    {
        throw InputError(m_input.where(pointer) + ": " + key + ": " + what);
    }

    double number(const std::string& key, double fallback, double lo, double hi) const
    {
        if (!m_config.contains(key)) return fallback;
        const json& v = m_config[key];
        const std::string range = "from " + formatNumber(lo) + " to " + formatNumber(hi);
        if (!v.is_number()) fail("/" + key, key, "must be a number " + range + " (got " + v.dump() + ")");
        const double d = v.get<double>();
        if (!std::isfinite(d) || d < lo || d > hi)
            fail("/" + key, key, "must be " + range + " (got " + formatNumber(d) + ")");
        return d;
    }

    std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const
    {
        if (!m_config.contains(key)) return fallback;
        const json& v = m_config[key];
        const std::string range = "from " + std::to_string(lo) + " to " + std::to_string(hi);
        bool whole = v.is_number_integer();
        if (v.is_number_float()) {
            const double d = v.get<double>();
            whole = std::isfinite(d) && d == std::floor(d);
        }
        if (!whole) fail("/" + key, key, "must be an integer " + range + " (got " + v.dump() + ")");
        const double d = v.get<double>();
        if (d < static_cast<double>(lo) || d > static_cast<double>(hi))
            fail("/" + key, key, "must be " + range + " (got " + v.dump() + ")");
        return static_cast<std::int64_t>(d);
    }

    const ScenarioInput& m_input;
    const json& m_config;
};

// Finds the lines of the lesson's Python snippet that events point at, by their text, so the
// snippet can be edited without renumbering the engine.
class SnippetLines {
public:
    explicit SnippetLines(const std::string& python)
    {
        std::istringstream in(python);
        std::string line;
        while (std::getline(in, line))
            m_lines.push_back(line);
    }
    // First line containing `text` (1-based), 0 if none.
    [[nodiscard]] std::int32_t find(std::string_view text) const
    {
        for (std::size_t i = 0; i < m_lines.size(); ++i)
            if (m_lines[i].find(text) != std::string::npos) return static_cast<std::int32_t>(i + 1);
        return 0;
    }
    // First line whose text without indentation and comment is exactly `code`.
    [[nodiscard]] std::int32_t findStatement(std::string_view code) const
    {
        for (std::size_t i = 0; i < m_lines.size(); ++i) {
            std::string s = m_lines[i];
            if (auto hash = s.find('#'); hash != std::string::npos) s.erase(hash);
            const auto b = s.find_first_not_of(" \t");
            const auto e = s.find_last_not_of(" \t");
            if (b != std::string::npos && s.substr(b, e - b + 1) == code) return static_cast<std::int32_t>(i + 1);
        }
        return 0;
    }

private:
    std::vector<std::string> m_lines;
};

double toMs(std::int64_t ns)
{
    return std::round(static_cast<double>(ns) / 1e3) / 1e3;
}

json actorJson(const std::string& name, const PyThreadState::Times& t)
{
    return { { "name", name }, { "running_ms", toMs(t.runningNs) }, { "waiting_gil_ms", toMs(t.waitingGilNs) },
        { "blocked_io_ms", toMs(t.blockedIoNs) } };
}

// statistics.median and the nearest-rank 99th percentile, in ms.
json latencyJson(std::vector<std::int64_t> ns)
{
    if (ns.empty()) return { { "median", nullptr }, { "p99", nullptr }, { "count", 0 } };
    std::sort(ns.begin(), ns.end());
    const std::size_t n = ns.size();
    const double median = n % 2 == 1 ? static_cast<double>(ns[n / 2])
                                     : (static_cast<double>(ns[n / 2 - 1]) + static_cast<double>(ns[n / 2])) / 2;
    const auto rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(n)));
    double sum = 0;
    for (auto v : ns)
        sum += static_cast<double>(v);
    auto ms = [](double v) { return std::round(v / 1e3) / 1e3; };
    return { { "median", ms(median) }, { "p99", ms(static_cast<double>(ns[std::max<std::size_t>(rank, 1) - 1])) },
        { "mean", ms(sum / static_cast<double>(n)) }, { "min", ms(static_cast<double>(ns.front())) },
        { "max", ms(static_cast<double>(ns.back())) }, { "count", n } };
}

// --- blocking fd operations that cancel can interrupt -----------------------------------------------

// Waits until `fd` is ready for `events` or the run is cancelled (throws Cancelled). timeoutMs < 0:
// no timeout. Returns false on timeout.
bool waitFd(RunContext& ctx, int fd, short events, int timeoutMs = -1)
{
    for (;;) {
        pollfd fds[2] = { { fd, events, 0 }, { ctx.cancelFd(), POLLIN, 0 } };
        const int rc = ::poll(fds, 2, timeoutMs);
        ctx.throwIfCancelled();
        if (rc < 0 && errno == EINTR) continue;
        if (rc < 0) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        if (rc == 0) return false;
        if (fds[0].revents != 0) return true;
    }
}

// Blocking read of up to `size` bytes (like os.read on a blocking fd). 0 = EOF. The syscall is
// tried first and poll() (with the cancel fd) only used when it would block, so a call that does
// not block costs one system call, as in CPython.
std::size_t readSome(RunContext& ctx, int fd, void* buf, std::size_t size)
{
    for (;;) {
        ctx.throwIfCancelled();
        const ssize_t n = ::read(fd, buf, size);
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            waitFd(ctx, fd, POLLIN);
        else if (errno != EINTR)
            throw std::runtime_error(std::string("read: ") + std::strerror(errno));
    }
}

void writeAll(RunContext& ctx, int fd, const void* buf, std::size_t size)
{
    const char* p = static_cast<const char*>(buf);
    while (size > 0) {
        ctx.throwIfCancelled();
        const ssize_t n = ::write(fd, p, size);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                waitFd(ctx, fd, POLLOUT);
            else if (errno != EINTR)
                throw std::runtime_error(std::string("write: ") + std::strerror(errno));
            continue;
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

void setNonBlocking(int fd)
{
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

// --- the child program of cpu-processes ----------------------------------------------------------------

// Records a counting child sends to its parent.
enum ChildKind : std::int32_t { kChildStarted = 1, kChildGilTaken, kChildCountDone, kChildGilDropped };

struct CountJob {
    PacedLoop loop;
    std::int64_t n = 0;
    std::int64_t intervalNs = 0;
    std::int32_t lineCount = 0;
    std::int32_t lineLoop = 0;
};

// A fresh interpreter in the child: its own GIL (on this stack, shared with none of the parent's
// threads) and its main thread counting down, alone, at the same pace as a thread in the parent.
int countInChild(const ChildChannel& channel, const void* arg)
{
    const auto& job = *static_cast<const CountJob*>(arg);
    channel.report(kChildStarted, 0, 0, job.lineCount);
    GilCore gil(std::chrono::nanoseconds(job.intervalNs));
    constexpr GilCore::Holder kMainThread = 1;
    if (gil.take(kMainThread) != GilCore::Result::Ok) return 1;
    channel.report(kChildGilTaken, 0, 0, job.lineCount);
    std::int64_t left = job.n;
    while ((left = job.loop.run(left, gil.evalBreaker())) > 0) {
        // Only one thread in this interpreter: nobody ever asks for the GIL, but honour it anyway.
        if (gil.dropRequested()
            && (gil.drop(kMainThread) != GilCore::Result::Ok || gil.take(kMainThread) != GilCore::Result::Ok))
            return 1;
    }
    channel.report(kChildCountDone, job.n, 0, job.lineLoop);
    if (gil.drop(kMainThread, false) != GilCore::Result::Ok) return 1;
    channel.report(kChildGilDropped);
    return 0;
}

// --- the program ------------------------------------------------------------------------------------

// Everything one run of the gil engine owns. Engine threads refer to its members, so run() keeps
// it alive until every thread has been joined.
class GilProgram {
public:
    GilProgram(RunContext& ctx, const ScenarioInput& input, GilConfig config)
        : m_ctx(ctx), m_cfg(std::move(config)), m_lines(input.lesson.python)
    {
    }

    void run(json& summary)
    {
        // Calibrate before the program's clock starts: it is the interpreter's warm-up, not Python.
        m_ctx.recorder().recordText(EventKind::Mark, {}, "calibrating the countdown loop to CPython's pace");
        m_loop = PacedLoop::calibrated(m_cfg.nsPerTurn);
        std::ostringstream pace;
        pace << "one turn of `while n > 0: n -= 1` now costs " << std::round(m_loop.calibratedNsPerTurn() * 10) / 10
             << " ns (target " << m_cfg.nsPerTurn << " ns)";
        m_ctx.recorder().recordText(EventKind::Mark, {}, pace.str());
        m_gil = std::make_unique<Gil>(
            m_ctx, intervalNs(), m_cfg.mode != Mode::NoGil, m_cfg.mode == Mode::NoGil ? "GIL (disabled)" : "GIL");
        m_mainActor = m_ctx.addActor(ActorKind::Thread, "MainThread");
        m_ctx.adoptCurrentThread(m_mainActor);
        m_ctx.setState(m_mainActor, State::Running);
        m_main = std::make_unique<PyThreadState>(m_ctx, m_mainActor, *m_gil, m_loop);

        m_t0 = m_ctx.recorder().now();
        m_main->start();
        switch (m_cfg.mode) {
        case Mode::Sequential:
            runSequential();
            break;
        case Mode::Threads:
        case Mode::NoGil:
            runThreads();
            break;
        case Mode::Processes:
            runProcesses();
            break;
        case Mode::Io:
            runIo();
            break;
        case Mode::Convoy:
            runConvoy();
            break;
        }
        m_main->finish();
        m_t1 = m_ctx.recorder().now();
        fillSummary(summary);
    }

    // Called when run() is left by an exception: stop everything that may still run.
    void abandon(RunOutcome why)
    {
        m_ctx.cancel(why);
        m_ctx.joinAll();
        if (m_pool) m_pool->killAll();
    }

    void fillPartialSummary(json& summary) const
    {
        summary["switch_interval_ms"] = m_cfg.switchIntervalMs;
        if (m_gil) summary["gil_switches"] = m_gil->switches();
    }

private:
    std::chrono::nanoseconds intervalNs() const
    {
        return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(m_cfg.switchIntervalMs * 1e6)));
    }

    // Starts a Python thread running `body(state)`; the thread owns a PyThreadState in m_threads.
    template <typename Body> void startThread(std::size_t index, const std::string& name, Body body, std::int32_t line)
    {
        m_threadNames[index] = name;
        m_threadActors[index] = m_ctx.spawn(
            name,
            [this, index, body, line] {
                const JoinLatch::Guard finished(*m_latch, index);
                auto state = std::make_unique<PyThreadState>(m_ctx, RunContext::currentActor(), *m_gil, m_loop);
                PyThreadState* ts = state.get();
                {
                    std::lock_guard lock(m_threadsMutex);
                    m_threads[index] = std::move(state);
                }
                ts->runThread(body, line);
            },
            m_mainActor);
    }

    void prepareThreads(std::size_t n)
    {
        m_latch = std::make_unique<JoinLatch>(m_ctx, n);
        m_threads.resize(n);
        m_threadNames.resize(n);
        m_threadActors.resize(n);
    }

    // t.join() for every thread, in order, with the GIL released while waiting. The wait is
    // passed to the stall detector as timed: a joiner can only be stuck if the threads it joins
    // are, and those are watched themselves.
    void joinThreads(std::int32_t line)
    {
        for (std::size_t i = 0; i < m_threadActors.size(); ++i)
            m_main->allowThreads(
                State::Blocked, m_threadActors[i], [&] { m_latch->waitFinished(i); }, line, true);
    }

    void runSequential()
    {
        const std::int32_t call = m_lines.findStatement("count(n)");
        const std::int32_t loop = m_lines.find("while n > 0");
        m_ctx.recorder().record(EventKind::LineReached, m_mainActor, {}, 0, {}, call);
        m_main->count(m_cfg.count, loop);
        m_ctx.recorder().record(EventKind::LineReached, m_mainActor, {}, 0, {}, call > 0 ? call + 1 : 0);
        m_main->count(m_cfg.count, loop);
    }

    void runThreads()
    {
        const std::int32_t loop = m_lines.find("while n > 0");
        const std::int32_t start = m_lines.find("t.start()");
        const auto n = static_cast<std::size_t>(m_cfg.threads);
        prepareThreads(n);
        for (std::size_t i = 0; i < n; ++i) {
            m_ctx.recorder().record(EventKind::LineReached, m_mainActor, {}, 0, {}, start);
            const std::int64_t turns = m_cfg.count;
            startThread(
                i, "Thread-" + std::to_string(i + 1), [turns, loop](PyThreadState& ts) { ts.count(turns, loop); },
                loop);
        }
        joinThreads(m_lines.find("t.join()"));
        m_ctx.joinAll();
    }

    void runProcesses()
    {
        const auto n = static_cast<std::size_t>(m_cfg.processes);
        m_pool = std::make_unique<ProcessPool>(m_ctx, m_mainActor);
        m_job.loop = m_loop;
        m_job.n = m_cfg.count;
        m_job.intervalNs = intervalNs().count();
        m_job.lineCount = m_lines.find("def count(n)");
        m_job.lineLoop = m_lines.find("while n > 0");
        m_childThreads.resize(n);
        m_childGils.resize(n);
        m_childTimes.assign(n, {});
        m_childTaken.assign(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            const std::string name = "Process-" + std::to_string(i + 1);
            const std::size_t index = m_pool->add(name);
            m_childThreads[index] = m_ctx.addActor(ActorKind::Thread, name + ":MainThread", m_pool->actor(index));
            m_childGils[index] = m_ctx.addActor(ActorKind::Gil, name + ":GIL", m_pool->actor(index));
        }
        m_pool->setRecordHandler([this](std::size_t child, const ChildRecord& r) { onChildRecord(child, r); });
        const std::int32_t start = m_lines.find("p.start()");
        for (std::size_t i = 0; i < n; ++i)
            m_pool->start(i, &countInChild, &m_job, start);
        const std::int32_t join = m_lines.find("p.join()");
        // waitpid() in order: a child that exits before its turn stays a zombie until then.
        for (std::size_t i = 0; i < n; ++i)
            m_main->allowThreads(
                State::Blocked, m_pool->actor(i), [&] { m_pool->join(i, join); }, join, true);
    }

    // Replays what a child reported, at the time it happened there.
    void onChildRecord(std::size_t child, const ChildRecord& r)
    {
        Event e;
        e.ts = r.ts;
        e.line = r.line;
        const ActorId thread = m_childThreads[child];
        const ActorId gil = m_childGils[child];
        auto stateChange = [&](ActorId actor, State state, ActorId target) {
            Event s = e;
            s.kind = EventKind::StateChange;
            s.actor = actor;
            s.state = state;
            s.target = target;
            m_ctx.recorder().recordEvent(s);
        };
        auto gilEvent = [&](EventKind kind) {
            Event g = e;
            g.kind = kind;
            g.actor = thread;
            g.target = gil;
            m_ctx.recorder().recordEvent(g);
        };
        switch (r.kind) {
        case kChildStarted:
            stateChange(gil, State::Free, {});
            stateChange(thread, State::Running, {});
            break;
        case kChildGilTaken:
            gilEvent(EventKind::GilRequest);
            gilEvent(EventKind::GilTaken);
            stateChange(gil, State::Held, thread);
            m_childTaken[child] = r.ts;
            break;
        case kChildCountDone:
            m_childTimes[child].runningNs = r.ts - m_childTaken[child];
            break;
        case kChildGilDropped:
            gilEvent(EventKind::GilDropped);
            stateChange(gil, State::Free, {});
            stateChange(thread, State::Terminated, {});
            break;
        default:
            break;
        }
    }

    void runIo()
    {
        const auto n = static_cast<std::size_t>(m_cfg.threads);
        // One request pipe and one response pipe per thread; the device answers each request
        // io_ms later, like a disk or a remote service would.
        m_reqRead.resize(n);
        m_reqWrite.resize(n);
        m_respRead.resize(n);
        m_respWrite.resize(n);
        m_respFdActors.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            int req[2];
            int resp[2];
            if (::pipe2(req, O_CLOEXEC) != 0 || ::pipe2(resp, O_CLOEXEC) != 0)
                throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
            m_reqRead[i] = m_ctx.trackFd(req[0]);
            m_reqWrite[i] = m_ctx.trackFd(req[1]);
            m_respRead[i] = m_ctx.trackFd(resp[0]);
            m_respWrite[i] = m_ctx.trackFd(resp[1]);
            for (int fd : { req[0], req[1], resp[0], resp[1] })
                setNonBlocking(fd);
            m_respFdActors[i] = m_ctx.addActor(ActorKind::Fd, "pipe-" + std::to_string(i + 1));
            m_ctx.recorder().recordState(m_respFdActors[i], State::FdIdle);
        }
        m_deviceActor = m_ctx.spawn("device", [this] { deviceLoop(); });

        const std::int32_t work = m_lines.find("count(work)");
        const std::int32_t write = m_lines.find("os.write(req");
        const std::int32_t read = m_lines.find("os.read(resp");
        const std::int32_t start = m_lines.find("t.start()");
        prepareThreads(n);
        for (std::size_t i = 0; i < n; ++i) {
            m_ctx.recorder().record(EventKind::LineReached, m_mainActor, {}, 0, {}, start);
            startThread(
                i, "Thread-" + std::to_string(i + 1),
                [this, i, work, write, read](PyThreadState& ts) {
                    for (int r = 0; r < m_cfg.rounds; ++r) {
                        ts.count(m_cfg.work, work);
                        const char request = '?';
                        ts.allowThreads(
                            State::BlockedIo, m_respFdActors[i], [&] { writeAll(m_ctx, m_reqWrite[i], &request, 1); },
                            write);
                        char answer = 0;
                        const std::size_t got = ts.allowThreads(
                            State::BlockedIo, m_respFdActors[i],
                            [&] { return readSome(m_ctx, m_respRead[i], &answer, 1); }, read);
                        if (got == 0) throw std::runtime_error("device closed the pipe");
                        m_ctx.recorder().record(EventKind::IoRead, ts.actor(), m_respFdActors[i], 1, {}, read);
                    }
                    // Closing our request pipe tells the device this thread is done.
                    m_ctx.closeFd(m_reqWrite[i]);
                },
                work);
        }
        joinThreads(m_lines.find("t.join()"));
        m_ctx.joinAll(); // the device ends once every request pipe is closed
    }

    // Not Python: a device that answers every request byte after io_ms. Serves all pipes.
    void deviceLoop()
    {
        const auto n = m_reqRead.size();
        const auto latency = std::chrono::nanoseconds(static_cast<std::int64_t>(m_cfg.ioMs * 1e6));
        std::deque<std::pair<std::chrono::steady_clock::time_point, std::size_t>> due;
        std::vector<bool> open(n, true);
        std::size_t openCount = n;
        const ActorId me = RunContext::currentActor();
        while (openCount > 0 || !due.empty()) {
            m_ctx.gate().pass(me);
            const auto now = std::chrono::steady_clock::now();
            while (!due.empty() && due.front().first <= now) {
                const std::size_t i = due.front().second;
                due.pop_front();
                const char answer = '!';
                writeAll(m_ctx, m_respWrite[i], &answer, 1);
                m_ctx.recorder().record(EventKind::FdReady, m_respFdActors[i], {}, 1);
            }
            std::vector<pollfd> fds;
            std::vector<std::size_t> who;
            fds.push_back({ m_ctx.cancelFd(), POLLIN, 0 });
            who.push_back(n);
            for (std::size_t i = 0; i < n; ++i) {
                if (!open[i]) continue;
                fds.push_back({ m_reqRead[i], POLLIN, 0 });
                who.push_back(i);
            }
            int timeoutMs = -1;
            if (!due.empty()) {
                const auto wait = std::chrono::ceil<std::chrono::milliseconds>(due.front().first - now).count();
                timeoutMs = static_cast<int>(std::max<std::int64_t>(wait, 0));
            }
            m_ctx.setState(me, State::BlockedIo, {}, timeoutMs >= 0);
            const int rc = ::poll(fds.data(), fds.size(), timeoutMs);
            m_ctx.setState(me, State::Running);
            m_ctx.throwIfCancelled();
            if (rc < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
            if (rc <= 0) continue;
            for (std::size_t k = 1; k < fds.size(); ++k) {
                if (fds[k].revents == 0) continue;
                const std::size_t i = who[k];
                char buf[64];
                const ssize_t got = ::read(m_reqRead[i], buf, sizeof buf);
                if (got > 0) {
                    for (ssize_t b = 0; b < got; ++b)
                        due.emplace_back(std::chrono::steady_clock::now() + latency, i);
                } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                    open[i] = false;
                    --openCount;
                }
            }
        }
    }

    void runConvoy()
    {
        int sv[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
            throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
        m_clientFd = m_ctx.trackFd(sv[0]);
        m_serverFd = m_ctx.trackFd(sv[1]);
        setNonBlocking(m_clientFd);
        setNonBlocking(m_serverFd);
        m_sockActor = m_ctx.addActor(ActorKind::Fd, "sock");
        m_ctx.recorder().recordState(m_sockActor, State::FdIdle);
        m_echoActor = m_ctx.spawn("echo-server", [this] { echoLoop(); });

        // The same client code, first alone (the main thread, nobody else wants the GIL)...
        std::vector<std::int64_t> alone = clientRounds(*m_main, m_cfg.baselineRounds);
        m_baseline = std::move(alone);

        // ...then beside a CPU-bound thread.
        prepareThreads(2);
        const std::int32_t spinLine = m_lines.find("while not done");
        const std::int32_t start = m_lines.find("t.start()");
        m_ctx.recorder().record(EventKind::LineReached, m_mainActor, {}, 0, {}, start);
        startThread(
            0, "Thread-1 (spin)", [this, spinLine](PyThreadState& ts) { ts.countUntil(m_done, spinLine); }, spinLine);
        m_ctx.recorder().record(EventKind::LineReached, m_mainActor, {}, 0, {}, start);
        startThread(
            1, "Thread-2 (client)",
            [this](PyThreadState& ts) {
                m_latencies = clientRounds(ts, m_cfg.rounds);
                m_done.store(true, std::memory_order_relaxed); // done = True
            },
            m_lines.find("def client"));
        joinThreads(m_lines.find("t.join()"));
        ::shutdown(m_clientFd, SHUT_WR); // EOF: the echo server ends
        m_ctx.joinAll();
    }

    // client(sock, rounds): send one byte, wait for the echo; latency as time.perf_counter() sees it.
    std::vector<std::int64_t> clientRounds(PyThreadState& ts, int rounds)
    {
        const std::int32_t t0Line = m_lines.find("t0 = time.perf_counter()");
        const std::int32_t sendLine = m_lines.find("sock.send(");
        const std::int32_t recvLine = m_lines.find("sock.recv(");
        std::vector<std::int64_t> latencies;
        latencies.reserve(static_cast<std::size_t>(rounds));
        for (int r = 0; r < rounds; ++r) {
            // The loop's own bytecode (the for loop, perf_counter calls, latency.append), at
            // CPython's pace, with the eval-breaker check of its backward jump.
            ts.count(kClientLoopTurns, t0Line);
            const std::int64_t t0 = m_ctx.recorder().now();
            const char ping = 'x';
            ts.allowThreads(
                State::BlockedIo, m_sockActor, [&] { writeAll(m_ctx, m_clientFd, &ping, 1); }, sendLine);
            m_ctx.recorder().record(EventKind::IoWrite, ts.actor(), m_sockActor, 1, {}, sendLine);
            char pong = 0;
            const std::size_t got = ts.allowThreads(
                State::BlockedIo, m_sockActor, [&] { return readSome(m_ctx, m_clientFd, &pong, 1); }, recvLine);
            if (got == 0) throw std::runtime_error("echo server closed the socket");
            // Python code runs again only now: the GIL is back.
            latencies.push_back(m_ctx.recorder().now() - t0);
            m_ctx.recorder().record(EventKind::IoRead, ts.actor(), m_sockActor, 1, {}, recvLine);
        }
        return latencies;
    }

    // Not Python (another process in the Python version): echoes every byte back at once.
    void echoLoop()
    {
        const ActorId me = RunContext::currentActor();
        char buf[256];
        for (;;) {
            m_ctx.gate().pass(me);
            m_ctx.setState(me, State::BlockedIo, m_sockActor, false);
            const std::size_t got = readSome(m_ctx, m_serverFd, buf, sizeof buf);
            m_ctx.setState(me, State::Running);
            if (got == 0) return;
            m_ctx.recorder().record(EventKind::FdReady, m_sockActor, {}, 1);
            writeAll(m_ctx, m_serverFd, buf, got);
        }
    }

    void fillSummary(json& summary) const
    {
        const std::int64_t wallNs = m_t1 - m_t0;
        const double wallS = static_cast<double>(wallNs) / 1e9;
        summary["wall_ms"] = toMs(wallNs);
        summary["mode"] = m_cfg.modeName;
        summary["switch_interval_ms"] = m_cfg.switchIntervalMs;
        summary["gil"] = m_cfg.mode != Mode::NoGil;
        summary["count"] = m_cfg.count;
        summary["ns_per_turn"] = { { "target", m_loop.targetNsPerTurn() },
            { "calibrated", std::round(m_loop.calibratedNsPerTurn() * 100) / 100 } };
        const std::uint64_t switches = m_gil->switches();
        summary["gil_switches"] = switches;
        summary["gil_drop_requests"] = m_gil->dropRequests();
        summary["gil_switches_per_s"] = wallS > 0 ? std::round(static_cast<double>(switches) / wallS * 10) / 10 : 0.0;

        json actors = json::array();
        switch (m_cfg.mode) {
        case Mode::Sequential:
            summary["threads"] = 1;
            actors.push_back(actorJson("MainThread", m_main->times()));
            break;
        case Mode::Processes:
            summary["processes"] = m_cfg.processes;
            for (std::size_t i = 0; i < m_childThreads.size(); ++i)
                actors.push_back(actorJson("Process-" + std::to_string(i + 1), m_childTimes[i]));
            {
                // How long each child stayed a zombie (exited, not yet reaped by join()).
                json zombie = json::array();
                for (std::size_t i = 0; i < m_pool->size(); ++i)
                    zombie.push_back(m_pool->reapTs(i) >= 0 && m_pool->exitTs(i) >= 0
                            ? toMs(m_pool->reapTs(i) - m_pool->exitTs(i))
                            : 0.0);
                summary["zombie_ms"] = zombie;
            }
            break;
        default:
            summary["threads"] = m_cfg.mode == Mode::Convoy ? 2 : m_cfg.threads;
            for (std::size_t i = 0; i < m_threads.size(); ++i)
                if (m_threads[i]) actors.push_back(actorJson(m_threadNames[i], m_threads[i]->times()));
            break;
        }
        summary["actors"] = actors;

        if (m_cfg.mode == Mode::Io) {
            summary["rounds"] = m_cfg.rounds;
            summary["io_ms"] = m_cfg.ioMs;
            std::int64_t blocked = 0;
            for (const auto& t : m_threads)
                if (t) blocked += t->times().blockedIoNs;
            // Threads blocked in I/O at the same time, on average: 1 = no overlap at all.
            summary["io_overlap"]
                = wallNs > 0 ? std::round(static_cast<double>(blocked) / static_cast<double>(wallNs) * 100) / 100 : 0.0;
            summary["serial_io_ms"] = static_cast<double>(m_cfg.threads) * m_cfg.rounds * m_cfg.ioMs;
        }
        if (m_cfg.mode == Mode::Convoy) {
            summary["rounds"] = m_cfg.rounds;
            summary["io_latency_ms"] = latencyJson(m_latencies);
            summary["io_latency_alone_ms"] = latencyJson(m_baseline);
        }
    }

    RunContext& m_ctx;
    GilConfig m_cfg;
    SnippetLines m_lines;
    PacedLoop m_loop;
    std::unique_ptr<Gil> m_gil;
    ActorId m_mainActor;
    std::unique_ptr<PyThreadState> m_main;
    std::int64_t m_t0 = 0;
    std::int64_t m_t1 = 0;

    // Python threads
    std::unique_ptr<JoinLatch> m_latch;
    std::mutex m_threadsMutex;
    std::vector<std::unique_ptr<PyThreadState>> m_threads;
    std::vector<std::string> m_threadNames;
    std::vector<ActorId> m_threadActors;

    // processes
    std::unique_ptr<ProcessPool> m_pool;
    CountJob m_job;
    std::vector<ActorId> m_childThreads;
    std::vector<ActorId> m_childGils;
    std::vector<PyThreadState::Times> m_childTimes;
    std::vector<std::int64_t> m_childTaken;

    // io
    std::vector<int> m_reqRead, m_reqWrite, m_respRead, m_respWrite;
    std::vector<ActorId> m_respFdActors;
    ActorId m_deviceActor;

    // convoy
    int m_clientFd = -1;
    int m_serverFd = -1;
    ActorId m_sockActor;
    ActorId m_echoActor;
    std::atomic<bool> m_done { false };
    std::vector<std::int64_t> m_latencies;
    std::vector<std::int64_t> m_baseline;
};

class GilScenario final : public Scenario {
public:
    void validate(const ScenarioInput& input) const override { ConfigReader(input).read(); }

    void run(RunContext& ctx, const ScenarioInput& input, json& summary) override
    {
        GilProgram program(ctx, input, ConfigReader(input).read());
        try {
            program.run(summary);
        } catch (const Cancelled&) {
            program.abandon(RunOutcome::Cancelled);
            program.fillPartialSummary(summary);
            throw;
        } catch (...) {
            program.abandon(RunOutcome::Failed);
            throw;
        }
    }
};

} // namespace

std::unique_ptr<Scenario> makeGilScenario()
{
    return std::make_unique<GilScenario>();
}

} // namespace lockstep
