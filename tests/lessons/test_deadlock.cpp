#include "LessonTestSupport.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/trace/Coffman.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

using namespace lockstep;
using lockstep::test::runLesson;
using nlohmann::json;

namespace {
std::vector<std::string> cycleOf(const RunResult& r) { return r.summary["cycle"].get<std::vector<std::string>>(); }
} // namespace

TEST(DeadlockLesson, OppositeOrderDeadlocksAndTheGraphNamesTheCycle)
{
    const RunResult r = runLesson("deadlock", "opposite-order");
    ASSERT_EQ(r.outcome, RunOutcome::Deadlocked) << r.summary.dump();
    EXPECT_TRUE(r.summary["deadlocked"].get<bool>());
    EXPECT_EQ(cycleOf(r), (std::vector<std::string>{"T1", "lock_b", "T2", "lock_a"}));
    for (const char* c : {"mutual_exclusion", "hold_and_wait", "no_preemption", "circular_wait"})
        EXPECT_TRUE(r.summary["coffman"][c].get<bool>()) << c;
    ASSERT_TRUE(r.summary.contains("detected_after_ms"));
    EXPECT_GE(r.summary["detected_after_ms"].get<double>(), 0.0);
    EXPECT_LT(r.summary["detected_after_ms"].get<double>(), 2000.0); // the target (200 ms) is benchmarked
    // Really blocked: both threads' last state before the cancel is Blocked on the other's lock.
    const auto t1 = r.trace->findActor("T1"), t2 = r.trace->findActor("T2");
    const auto a = r.trace->findActor("lock_a"), b = r.trace->findActor("lock_b");
    ASSERT_TRUE(t1 && t2 && a && b);
    const std::int64_t at = static_cast<std::int64_t>(r.summary["deadlock_at_ms"].get<double>() * 1e6);
    const auto s1 = r.trace->spanAt(*t1, at), s2 = r.trace->spanAt(*t2, at);
    ASSERT_TRUE(s1 && s2);
    EXPECT_EQ(r.trace->spans(*t1)[*s1].state, State::Blocked);
    EXPECT_EQ(r.trace->spans(*t1)[*s1].target, *b);
    EXPECT_EQ(r.trace->spans(*t2)[*s2].state, State::Blocked);
    EXPECT_EQ(r.trace->spans(*t2)[*s2].target, *a);
    // And the trace ends with the deadlock still standing (the run was stopped there; the threads'
    // unwinding afterwards is the engine's, not the program's): both blocked, each lock still held.
    EXPECT_EQ(r.trace->spans(*t1).back().state, State::Blocked);
    EXPECT_EQ(r.trace->spans(*t2).back().state, State::Blocked);
    EXPECT_EQ(r.trace->spans(*a).back().state, State::Held);
    EXPECT_EQ(r.trace->spans(*b).back().state, State::Held);
    for (const Event& e : r.trace->events()) EXPECT_LE(e.ts, r.trace->endTs());
}

TEST(DeadlockLesson, OrderedCompletesWithoutCircularWait)
{
    const RunResult r = runLesson("deadlock", "ordered");
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.summary.dump();
    EXPECT_FALSE(r.summary["deadlocked"].get<bool>());
    EXPECT_TRUE(r.summary["cycle"].empty());
    EXPECT_FALSE(r.summary["coffman"]["circular_wait"].get<bool>());
    EXPECT_FALSE(r.summary["coffman"]["hold_and_wait"].get<bool>()); // T2 waits holding nothing
    EXPECT_TRUE(r.summary["coffman"]["mutual_exclusion"].get<bool>());
}

TEST(DeadlockLesson, TrylockBackoffCompletesAfterRetries)
{
    const RunResult r = runLesson("deadlock", "trylock-backoff");
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.summary.dump();
    EXPECT_FALSE(r.summary["deadlocked"].get<bool>());
    // With the pause, both threads hold their first lock when they reach for the second, so at
    // least one of them times out, gives back what it held and retries.
    EXPECT_GE(r.summary["retries"].get<long>(), 1);
    EXPECT_FALSE(r.summary["coffman"]["no_preemption"].get<bool>());
    EXPECT_FALSE(r.summary["coffman"]["circular_wait"].get<bool>());
}

