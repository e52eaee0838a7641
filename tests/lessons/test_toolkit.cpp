// The event, semaphore and queue lessons (script engine ops event_*, is_set, sem_*, put, get,
// task_done, join, inside, for, loop, if, break): what the primitives did, and CPython's
// transcript for every variant (tests/python/toolkit_oracle.py runs the same config with real
// threading and queue objects).
#include "LessonTestSupport.h"

#include "lockstep/engine/PyError.h"
#include "lockstep/sync/Queue.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

using namespace lockstep;
using lockstep::test::runLesson;
using nlohmann::json;

namespace {

const std::vector<std::pair<std::string, std::vector<std::string>>> kLessons {
    { "event", { "start-signal", "traffic-light", "wait-timeout" } },
    { "semaphore", { "pool", "bounded-overrelease", "plain-overrelease" } },
    { "queue", { "fast-producer", "slow-producer", "lifo", "priority" } },
};

json oracle(const std::string& lesson, const std::string& variant, const std::string& lang)
{
    const std::string out = test::runPython(
        "toolkit_oracle.py", std::string(LOCKSTEP_SOURCE_LESSONS) + "/" + lesson + ".json " + variant + " " + lang);
    return json::parse(out, nullptr, false);
}

// Events of `kind` whose target is an actor of `actorKind`.
int count(const RunResult& r, EventKind kind, ActorKind actorKind)
{
    int n = 0;
    for (const Event& e : r.trace->events())
        if (e.kind == kind && e.target.valid() && r.trace->actor(e.target)->kind == actorKind) ++n;
    return n;
}

// The validation message for one op (alone on line 4 of the file) with events `go`, queue `q`,
// semaphore `s` declared.
std::string opError(const std::string& op, const std::string& resources = {})
{
    const std::string text
        = "{\"id\": \"bad\", \"topic\": \"t\", \"engine\": \"script\", \"title\": \"Bad\", \"python\": \"x = 1\\n\",\n"
          " \"variants\": [{\"id\": \"v\", \"title\": \"v\", \"config\": {\n"
          "\"events\": [{\"name\": \"go\"}], \"queues\": [{\"name\": \"q\""
        + resources + "}], \"semaphores\": [{\"name\": \"s\"}], \"threads\": [{\"name\": \"T\", \"ops\": [\n" + op
        + "\n]}]}}]}\n";
    RunRequest req;
    req.lesson = LessonLoader::loadString(text, "toolkit-bad.json");
    try {
        LessonRunner runner(std::move(req));
    } catch (const InputError& e) {
        return e.what();
    }
    return "(accepted)";
}

// "toolkit-bad.json:4:<column of needle in op>: "
std::string at(const std::string& op, const std::string& needle)
{
    return "toolkit-bad.json:4:" + std::to_string(op.find(needle) + 1) + ": ";
}

} // namespace

// The differences between one engine run and one CPython run of a variant ("" when none).
static std::string differences(const std::string& lesson, const std::string& variant, Lang lang, const char* langName)
{
    const json expected = oracle(lesson, variant, langName);
    if (expected.is_discarded()) return "the oracle printed no JSON";
    const RunResult r = runLesson(lesson, variant, {}, lang);
    if (r.outcome != RunOutcome::Completed) return "the run did not complete: " + r.summary.dump();
    std::string diff;
    const auto compare = [&](const std::string& key, const json& engine, const json& python) {
        if (engine != python) diff += "\n  " + key + ": engine " + engine.dump() + "\n  " + key + ": CPython " + python.dump();
    };
    compare("transcript", r.summary["transcript"], expected["transcript"]);
    compare("errors", r.summary.value("errors", json::array()), expected["errors"]);
    for (const char* key : { "order", "max_inside", "wait_results", "max_size_seen" })
        compare(key, r.summary.value(key, json()), expected.value(key, json()));
    return diff;
}

TEST(ToolkitPython, EveryVariantMatchesCPython)
{
    if (!test::havePython()) GTEST_SKIP() << "python3 not available";
    // Dependent steps are 30 ms or more apart, so both orders are fixed, unless a loaded machine
    // delays one side's wake-up by that much (CPython's too: seen once beside two parallel builds).
    // Each variant gets up to three runs on both sides; one exact match passes it.
    for (const auto& [lesson, variants] : kLessons) {
        for (const auto& variant : variants) {
            for (const auto& [lang, langName] : { std::pair { Lang::En, "en" }, std::pair { Lang::Zh, "zh" } }) {
                if (lang == Lang::Zh && lesson != "event") continue; // one lesson in Chinese is enough
                std::string attempts;
                bool matched = false;
                for (int attempt = 0; attempt < 3 && !matched; ++attempt) {
                    const std::string diff = differences(lesson, variant, lang, langName);
                    matched = diff.empty();
                    attempts += "\nattempt " + std::to_string(attempt + 1) + ":" + diff;
                }
                EXPECT_TRUE(matched) << lesson << "/" << variant << " " << langName << attempts;
            }
        }
    }
}

