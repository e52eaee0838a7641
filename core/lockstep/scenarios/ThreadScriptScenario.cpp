#include "lockstep/scenarios/ThreadScriptScenario.h"

#include "lockstep/engine/PyError.h"
#include "lockstep/engine/ThreadScope.h"
#include "lockstep/scenarios/ThreadScript.h"
#include "lockstep/sync/Condition.h"
#include "lockstep/sync/Lock.h"
#include "lockstep/sync/Queue.h"
#include "lockstep/sync/RLock.h"
#include "lockstep/sync/Semaphore.h"
#include "lockstep/sync/SyncEvent.h"
#include "lockstep/trace/Coffman.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <random>
#include <set>

namespace lockstep {

namespace {
constexpr std::size_t kMaxTranscript = 10'000;
constexpr std::size_t kMaxOrder = 10'000;

// `break`: unwinds to the innermost for / loop / repeat, releasing every `with` on the way out as
// Python's break does.
struct BreakLoop { };

double seconds(double ms)
{
    return ms < 0 ? -1 : ms / 1000.0;
}
} // namespace

namespace {

using nlohmann::json;

// Shared state of one script run: the primitives, shared variables, transcript and counters.
class ScriptWorld final : public Wakeable {
public:
    ScriptWorld(RunContext& ctx, const ScriptProgram& prog, Lang lang, std::uint64_t seed)
        : m_ctx(ctx), m_lang(lang), m_vars(prog.vars), m_seed(seed)
    {
        for (const auto& l : prog.locks) {
            if (l.kind == "RLock") m_locks[l.name] = std::make_shared<RLock>(ctx, l.name);
            else m_locks[l.name] = std::make_shared<Lock>(ctx, l.name);
        }
        for (const auto& s : prog.semaphores) {
            auto sem = std::make_shared<Semaphore>(ctx, s.name, s.value, s.kind == "BoundedSemaphore");
            m_sems[s.name] = sem;
        }
        for (const auto& c : prog.conditions)
            m_conds[c.name] = std::make_shared<Condition>(ctx, c.name, c.lock.empty() ? nullptr : m_locks.at(c.lock));
        for (const auto& e : prog.events)
            m_events[e.name] = std::make_shared<SyncEvent>(ctx, e.name);
        for (const auto& q : prog.queues) {
            const auto order = q.kind == "LifoQueue" ? Queue::Order::Lifo
                : q.kind == "PriorityQueue"          ? Queue::Order::Priority
                                                     : Queue::Order::Fifo;
            m_queues[q.name] = std::make_shared<Queue>(ctx, q.name, q.maxsize, order);
        }
        ctx.addWakeable(this);
    }
    ~ScriptWorld() override { m_ctx.removeWakeable(this); }

    void wakeAll() override
    {
        { std::lock_guard l(m_mutex); }
        m_cv.notify_all();
    }

    RunContext& m_ctx;
    Lang m_lang;
    std::map<std::string, std::shared_ptr<LockBase>> m_locks;
    std::map<std::string, std::shared_ptr<Semaphore>> m_sems;
    std::map<std::string, std::shared_ptr<Condition>> m_conds;
    std::map<std::string, std::shared_ptr<SyncEvent>> m_events;
    std::map<std::string, std::shared_ptr<Queue>> m_queues;

    std::mutex m_mutex; // guards everything below
    std::condition_variable m_cv;
    json m_vars;
    std::vector<std::string> m_transcript;
    std::uint64_t m_transcriptDropped = 0;
    std::map<std::string, std::map<std::string, long>> m_counters; // thread -> counter -> value
    std::map<std::string, int> m_phase;                            // thread -> 0 running, 1 waiting/blocked, 2 ended
    long m_retries = 0;
    std::uint64_t m_seed;
    // Updated as the operations return, from what they returned: never an expected outcome.
    json m_order = json::array(); // items in the order get() returned them
    json m_waitResults = json::object(); // thread -> [event_wait results]
    std::map<std::string, int> m_inside, m_maxInside; // section -> threads inside now / at most
    std::chrono::nanoseconds m_putTime { 0 }, m_getTime { 0 }; // spent inside put() / get()