namespace {
// The last Coffman event of each condition in the trace (the state the engine left it in).
std::map<CoffmanCondition, std::pair<CoffmanStatus, std::string>> lastCoffman(const Trace& trace)
{
    std::map<CoffmanCondition, std::pair<CoffmanStatus, std::string>> out;
    for (const Event& e : trace.events())
        if (const auto c = coffmanChange(e)) out[c->condition] = {c->status, std::string(trace.text(e))};
    return out;
}
} // namespace

TEST(DeadlockFacts, TrylockBackoffRecordsNoPreemptionBroken)
{
    const RunResult r = runLesson("deadlock", "trylock-backoff");
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.summary.dump();
    const auto last = lastCoffman(*r.trace);
    ASSERT_TRUE(last.contains(CoffmanCondition::NoPreemption));
    const auto& [status, reason] = last.at(CoffmanCondition::NoPreemption);
    EXPECT_EQ(status, CoffmanStatus::Broken);
    EXPECT_NE(reason.find(" back after a failed timed acquire of lock_"), std::string::npos) << reason;
    EXPECT_NE(reason.find("(trylock): no preemption broken"), std::string::npos) << reason;
    // Both threads held a lock while they waited for the other's, with a timeout: the graph has the
    // waits as timed, so they never close a cycle.
    bool timedWait = false;
    for (const Event& e : r.trace->events()) {
        timedWait = timedWait || (e.kind == EventKind::WaitEdgeAdded && e.value == 1);
        EXPECT_NE(e.kind, EventKind::CycleEdge);
        if (const auto c = coffmanChange(e)) {
            EXPECT_NE(c->condition, CoffmanCondition::CircularWait);
        }
    }
    EXPECT_TRUE(timedWait);
    EXPECT_FALSE(r.summary["coffman"]["no_preemption"].get<bool>());
    EXPECT_TRUE(r.summary["coffman"]["hold_and_wait"].get<bool>());
}

TEST(DeadlockFacts, OppositeOrderRecordsAllFourMetAndTheCycle)
{
    const RunResult r = runLesson("deadlock", "opposite-order");
    ASSERT_EQ(r.outcome, RunOutcome::Deadlocked) << r.summary.dump();
    const auto last = lastCoffman(*r.trace);
    for (std::size_t i = 0; i < kCoffmanCount; ++i) {
        const auto c = static_cast<CoffmanCondition>(i);
        ASSERT_TRUE(last.contains(c)) << coffmanConditionName(c);
        EXPECT_EQ(last.at(c).first, CoffmanStatus::Met) << coffmanConditionName(c) << ": " << last.at(c).second;
    }
    EXPECT_EQ(last.at(CoffmanCondition::CircularWait).second,
              "T1 -> lock_b -> T2 -> lock_a -> T1: every thread in the cycle waits for the next, without a timeout");
    // The recorded cycle is the one the summary names, and it is recorded before the Deadlock event.
    std::vector<std::string> steps;
    bool deadlockSeen = false;
    for (const Event& e : r.trace->events()) {
        if (e.kind == EventKind::Deadlock) deadlockSeen = true;
        if (e.kind != EventKind::CycleEdge) continue;
        EXPECT_FALSE(deadlockSeen);
        EXPECT_EQ(e.value, static_cast<std::int64_t>(steps.size() / 2));
        steps.emplace_back(r.trace->actorName(e.actor));
        steps.emplace_back(r.trace->actorName(e.target));
    }
    EXPECT_TRUE(deadlockSeen);
    EXPECT_EQ(steps, cycleOf(r));
}

TEST(DeadlockLesson, SelfDeadlockIsACycleOfOne)
{
    const RunResult r = runLesson("deadlock", "self-deadlock");
    ASSERT_EQ(r.outcome, RunOutcome::Deadlocked);
    EXPECT_EQ(cycleOf(r), (std::vector<std::string>{"T1", "lock_a"}));
}

TEST(DeadlockLesson, RLockTakenTwiceCompletes)
{
    const RunResult r = runLesson("deadlock", "rlock");
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.summary.dump();
    EXPECT_FALSE(r.summary["deadlocked"].get<bool>());
}

TEST(DeadlockLesson, PhilosophersWithoutACureDeadlockThroughEveryone)
{
    const RunResult r = runLesson("deadlock", "philosophers", {{"n", "5"}, {"fix", "none"}});
    ASSERT_EQ(r.outcome, RunOutcome::Deadlocked);
    const auto cycle = cycleOf(r);
    ASSERT_EQ(cycle.size(), 10u);
    EXPECT_EQ(cycle.front(), "P0");
    for (std::size_t i = 0; i < cycle.size(); i += 2) {
        EXPECT_EQ(cycle[i].front(), 'P');
        EXPECT_EQ(cycle[i + 1].rfind("fork_", 0), 0u);
    }
}