TEST(ToolkitLesson, StartSignalWakesEveryRunnerWithOneSet)
{
    const RunResult r = runLesson("event", "start-signal", { { "runners", "6" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.summary.dump();
    EXPECT_EQ(r.summary["wait_results"].size(), 6u);
    for (const auto& [thread, results] : r.summary["wait_results"].items())
        EXPECT_EQ(results, json::array({ true }));
    // One set(): one Notify on the event, and it woke the six waiters.
    int notifies = 0;
    for (const Event& e : r.trace->events())
        if (e.kind == EventKind::Notify && r.trace->actor(e.target)->kind == ActorKind::SyncEvent) {
            ++notifies;
            EXPECT_EQ(e.value, 6);
        }
    EXPECT_EQ(notifies, 1);
}

TEST(ToolkitLesson, WaitWithATimeoutReturnsFalse)
{
    const RunResult r = runLesson("event", "wait-timeout");
    ASSERT_EQ(r.outcome, RunOutcome::Completed);
    EXPECT_EQ(r.summary["wait_results"], json({ { "Impatient", { false } }, { "Patient", { true } } }));
    std::multiset<std::int64_t> ends;
    for (const Event& e : r.trace->events())
        if (e.kind == EventKind::WaitEnd && r.trace->actor(e.target)->kind == ActorKind::SyncEvent)
            ends.insert(e.value);
    EXPECT_EQ(ends, (std::multiset<std::int64_t> { 0, 1 }));
}

TEST(ToolkitLesson, SemaphoreLetsAtMostKIn)
{
    for (const auto& [k, n] : { std::pair { 2, 5 }, std::pair { 4, 3 } }) {
        const RunResult r = runLesson("semaphore", "pool", { { "k", std::to_string(k) }, { "n", std::to_string(n) } });
        ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.summary.dump();
        EXPECT_EQ(r.summary["max_inside"], std::min(k, n)) << k << " " << n;
        EXPECT_EQ(count(r, EventKind::Acquired, ActorKind::Semaphore), n);
        EXPECT_EQ(count(r, EventKind::Released, ActorKind::Semaphore), n);
    }
}

TEST(ToolkitLesson, BoundedSemaphoreReleasedTooOftenIsValueError)
{
    const RunResult bounded = runLesson("semaphore", "bounded-overrelease");
    ASSERT_EQ(bounded.outcome, RunOutcome::Completed);
    EXPECT_EQ(bounded.summary["errors"], json::array({ "Buggy: ValueError: Semaphore released too many times" }));
    EXPECT_EQ(bounded.summary["max_inside"], 2);
    int errorEvents = 0;
    for (const Event& e : bounded.trace->events())
        errorEvents += e.kind == EventKind::Error;
    EXPECT_EQ(errorEvents, 1);

    const RunResult plain = runLesson("semaphore", "plain-overrelease");
    ASSERT_EQ(plain.outcome, RunOutcome::Completed);
    EXPECT_FALSE(plain.summary.contains("errors"));
    EXPECT_EQ(plain.summary["max_inside"], 3);
}

TEST(ToolkitLesson, PutBlocksWhenFullGetBlocksWhenEmpty)
{
    const RunResult fast = runLesson("queue", "fast-producer");
    ASSERT_EQ(fast.outcome, RunOutcome::Completed) << fast.summary.dump();
    EXPECT_EQ(fast.summary["max_size_seen"], 2);
    // Three items wait for a 60 ms task each while the producer is blocked.
    EXPECT_GT(fast.summary["producer_blocked_ms"].get<double>(), 100) << fast.summary.dump();
    EXPECT_EQ(fast.summary["order"], json({ 1, 2, 3, 4, 5, 6, nullptr }));
    EXPECT_EQ(count(fast, EventKind::Put, ActorKind::Queue), 7);
    EXPECT_EQ(count(fast, EventKind::Get, ActorKind::Queue), 7);
    // join() returned once; every put() that blocked went on (WaitEnd "put", value 1).
    int joins = 0, putsThatBlocked = 0;
    for (const Event& e : fast.trace->events()) {
        if (e.kind != EventKind::WaitEnd || fast.trace->actor(e.target)->kind != ActorKind::Queue) continue;
        joins += fast.trace->text(e).empty();
        putsThatBlocked += fast.trace->text(e) == "put" && e.value == 1;
    }
    EXPECT_EQ(joins, 1);
    EXPECT_GT(putsThatBlocked, 0);
    const ActorId producer = *fast.trace->findActor("Producer");
    EXPECT_GT(fast.trace->timeIn(producer, State::Blocked), 0);

    const RunResult slow = runLesson("queue", "slow-producer");
    ASSERT_EQ(slow.outcome, RunOutcome::Completed);
    EXPECT_EQ(slow.summary["max_size_seen"], 1);
    EXPECT_GT(slow.summary["consumer_blocked_ms"].get<double>(), 100) << slow.summary.dump();
    EXPECT_GT(slow.summary["consumer_blocked_ms"].get<double>(), slow.summary["producer_blocked_ms"].get<double>());
}

TEST(ToolkitLesson, LifoAndPriorityOrder)
{
    EXPECT_EQ(runLesson("queue", "lifo").summary["order"], json({ 5, 4, 3, 2, 1 }));
    EXPECT_EQ(runLesson("queue", "priority").summary["order"],
        json::parse(R"([[1, "call the customer"], [1, "fix the outage"], [2, "answer mail"],
                              [3, "write the report"]])"));
}

TEST(ToolkitLesson, BadOpsAreLocatedErrors)
{
    struct Case {
        std::string op, needle, message, resources;
    };
    const std::vector<Case> cases {
        { R"({"op": "event_wait", "event": "stop"})", "\"stop\"", "event: unknown event 'stop' (allowed: go)" },
        { R"({"op": "event_set", "event": 1})", "1}", "event: wrong type" },
        { R"({"op": "event_wait", "event": "go", "timeout_ms": "x"})", "\"x\"", "timeout_ms: wrong type" },
        { R"({"op": "is_set", "event": "go"})", "{", "as: required key is missing" },
        { R"({"op": "sem_release", "semaphore": "s", "n": 1.5})", "1.5", "n: wrong type: found a number 1.5" },
        { R"({"op": "sem_acquire", "semaphore": "pool"})", "\"pool\"",
            "semaphore: unknown semaphore 'pool' (allowed: s)" },
        { R"({"op": "put", "queue": "q"})", "{", "put needs exactly one of item, var" },
        { R"({"op": "put", "queue": "q", "var": "item"})", "\"item\"", "var: unknown variable 'item'" },
        { R"({"op": "get", "queue": "jobs"})", "\"jobs\"", "queue: unknown queue 'jobs' (allowed: q)" },
        { R"({"op": "task_done", "queue": ["q"]})", "[", "queue: wrong type: found an array" },
        { R"({"op": "join", "queue": "q", "timeout_ms": 5})", "5}",
            "timeout_ms: unknown key in op (allowed: op, queue, line)" },
        { R"({"op": "inside", "section": "db"})", "{", "ops: missing" },
        { R"({"op": "break"})", "\"break\"", "break outside a for, loop or repeat" },
        { R"({"op": "for", "as": "x", "in": 3, "ops": []})", "3,", "in: must be an array" },
        { R"({"op": "say", "text": "got {nope}"})", "\"got", "text: unknown variable '{nope}'" },
        { R"({"op": "get", "queue": "q"})", "\"Stack\"",
            "kind: unknown kind 'Stack' (allowed: Queue, LifoQueue, PriorityQueue)", R"(, "kind": "Stack")" },
    };
    for (const auto& c : cases) {
        const std::string error = opError(c.op, c.resources);
        if (c.resources.empty()) {
            EXPECT_EQ(error.rfind(at(c.op, c.needle), 0), 0u) << c.op << "\n" << error;
        } else {
            EXPECT_NE(error.find("toolkit-bad.json:3:"), std::string::npos) << error;
        }
        EXPECT_NE(error.find(c.message), std::string::npos) << c.op << "\n" << error;
    }
    EXPECT_EQ(opError(R"({"op": "loop", "ops": [{"op": "get", "queue": "q", "as": "x"}, {"op": "if", "var": "x",
        "equals": null, "ops": [{"op": "break"}]}, {"op": "say", "text": "{x}"}]})"),
        "(accepted)");
}