    void setPhase(const std::string& thread, int phase)
    {
        {
            std::lock_guard l(m_mutex);
            m_phase[thread] = std::max(m_phase[thread], phase);
        }
        m_cv.notify_all();
    }
};

class Interpreter {
public:
    Interpreter(ScriptWorld& world, const ScriptThread& thread)
        : m_w(world), m_ctx(world.m_ctx), m_thread(thread), m_self(RunContext::currentActor()),
          m_rng(world.m_seed * 1000003u + std::hash<std::string>{}(thread.name))
    {
    }

    void run(const std::vector<ScriptOp>& ops)
    {
        for (const auto& op : ops) exec(op);
    }

private:
    void line(const ScriptOp& op)
    {
        if (op.line > 0) m_ctx.recorder().record(EventKind::LineReached, m_self, {}, 0, {}, op.line);
    }
    // About to block (or maybe block): threads that start "after" this one may go now.
    void blocking() { m_w.setPhase(m_thread.name, 1); }

    void acquire(LockBase& lock)
    {
        // A peek, not an acquire attempt: it only decides when threads that start "after" this
        // one may go, so a stale answer changes timing, never what the primitives record.
        if (lock.locked()) blocking();
        lock.acquire();
    }

    void exec(const ScriptOp& op)
    {
        line(op);
        switch (op.kind) {
        case ScriptOp::Kind::Acquire:
            acquireNamed(op.target);
            break;
        case ScriptOp::Kind::Release:
            m_w.m_locks.at(op.target)->release();
            break;
        case ScriptOp::Kind::With:
            withBlock(op);
            break;
        case ScriptOp::Kind::Sleep: {
            const double ms = op.ms + op.stepMs * m_thread.copy;
            m_ctx.sleepFor(std::chrono::nanoseconds(static_cast<std::int64_t>(ms * 1e6)), op.line);
            break;
        }
        case ScriptOp::Kind::Wait: {
            blocking();
            m_w.m_conds.at(op.target)->wait(op.timeoutMs < 0 ? -1 : op.timeoutMs / 1000.0);
            break;
        }
        case ScriptOp::Kind::WaitFor: {
            blocking();
            const std::string var = op.targets.front();
            m_w.m_conds.at(op.target)->waitFor(
                [&] {
                    std::lock_guard l(m_w.m_mutex);
                    return m_w.m_vars[var] == op.value;
                },
                op.timeoutMs < 0 ? -1 : op.timeoutMs / 1000.0);
            break;
        }
        case ScriptOp::Kind::Notify:
            m_w.m_conds.at(op.target)->notify(op.n);
            break;
        case ScriptOp::Kind::NotifyAll:
            m_w.m_conds.at(op.target)->notifyAll();
            break;
        case ScriptOp::Kind::Say: {
            m_ctx.gate().pass(m_self);
            const std::string text = m_thread.speaker.get(m_w.m_lang) + ": " + format(op.text.get(m_w.m_lang));
            m_ctx.recorder().recordText(EventKind::Say, m_self, text, {}, 0, op.line);
            std::lock_guard l(m_w.m_mutex);
            // A say in a loop must not grow the summary without bound: keep the first lines.
            if (m_w.m_transcript.size() < kMaxTranscript) m_w.m_transcript.push_back(text);
            else ++m_w.m_transcriptDropped;
            break;
        }
        case ScriptOp::Kind::Set: {
            m_ctx.gate().pass(m_self);
            std::lock_guard l(m_w.m_mutex);
            m_w.m_vars[op.target] = op.value;
            break;
        }
        case ScriptOp::Kind::Repeat:
            loop([&](int i) { return i < op.n; }, op.body);
            break;
        case ScriptOp::Kind::TryAcquireAll:
            tryAcquireAll(op);
            break;
        case ScriptOp::Kind::Count: {
            m_ctx.gate().pass(m_self);
            std::lock_guard l(m_w.m_mutex);
            ++m_w.m_counters[m_thread.name][op.target];
            break;
        }
        default:
            toolkit(op);
        }
    }

    // Runs `body` while more(iteration) holds, until a break.
    template <typename More> void loop(More more, const std::vector<ScriptOp>& body)
    {
        try {
            for (int i = 0; more(i); ++i) {
                m_ctx.gate().pass(m_self); // a cancellation point even for a body of ifs
                run(body);
            }
        } catch (const BreakLoop&) {
        }
    }

    // A thread-local (bound by `as`) or else a shared var; null while unbound.
    json value(const std::string& name)
    {
        if (m_locals.contains(name)) return m_locals[name];
        std::lock_guard l(m_w.m_mutex);
        return m_w.m_vars.contains(name) ? m_w.m_vars[name] : json();
    }

