#include "lockstep/scenarios/ThreadScript.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/ConfigReader.h"

#include <algorithm>
#include <map>
#include <set>

namespace lockstep {

namespace {

using nlohmann::json;

std::string joinNames(const std::vector<std::string>& names)
{
    return ConfigReader::joinNames(names);
}

bool isIdentifier(const std::string& s)
{
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }) && !(s[0] >= '0' && s[0] <= '9');
}

ConfigReader::Where whereIn(const ScenarioInput& in)
{
    return [&in](const std::string& pointer) { return in.where(pointer); };
}

class ScriptParser {
public:
    explicit ScriptParser(const ScenarioInput& in) : m_in(in), m_where(whereIn(in)) {}

    ScriptProgram parse(const json& config)
    {
        ConfigReader top(m_where, config, "", "config");
        top.allowOnly({ "locks", "conditions", "semaphores", "events", "queues", "vars", "threads" });
        if (top.has("locks")) m_prog.locks = resources(top, "locks", {"Lock", "RLock"});
        if (top.has("semaphores")) m_prog.semaphores = resources(top, "semaphores", {"Semaphore", "BoundedSemaphore"});
        if (top.has("events")) m_prog.events = resources(top, "events", {});
        if (top.has("queues")) m_prog.queues = resources(top, "queues", { "Queue", "LifoQueue", "PriorityQueue" });
        if (top.has("conditions")) m_prog.conditions = resources(top, "conditions", {});
        for (const auto& c : m_prog.conditions)
            if (!c.lock.empty() && !find(m_prog.locks, c.lock))
                top.failAt("/conditions", "lock", "unknown lock '" + c.lock + "' (allowed: " + names(m_prog.locks) + ")");
        if (top.has("vars")) {
            if (!config["vars"].is_object()) top.fail("vars", "must be an object of name: value");
            m_prog.vars = config["vars"];
        }
        if (!top.has("threads") || !config["threads"].is_array() || config["threads"].empty())
            top.fail("threads", "must be a non-empty array of threads");
        const json& threads = config["threads"];
        const auto tooMany = [&](std::size_t n) {
            top.fail("threads",
                std::to_string(n) + " threads is above the limit (allowed: 1 to " + std::to_string(Limits::kMaxThreads)
                    + ")");
        };
        if (threads.size() > static_cast<std::size_t>(Limits::kMaxThreads)) tooMany(threads.size());
        std::set<std::string> seen;
        for (std::size_t i = 0; i < threads.size(); ++i) {
            const std::string p = "/threads/" + std::to_string(i);
            ConfigReader t(m_where, threads[i], p, "thread");
            t.allowOnly({ "name", "speaker", "count", "start_after", "ops" });
            ScriptThread th;
            th.name = t.requiredString("name");
            th.speaker = t.text("speaker", false);
            if (th.speaker.en.empty()) th.speaker.en = th.name;
            // `count` copies of one thread function, named name-1..name-count (Python's
            // `for i in range(1, count + 1): Thread(target=f, args=(i,))`).
            const int count = t.has("count") ? t.integer("count", 1, 1, Limits::kMaxThreads) : 0;
            const std::string after = t.string("start_after", {});
            if (!after.empty() && !seen.count(after))
                t.fail("start_after", "'" + after + "' is not a thread listed before this one");
            th.startAfter = after;
            if (!t.has("ops")) t.fail("ops", "missing (required for thread)");
            m_locals.clear();
            th.ops = ops(t.required("ops"), t.pointer("ops"));
            for (int c = 1; c <= std::max(count, 1); ++c) {
                ScriptThread copy = th;
                if (count > 0) {
                    const std::string suffix = "-" + std::to_string(c);
                    copy.name += suffix;
                    copy.speaker.en += suffix;
                    if (!copy.speaker.zh.empty()) copy.speaker.zh += suffix;
                    copy.copy = c;
                }
                if (copy.name.empty() || !seen.insert(copy.name).second)
                    t.fail("name", "thread names must be unique and non-empty ('" + copy.name + "')");
                m_prog.threads.push_back(std::move(copy));
            }
            if (m_prog.threads.size() > static_cast<std::size_t>(Limits::kMaxThreads)) tooMany(m_prog.threads.size());
        }
        return m_prog;
    }

private:
    static const ScriptResource* find(const std::vector<ScriptResource>& v, const std::string& name)
    {
        for (const auto& r : v)
            if (r.name == name) return &r;
        return nullptr;
    }
    static std::string names(const std::vector<ScriptResource>& v)
    {
        std::vector<std::string> n;
        for (const auto& r : v) n.push_back(r.name);
        return n.empty() ? std::string("none declared") : joinNames(n);
    }

