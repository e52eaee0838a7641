#include "lockstep/futures/FuturesProgram.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/engine/PyError.h"
#include "lockstep/futures/ProcessPoolExecutor.h"
#include "lockstep/futures/ThreadPool.h"
#include "lockstep/gil/PyThreadState.h"
#include "lockstep/lesson/Lesson.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <mutex>

namespace lockstep {

FuturesConfig FuturesConfig::parse(const nlohmann::json& config, const ConfigReader::Where& where)
{
    const ConfigReader r(where, config);
    r.allowOnly({ "tasks", "workers", "mode", "cancel", "callbacks", "executor", "work" });
    FuturesConfig c;
    const std::string spec = r.requiredString("tasks");
    std::size_t pos = 0;
    while (pos <= spec.size()) {
        const std::size_t comma = std::min(spec.find(',', pos), spec.size());
        std::string token = spec.substr(pos, comma - pos);
        const auto b = token.find_first_not_of(" \t");
        const auto e = token.find_last_not_of(" \t");
        token = b == std::string::npos ? std::string() : token.substr(b, e - b + 1);
        Task t;
        if (!token.empty() && token.back() == '!') {
            t.raises = true;
            token.pop_back();
        }
        const bool digits
            = !token.empty() && token.size() <= 5 && token.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || std::atoi(token.c_str()) > 10'000)
            r.fail("tasks",
                "task " + std::to_string(c.tasks.size()) + " is '" + spec.substr(pos, comma - pos)
                    + "' (allowed: comma-separated durations 0..10000 ms, each may end in '!' to raise)");
        t.ms = std::atoi(token.c_str());
        c.tasks.push_back(t);
        if (c.tasks.size() > 64) r.fail("tasks", "more than 64 tasks (allowed: 1..64)");
        pos = comma + 1;
    }
    c.workers = r.integer("workers", c.workers, 1, Limits::kMaxThreads - 1);
    c.mode = static_cast<Mode>(r.choice("mode", { "as_completed", "map", "wait_first", "shutdown" }, 0));
    c.cancel = r.integer("cancel", c.cancel, -1, static_cast<int>(c.tasks.size()) - 1);
    c.callbacks = r.boolean("callbacks", false);
    c.executor = static_cast<Executor>(r.choice("executor", { "threads", "processes" }, 0));
    c.work = static_cast<Work>(r.choice("work", { "sleep", "cpu" }, 0));
    // A process pool forks every worker at once; the run's processes stay within the cap.
    if (c.executor == Executor::Processes && c.workers > Limits::kMaxProcesses - 1)
        r.fail("workers",
            "wrong value: " + std::to_string(c.workers) + " worker processes (allowed: 1.."
                + std::to_string(Limits::kMaxProcesses - 1) + " with executor \"processes\")");
    return c;
}

FuturesProgram::FuturesProgram(RunContext& ctx, FuturesConfig config) : m_ctx(ctx), m_cfg(std::move(config))
{
}

void FuturesProgram::abandon(RunOutcome why)
{
    m_ctx.cancel(why);
    m_ctx.joinAll();
}

namespace {

using Task = FuturesConfig::Task;
using Mode = FuturesConfig::Mode;

double msSince(std::int64_t ts)
{
    return static_cast<double>(ts) / 1e6;
}

std::string outcomeOf(Future& f)
{
    try {
        return std::to_string(f.result());
    } catch (const PyError& e) {
        return e.type() == "CancelledError" ? "cancelled" : e.type();
    }
}

} // namespace

void FuturesProgram::run(nlohmann::json& summary)
{
    const ActorId mainThread = m_ctx.addActor(ActorKind::Thread, "MainThread");
    m_ctx.adoptCurrentThread(mainThread);
    // One interpreter: MainThread and the pool's threads run Python code only while they hold its
    // GIL (sys.getswitchinterval() = 5 ms); every blocking call lets go of it. Worker processes
    // have interpreters of their own.
    Gil gil(m_ctx, std::chrono::milliseconds(5));
    const PacedLoop loop = PacedLoop::withSpin(1);
    PyThreadState mainTs(m_ctx, mainThread, gil, loop);
    const RunContext::BlockingHookScope mainHook(mainTs);
    mainTs.start();
    nlohmann::json transcript = nlohmann::json::array();
    nlohmann::json callbacks = nlohmann::json::array();
    std::mutex callbackMutex;
    std::vector<std::int64_t> submittedTs;
    std::vector<std::int64_t> threadCpuNs(m_cfg.tasks.size(), -1);
    const auto say = [&](const std::string& line) {
        transcript.push_back(line);
        m_ctx.recorder().recordText(EventKind::Say, mainThread, line);
    };

    const bool processes = m_cfg.executor == FuturesConfig::Executor::Processes;
    const bool cpu = m_cfg.work == FuturesConfig::Work::Cpu;
    std::optional<ThreadPool> threadPool;
    std::optional<ProcessPoolExecutor> processPool;
    if (processes) processPool.emplace(m_ctx, m_cfg.workers, mainThread, &gil, &loop);
    else threadPool.emplace(m_ctx, m_cfg.workers, mainThread, "ThreadPoolExecutor-0", &gil, &loop);
    const auto submit = [&](int index, const Task task) -> Future& {
        if (processes) return processPool->submit(index, { task.ms, task.raises, cpu });
        return threadPool->submit(index, [this, task, cpu, &callbackMutex, &threadCpuNs](int i) -> std::int64_t {
            const std::int64_t cpu0 = PacedLoop::threadCpuNs();
            if (cpu) {
                // while thread_time() < end: pass -- holding the GIL, taking turns with the others.
                auto* ts = dynamic_cast<PyThreadState*>(RunContext::blockingHook());
                if (ts) ts->burnCpu(std::int64_t { task.ms } * 1'000'000);
            } else {
                m_ctx.sleepFor(std::chrono::milliseconds(task.ms)); // time.sleep(duration)
            }
            {
                std::lock_guard lock(callbackMutex);
                threadCpuNs[static_cast<std::size_t>(i)] = PacedLoop::threadCpuNs() - cpu0;
            }
            if (task.raises) throw PyError("ValueError", "task " + std::to_string(i));
            return std::int64_t { i } * 10;
        });
    };
    const auto shutdown = [&](bool wait, bool cancelFutures) {
        if (processes) processPool->shutdown(wait, cancelFutures);
        else threadPool->shutdown(wait, cancelFutures);
    };
    // The workers use the pool and the callbacks these locals: every thread is stopped and joined
    // before they go, however the program ends.
    try {
        std::vector<Future*> fs;
        for (std::size_t i = 0; i < m_cfg.tasks.size(); ++i) {
            submittedTs.push_back(m_ctx.recorder().now());
            fs.push_back(&submit(static_cast<int>(i), m_cfg.tasks[i]));
            if (m_cfg.callbacks)
                fs.back()->addDoneCallback([&](Future& f) {
                    std::lock_guard lock(callbackMutex);
                    const ActorId who = RunContext::currentActor();
                    callbacks.push_back({ { "index", f.index() }, { "thread", m_ctx.recorder().actorName(who) } });
                });
        }
        if (m_cfg.cancel >= 0) {
            const bool ok = fs[static_cast<std::size_t>(m_cfg.cancel)]->cancel();
            say("cancel " + std::to_string(m_cfg.cancel) + ": " + (ok ? "True" : "False"));
        }
        switch (m_cfg.mode) {
        case Mode::AsCompleted:
            asCompleted(m_ctx, fs, [&](Future& f) { say(std::to_string(f.index()) + ": " + outcomeOf(f)); });
            break;
        case Mode::Map:
            // Executor.map's result iterator: results in submission order; an exception ends it,
            // and closing it cancels every future not reached yet.
            for (std::size_t i = 0; i < fs.size(); ++i) {
                const std::string outcome = outcomeOf(*fs[i]);
                fs[i]->cancel();
                say(std::to_string(i) + ": " + outcome);
                if (outcome == "ValueError" || outcome == "cancelled") {
                    for (std::size_t k = i + 1; k < fs.size(); ++k)
                        fs[k]->cancel();
                    break;
                }
            }
            break;
        case Mode::Shutdown:
            // shutdown(wait=False, cancel_futures=True): cancels every future not started yet
            // and returns at once; what a worker already took runs to its end.
            shutdown(false, true);
            say("shutdown returned");
            for (std::size_t i = 0; i < fs.size(); ++i)
                say(std::to_string(i) + ": " + outcomeOf(*fs[i]));
            break;
        case Mode::WaitFirst: {
            const auto [done, pending] = waitFirstCompleted(m_ctx, fs);
            std::string list = "done: [";
            for (std::size_t k = 0; k < done.size(); ++k)
                list += (k ? ", " : "") + std::to_string(done[k]->index());
            say(list + "]");
            say("pending: " + std::to_string(pending));
            break;
        }
        }
        shutdown(true, false); // leaving `with ...Executor(...)` (again after mode shutdown, as CPython)
        mainTs.finish();
        // t.join() returns once the thread has ended: the latch said each worker is done, now
        // its OS thread is gone too (the runner counts live threads when the program returns).
        m_ctx.joinAll();
    } catch (const Cancelled&) {
        mainTs.releaseOnExit();
        abandon(RunOutcome::Cancelled);
        throw;
    } catch (...) {
        mainTs.releaseOnExit();
        abandon(RunOutcome::Failed);
        throw;
    }

    auto& all = processes ? processPool->futures() : threadPool->futures();
    nlohmann::json futures = nlohmann::json::array();
    std::int64_t firstStart = -1, lastFinish = -1, cpuTotal = 0;
    for (const auto& f : all) {
        nlohmann::json states = nlohmann::json::array();
        nlohmann::json started, finished;
        for (const auto& [state, ts] : f->history()) {
            states.push_back(futureStateName(state));
            if (state == FutureState::Running) {
                started = msSince(ts);
                if (firstStart < 0 || ts < firstStart) firstStart = ts;
            }
            if (state == FutureState::Finished || state == FutureState::CancelledAndNotified
                || state == FutureState::Cancelled)
                finished = msSince(ts);
            if (state == FutureState::Finished) lastFinish = std::max(lastFinish, ts);
        }
        const auto i = static_cast<std::size_t>(f->index());
        const std::string worker = processes ? processPool->workerOf(f->index()) : threadPool->workerOf(f->index());
        const std::int64_t cpuNs = processes ? processPool->cpuNsOf(f->index()) : threadCpuNs[i];
        if (cpuNs > 0) cpuTotal += cpuNs;
        futures.push_back({ { "index", f->index() }, { "states", states }, { "submitted_ms", msSince(submittedTs[i]) },
            { "started_ms", started }, { "finished_ms", finished },
            { "worker", worker.empty() ? nlohmann::json() : nlohmann::json(worker) },
            { "cpu_ms", cpuNs < 0 ? nlohmann::json() : nlohmann::json(std::round(msSince(cpuNs) * 100) / 100) } });
    }
    summary["executor"] = processes ? "processes" : "threads";
    summary["work"] = cpu ? "cpu" : "sleep";
    // How many cores the tasks kept busy at once: their CPU time over the span from the first
    // start to the last finish. Threads under the GIL stay at about 1; processes reach the cores.
    if (firstStart >= 0 && lastFinish > firstStart) {
        summary["busy_ms"] = std::round(msSince(lastFinish - firstStart) * 10) / 10;
        summary["cpu_ms"] = std::round(msSince(cpuTotal) * 10) / 10;
        summary["parallelism"] = std::round(static_cast<double>(cpuTotal) / static_cast<double>(lastFinish - firstStart) * 100) / 100;
    }
    summary["gil_switches"] = gil.switches();
    summary["transcript"] = transcript;
    summary["futures"] = futures;
    summary["workers_started"] = processes ? processPool->workersStarted() : threadPool->workersStarted();
    if (m_cfg.callbacks) summary["callbacks"] = callbacks;
}

} // namespace lockstep