    void bind(const ScriptOp& op, json v)
    {
        if (!op.as.empty()) m_locals[op.as] = std::move(v);
    }

    // A say text with `{name}` replaced by str(value), as an f-string prints it.
    std::string format(const std::string& text)
    {
        if (text.find('{') == std::string::npos) return text;
        std::string out = text;
        for (const std::string& name : scriptPlaceholders(text)) {
            const std::string key = "{" + name + "}";
            const std::string v = pyStr(value(name));
            for (std::size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + v.size()))
                out.replace(at, key.size(), v);
        }
        return out;
    }

    template <typename Call> auto timed(std::chrono::nanoseconds& total, Call call)
    {
        const auto start = std::chrono::steady_clock::now();
        struct Add {
            ScriptWorld& w;
            std::chrono::nanoseconds& total;
            std::chrono::steady_clock::time_point start;
            ~Add()
            {
                std::lock_guard l(w.m_mutex);
                total += std::chrono::steady_clock::now() - start;
            }
        } add { m_w, total, start };
        return call();
    }

    void toolkit(const ScriptOp& op)
    {
        using K = ScriptOp::Kind;
        switch (op.kind) {
        case K::EventSet:
            m_w.m_events.at(op.target)->set();
            break;
        case K::EventClear:
            m_w.m_events.at(op.target)->clear();
            break;
        case K::EventWait: {
            SyncEvent& ev = *m_w.m_events.at(op.target);
            if (!ev.isSet()) blocking();
            const bool ok = ev.wait(seconds(op.timeoutMs));
            bind(op, ok);
            std::lock_guard l(m_w.m_mutex);
            m_w.m_waitResults[m_thread.name].push_back(ok);
            break;
        }
        case K::IsSet:
            m_ctx.gate().pass(m_self);
            bind(op, m_w.m_events.at(op.target)->isSet());
            break;
        case K::SemAcquire: {
            Semaphore& sem = *m_w.m_sems.at(op.target);
            if (sem.value() == 0) blocking();
            bind(op, sem.acquire(true, seconds(op.timeoutMs)));
            break;
        }
        case K::SemRelease:
            m_w.m_sems.at(op.target)->release(op.n);
            break;
        case K::Put: {
            Queue& q = *m_w.m_queues.at(op.target);
            if (q.full()) blocking();
            json item = op.var.empty() ? op.value : value(op.var);
            timed(m_w.m_putTime, [&] { q.put(std::move(item), true, seconds(op.timeoutMs)); });
            break;
        }
        case K::Get: {
            Queue& q = *m_w.m_queues.at(op.target);
            if (q.empty()) blocking();
            json item = timed(m_w.m_getTime, [&] { return q.get(true, seconds(op.timeoutMs)); });
            {
                std::lock_guard l(m_w.m_mutex);
                if (m_w.m_order.size() < kMaxOrder) m_w.m_order.push_back(item);
            }
            bind(op, std::move(item));
            break;
        }
        case K::TaskDone:
            m_w.m_queues.at(op.target)->taskDone();
            break;
        case K::Join: {
            Queue& q = *m_w.m_queues.at(op.target);
            if (q.unfinishedTasks() > 0) blocking();
            q.join();
            break;
        }
        case K::Inside:
            inside(op);
            break;
        case K::For: {
            const json& values = op.value;
            loop(
                [&](int i) {
                    if (static_cast<std::size_t>(i) >= values.size()) return false;
                    m_locals[op.as] = values[static_cast<std::size_t>(i)];
                    return true;
                },
                op.body);
            break;
        }
        case K::Loop:
            loop([](int) { return true; }, op.body);
            break;
        case K::If:
            if (pyEquals(value(op.var), op.value)) run(op.body);
            break;
        case K::Break:
            throw BreakLoop {};
        default:
            break;
        }
    }

    // The section's count goes up as the thread enters and down on every way out.
    void inside(const ScriptOp& op)
    {
        m_ctx.gate().pass(m_self);
        {
            std::lock_guard l(m_w.m_mutex);
            const int now = ++m_w.m_inside[op.target];
            m_w.m_maxInside[op.target] = std::max(m_w.m_maxInside[op.target], now);
        }
        struct Leave {
            ScriptWorld& w;
            const std::string& section;
            ~Leave()
            {
                std::lock_guard l(w.m_mutex);
                --w.m_inside[section];
            }
        } leave { m_w, op.target };
        run(op.body);
    }