    std::vector<ScriptResource> resources(const ConfigReader& top, const std::string& key,
                                          const std::vector<std::string>& kinds)
    {
        const json& arr = top.required(key);
        if (!arr.is_array()) top.fail(key, "must be an array");
        std::vector<ScriptResource> out;
        for (std::size_t i = 0; i < arr.size(); ++i) {
            const std::string p = "/" + key + "/" + std::to_string(i);
            ConfigReader r(m_where, arr[i], p, key);
            ScriptResource res;
            if (key == "conditions") {
                r.allowOnly({"name", "lock"});
                res.lock = r.string("lock", {});
            } else if (key == "semaphores") {
                r.allowOnly({"name", "kind", "value"});
                res.value = r.integer("value", 1, 0, 1'000'000);
            } else if (key == "queues") {
                r.allowOnly({ "name", "kind", "maxsize" });
                res.maxsize = r.integer("maxsize", 0, 0, 1'000'000);
            } else if (key == "events") {
                r.allowOnly({ "name" });
            } else {
                r.allowOnly({"name", "kind"});
            }
            res.name = r.requiredString("name");
            if (res.name.empty() || m_names.count(res.name))
                r.fail("name", "resource names must be unique and non-empty ('" + res.name + "')");
            m_names.insert(res.name);
            if (!kinds.empty()) {
                res.kind = r.string("kind", kinds.front());
                if (std::find(kinds.begin(), kinds.end(), res.kind) == kinds.end())
                    r.fail("kind", "unknown kind '" + res.kind + "' (allowed: " + joinNames(kinds) + ")");
            }
            out.push_back(std::move(res));
        }
        return out;
    }

    void requireResource(const ConfigReader& r, const std::string& key, const std::vector<ScriptResource>& pool,
                         const std::string& what, const std::string& name) const
    {
        if (!find(pool, name))
            r.fail(key, "unknown " + what + " '" + name + "' (allowed: " + names(pool) + ")");
    }

    std::vector<ScriptOp> ops(const json& arr, const std::string& pointer, int depth = 0)
    {
        if (!arr.is_array()) throw InputError(m_in.where(pointer) + ": ops: must be an array of ops");
        if (depth > 16) throw InputError(m_in.where(pointer) + ": ops: nested too deeply (allowed: 16 levels)");
        std::vector<ScriptOp> out;
        for (std::size_t i = 0; i < arr.size(); ++i) out.push_back(op(arr[i], pointer + "/" + std::to_string(i), depth));
        return out;
    }

