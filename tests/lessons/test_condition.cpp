#include "LessonTestSupport.h"

#include <gtest/gtest.h>

using namespace lockstep;
using lockstep::test::runLesson;
using nlohmann::json;

namespace {

const std::vector<std::string> kVariants{"correct", "wrong-start", "no-with", "wait-for", "wait-for-xiaoai-first"};

json oracle(const std::string& variant, const std::string& lang)
{
    const std::string out = test::runPython("condition_pingpong.py", variant + " " + lang);
    return json::parse(out, nullptr, false);
}

} // namespace

TEST(ConditionLesson, CorrectStartOrderRecitesTheWholePoem)
{
    const RunResult r = runLesson("condition", "correct", {}, Lang::Zh);
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.summary.dump();
    const auto transcript = r.summary["transcript"].get<std::vector<std::string>>();
    ASSERT_EQ(transcript.size(), 10u);
    EXPECT_EQ(transcript.front(), "天猫精灵: 小爱同学");
    EXPECT_EQ(transcript[1], "小爱: 在");
    EXPECT_EQ(transcript.back(), "小爱: 此恨何时已");
    EXPECT_FALSE(r.summary["stalled"].get<bool>());
    EXPECT_EQ(r.summary["waits"].get<int>(), 10);
    EXPECT_EQ(r.summary["notifies"].get<int>(), 10);
}

TEST(ConditionLesson, WrongStartLosesTheFirstNotifyAndStalls)
{
    const RunResult r = runLesson("condition", "wrong-start", {}, Lang::En);
    ASSERT_EQ(r.outcome, RunOutcome::Stalled) << r.summary.dump();
    EXPECT_TRUE(r.summary["stalled"].get<bool>());
    EXPECT_EQ(r.summary["transcript"], json::array({"TianMao: Hey XiaoAi"}));
    bool stalledEvent = false;
    for (const Event& e : r.trace->events()) stalledEvent = stalledEvent || e.kind == EventKind::Stalled;
    EXPECT_TRUE(stalledEvent);
}

TEST(ConditionLesson, WaitWithoutTheLockIsCPythonsRuntimeError)
{
    const RunResult r = runLesson("condition", "no-with");
    ASSERT_NE(r.outcome, RunOutcome::Failed) << r.error;
    const std::string errors = r.summary["errors"].dump();
    EXPECT_NE(errors.find("RuntimeError: cannot wait on un-acquired lock"), std::string::npos) << errors;
    EXPECT_NE(errors.find("RuntimeError: cannot notify on un-acquired lock"), std::string::npos) << errors;
    int errorEvents = 0;
    for (const Event& e : r.trace->events()) errorEvents += e.kind == EventKind::Error;
    EXPECT_EQ(errorEvents, 2);
}

TEST(ConditionLesson, BothLayersAreRecorded)
{
    const RunResult r = runLesson("condition", "correct");
    ASSERT_EQ(r.outcome, RunOutcome::Completed);
    int allocated = 0, queued = 0, releasedByNotify = 0, says = 0;
    for (const Event& e : r.trace->events()) {
        allocated += e.kind == EventKind::WaiterAllocated;
        queued += e.kind == EventKind::WaiterQueued;
        releasedByNotify += e.kind == EventKind::WaiterReleased;
        says += e.kind == EventKind::Say;
    }
    EXPECT_EQ(allocated, 10); // a fresh waiter lock for every wait()
    EXPECT_EQ(queued, 10);
    EXPECT_EQ(releasedByNotify, 10);
    EXPECT_EQ(says, 10);
}

// The transcript equals what the equivalent CPython program prints, for every variant, in both
// languages.
TEST(ConditionLesson, TranscriptsMatchCPython)
{
    if (!test::havePython()) GTEST_SKIP() << "python3 not available";
    for (const auto& variant : kVariants) {
        for (const auto& [lang, langName] : {std::pair{Lang::En, "en"}, std::pair{Lang::Zh, "zh"}}) {
            const json expected = oracle(variant, langName);
            ASSERT_FALSE(expected.is_discarded()) << variant;
            const RunResult r = runLesson("condition", variant, {}, lang);
            EXPECT_EQ(r.summary["transcript"], expected["transcript"]) << variant << " " << langName;
            EXPECT_EQ(r.summary["stalled"], expected["stalled"]) << variant;
            if (!expected["errors"].empty()) {
                EXPECT_EQ(r.summary["errors"].size(), expected["errors"].size()) << variant;
                for (const auto& e : expected["errors"])
                    EXPECT_NE(r.summary["errors"].dump().find(e.get<std::string>()), std::string::npos) << variant;
            }
        }
    }
}