    void acquireNamed(const std::string& name) { acquire(*m_w.m_locks.at(name)); }

    void withBlock(const ScriptOp& op)
    {
        const std::string kind = op.value.get<std::string>();
        // Acquire, run the body, release on every exit path (as a Python `with` does) — except
        // on cancellation, where the run is being torn down and every lock is abandoned anyway.
        if (kind == "lock") {
            LockBase& lock = *m_w.m_locks.at(op.target);
            acquire(lock);
            runThenRelease(op.body, [&] { lock.release(); });
        } else if (kind == "cond") {
            Condition& cond = *m_w.m_conds.at(op.target);
            acquire(cond.lock());
            runThenRelease(op.body, [&] { cond.release(); });
        } else {
            Semaphore& sem = *m_w.m_sems.at(op.target);
            if (sem.value() == 0) blocking();
            sem.acquire();
            runThenRelease(op.body, [&] { sem.release(); });
        }
    }

    template <typename Release>
    void runThenRelease(const std::vector<ScriptOp>& body, Release release)
    {
        try {
            run(body);
        } catch (const Cancelled&) {
            throw;
        } catch (...) {
            release();
            throw;
        }
        release();
    }

    void tryAcquireAll(const ScriptOp& op)
    {
        std::uniform_real_distribution<double> backoff(op.backoffMinMs, op.backoffMaxMs);
        for (;;) {
            std::vector<LockBase*> held;
            bool ok = true;
            for (std::size_t i = 0; i < op.targets.size(); ++i) {
                LockBase& lock = *m_w.m_locks.at(op.targets[i]);
                if (!lock.acquire(true, op.timeoutMs / 1000.0)) {
                    ok = false;
                    break;
                }
                held.push_back(&lock);
                if (op.ms > 0 && i + 1 < op.targets.size())
                    m_ctx.sleepFor(std::chrono::nanoseconds(static_cast<std::int64_t>(op.ms * 1e6)), op.line);
            }
            if (ok) {
                auto releaseAll = [&] {
                    for (auto it = held.rbegin(); it != held.rend(); ++it) (*it)->release();
                };
                runThenRelease(op.body, releaseAll);
                return;
            }
            // Give back everything and retry after a jittered pause, so the two threads do not
            // retry in lock step forever (the jitter comes from the run's seed).
            for (auto it = held.rbegin(); it != held.rend(); ++it) (*it)->release();
            {
                std::lock_guard l(m_w.m_mutex);
                ++m_w.m_retries;
            }
            m_ctx.recorder().recordText(EventKind::Mark, m_self, "back off and retry", {}, 0, op.line);
            m_ctx.sleepFor(std::chrono::nanoseconds(static_cast<std::int64_t>(backoff(m_rng) * 1e6)), op.line);
        }
    }

    ScriptWorld& m_w;
    RunContext& m_ctx;
    const ScriptThread& m_thread;
    ActorId m_self;
    std::mt19937_64 m_rng;
    json m_locals = json::object(); // values bound by `as`: this thread's Python locals
};

// The summary's `coffman`: the facts the wait-for graph recorded while the run went on, folded
// (see coffmanVerdict), so that it cannot disagree with the window showing the same events.
json coffmanSummary(const Trace& trace)
{
    const CoffmanVerdict verdict = coffmanVerdict(trace);
    json out = json::object();
    for (std::size_t i = 0; i < kCoffmanCount; ++i) {
        const auto c = static_cast<CoffmanCondition>(i);
        out[std::string(coffmanConditionName(c))] = verdict[c];
    }
    return out;
}

class ThreadScriptScenario final : public Scenario {
public:
    void validate(const ScenarioInput& input) const override { parseThreadScript(input); }