TEST(DeadlockLesson, PhilosophersCuresLetEveryoneEat)
{
    for (const char* fix : {"hierarchy", "waiter"}) {
        for (int n : {2, 3, 5, 8}) {
            const RunResult r = runLesson("deadlock", "philosophers",
                                          {{"n", std::to_string(n)}, {"fix", fix}, {"meals", "2"}});
            ASSERT_EQ(r.outcome, RunOutcome::Completed) << fix << " n=" << n << " " << r.summary.dump();
            EXPECT_EQ(r.summary["meals"]["total"].get<long>(), 2L * n) << fix << " n=" << n;
            for (int i = 0; i < n; ++i)
                EXPECT_EQ(r.summary["meals"]["per_philosopher"]["P" + std::to_string(i)].get<long>(), 2);
        }
    }
}

TEST(DeadlockLesson, LocksAreRecordedForTheTimeline)
{
    const RunResult r = runLesson("deadlock", "ordered", {{"pause_ms", "5"}});
    ASSERT_EQ(r.outcome, RunOutcome::Completed);
    int requests = 0, acquired = 0, released = 0, lines = 0;
    for (const Event& e : r.trace->events()) {
        requests += e.kind == EventKind::AcquireRequest;
        acquired += e.kind == EventKind::Acquired;
        released += e.kind == EventKind::Released;
        lines += e.kind == EventKind::LineReached;
    }
    EXPECT_EQ(requests, 4);
    EXPECT_EQ(acquired, 4);
    EXPECT_EQ(released, 4);
    EXPECT_GT(lines, 0);
}

namespace {
std::string validationError(const std::string& variantConfig)
{
    const std::string text = R"({"id": "bad", "topic": "t", "engine": "script", "title": "Bad", "python": "x = 1\n",
 "variants": [{"id": "v", "title": "v", "config": )" + variantConfig + "}]}";
    const std::string path = ::testing::TempDir() + "/bad-script.json";
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(text.c_str(), f);
    std::fclose(f);
    RunRequest req;
    req.lesson = LessonLoader::loadFile(path);
    try {
        LessonRunner runner(std::move(req));
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}
} // namespace

TEST(ScriptEngine, BadScriptsAreLocatedErrors)
{
    const std::string unknownOp = validationError(
        R"({"locks": [{"name": "a"}], "threads": [{"name": "T", "ops": [{"op": "aquire", "lock": "a"}]}]})");
    EXPECT_NE(unknownOp.find("bad-script.json:2:"), std::string::npos) << unknownOp;
    EXPECT_NE(unknownOp.find("unknown op 'aquire' (allowed: acquire, release"), std::string::npos) << unknownOp;

    const std::string unknownLock = validationError(
        R"({"locks": [{"name": "a"}], "threads": [{"name": "T", "ops": [{"op": "acquire", "lock": "c"}]}]})");
    EXPECT_NE(unknownLock.find("unknown lock 'c' (allowed: a)"), std::string::npos) << unknownLock;

    const std::string missing = validationError(R"({"threads": [{"name": "T", "ops": [{"op": "sleep"}]}]})");
    EXPECT_NE(missing.find("ms: missing"), std::string::npos) << missing;

    const std::string wrongType = validationError(R"({"threads": [{"name": "T", "ops": [{"op": "sleep", "ms": "x"}]}]})");
    EXPECT_NE(wrongType.find("ms: wrong type: found a string"), std::string::npos) << wrongType;

    std::string many = R"({"threads": [)";
    for (int i = 0; i < 65; ++i) many += (i ? "," : "") + std::string(R"({"name": "T)") + std::to_string(i) + R"(", "ops": []})";
    many += "]}";
    const std::string tooMany = validationError(many);
    EXPECT_NE(tooMany.find("above the limit (allowed: 1 to 64)"), std::string::npos) << tooMany;

    const std::string unknownKey = validationError(R"({"threads": [{"name": "T", "ops": []}], "lokcs": []})");
    EXPECT_NE(unknownKey.find("lokcs: unknown key in config (allowed: locks, conditions"), std::string::npos) << unknownKey;
}
