#include "lockstep/futures/FuturesProgram.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/engine/PyError.h"
#include "lockstep/futures/ThreadPool.h"
#include "lockstep/lesson/Lesson.h"

#include <chrono>
#include <cstdlib>
#include <mutex>

namespace lockstep {

FuturesConfig FuturesConfig::parse(const nlohmann::json& config, const ConfigReader::Where& where)
{
    const ConfigReader r(where, config);
    r.allowOnly({ "tasks", "workers", "mode", "cancel", "callbacks" });
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
    m_ctx.setState(mainThread, State::Running);
    nlohmann::json transcript = nlohmann::json::array();
    nlohmann::json callbacks = nlohmann::json::array();
    std::mutex callbackMutex;
    std::vector<std::int64_t> submittedTs;
    const auto say = [&](const std::string& line) {
        transcript.push_back(line);
        m_ctx.recorder().recordText(EventKind::Say, mainThread, line);
    };

    ThreadPool pool(m_ctx, m_cfg.workers, mainThread);
    // The workers use the pool and the callbacks these locals: every thread is stopped and joined
    // before they go, however the program ends.
    try {
        std::vector<Future*> fs;
        for (std::size_t i = 0; i < m_cfg.tasks.size(); ++i) {
            const Task task = m_cfg.tasks[i];
            submittedTs.push_back(m_ctx.recorder().now());
            fs.push_back(&pool.submit(static_cast<int>(i), [this, task](int index) -> std::int64_t {
                m_ctx.sleepFor(std::chrono::milliseconds(task.ms)); // time.sleep(duration)
                if (task.raises) throw PyError("ValueError", "task " + std::to_string(index));
                return std::int64_t { index } * 10;
            }));
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
            // shutdown(wait=False, cancel_futures=True): drains the work queue, cancelling each
            // item's future, and returns at once; what a worker already took runs to its end.
            pool.shutdown(false, true);
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
        pool.shutdown(true); // leaving `with ThreadPoolExecutor(...)` (again after mode shutdown, as CPython)
        // t.join() returns once the thread has ended: the latch said each worker is done, now
        // its OS thread is gone too (the runner counts live threads when the program returns).
        m_ctx.joinAll();
    } catch (const Cancelled&) {
        abandon(RunOutcome::Cancelled);
        throw;
    } catch (...) {
        abandon(RunOutcome::Failed);
        throw;
    }
    m_ctx.setState(mainThread, State::Terminated);

    nlohmann::json futures = nlohmann::json::array();
    for (const auto& f : pool.futures()) {
        nlohmann::json states = nlohmann::json::array();
        nlohmann::json started, finished;
        for (const auto& [state, ts] : f->history()) {
            states.push_back(futureStateName(state));
            if (state == FutureState::Running) started = msSince(ts);
            if (state == FutureState::Finished || state == FutureState::CancelledAndNotified
                || state == FutureState::Cancelled)
                finished = msSince(ts);
        }
        const std::string worker = pool.workerOf(f->index());
        futures.push_back({ { "index", f->index() }, { "states", states },
            { "submitted_ms", msSince(submittedTs[static_cast<std::size_t>(f->index())]) }, { "started_ms", started },
            { "finished_ms", finished }, { "worker", worker.empty() ? nlohmann::json() : nlohmann::json(worker) } });
    }
    summary["transcript"] = transcript;
    summary["futures"] = futures;
    summary["workers_started"] = pool.workersStarted();
    if (m_cfg.callbacks) summary["callbacks"] = callbacks;
}

} // namespace lockstep
