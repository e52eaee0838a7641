// The processes lesson against CPython 3.11 running the same functions with os, signal and
// multiprocessing on this machine (tests/python/proc_oracle.py). Compared: what each side saw
// (fork's two return values, copy-on-write), the states that every run shows (R and S while
// working and sleeping, Z while unreaped), the re-parenting of the orphan, exit statuses, who
// reaped whom, and the SIGCHLD arithmetic: one handler call, all reaped with the loop, one without.
#include "LessonTestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

using namespace lockstep;

namespace {

nlohmann::json oracle(const std::string& args)
{
    const std::string out = test::runPython("proc_oracle.py", args);
    return nlohmann::json::parse(out, nullptr, false);
}

// The processes of a summary by fork order (main first): the engine's names and the oracle's
// indices both number the children in the order they were forked, except the oracle's pool
// workers (numbered by pid, which is the same order here).
std::vector<nlohmann::json> byIndex(const nlohmann::json& summary, bool engine)
{
    std::vector<nlohmann::json> out;
    for (const auto& p : summary.at("processes"))
        out.push_back(p);
    if (!engine) {
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at("index") < b.at("index"); });
    }
    return out;
}

bool sawLetter(const nlohmann::json& p, const char* letter)
{
    for (const auto& l : p.at("states_seen"))
        if (l == letter) return true;
    return false;
}

class ProcessesPython : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (!test::havePython()) GTEST_SKIP() << "python3 is not installed";
    }
};

} // namespace

TEST_F(ProcessesPython, ForkReturnsTheSameOnBothSides)
{
    const nlohmann::json py = oracle("fork-basics");
    ASSERT_TRUE(py.is_object());
    const RunResult en = test::runLesson("processes", "fork-basics");
    ASSERT_EQ(en.outcome, RunOutcome::Completed) << en.error;
    for (const char* key : { "child_saw", "value_in_child", "value_in_parent", "zombies_left" })
        EXPECT_EQ(en.summary.at(key), py.at(key)) << key;
    // parent_saw is the child's pid on both sides
    EXPECT_EQ(py.at("parent_saw"), byIndex(py, false).at(1).at("pid"));
    EXPECT_EQ(en.summary.at("parent_saw"), byIndex(en.summary, true).at(1).at("pid"));
}

TEST_F(ProcessesPython, WorkingChildrenAreRAndSleepingOnesS)
{
    const std::string args = "children=3 rounds=3 work_ms=40 sleep_ms=40";
    const nlohmann::json py = oracle("states " + args);
    ASSERT_TRUE(py.is_object());
    const RunResult en = test::runLesson(
        "processes", "states", { { "children", "3" }, { "rounds", "3" }, { "work_ms", "40" }, { "sleep_ms", "40" } });
    ASSERT_EQ(en.outcome, RunOutcome::Completed) << en.error;
    const auto pyProcs = byIndex(py, false), enProcs = byIndex(en.summary, true);
    ASSERT_EQ(pyProcs.size(), enProcs.size());
    for (std::size_t i = 1; i < pyProcs.size(); ++i) {
        for (const char* letter : { "R", "S" }) {
            EXPECT_TRUE(sawLetter(pyProcs[i], letter)) << "python " << pyProcs[i].dump();
            EXPECT_TRUE(sawLetter(enProcs[i], letter)) << "engine " << enProcs[i].dump();
        }
        EXPECT_EQ(enProcs[i].at("exit_code"), pyProcs[i].at("exit_code"));
        EXPECT_EQ(enProcs[i].at("reaped_by"), pyProcs[i].at("reaped_by"));
    }
}

TEST_F(ProcessesPython, AnUnwaitedChildIsAZombieOnBothSides)
{
    const nlohmann::json py = oracle("zombie linger_ms=300");
    ASSERT_TRUE(py.is_object());
    const RunResult en = test::runLesson("processes", "zombie", { { "linger_ms", "300" } });
    ASSERT_EQ(en.outcome, RunOutcome::Completed) << en.error;
    const auto pyChild = byIndex(py, false).at(1), enChild = byIndex(en.summary, true).at(1);
    EXPECT_TRUE(sawLetter(pyChild, "Z")) << pyChild.dump();
    EXPECT_TRUE(sawLetter(enChild, "Z")) << enChild.dump();
    EXPECT_EQ(enChild.at("states_seen").back(), pyChild.at("states_seen").back());
    EXPECT_EQ(enChild.at("exit_code"), pyChild.at("exit_code"));
    EXPECT_EQ(enChild.at("reaped_by"), pyChild.at("reaped_by"));
    EXPECT_EQ(en.summary.at("max_zombies"), py.at("max_zombies"));
    EXPECT_EQ(en.summary.at("zombies_left"), py.at("zombies_left"));
}

