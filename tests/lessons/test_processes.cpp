// The processes lesson on real fork(): what each variant shows (read from its summary and its
// trace), that nothing of the tree outlives a run, and the config's errors. The comparison with
// CPython running the same functions is in test_processes_python.cpp.
#include "ProcTestSupport.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/proc/ProcStat.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <thread>

using namespace lockstep;
using namespace lockstep::test;

TEST(ProcStat, CountsFieldsFromTheLastParenthesis)
{
    // comm is whatever the process named itself: spaces and parentheses included.
    std::string line = "4242 (a) b (c) Z 17 4242 4242 0 -1 4194560";
    for (int field = 10; field <= 51; ++field)
        line += " 0";
    line += " 3072\n"; // field 52: exit_code, the raw wait status (exit 12)
    ProcSample s;
    ASSERT_TRUE(parseProcStat(line.data(), line.size(), s));
    EXPECT_EQ(s.state, 'Z');
    EXPECT_EQ(s.ppid, 17);
    EXPECT_EQ(s.exitStatus, 3072);
    const std::string bad = "4242 no parenthesis S 1";
    EXPECT_FALSE(parseProcStat(bad.data(), bad.size(), s));
    const std::string twoLetters = "1 (x) SS 1";
    EXPECT_FALSE(parseProcStat(twoLetters.data(), twoLetters.size(), s));
}

TEST(ProcStat, ReadsThisProcessAndFailsOnceAChildIsReaped)
{
    ProcStatReader self;
    ASSERT_TRUE(self.open(::getpid()));
    ProcSample s;
    ASSERT_TRUE(self.read(s));
    EXPECT_EQ(s.state, 'R'); // reading it, so running
    EXPECT_EQ(s.ppid, ::getppid());

    const pid_t child = ::fork();
    if (child == 0) ::_exit(3);
    ProcStatReader reader;
    ASSERT_TRUE(reader.open(child));
    for (int i = 0; i < 2000 && reader.read(s) && s.state != 'Z'; ++i)
        ::usleep(1000);
    EXPECT_EQ(s.state, 'Z');
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_FALSE(reader.read(s)) << "an fd on a reaped process reads nothing, even if the pid is reused";
}

TEST(ProcessesLesson, ForkReturnsTwiceAndTheChildsWriteStaysInTheChild)
{
    const RunResult r = runLeakChecked("processes", "fork-basics");
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const auto& s = r.summary;
    const auto& main = proc(r, "main");
    const auto& child = proc(r, "child");
    EXPECT_EQ(s.at("child_saw"), 0);
    EXPECT_EQ(s.at("parent_saw"), child.at("pid"));
    EXPECT_EQ(s.at("value_in_child"), 2);
    EXPECT_EQ(s.at("value_in_parent"), 1);
    EXPECT_EQ(child.at("ppid_initial"), main.at("pid"));
    EXPECT_EQ(child.at("reaped_by"), "main");
    EXPECT_EQ(main.at("ppid_initial"), ::getpid());
    EXPECT_EQ(main.at("reaped_by"), "lockstep");
    EXPECT_EQ(s.at("zombies_left"), 0);
    // The trace: main forked the child, and reaped it.
    const Trace& t = *r.trace;
    const ActorId m = actorNamed(t, "main"), c = actorNamed(t, "child");
    int forks = 0, reaps = 0;
    for (const Event& e : t.events()) {
        forks += e.kind == EventKind::Fork && e.actor == m && e.target == c;
        reaps += e.kind == EventKind::Reap && e.actor == m && e.target == c;
    }
    EXPECT_EQ(forks, 1);
    EXPECT_EQ(reaps, 1);
}