TEST(ToolkitQueue, PythonComparisonOfItems)
{
    EXPECT_TRUE(pyLess(json(1), json(1.5)));
    EXPECT_TRUE(pyLess(json(false), json(1)));
    EXPECT_TRUE(pyLess(json("B"), json("a")));
    EXPECT_TRUE(pyLess(json({ 1, "b" }), json({ 2, "a" })));
    EXPECT_TRUE(pyLess(json({ 1, "a" }), json({ 1, "b" })));
    EXPECT_TRUE(pyLess(json({ 1 }), json({ 1, "a" }))); // a prefix is smaller
    EXPECT_FALSE(pyLess(json({ 1.0, "a" }), json({ 1, "a" })));
    EXPECT_TRUE(pyEquals(json(1), json(1.0)));
    EXPECT_TRUE(pyEquals(json(true), json(1)));
    EXPECT_FALSE(pyEquals(json(nullptr), json(0)));
    try {
        (void)pyLess(json("a"), json(1));
        ADD_FAILURE() << "no TypeError";
    } catch (const PyError& e) {
        EXPECT_EQ(std::string(e.what()), "TypeError: '<' not supported between instances of 'str' and 'int'");
    }
    EXPECT_THROW((void)pyLess(json(nullptr), json(nullptr)), PyError);
}