    void run(RunContext& ctx, const ScenarioInput& input, json& summary) override
    {
        const ScriptProgram prog = parseThreadScript(input);
        ScriptWorld world(ctx, prog, input.lang, input.seed);
        ThreadScope threads(ctx);
        for (const auto& t : prog.threads) {
            if (!t.startAfter.empty()) {
                // Start only once the named thread waits, blocks or has ended: the deterministic
                // version of "start A, then B" that the lesson's Python program relies on.
                std::unique_lock l(world.m_mutex);
                ctx.wait(world.m_cv, l, [&] { return world.m_phase[t.startAfter] >= 1; });
            }
            ctx.spawn(t.name, [&world, &t] {
                struct Ended {
                    ScriptWorld& w;
                    const std::string& name;
                    ~Ended() { w.setPhase(name, 2); }
                } ended{world, t.name};
                Interpreter(world, t).run(t.ops);
            });
        }
        ctx.joinAll();

        std::lock_guard l(world.m_mutex);
        summary["transcript"] = world.m_transcript;
        if (world.m_transcriptDropped > 0) summary["transcript_dropped"] = world.m_transcriptDropped;
        summary["retries"] = world.m_retries;
        json counters = json::object();
        long total = 0;
        for (const auto& [thread, cs] : world.m_counters)
            for (const auto& [name, v] : cs) {
                counters[name][thread] = v;
                if (name == "meals") total += v;
            }
        if (counters.contains("meals")) summary["meals"] = {{"per_philosopher", counters["meals"]}, {"total", total}};
        summary["counters"] = counters;
        summary["threads"] = prog.threads.size();
        if (!world.m_maxInside.empty()) {
            int most = 0;
            for (const auto& [_, n] : world.m_maxInside)
                most = std::max(most, n);
            summary["max_inside"] = most;
            summary["max_inside_by_section"] = world.m_maxInside;
        }
        if (!prog.events.empty()) summary["wait_results"] = world.m_waitResults;
        if (!prog.queues.empty()) {
            summary["order"] = world.m_order;
            // Rounded to 0.1 ms: a put or get that did not block takes microseconds.
            const auto ms = [](std::chrono::nanoseconds t) { return std::round(t.count() / 1e5) / 10.0; };
            summary["producer_blocked_ms"] = ms(world.m_putTime);
            summary["consumer_blocked_ms"] = ms(world.m_getTime);
        }
    }

    void summarize(const Trace& trace, const RunContext& ctx, const ScenarioInput&, json& summary) const override
    {
        const auto cycleIds = ctx.deadlockCycle();
        json cycle = json::array();
        for (ActorId a : cycleIds) cycle.push_back(std::string(trace.actorName(a)));
        summary["deadlocked"] = !cycleIds.empty();
        summary["cycle"] = cycle;
        summary["stalled"] = ctx.outcome() == RunOutcome::Stalled;
        summary["coffman"] = coffmanSummary(trace);

        long waits = 0, notifies = 0;
        std::int64_t closingRequest = -1;
        std::int64_t deadlockTs = -1;
        std::set<std::uint32_t> inCycle;
        for (std::size_t i = 0; i < cycleIds.size(); i += 2) inCycle.insert(cycleIds[i].value);
        for (const Event& e : trace.events()) {
            // Condition.wait() / notify() only: an Event, a Queue's join() and a blocked put/get
            // record WaitBegin / Notify too.
            const bool onCondition = (e.kind == EventKind::WaitBegin || e.kind == EventKind::Notify)
                && trace.actor(e.target) && trace.actor(e.target)->kind == ActorKind::Condition;
            if (onCondition && e.kind == EventKind::WaitBegin) ++waits;
            if (onCondition && e.kind == EventKind::Notify) ++notifies;
            if (e.kind == EventKind::Deadlock && deadlockTs < 0) deadlockTs = e.ts;
            if (deadlockTs < 0 && e.kind == EventKind::AcquireRequest && inCycle.count(e.actor.value))
                closingRequest = e.ts;
        }
        summary["waits"] = waits;
        summary["notifies"] = notifies;
        // The queue's own record: every Put event carries qsize() right after the put.
        if (summary.contains("order")) {
            std::int64_t most = 0;
            for (const Event& e : trace.events())
                if (e.kind == EventKind::Put) most = std::max(most, e.value);
            summary["max_size_seen"] = most;
        }
        if (deadlockTs >= 0) {
            summary["deadlock_at_ms"] = static_cast<double>(deadlockTs) / 1e6;
            if (closingRequest >= 0)
                summary["detected_after_ms"] = static_cast<double>(deadlockTs - closingRequest) / 1e6;
        }
    }
};

} // namespace

std::unique_ptr<Scenario> makeThreadScriptScenario() { return std::make_unique<ThreadScriptScenario>(); }

} // namespace lockstep
