#include "lockstep/gil/GilProgram.h"

#include "lockstep/engine/CpuAvailability.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace lockstep {

namespace {

using json = nlohmann::json;

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

} // namespace

GilProgram::GilProgram(RunContext& ctx, const std::string& python, GilConfig config, const PacedLoop& loop)
    : m_ctx(ctx), m_cfg(std::move(config)), m_lines(python), m_loop(loop)
{
}

void GilProgram::run(json& summary)
{
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
    const CpuAvailability cpu;
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
    noteMachine(cpu.read());
    fillSummary(summary);
}

// Called when run() is left by an exception: stop everything that may still run.
void GilProgram::abandon(RunOutcome why)
{
    m_ctx.cancel(why);
    m_ctx.joinAll();
    if (m_pool) m_pool->killAll();
}

void GilProgram::fillPartialSummary(json& summary) const
{
    summary["switch_interval_ms"] = m_cfg.switchIntervalMs;
    if (m_gil) summary["gil_switches"] = m_gil->switches();
}

std::chrono::nanoseconds GilProgram::intervalNs() const
{
    return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(m_cfg.switchIntervalMs * 1e6)));
}

// Starts a Python thread running `body(state)`; the thread owns a PyThreadState in m_threads.
void GilProgram::startThread(std::size_t index, const std::string& name, ThreadBody body, std::int32_t line)
{
    m_threadNames[index] = name;
    m_threadActors[index] = m_ctx.spawn(
        name,
        [this, index, body = std::move(body), line] {
            const JoinLatch::Guard finished(*m_latch, index);
            const JoinLatch::Guard started(*m_started, index); // also if it never gets that far
            auto state = std::make_unique<PyThreadState>(m_ctx, RunContext::currentActor(), *m_gil, m_loop);
            PyThreadState* ts = state.get();
            {
                std::lock_guard lock(m_threadsMutex);
                m_threads[index] = std::move(state);
            }
            ts->runThread(
                [&](PyThreadState& self) {
                    // Thread._bootstrap_inner: self._started.set() is the new thread's first
                    // Python code, run with the GIL it took in t_bootstrap.
                    m_started->markFinished(index);
                    body(self);
                },
                line);
        },
        m_mainActor);
    // Thread.start() ends in self._started.wait(), with the GIL released: the new thread takes
    // the GIL at once, and the starter gets it back only when the new thread drops it (for a
    // CPU-bound thread, when the starter's drop request comes, a switch interval later).
    const std::int32_t startLine = m_lines.find("t.start()");
    m_main->allowThreads(
        State::Blocked, m_threadActors[index], [&] { m_started->waitFinished(index); }, startLine, true);
}

void GilProgram::prepareThreads(std::size_t n)
{
    m_latch = std::make_unique<JoinLatch>(m_ctx, n);
    m_started = std::make_unique<JoinLatch>(m_ctx, n);
    m_threads.resize(n);
    m_threadNames.resize(n);
    m_threadActors.resize(n);
}

// t.join() for every thread, in order, with the GIL released while waiting. The wait is
// passed to the stall detector as timed: a joiner can only be stuck if the threads it joins
// are, and those are watched themselves.
void GilProgram::joinThreads(std::int32_t line)
{
    for (std::size_t i = 0; i < m_threadActors.size(); ++i)
        m_main->allowThreads(
            State::Blocked, m_threadActors[i], [&] { m_latch->waitFinished(i); }, line, true);
}

void GilProgram::runSequential()
{
    const std::int32_t call = m_lines.findStatement("count(n)");
    const std::int32_t loop = m_lines.find("while n > 0");
    m_ctx.recorder().record(EventKind::LineReached, m_mainActor, {}, 0, {}, call);
    m_main->count(m_cfg.count, loop);
    m_ctx.recorder().record(EventKind::LineReached, m_mainActor, {}, 0, {}, call > 0 ? call + 1 : 0);
    m_main->count(m_cfg.count, loop);
}

