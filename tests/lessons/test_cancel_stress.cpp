// Every variant of every shipped lesson, cancelled (as SIGINT or a closed window would) at a
// random seeded moment between 0 and 300 ms, many times over: after each run this process must
// hold exactly the threads, fds and children it held before. A run that ends by itself before
// its cancel is checked the same way.
//
// Repetitions: 20 per variant; 5 under ASan/TSan, where each run costs several times more and
// the suite must stay within CI's time. LOCKSTEP_STRESS_SEED replays another sequence of moments.

#include "../core/LeakProbe.h"

#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/LessonRunner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

using namespace lockstep;

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kRepetitions = 5;
#else
constexpr int kRepetitions = 20;
#endif
constexpr int kMaxCancelMs = 300;
// How long cancel may take to join and reap everything. The CLI's requirement is 1 s from the
// signal to exit; this bound is generous for sanitizers on a loaded 2-core machine.
constexpr double kTeardownBoundMs = 5000;

struct Case {
    std::string lesson;
    std::string variant;
};

// gtest prints a parameter this way in --gtest_list_tests and failure messages.
void PrintTo(const Case& c, std::ostream* os) { *os << c.lesson << "/" << c.variant; }

std::vector<Case> allVariants()
{
    std::vector<Case> cases;
    std::vector<std::string> errors;
    for (const Lesson& l : LessonLoader::loadDirectory(LOCKSTEP_SOURCE_LESSONS, &errors))
        for (const Variant& v : l.variants)
            cases.push_back({ l.id, v.id });
    return cases;
}

std::string caseName(const ::testing::TestParamInfo<Case>& info)
{
    std::string name = info.param.lesson + "_" + info.param.variant;
    std::replace_if(
        name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
    return name;
}

std::uint64_t baseSeed()
{
    if (const char* s = std::getenv("LOCKSTEP_STRESS_SEED")) return std::strtoull(s, nullptr, 10);
    return 20261203;
}

class CancelStress : public ::testing::TestWithParam<Case> { };

} // namespace

TEST_P(CancelStress, NothingOutlivesACancelledRun)
{
    const Case& c = GetParam();
    const Lesson lesson = LessonLoader::find(c.lesson, LOCKSTEP_SOURCE_LESSONS);
    const std::uint64_t seed = baseSeed() ^ std::hash<std::string> {}(c.lesson + "/" + c.variant);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<int> moment(0, kMaxCancelMs);

    const auto before = test::LeakProbe::now();
    ASSERT_FALSE(before.hasChildren);
    int interrupted = 0;
    double slowestTeardownMs = 0;
    for (int i = 0; i < kRepetitions; ++i) {
        const int cancelMs = moment(rng);
        SCOPED_TRACE("repetition " + std::to_string(i) + ", cancel after " + std::to_string(cancelMs)
            + " ms (LOCKSTEP_STRESS_SEED=" + std::to_string(baseSeed()) + ")");
        RunRequest req;
        req.lesson = lesson;
        req.variant = c.variant;
        req.seed = static_cast<std::uint64_t>(i) + 1;
        RunResult result;
        {
            LessonRunner runner(std::move(req));
            runner.start();
            if (!runner.wait(std::chrono::milliseconds(cancelMs))) {
                const auto t0 = std::chrono::steady_clock::now();
                runner.cancel(RunOutcome::Interrupted);
                result = runner.wait();
                slowestTeardownMs = std::max(slowestTeardownMs,
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            } else {
                result = runner.wait();
            }
        }
        EXPECT_NE(result.outcome, RunOutcome::Running);
        EXPECT_NE(result.outcome, RunOutcome::Failed) << result.error;
        ASSERT_TRUE(result.trace);
        if (result.outcome == RunOutcome::Interrupted) {
            ++interrupted;
            EXPECT_EQ(result.summary.value("outcome", ""), "interrupted");
        }

        const auto after = test::LeakProbe::settledTo(before);
        ASSERT_EQ(after.threads, before.threads) << "threads left running";
        ASSERT_EQ(after.fds, before.fds) << "fds left open";
        ASSERT_FALSE(after.hasChildren) << "a child left running or unreaped";
    }
    std::printf("[ measured ] %s/%s: %d of %d runs interrupted, slowest teardown %.1f ms\n", c.lesson.c_str(),
        c.variant.c_str(), interrupted, kRepetitions, slowestTeardownMs);
    EXPECT_LT(slowestTeardownMs, kTeardownBoundMs);
}

INSTANTIATE_TEST_SUITE_P(EveryLessonVariant, CancelStress, ::testing::ValuesIn(allVariants()), caseName);
