// Integration tests of the `generator` lesson: lessons/generator.json through the LessonRunner on
// the real engine (both variants, the trace the GUI draws, bad input, stepping and cancelling).
#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/LessonRunner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

using namespace lockstep;
using nlohmann::json;

namespace {

Lesson generatorLesson() { return LessonLoader::loadFile(std::string(LOCKSTEP_SOURCE_LESSONS) + "/generator.json"); }

RunResult run(const std::string& variant, std::map<std::string, std::string> params)
{
    RunRequest request;
    request.lesson = generatorLesson();
    request.variant = variant;
    request.params = std::move(params);
    return LessonRunner::runToEnd(std::move(request));
}

std::string inputError(const std::string& variant, std::map<std::string, std::string> params)
{
    try {
        RunRequest request;
        request.lesson = generatorLesson();
        request.variant = variant;
        request.params = std::move(params);
        LessonRunner runner(std::move(request));
    } catch (const InputError& e) {
        return e.what();
    }
    return "accepted";
}

} // namespace

TEST(GeneratorLesson, LoadsWithNarrationInBothLanguages)
{
    const Lesson lesson = generatorLesson();
    EXPECT_EQ(lesson.engine, "generator");
    ASSERT_NE(lesson.variant("script"), nullptr);
    ASSERT_NE(lesson.variant("producer-consumer"), nullptr);
    ASSERT_FALSE(lesson.narration.empty());
    for (const auto& step : lesson.narration) {
        EXPECT_FALSE(step.text.en.empty());
        EXPECT_FALSE(step.text.zh.empty());
        EXPECT_GT(step.line, 0);
    }
}

TEST(GeneratorLesson, ScriptVariantProducesTheTranscript)
{
    const RunResult r = run("script", {{"gen", "guarded"}, {"script", "next;throw:ValueError;send:1;close;next"}});
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const json& t = r.summary["transcript"];
    ASSERT_EQ(t.size(), 5u);
    EXPECT_EQ(t[0]["result"], "ready");
    EXPECT_EQ(t[1]["result"], "caught ValueError");
    EXPECT_EQ(t[2]["result"], "ready");
    EXPECT_EQ(t[3]["result"], nullptr);
    EXPECT_EQ(t[3]["output"], json::array({"cleanup"}));
    EXPECT_EQ(t[3]["state"], "GEN_CLOSED");
    EXPECT_EQ(t[4]["raised"], "StopIteration");
    EXPECT_EQ(t[4]["value"], nullptr);
    EXPECT_EQ(r.summary["generator"], "guarded");
    EXPECT_EQ(r.summary["finalizer_output"], json::array());
    for (const char* key : {"lesson", "variant", "params", "wall_ms", "events"}) EXPECT_TRUE(r.summary.contains(key)) << key;
}

TEST(GeneratorLesson, FinaliserRunsWhenTheScriptEndsWithASuspendedGenerator)
{
    const RunResult r = run("script", {{"gen", "guarded"}, {"script", "next"}});
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    EXPECT_EQ(r.summary["finalizer_output"], json::array({"cleanup"}));
}

TEST(GeneratorLesson, ProducerConsumerPrintsBothSidesInTurn)
{
    const RunResult r = run("producer-consumer", {{"n", "3"}});
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const json expected = {"[PRODUCER] Producing 1", "[CONSUMER] consuming 1", "[PRODUCER] Consumer return: 200 OK",
                           "[PRODUCER] Producing 2", "[CONSUMER] consuming 2", "[PRODUCER] Consumer return: 200 OK",
                           "[PRODUCER] Producing 3", "[CONSUMER] consuming 3", "[PRODUCER] Consumer return: 200 OK"};
    EXPECT_EQ(r.summary["output"], expected);
    const json& t = r.summary["transcript"];
    ASSERT_EQ(t.size(), 5u); // send(None), send 1..3, close
    EXPECT_EQ(t[0]["op"], "send");
    EXPECT_EQ(t[0]["arg"], nullptr);
    EXPECT_EQ(t[0]["result"], "");
    EXPECT_EQ(t[4]["op"], "close");
    EXPECT_EQ(t[4]["state"], "GEN_CLOSED");
}

