// The iomux lesson against CPython 3.11 on this machine: select's fd limit and message, and the
// edge- vs level-triggered behaviour of partial reads (tests/python/iomux_*.py are the oracles).
#include "lockstep/engine/Cancelled.h"
#include "lockstep/io/EpollMultiplexer.h"
#include "lockstep/io/FdBudget.h"
#include "lockstep/io/PollMultiplexer.h"
#include "lockstep/io/SelectMultiplexer.h"
#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/LessonRunner.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace lockstep;

namespace {

nlohmann::json runPython(const std::string& script, const std::string& args = {})
{
    const std::string cmd = "python3 " + std::string(LOCKSTEP_TEST_PYTHON_DIR) + "/" + script + " " + args;
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[4096];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
        const int status = ::pclose(p);
        EXPECT_EQ(status, 0) << cmd;
    }
    return nlohmann::json::parse(out, nullptr, false);
}

RunRequest request(const std::string& variant, std::map<std::string, std::string> params)
{
    RunRequest req;
    req.lesson = LessonLoader::loadFile(std::string(LOCKSTEP_SOURCE_LESSONS) + "/iomux.json");
    req.variant = variant;
    req.params = std::move(params);
    return req;
}

} // namespace

TEST(IomuxPython, SelectRefusesTheSameFdsWithTheSameMessage)
{
    const nlohmann::json py = runPython("iomux_select_limit.py");
    ASSERT_TRUE(py.is_object()) << py.dump();
    ASSERT_EQ(py.at("type"), "ValueError");
    const std::string message = py.at("message");
    EXPECT_EQ(message, SelectMultiplexer::kOutOfRange);

    // The same boundary: 1023 is accepted, 1024 and above refused, with CPython's words first.
    EXPECT_TRUE(py.at("accepts_1023").get<bool>());
    EXPECT_NO_THROW(SelectMultiplexer::checkFd(1023));
    for (const int fd : {1024, 1030}) {
        EXPECT_FALSE(py.at("accepts_" + std::to_string(fd)).get<bool>());
        try {
            SelectMultiplexer::checkFd(fd);
            ADD_FAILURE() << fd << " accepted";
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()).rfind(message, 0), 0u) << e.what();
        }
    }
    // And the lesson says so before running: `--variant select --param fds=2000`.
    try {
        LessonRunner runner(request("select", {{"fds", "2000"}}));
        ADD_FAILURE() << "select with 2000 fds accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }

    // poll and epoll take an fd past FD_SETSIZE, as in CPython.
    ASSERT_TRUE(py.at("poll_accepts_1030").get<bool>());
    ASSERT_TRUE(py.at("epoll_accepts_1030").get<bool>());
    FdBudget budget(1);
    budget.raiseSoftLimit();
    int sv[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
    const int high = ::dup2(sv[0], 1030);
    ASSERT_EQ(high, 1030);
    std::vector<int> ready;
    PollMultiplexer poll(-1);
    EXPECT_NO_THROW(poll.add(high));
    EXPECT_EQ(poll.wait(0, ready).ready, 0);
    EpollMultiplexer epoll(EpollMultiplexer::Trigger::Level, -1);
    EXPECT_NO_THROW(epoll.add(high));
    EXPECT_EQ(epoll.wait(0, ready).ready, 0);
    SelectMultiplexer select(-1);
    EXPECT_THROW(select.add(high), InputError);
    ::close(high);
    ::close(sv[0]);
    ::close(sv[1]);
}

TEST(IomuxPython, PartialReadsBehaveLikeCPythonsEpoll)
{
    struct Case {
        int message, chunk, active;
    };
    for (const Case c : {Case{8, 1, 4}, Case{6, 4, 3}, Case{16, 5, 2}, Case{3, 2, 6}}) {
        SCOPED_TRACE("message " + std::to_string(c.message) + " chunk " + std::to_string(c.chunk) + " active " +
                     std::to_string(c.active));
        const nlohmann::json py = runPython("iomux_partial_read.py", std::to_string(c.message) + " " +
                                                                         std::to_string(c.chunk) + " " +
                                                                         std::to_string(c.active) + " 0.02");
        ASSERT_TRUE(py.is_object()) << py.dump();
        for (const char* variant : {"et-partial-read", "lt-partial-read"}) {
            SCOPED_TRACE(variant);
            const nlohmann::json& want = py.at(std::string(variant).substr(0, 2));
            const RunResult r = LessonRunner::runToEnd(request(variant, {{"fds", std::to_string(c.active * 3)},
                                                                          {"active", std::to_string(c.active)},
                                                                          {"rounds", "1"},
                                                                          {"warmup", "0"},
                                                                          {"message_bytes", std::to_string(c.message)},
                                                                          {"read_chunk", std::to_string(c.chunk)},
                                                                          {"idle_timeout_ms", "20"}}));
            ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
            const auto& got = r.summary.at("results")[0];
            EXPECT_EQ(got.at("waits"), want.at("waits"));
            EXPECT_EQ(got.at("idle_waits"), want.at("idle_waits"));
            EXPECT_DOUBLE_EQ(got.at("ready_per_wait").get<double>(),
                             std::round(want.at("ready_per_wait").get<double>() * 100) / 100);
            EXPECT_EQ(r.summary.at("stalled_fds"), want.at("stalled"));

            // Per connection: the echo bytes each client got, the bytes left unread on the server end.
            const Trace& t = *r.trace;
            const auto clients = t.findActor("clients");
            const auto server = t.findActor("server");
            ASSERT_TRUE(clients && server);
            // The round ends where the clients hang up (the first hang-up on the board).
            std::int64_t hangUpTs = std::numeric_limits<std::int64_t>::max();
            std::size_t brokenPipes = 0;
            for (const Event& e : t.events()) {
                if (e.kind == EventKind::FdReady && (e.value & 16) != 0) hangUpTs = std::min(hangUpTs, e.ts);
                if (e.kind == EventKind::Mark && t.text(e).rfind("BrokenPipeError", 0) == 0) ++brokenPipes;
            }
            std::map<ActorId, std::int64_t> echoed, read;
            for (const Event& e : t.events()) {
                if (e.kind != EventKind::IoRead || e.ts >= hangUpTs) continue;
                (e.actor == *clients ? echoed : read)[e.target] += e.value;
            }
            // The hang-up: the engine watches 3x as many connections as are active; the idle ones
            // read b'' and close, as the active ones do where the echo went through.
            EXPECT_EQ(r.summary.at("closed_on_hangup"), want.at("closed_on_hangup").get<int>() + 2 * c.active);
            EXPECT_EQ(r.summary.at("left_open"), want.at("left_open"));
            EXPECT_EQ(brokenPipes, want.at("broken_pipes").get<std::size_t>());
            std::multiset<std::int64_t> echoBytes, unread, wantEcho, wantUnread;
            for (const auto& [fd, n] : read) {
                echoBytes.insert(echoed[fd]);
                unread.insert(c.message - n);
            }
            for (const auto& n : want.at("echo_bytes")) wantEcho.insert(n.get<std::int64_t>());
            for (const auto& n : want.at("left_unread")) wantUnread.insert(n.get<std::int64_t>());
            EXPECT_EQ(echoBytes, wantEcho);
            EXPECT_EQ(unread, wantUnread);
        }
    }
}