TEST_F(ProcessesPython, TheOrphanMovesToTheSubreaperOnBothSides)
{
    const nlohmann::json py = oracle("orphan parent_ms=50 orphan_ms=100");
    ASSERT_TRUE(py.is_object());
    const RunResult en = test::runLesson("processes", "orphan", { { "parent_ms", "50" }, { "orphan_ms", "100" } });
    ASSERT_EQ(en.outcome, RunOutcome::Completed) << en.error;
    for (const auto* s : { &py, &en.summary }) {
        const auto procs = byIndex(*s, s == &en.summary);
        const auto& main = procs.at(0);
        const auto& child = procs.at(1);
        EXPECT_EQ(child.at("ppid_initial"), main.at("pid")) << s->dump();
        EXPECT_EQ(child.at("ppid_final"), s->at("lockstep_pid")) << s->dump();
        EXPECT_EQ(s->at("orphan_saw_ppid"), s->at("lockstep_pid")) << s->dump();
        EXPECT_EQ(child.at("reaped_by"), "lockstep") << s->dump();
    }
}

TEST_F(ProcessesPython, WaitpidCollectsTheSameExitStatuses)
{
    const nlohmann::json py = oracle("wait children=3 work_ms=20");
    ASSERT_TRUE(py.is_object());
    const RunResult en = test::runLesson("processes", "wait", { { "children", "3" }, { "work_ms", "20" } });
    ASSERT_EQ(en.outcome, RunOutcome::Completed) << en.error;
    const auto pyProcs = byIndex(py, false), enProcs = byIndex(en.summary, true);
    ASSERT_EQ(pyProcs.size(), 4U);
    ASSERT_EQ(enProcs.size(), 4U);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(enProcs[i].at("exit_code"), pyProcs[i].at("exit_code")) << i;
        EXPECT_EQ(enProcs[i].at("reaped_by"), pyProcs[i].at("reaped_by")) << i;
    }
}

TEST_F(ProcessesPython, OneSigchldForAllWithOrWithoutTheLoop)
{
#if defined(__SANITIZE_THREAD__)
    // ThreadSanitizer wraps signal handlers and runs them only at its own safe points; in a child
    // forked from a multithreaded process it never does, so main's SIGCHLD handler does not run.
    GTEST_SKIP() << "ThreadSanitizer does not deliver signals to a handler in a forked child";
#endif
    for (const bool loop : { true, false }) {
        const nlohmann::json py = oracle(std::string("sigchld children=4 linger_ms=100 loop=") + (loop ? "1" : "0"));
        ASSERT_TRUE(py.is_object());
        const RunResult en = test::runLesson(
            "processes", loop ? "sigchld" : "sigchld-once", { { "children", "4" }, { "linger_ms", "100" } });
        ASSERT_EQ(en.outcome, RunOutcome::Completed) << en.error;
        for (const char* key : { "handler_calls", "reaped_in_handler", "zombies_left" })
            EXPECT_EQ(en.summary.at(key), py.at(key)) << key << (loop ? " (loop)" : " (once)");
        int pyByLockstep = 0, enByLockstep = 0;
        for (const auto& p : py.at("processes"))
            pyByLockstep += p.at("reaped_by") == "lockstep";
        for (const auto& p : en.summary.at("processes"))
            enByLockstep += p.at("reaped_by") == "lockstep";
        EXPECT_EQ(enByLockstep, pyByLockstep) << "main, plus the zombies a non-looping handler left";
    }
}

TEST_F(ProcessesPython, PoolMapGivesTheSameResultsAndEveryTaskRunsOnce)
{
    const nlohmann::json py = oracle("pool workers=3 tasks=9 task_ms=20");
    ASSERT_TRUE(py.is_object());
    const RunResult en
        = test::runLesson("processes", "pool", { { "workers", "3" }, { "tasks", "9" }, { "task_ms", "20" } });
    ASSERT_EQ(en.outcome, RunOutcome::Completed) << en.error;
    EXPECT_EQ(en.summary.at("results"), py.at("results"));
    int pyTasks = 0, enTasks = 0;
    for (const auto& p : py.at("processes"))
        pyTasks += p.value("tasks_done", 0);
    for (const auto& p : en.summary.at("processes"))
        enTasks += p.value("tasks_done", 0);
    EXPECT_EQ(pyTasks, 9);
    EXPECT_EQ(enTasks, 9);
    EXPECT_EQ(py.at("processes").size(), en.summary.at("processes").size());
}