TEST(GeneratorLesson, TraceShowsBothStacksAndTheArrowsBetweenThem)
{
    const RunResult r = run("script", {{"gen", "delegator"}, {"script", "next;send:2;send:null;next;next"}});
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const auto& trace = *r.trace;
    const auto main = trace.findActor("MainThread");
    const auto delegator = trace.findActor("delegator");
    const auto averager = trace.findActor("averager");
    ASSERT_TRUE(main && delegator && averager);
    EXPECT_EQ(trace.actor(*delegator)->kind, ActorKind::Coroutine);
    EXPECT_EQ(trace.actor(*averager)->kind, ActorKind::Coroutine);
    EXPECT_EQ(trace.actor(*delegator)->parent, *main);
    EXPECT_EQ(trace.actor(*averager)->parent, *delegator);

    std::map<EventKind, int> kinds;
    std::set<int> averagerLines, delegatorLines;
    for (const Event& e : trace.events()) {
        if (e.actor == *main && e.target == *delegator) ++kinds[e.kind];
        if (e.actor == *delegator && e.target == *main) ++kinds[e.kind];
        if (e.actor == *delegator && e.target == *averager) ++kinds[e.kind];
        if (e.actor == *averager && e.target == *delegator) ++kinds[e.kind];
        if (e.kind == EventKind::LineReached && e.actor == *averager) averagerLines.insert(e.line);
        if (e.kind == EventKind::LineReached && e.actor == *delegator) delegatorLines.insert(e.line);
    }
    EXPECT_EQ(kinds[EventKind::GenSend], 5 + 3);   // main -> delegator, and delegator -> averager
    EXPECT_EQ(kinds[EventKind::GenYield], 3 + 2);  // to main: None, 2.0, ['averaged', ...]; averager: None, 2.0
    EXPECT_EQ(kinds[EventKind::GenReturn], 1 + 1 + 1); // averager's [1, 2.0], delegator's 'finished', then the closed one
    // Lines of the lesson snippet: averager is lines 1-9, delegator 37-40.
    EXPECT_TRUE(averagerLines.count(4) && averagerLines.count(6));
    EXPECT_TRUE(delegatorLines.count(38) && delegatorLines.count(39) && delegatorLines.count(40));
    EXPECT_TRUE(std::all_of(averagerLines.begin(), averagerLines.end(), [](int l) { return l >= 1 && l <= 9; }));
    EXPECT_TRUE(std::all_of(delegatorLines.begin(), delegatorLines.end(), [](int l) { return l >= 37 && l <= 40; }));
    EXPECT_GT(trace.timeIn(*delegator, State::GenSuspended), 0);
    EXPECT_EQ(trace.stateAt(*delegator, trace.endTs()), State::GenClosed);
    EXPECT_EQ(trace.stateAt(*averager, trace.endTs()), State::GenClosed);
}

TEST(GeneratorLesson, BadInputIsAClearInputError)
{
    EXPECT_NE(inputError("script", {{"script", "next;sned:1"}}).find("script: operation 2 of 2 ('sned:1')"),
              std::string::npos);
    EXPECT_NE(inputError("script", {{"script", "throw:OSError"}}).find("unknown exception class 'OSError'"),
              std::string::npos);
    EXPECT_NE(inputError("script", {{"gen", "nosuch"}}), "accepted");
    EXPECT_NE(inputError("producer-consumer", {{"n", "0"}}), "accepted");
    EXPECT_NE(inputError("producer-consumer", {{"n", "1001"}}), "accepted");
}

TEST(GeneratorLesson, StepsOneTransferAtATimeAndCancels)
{
    RunRequest request;
    request.lesson = generatorLesson();
    request.variant = "producer-consumer";
    request.params = {{"n", "50"}};
    request.gateMode = GateMode::Step;
    LessonRunner runner(std::move(request));
    runner.start();
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(runner.gate().stepAny()) << i;
    EXPECT_FALSE(runner.finished());
    runner.cancel();
    const RunResult r = runner.wait();
    EXPECT_EQ(r.outcome, RunOutcome::Cancelled);
    EXPECT_EQ(runner.snapshot()->findActor("consumer").has_value(), true);
}