TEST(ProcessesLesson, ChildrenAreRunningOrReadyWhileTheyWorkAndSleepingInBetween)
{
    // Six CPU-bound children on this 2-core machine: at any moment most are runnable but waiting
    // for a core, which /proc/<pid>/schedstat shows as run-queue time (ready).
    const RunResult r = runLeakChecked(
        "processes", "states", { { "children", "6" }, { "rounds", "2" }, { "work_ms", "80" }, { "sleep_ms", "40" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    double readyMs = 0;
    for (int i = 1; i <= 6; ++i) {
        const std::string name = "child-" + std::to_string(i);
        const std::string seen = letters(proc(r, name));
        EXPECT_NE(seen.find('R'), std::string::npos) << name << ": " << seen;
        EXPECT_NE(seen.find('S'), std::string::npos) << name << ": " << seen;
        const ActorId a = actorNamed(*r.trace, name);
        EXPECT_GT(msIn(*r.trace, a, State::Sleeping), 20.0) << name;
        readyMs += msIn(*r.trace, a, State::Ready);
    }
    EXPECT_GT(readyMs, 50.0) << "6 x 160 ms of CPU work on at most 2 cores: most of it waits for a core";
    EXPECT_NE(letters(proc(r, "main")).find('S'), std::string::npos) << "main sleeps in wait()";
}

TEST(ProcessesLesson, AZombieStaysZUntilItsParentWaits)
{
    const RunResult r = runLeakChecked("processes", "zombie", { { "linger_ms", "400" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const auto& child = proc(r, "child");
    EXPECT_NE(letters(child).find('Z'), std::string::npos) << letters(child);
    EXPECT_EQ(child.at("exit_code"), 7);
    EXPECT_EQ(child.at("reaped_by"), "main");
    EXPECT_EQ(r.summary.at("max_zombies"), 1);
    EXPECT_EQ(r.summary.at("zombies_left"), 0);
    // It stayed a zombie for most of the parent's sleep (however late the child got to run).
    const double zombieMs = msIn(*r.trace, actorNamed(*r.trace, "child"), State::Zombie);
    EXPECT_GT(zombieMs, 100.0);
    EXPECT_LT(zombieMs, 2000.0);
}

TEST(ProcessesLesson, AnOrphanIsAdoptedByTheSubreaperAndReaped)
{
    const RunResult r = runLeakChecked("processes", "orphan", { { "parent_ms", "50" }, { "orphan_ms", "100" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const auto& main = proc(r, "main");
    const auto& child = proc(r, "child");
    EXPECT_EQ(child.at("ppid_initial"), main.at("pid"));
    EXPECT_EQ(child.at("ppid_final"), ::getpid());
    EXPECT_EQ(r.summary.at("orphan_saw_ppid"), ::getpid());
    EXPECT_EQ(child.at("reaped_by"), "lockstep");
    EXPECT_EQ(main.at("reaped_by"), "lockstep");
    const Trace& t = *r.trace;
    const ActorId c = actorNamed(t, "child"), lockstep = actorNamed(t, "lockstep");
    int reparents = 0;
    for (const Event& e : t.events())
        reparents += e.kind == EventKind::Reparent && e.actor == c && e.target == lockstep;
    EXPECT_EQ(reparents, 1);
}

TEST(ProcessesLesson, WaitpidBlocksOnEachChildInTurn)
{
    const RunResult r = runLeakChecked("processes", "wait", { { "children", "3" }, { "work_ms", "30" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const Trace& t = *r.trace;
    const ActorId m = actorNamed(t, "main");
    std::vector<ActorId> waitedFor;
    for (const Event& e : t.events())
        if (e.kind == EventKind::WaitEdgeAdded && e.actor == m) waitedFor.push_back(e.target);
    ASSERT_EQ(waitedFor.size(), 3U);
    for (int i = 1; i <= 3; ++i) {
        const std::string name = "child-" + std::to_string(i);
        EXPECT_EQ(proc(r, name).at("exit_code"), i) << name;
        EXPECT_EQ(proc(r, name).at("reaped_by"), "main") << name;
        EXPECT_EQ(waitedFor[static_cast<std::size_t>(i - 1)], actorNamed(t, name)) << "in fork order";
    }
    EXPECT_GT(msIn(t, m, State::Waiting), 60.0) << "main blocked in waitpid until the last child, 90 ms in";
}

TEST(ProcessesLesson, OneSigchldStandsForEveryChildThatExitedWhileItWasBlocked)
{
#if defined(__SANITIZE_THREAD__)
    // ThreadSanitizer wraps signal handlers and runs them only at its own safe points; in a child
    // forked from a multithreaded process it never does, so main's SIGCHLD handler does not run.
    GTEST_SKIP() << "ThreadSanitizer does not deliver signals to a handler in a forked child";
#endif
    const RunResult looping = runLeakChecked("processes", "sigchld", { { "children", "4" }, { "linger_ms", "100" } });
    ASSERT_EQ(looping.outcome, RunOutcome::Completed) << looping.error;
    EXPECT_EQ(looping.summary.at("handler_calls"), 1);
    EXPECT_EQ(looping.summary.at("reaped_in_handler"), 4);
    EXPECT_EQ(looping.summary.at("zombies_left"), 0);
    for (int i = 1; i <= 4; ++i)
        EXPECT_EQ(proc(looping, "child-" + std::to_string(i)).at("reaped_by"), "main");

    const RunResult once = runLeakChecked("processes", "sigchld-once", { { "children", "4" }, { "linger_ms", "100" } });
    ASSERT_EQ(once.outcome, RunOutcome::Completed) << once.error;
    EXPECT_EQ(once.summary.at("handler_calls"), 1);
    EXPECT_EQ(once.summary.at("reaped_in_handler"), 1);
    EXPECT_EQ(once.summary.at("zombies_left"), 3) << "the leak the lesson shows";
    EXPECT_GE(once.summary.at("max_zombies").get<int>(), 3);
    int byMain = 0, byLockstep = 0;
    for (int i = 1; i <= 4; ++i) {
        const auto& p = proc(once, "child-" + std::to_string(i));
        byMain += p.at("reaped_by") == "main";
        byLockstep += p.at("reaped_by") == "lockstep";
        EXPECT_EQ(p.at("exit_code"), 0);
    }
    EXPECT_EQ(byMain, 1);
    EXPECT_EQ(byLockstep, 3) << "cleaned up by the subreaper once main exited";
}

TEST(ProcessesLesson, APoolMapsEveryTaskThenClosesAndJoinsItsWorkers)
{
    const RunResult r
        = runLeakChecked("processes", "pool", { { "workers", "3" }, { "tasks", "9" }, { "task_ms", "20" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    nlohmann::json squares = nlohmann::json::array();
    for (int x = 0; x < 9; ++x)
        squares.push_back(x * x);
    EXPECT_EQ(r.summary.at("results"), squares);
    int done = 0;
    for (int i = 1; i <= 3; ++i) {
        const auto& w = proc(r, "worker-" + std::to_string(i));
        done += w.at("tasks_done").get<int>();
        EXPECT_EQ(w.at("reaped_by"), "main");
        EXPECT_EQ(w.at("exit_code"), 0);
    }
    EXPECT_EQ(done, 9);
    // Between tasks a worker is blocked reading the task pipe.
    double blockedIo = 0;
    for (int i = 1; i <= 3; ++i)
        blockedIo += msIn(*r.trace, actorNamed(*r.trace, "worker-" + std::to_string(i)), State::BlockedIo);
    EXPECT_GT(blockedIo, 0.0);
}

TEST(ProcessesLesson, CancelledMidRunLeavesNoProcessBehind)
{
    // The orphan variant at its worst moment: main gone, the orphan adopted and asleep.
    for (int cancelMs : { 0, 5, 70, 150 }) {
        const LeakProbe before = LeakProbe::now();
        RunResult r;
        double teardownMs = 0;
        {
            RunRequest req;
            req.lesson = LessonLoader::find("processes", LOCKSTEP_SOURCE_LESSONS);
            req.variant = "orphan";
            req.params = { { "parent_ms", "50" }, { "orphan_ms", "5000" } };
            LessonRunner runner(std::move(req));
            runner.start();
            std::this_thread::sleep_for(std::chrono::milliseconds(cancelMs));
            const auto t0 = std::chrono::steady_clock::now();
            runner.cancel();
            ASSERT_TRUE(runner.wait(std::chrono::seconds(10)));
            r = runner.wait();
            teardownMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        }
        EXPECT_EQ(r.outcome, RunOutcome::Cancelled) << cancelMs;
        std::printf("cancelled at %d ms: torn down in %.1f ms\n", cancelMs, teardownMs);
        const LeakProbe after = LeakProbe::settledTo(before);
        EXPECT_FALSE(after.hasChildren) << cancelMs;
        EXPECT_EQ(after.fds, before.fds) << cancelMs;
        const auto& procs = r.summary.value("processes", nlohmann::json::array());
        for (const auto& p : procs) {
            errno = 0;
            EXPECT_EQ(::kill(p.at("pid").get<pid_t>(), 0), -1) << p.dump();
        }
    }
}

TEST(ProcessesLesson, ConfigMistakesAreLocatedAndSayWhatIsAllowed)
{
    Lesson lesson = LessonLoader::find("processes", LOCKSTEP_SOURCE_LESSONS);
    const auto check = [&](const nlohmann::json& config, const std::string& expected) {
        RunRequest req;
        req.lesson = lesson;
        req.lesson.variants.at(0).config = config;
        req.variant = req.lesson.variants.at(0).id;
        try {
            LessonRunner::runToEnd(std::move(req));
            ADD_FAILURE() << "accepted " << config.dump();
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
        }
    };
    check({ { "variant", "forks" } }, "allowed: fork-basics, states, zombie, orphan, wait, sigchld, pool");
    check({ { "variant", "zombie" }, { "children", 2 } }, "for variant 'zombie'");
    check({ { "variant", "states" }, { "children", 16 } }, "1..15");
    check({ { "variant", "sigchld" }, { "loop", 1 } }, "loop");
}