    ScriptOp op(const json& o, const std::string& p, int depth)
    {
        static const std::vector<std::string> kOps { "acquire", "release", "with", "sleep", "wait", "wait_for",
            "notify", "notify_all", "say", "set", "repeat", "try_acquire_all", "count", "event_set", "event_clear",
            "event_wait", "is_set", "sem_acquire", "sem_release", "put", "get", "task_done", "join", "inside", "for",
            "loop", "if", "break" };
        ConfigReader r(m_where, o, p, "op");
        const std::string name = r.requiredString("op");
        ScriptOp op;
        op.pointer = p;
        op.line = r.integer("line", 0, 0, 100000);
        if (toolkitOp(name, r, op, depth)) return op;
        auto lockOrCond = [&](const std::string& key) {
            op.target = r.requiredString(key);
        };
        if (name == "acquire" || name == "release") {
            r.allowOnly({"op", "lock", "line"});
            op.kind = name == "acquire" ? ScriptOp::Kind::Acquire : ScriptOp::Kind::Release;
            lockOrCond("lock");
            requireResource(r, "lock", m_prog.locks, "lock", op.target);
        } else if (name == "with") {
            r.allowOnly({"op", "lock", "cond", "semaphore", "ops", "line"});
            op.kind = ScriptOp::Kind::With;
            const int given = int(r.has("lock")) + int(r.has("cond")) + int(r.has("semaphore"));
            if (given != 1) r.fail("with", "needs exactly one of lock, cond, semaphore");
            if (r.has("lock")) {
                lockOrCond("lock");
                requireResource(r, "lock", m_prog.locks, "lock", op.target);
                op.value = "lock";
            } else if (r.has("cond")) {
                lockOrCond("cond");
                requireResource(r, "cond", m_prog.conditions, "condition", op.target);
                op.value = "cond";
            } else {
                lockOrCond("semaphore");
                requireResource(r, "semaphore", m_prog.semaphores, "semaphore", op.target);
                op.value = "semaphore";
            }
            if (!r.has("ops")) r.fail("ops", "missing (required for with)");
            op.body = ops(r.required("ops"), r.pointer("ops"), depth + 1);
        } else if (name == "sleep") {
            r.allowOnly({ "op", "ms", "step_ms", "line" });
            op.kind = ScriptOp::Kind::Sleep;
            if (!r.has("ms")) r.fail("ms", "missing (required for sleep)");
            op.ms = r.number("ms", 0, 0, 10'000);
            op.stepMs = r.number("step_ms", 0, 0, 1'000);
        } else if (name == "wait" || name == "notify" || name == "notify_all") {
            r.allowOnly({"op", "cond", "timeout_ms", "n", "line"});
            op.kind = name == "wait" ? ScriptOp::Kind::Wait
                      : name == "notify" ? ScriptOp::Kind::Notify : ScriptOp::Kind::NotifyAll;
            lockOrCond("cond");
            requireResource(r, "cond", m_prog.conditions, "condition", op.target);
            if (op.kind != ScriptOp::Kind::Wait && r.has("timeout_ms")) r.fail("timeout_ms", "only for wait");
            if (op.kind != ScriptOp::Kind::Notify && r.has("n")) r.fail("n", "only for notify");
            op.timeoutMs = r.number("timeout_ms", -1, 0, 60'000);
            op.n = r.integer("n", 1, 0, Limits::kMaxThreads);
        } else if (name == "wait_for") {
            r.allowOnly({"op", "cond", "var", "equals", "timeout_ms", "line"});
            op.kind = ScriptOp::Kind::WaitFor;
            lockOrCond("cond");
            requireResource(r, "cond", m_prog.conditions, "condition", op.target);
            op.targets = {r.requiredString("var")};
            if (!m_prog.vars.contains(op.targets[0]))
                r.fail("var", "unknown variable '" + op.targets[0] + "' (declare it in vars)");
            if (!r.has("equals")) r.fail("equals", "missing (required for wait_for)");
            op.value = r.required("equals");
            op.timeoutMs = r.number("timeout_ms", -1, 0, 60'000);
        } else if (name == "say") {
            r.allowOnly({"op", "text", "line"});
            op.kind = ScriptOp::Kind::Say;
            op.text = r.text("text", true);
            for (const std::string* t : { &op.text.en, &op.text.zh })
                for (const std::string& v : scriptPlaceholders(*t))
                    if (!bound(v)) r.fail("text", "unknown variable '{" + v + "}' (allowed: " + boundNames() + ")");
        } else if (name == "set") {
            r.allowOnly({"op", "var", "value", "line"});
            op.kind = ScriptOp::Kind::Set;
            op.target = r.requiredString("var");
            if (!m_prog.vars.contains(op.target))
                r.fail("var", "unknown variable '" + op.target + "' (declare it in vars)");
            if (!r.has("value")) r.fail("value", "missing (required for set)");
            op.value = r.required("value");
        } else if (name == "repeat") {
            r.allowOnly({"op", "count", "ops", "line"});
            op.kind = ScriptOp::Kind::Repeat;
            if (!r.has("count")) r.fail("count", "missing (required for repeat)");
            op.n = r.integer("count", 1, 0, 1'000'000);
            if (!r.has("ops")) r.fail("ops", "missing (required for repeat)");
            op.body = loopBody(r, depth);
        } else if (name == "try_acquire_all") {
            r.allowOnly({"op", "locks", "timeout_ms", "backoff_ms", "pause_ms", "ops", "line"});
            op.kind = ScriptOp::Kind::TryAcquireAll;
            if (!r.has("locks") || !r.required("locks").is_array() || r.required("locks").empty())
                r.fail("locks", "must be a non-empty array of lock names");
            for (std::size_t i = 0; i < r.required("locks").size(); ++i) {
                const json& l = r.required("locks")[i];
                if (!l.is_string()) r.failAt("/locks/" + std::to_string(i), "locks", "must be lock names");
                op.targets.push_back(l.get<std::string>());
                if (!find(m_prog.locks, op.targets.back()))
                    r.failAt("/locks/" + std::to_string(i), "locks",
                           "unknown lock '" + op.targets.back() + "' (allowed: " + names(m_prog.locks) + ")");
            }
            if (!r.has("timeout_ms")) r.fail("timeout_ms", "missing (required for try_acquire_all)");
            op.timeoutMs = r.number("timeout_ms", 10, 0.01, 10'000);
            op.ms = r.number("pause_ms", 0, 0, 10'000);
            if (r.has("backoff_ms")) {
                const json& b = r.required("backoff_ms");
                if (!b.is_array() || b.size() != 2 || !b[0].is_number() || !b[1].is_number() || b[0].get<double>() < 0 ||
                    b[1].get<double>() < b[0].get<double>() || b[1].get<double>() > 10'000)
                    r.fail("backoff_ms", "must be [min, max] milliseconds with 0 <= min <= max <= 10000");
                op.backoffMinMs = b[0].get<double>();
                op.backoffMaxMs = b[1].get<double>();
            }
            op.body = r.has("ops") ? ops(r.required("ops"), r.pointer("ops"), depth + 1) : std::vector<ScriptOp>{};
        } else if (name == "count") {
            r.allowOnly({"op", "counter", "line"});
            op.kind = ScriptOp::Kind::Count;
            op.target = r.requiredString("counter");
        } else {
            r.fail("op", "unknown op '" + name + "' (allowed: " + joinNames(kOps) + ")");
        }
        return op;
    }

    // The ops of the event / semaphore / queue lessons and the control flow they need; false
    // when `name` is none of them.
    bool toolkitOp(const std::string& name, const ConfigReader& r, ScriptOp& op, int depth)
    {
        using K = ScriptOp::Kind;
        static const std::map<std::string, K> kKinds { { "event_set", K::EventSet }, { "event_clear", K::EventClear },
            { "event_wait", K::EventWait }, { "is_set", K::IsSet }, { "sem_acquire", K::SemAcquire },
            { "sem_release", K::SemRelease }, { "put", K::Put }, { "get", K::Get }, { "task_done", K::TaskDone },
            { "join", K::Join }, { "inside", K::Inside }, { "for", K::For }, { "loop", K::Loop }, { "if", K::If },
            { "break", K::Break } };
        const auto it = kKinds.find(name);
        if (it == kKinds.end()) return false;
        op.kind = it->second;
        switch (op.kind) {
        case K::Put:
            r.allowOnly({ "op", "queue", "item", "var", "timeout_ms", "line" });
            target(r, "queue", m_prog.queues, "queue", op);
            if (r.has("item") == r.has("var")) r.fail("item", "put needs exactly one of item, var");
            if (r.has("item"))
                op.value = r.required("item");
            else
                op.var = boundVar(r, "var");
            op.timeoutMs = r.number("timeout_ms", -1, 0, 60'000);
            break;
        case K::EventSet:
        case K::EventClear:
        case K::EventWait:
        case K::IsSet:
        case K::SemAcquire:
        case K::SemRelease:
        case K::Get:
        case K::TaskDone:
        case K::Join:
            primitiveOp(r, op);
            break;
        case K::Inside:
            r.allowOnly({ "op", "section", "ops", "line" });
            op.target = r.requiredString("section");
            if (op.target.empty()) r.fail("section", "must be a non-empty name");
            if (!r.has("ops")) r.fail("ops", "missing (required for inside)");
            op.body = ops(r.required("ops"), r.pointer("ops"), depth + 1);
            break;
        case K::For: {
            r.allowOnly({ "op", "as", "in", "ops", "line" });
            if (!r.has("in") || !r.required("in").is_array() || r.required("in").size() > 100'000)
                r.fail("in", "must be an array of at most 100000 values");
            op.value = r.required("in");
            bindAs(r, op, true);
            if (!r.has("ops")) r.fail("ops", "missing (required for for)");
            op.body = loopBody(r, depth);
            break;
        }
        case K::Loop:
            r.allowOnly({ "op", "ops", "line" });
            if (!r.has("ops")) r.fail("ops", "missing (required for loop)");
            op.body = loopBody(r, depth);
            break;
        case K::If:
            r.allowOnly({ "op", "var", "equals", "ops", "line" });
            op.var = boundVar(r, "var");
            if (!r.has("equals")) r.fail("equals", "missing (required for if)");
            op.value = r.required("equals");
            if (!r.has("ops")) r.fail("ops", "missing (required for if)");
            op.body = ops(r.required("ops"), r.pointer("ops"), depth + 1);
            break;
        default: // Break
            r.allowOnly({ "op", "line" });
            if (m_loops == 0) r.fail("op", "break outside a for, loop or repeat");
            break;
        }
        return true;
    }

    // An op on one event, semaphore or queue: {<resource>: name} plus the optional fields it takes.
    void primitiveOp(const ConfigReader& r, ScriptOp& op)
    {
        using K = ScriptOp::Kind;
        enum As { NoAs, OptionalAs, RequiredAs };
        struct Shape {
            const char* resource;
            bool timeout;
            As as;
            bool n;
        };
        static const std::map<K, Shape> kShapes { { K::EventSet, { "event", false, NoAs, false } },
            { K::EventClear, { "event", false, NoAs, false } }, { K::EventWait, { "event", true, OptionalAs, false } },
            { K::IsSet, { "event", false, RequiredAs, false } },
            { K::SemAcquire, { "semaphore", true, OptionalAs, false } },
            { K::SemRelease, { "semaphore", false, NoAs, true } }, { K::Get, { "queue", true, OptionalAs, false } },
            { K::TaskDone, { "queue", false, NoAs, false } }, { K::Join, { "queue", false, NoAs, false } } };
        const Shape& shape = kShapes.at(op.kind);
        const std::string res = shape.resource;
        std::vector<std::string> keys { "op", res };
        if (shape.timeout) keys.push_back("timeout_ms");
        if (shape.as != NoAs) keys.push_back("as");
        if (shape.n) keys.push_back("n");
        keys.push_back("line");
        r.allowOnly(keys);
        const auto& pool = res == "event" ? m_prog.events : res == "semaphore" ? m_prog.semaphores : m_prog.queues;
        target(r, res, pool, res, op);
        if (shape.timeout) op.timeoutMs = r.number("timeout_ms", -1, 0, 60'000);
        if (shape.as != NoAs) bindAs(r, op, shape.as == RequiredAs);
        if (shape.n) op.n = r.integer("n", 1, 1, 1'000'000);
    }

    void target(const ConfigReader& r, const std::string& key, const std::vector<ScriptResource>& pool,
        const std::string& what, ScriptOp& op) const
    {
        op.target = r.requiredString(key);
        requireResource(r, key, pool, what, op.target);
    }

    std::vector<ScriptOp> loopBody(const ConfigReader& r, int depth)
    {
        ++m_loops;
        auto body = ops(r.required("ops"), r.pointer("ops"), depth + 1);
        --m_loops;
        return body;
    }

    // `as`: a thread-local variable (a Python local) that later ops of the thread may read.
    void bindAs(const ConfigReader& r, ScriptOp& op, bool required)
    {
        if (!required && !r.has("as")) return;
        op.as = r.requiredString("as");
        if (!isIdentifier(op.as)) r.fail("as", "must be a name of a-z, 0-9, _ ('" + op.as + "')");
        m_locals.insert(op.as);
    }

    std::string boundVar(const ConfigReader& r, const std::string& key) const
    {
        const std::string v = r.requiredString(key);
        if (!bound(v)) r.fail(key, "unknown variable '" + v + "' (allowed: " + boundNames() + ")");
        return v;
    }

    [[nodiscard]] bool bound(const std::string& v) const { return m_locals.count(v) || m_prog.vars.contains(v); }
    [[nodiscard]] std::string boundNames() const
    {
        std::vector<std::string> n(m_locals.begin(), m_locals.end());
        for (const auto& [k, _] : m_prog.vars.items())
            n.push_back(k);
        return n.empty() ? std::string("none: bind one with as, or declare it in vars") : joinNames(n);
    }

    const ScenarioInput& m_in;
    ConfigReader::Where m_where;
    ScriptProgram m_prog;
    std::set<std::string> m_names;
    std::set<std::string> m_locals; // bound by `as` in the thread being parsed, so far
    int m_loops = 0; // enclosing for / loop / repeat (for break)
};

// Dining philosophers as a script: n forks (Locks), n philosophers who each think, take the left
// fork, pause, take the right fork, eat, and put both down, `meals` times.
//   fix none:      everyone takes left then right: with the pause, all hold one fork -> deadlock
//   fix hierarchy: take the lower-numbered fork first (breaks circular wait)
//   fix waiter:    ask a waiter (Semaphore(n-1)) before taking forks (at most n-1 reach the table)
json expandPhilosophers(const ScenarioInput& in, const json& spec)
{
    ConfigReader r(whereIn(in), spec, "/philosophers", "philosophers");
    r.allowOnly({"n", "fix", "meals", "pause_ms", "eat_ms", "think_ms", "lines"});
    const int n = r.integer("n", 5, 2, Limits::kMaxThreads);
    const std::string fix = r.string("fix", "none");
    if (fix != "none" && fix != "hierarchy" && fix != "waiter")
        r.fail("fix", "unknown fix '" + fix + "' (allowed: none, hierarchy, waiter)");
    const int meals = r.integer("meals", 3, 1, 1000);
    const double pause = r.number("pause_ms", 20, 0, 1000);
    const double eat = r.number("eat_ms", 1, 0, 1000);
    const double think = r.number("think_ms", 1, 0, 1000);
    json lines = r.has("lines") ? r.required("lines") : json::object();
    auto line = [&](const char* key) { return lines.is_object() && lines.contains(key) && lines[key].is_number_integer() ? lines[key].get<int>() : 0; };

    json script = json::object();
    script["locks"] = json::array();
    for (int i = 0; i < n; ++i) script["locks"].push_back({{"name", "fork_" + std::to_string(i)}, {"kind", "Lock"}});
    if (fix == "waiter") script["semaphores"] = json::array({{{"name", "waiter"}, {"kind", "Semaphore"}, {"value", n - 1}}});
    script["threads"] = json::array();
    for (int i = 0; i < n; ++i) {
        int first = i, second = (i + 1) % n;
        if (fix == "hierarchy" && first > second) std::swap(first, second);
        json eatOps = json::array({{{"op", "count"}, {"counter", "meals"}, {"line", line("eat")}},
                                   {{"op", "sleep"}, {"ms", eat}, {"line", line("eat")}}});
        json inner = json::array({{{"op", "sleep"}, {"ms", pause}, {"line", line("pause")}},
                                  {{"op", "with"}, {"lock", "fork_" + std::to_string(second)}, {"line", line("second")},
                                   {"ops", eatOps}}});
        json take = json::array({{{"op", "with"}, {"lock", "fork_" + std::to_string(first)}, {"line", line("first")},
                                  {"ops", inner}}});
        if (fix == "waiter") take = json::array({{{"op", "with"}, {"semaphore", "waiter"}, {"line", line("waiter")}, {"ops", take}}});
        json body = json::array({{{"op", "sleep"}, {"ms", think}, {"line", line("think")}}});
        for (auto& o : take) body.push_back(o);
        script["threads"].push_back({{"name", "P" + std::to_string(i)},
                                     {"ops", json::array({{{"op", "repeat"}, {"count", meals}, {"ops", body}}})}});
    }
    return script;
}

} // namespace

std::vector<std::string> scriptPlaceholders(const std::string& text)
{
    std::vector<std::string> out;
    for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos) break;
        const std::string name = text.substr(open + 1, close - open - 1);
        if (isIdentifier(name)) out.push_back(name);
    }
    return out;
}

ScriptProgram parseThreadScript(const ScenarioInput& input)
{
    const json& config = input.config;
    if (config.is_object() && config.contains("philosophers")) {
        for (const auto& [k, _] : config.items())
            if (k != "philosophers")
                throw InputError(input.where("/" + k) + ": " + k + ": unknown key beside philosophers (allowed: philosophers)");
        // Positions inside the expansion map back to the philosophers block.
        ScenarioInput expanded{input.lesson, input.variant, input.params, expandPhilosophers(input, config["philosophers"]),
                               input.seed, input.lang};
        return ScriptParser(expanded).parse(expanded.config);
    }
    return ScriptParser(input).parse(config);
}

} // namespace lockstep
