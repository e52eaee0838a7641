// The servers lesson: eight server designs against the same client load on real loopback TCP. What
// the course notes claim must show in what the engine measured: a thread per client peaks at one
// thread per client, fork-per-client at one process per client, the event loops at one thread, and
// a slow client hurts the iterative server's other clients far more than an epoll server's.
#include "ProcTestSupport.h"

#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/LessonRunner.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

using namespace lockstep;
using namespace lockstep::test;

namespace {

const std::map<std::string, std::string> kLoad = { { "clients", "6" }, { "requests", "10" }, { "work_us", "100" } };

std::map<std::string, nlohmann::json> raceByServer(const RunResult& r)
{
    std::map<std::string, nlohmann::json> out;
    for (const auto& s : r.summary.at("race"))
        out[s.at("server").get<std::string>()] = s;
    return out;
}

} // namespace

TEST(ServersLesson, EveryServerAnswersEveryRequestAndTheOneThreadDesignsStayAtOneThread)
{
    const RunResult r = runLeakChecked("servers", "race", kLoad);
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const auto s = raceByServer(r);
    ASSERT_EQ(s.size(), 8U);
    for (const auto& [name, e] : s) {
        EXPECT_EQ(e.at("requests"), 60) << name;
        EXPECT_GT(e.at("throughput_rps").get<double>(), 0) << name;
        EXPECT_LE(e.at("latency_ms").at("p50").get<double>(), e.at("latency_ms").at("p99").get<double>()) << name;
        // Never more than one thread per client (plus the accepting one), one process per client,
        // one connection per client (plus the listening socket).
        EXPECT_LE(e.at("max_threads").get<int>(), 7) << name;
        EXPECT_LE(e.at("max_processes").get<int>(), 6) << name;
        EXPECT_LE(e.at("max_fds").get<int>(), 7) << name;
    }
    for (const char* one : { "iterative", "fork-per-client", "non-blocking", "select", "epoll" })
        EXPECT_EQ(s.at(one).at("max_threads"), 1) << one;
    for (const char* none : { "iterative", "thread-per-client", "thread-pool", "threading-tcp-server", "non-blocking", "select", "epoll" })
        EXPECT_EQ(s.at(none).at("max_processes"), 0) << none;
    // The iterative server holds one connection at a time; the fork server's parent hands each to a child.
    EXPECT_EQ(s.at("iterative").at("max_fds"), 2);
    EXPECT_EQ(s.at("fork-per-client").at("max_fds"), 2);
    // A pool never grows past its size (4 by default) plus the accepting thread.
    EXPECT_EQ(s.at("thread-pool").at("max_threads"), 5);
}

// A thread or a process per client: every client stays connected until all are done, so the
// server holds them all at once, whatever its speed.
TEST(ServersLesson, AThreadOrAProcessPerClientPeaksAtOnePerClient)
{
    const RunResult r = runLeakChecked("servers", "race", kLoad);
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const auto s = raceByServer(r);
    EXPECT_EQ(s.at("thread-per-client").at("max_threads"), 7); // six clients and the accepting thread
    EXPECT_EQ(s.at("threading-tcp-server").at("max_threads"), 7);
    EXPECT_EQ(s.at("fork-per-client").at("max_processes"), 6);
    for (const char* loop : { "non-blocking", "select", "epoll", "thread-per-client" })
        EXPECT_EQ(s.at(loop).at("max_fds"), 7) << loop; // six connections and the listening socket
}

// Head-of-line blocking: the slow client, taken first by the iterative server, holds every other
// client back for its whole trickle (31 bytes, 10 ms apart); epoll serves the others meanwhile.
TEST(ServersLesson, ASlowClientHurtsTheIterativeServersP99FarMoreThanEpolls)
{
    const RunResult it = runLeakChecked("servers", "iterative-slow-client", kLoad);
    const RunResult ep = runLeakChecked("servers", "epoll-slow-client", kLoad);
    ASSERT_EQ(it.outcome, RunOutcome::Completed) << it.error;
    ASSERT_EQ(ep.outcome, RunOutcome::Completed) << ep.error;
    const double itP99 = it.summary.at("latency_ms").at("p99").get<double>();
    const double epP99 = ep.summary.at("latency_ms").at("p99").get<double>();
    EXPECT_GE(it.summary.at("slow_client_ms").get<double>(), 300.0);
    EXPECT_GE(itP99, 250.0) << it.summary.dump();
    EXPECT_GT(itP99, 3 * epP99) << it.summary.dump() << "\n" << ep.summary.dump();
}

TEST(ServersLesson, TheProcessCapIsSaidWithWhereAndWhatIsAllowed)
{
    Lesson lesson = LessonLoader::find("servers", LOCKSTEP_SOURCE_LESSONS);
    RunRequest req;
    req.lesson = lesson;
    req.variant = "fork-per-client";
    req.params["clients"] = "20";
    try {
        LessonRunner::runToEnd(std::move(req));
        ADD_FAILURE() << "20 forked clients were accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("at most 15"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("servers.json"), std::string::npos) << e.what();
    }
}