void GilProgram::runThreads()
{
    const std::int32_t loop = m_lines.find("while n > 0");
    const std::int32_t start = m_lines.find("t.start()");
    const auto n = static_cast<std::size_t>(m_cfg.threads);
    prepareThreads(n);
    for (std::size_t i = 0; i < n; ++i) {
        m_ctx.recorder().record(EventKind::LineReached, m_mainActor, {}, 0, {}, start);
        const std::int64_t turns = m_cfg.count;
        startThread(
            i, "Thread-" + std::to_string(i + 1), [turns, loop](PyThreadState& ts) { ts.count(turns, loop); }, loop);
    }
    joinThreads(m_lines.find("t.join()"));
    m_ctx.joinAll();
}

void GilProgram::runProcesses()
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
void GilProgram::onChildRecord(std::size_t child, const ChildRecord& r)
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
        m_childTimes[child].turnsCounted = r.a;
        m_childTimes[child].countingCpuNs = r.b;
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

int GilProgram::coresNeeded() const
{
    switch (m_cfg.mode) {
    case Mode::Convoy:
        return 2; // the CPU-bound thread on one core, the I/O thread's wake-ups on another
    case Mode::Processes:
        return m_cfg.processes;
    case Mode::NoGil:
        return m_cfg.threads;
    default:
        return 1; // one thread runs Python at a time
    }
}

void GilProgram::noteMachine(const CpuAvailability::Reading& cpu)
{
    const int needed = std::min(coresNeeded(), std::max(cpu.cores, 1));
    m_freeCores = cpu.valid ? cpu.freeCores : -1;
    m_cpuPressure = cpu.pressure;
    // CPU pressure says it to the microsecond, but only while the program itself does not keep
    // more threads runnable than there are cores; the free-core count needs 50 ms or more, with
    // half a core of slack for the kernel's 10 ms ticks.
    const bool pressured = cpu.pressure >= 0 && coresNeeded() <= cpu.cores && cpu.pressure > 0.25;
    const bool crowded = cpu.valid && cpu.freeCores < static_cast<double>(needed) - 0.5;
    m_machineBusy = pressured || crowded;
    if (!m_machineBusy) return;
    std::ostringstream os;
    os << "machine busy: "
       << std::round(std::max(cpu.valid ? cpu.freeCores : cpu.cores * (1 - cpu.pressure), 0.0) * 10) / 10 << " of "
       << cpu.cores << " cores were free, this mode needs " << needed
       << ": what it shows here is not what a quiet machine shows";
    m_ctx.recorder().recordText(EventKind::Mark, {}, os.str());
}

json GilProgram::cpuNsPerTurn() const
{
    std::int64_t cpu = 0;
    std::int64_t turns = 0;
    auto add = [&](const PyThreadState::Times& t) {
        cpu += t.countingCpuNs;
        turns += t.turnsCounted;
    };
    if (m_cfg.mode == Mode::Processes) {
        for (const auto& t : m_childTimes) add(t);
    } else {
        if (m_main) add(m_main->times());
        for (const auto& t : m_threads)
            if (t) add(t->times());
    }
    if (turns == 0) return nullptr;
    return std::round(static_cast<double>(cpu) / static_cast<double>(turns) * 100) / 100;
}

void GilProgram::fillSummary(json& summary) const
{
    // Whether the machine left the cores this mode's effect needs (CPython itself shows no
    // convoy with a CPU hog on the other core): a busy run says so instead of misleading.
    summary["machine_busy"] = m_machineBusy;
    summary["free_cores"] = m_freeCores < 0 ? json(nullptr) : json(std::round(m_freeCores * 100) / 100);
    summary["cpu_pressure"] = m_cpuPressure < 0 ? json(nullptr) : json(std::round(m_cpuPressure * 1000) / 1000);
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
    summary["cpu_ns_per_turn"] = cpuNsPerTurn();

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
        // The cores the two threads were pinned to, or null: not asked, or fewer than two cores.
        summary["pinned_cores"] = m_pinnedCores.empty() ? json(nullptr) : json(m_pinnedCores);
    }
}

} // namespace lockstep
