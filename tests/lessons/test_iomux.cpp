// Integration tests of the iomux lesson: every variant on the real engine, the select fd limit,
// the edge-triggered stall, events, determinism, no leaks, cancel.
#include "../core/LeakProbe.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/io/FdBudget.h"
#include "lockstep/io/IomuxSnippet.h"
#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/LessonRunner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace lockstep;
using lockstep::test::LeakProbe;
using namespace std::chrono_literals;

namespace {

Lesson iomuxLesson() { return LessonLoader::loadFile(std::string(LOCKSTEP_SOURCE_LESSONS) + "/iomux.json"); }

RunRequest request(const std::string& variant, std::map<std::string, std::string> params, std::uint64_t seed = 1)
{
    RunRequest req;
    req.lesson = iomuxLesson();
    req.variant = variant;
    req.params = std::move(params);
    req.seed = seed;
    return req;
}

// Small and quick: fine under ASan and TSan.
std::map<std::string, std::string> smallParams()
{
    return {{"fds", "64"}, {"active", "4"}, {"rounds", "6"}, {"warmup", "2"}, {"idle_timeout_ms", "20"}};
}

std::string inputErrorOf(RunRequest req)
{
    try {
        LessonRunner runner(std::move(req));
    } catch (const InputError& e) {
        return e.what();
    }
    return {};
}

std::size_t countEvents(const Trace& t, EventKind kind)
{
    std::size_t n = 0;
    for (const Event& e : t.events())
        if (e.kind == kind) ++n;
    return n;
}

} // namespace

class IomuxVariant : public ::testing::TestWithParam<const char*> {};

TEST_P(IomuxVariant, RunsToEndAsARealEchoServer)
{
    const std::string variant = GetParam();
    const bool partial = variant.find("partial") != std::string::npos;
    const RunResult r = LessonRunner::runToEnd(request(variant, smallParams()));
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error << "\n" << r.summary.dump(2);
    const auto& results = r.summary.at("results");
    ASSERT_EQ(results.size(), 1u);
    const auto& p = results[0];
    EXPECT_EQ(p.at("fds"), 64);
    EXPECT_EQ(p.at("active"), 4);
    EXPECT_EQ(p.at("rounds"), variant == "et-partial-read" ? 6 : 6);
    EXPECT_GT(p.at("ns_per_wait").get<double>(), 0.0);
    EXPECT_EQ(r.summary.at("echo_mismatches"), 0);
    const std::string mux = r.summary.at("mux");
    EXPECT_EQ(p.at("mux"), mux);
    const double ready = p.at("ready_per_wait");
    const double scanned = p.at("scanned_per_wait");
    if (mux == "select" || mux == "poll") {
        // The user-space loop examined every watched fd on every wait.
        EXPECT_EQ(scanned, 64.0);
        EXPECT_EQ(p.at("handed_per_wait"), 64.0);
    } else {
        EXPECT_EQ(scanned, ready);
        EXPECT_EQ(p.at("handed_per_wait"), 0.0);
    }
    if (!partial) {
        // The whole round was written before the server waited: one wait finds all 4 writers.
        EXPECT_EQ(p.at("waits"), 6);
        EXPECT_EQ(ready, 4.0);
        EXPECT_EQ(r.summary.at("stalled_fds"), 0);
    }

    // The trace: one fd actor per connection, two engine threads, the server blocked in its waits.
    const Trace& t = *r.trace;
    std::size_t fdActors = 0;
    for (const auto& a : t.actors())
        if (a.kind == ActorKind::Fd) ++fdActors;
    EXPECT_EQ(fdActors, 64u);
    const auto server = t.findActor("server");
    const auto clients = t.findActor("clients");
    ASSERT_TRUE(server && clients);
    EXPECT_GT(t.timeIn(*server, State::BlockedIo), 0);
    EXPECT_EQ(t.spans(*server).back().state, State::Terminated);
    EXPECT_EQ(t.spans(*clients).back().state, State::Terminated);
    const std::size_t waits = countEvents(t, EventKind::MuxWaitBegin);
    EXPECT_EQ(waits, countEvents(t, EventKind::MuxWaitEnd));
    EXPECT_EQ(waits, countEvents(t, EventKind::MuxScan));
    // Warm-up waits are recorded too, only not measured.
    EXPECT_GE(waits, static_cast<std::size_t>(p.at("waits").get<int>()));
    for (const Event& e : t.events()) {
        if (e.kind == EventKind::MuxWaitBegin) {
            EXPECT_EQ(e.value, mux == "select" || mux == "poll" ? 64 : 0);
            EXPECT_EQ(e.line, IomuxSnippet::kSelect);
        }
        if (e.kind == EventKind::FdReady) {
            ASSERT_TRUE(t.actor(e.actor));
            EXPECT_EQ(t.actor(e.actor)->kind, ActorKind::Fd);
            // idle, readable, or readable with nothing to read after the client hung up (POLLIN | POLLHUP)
            EXPECT_TRUE(e.value == 0 || e.value == 1 || e.value == 17) << e.value;
        }
    }
    // Causal order: a client reads an echo only after the server wrote one on that connection.
    std::map<ActorId, std::int64_t> echoWritten;
    for (const Event& e : t.events()) {
        if (e.kind == EventKind::IoWrite && e.actor == *server) echoWritten[e.target] += e.value;
        if (e.kind == EventKind::IoRead && e.actor == *clients) {
            EXPECT_GE(echoWritten[e.target], e.value) << t.actorName(e.target);
            echoWritten[e.target] -= e.value;
        }
    }
    // Recording follows what changes, not what is watched: at most one readable and one idle
    // change per write (8 rounds x 4 writers) and one hang-up per connection, not one event per
    // fd per wait.
    EXPECT_LE(countEvents(t, EventKind::FdReady), 2u * 8u * 4u + 64u);
    EXPECT_GE(countEvents(t, EventKind::FdReady), 8u * 4u + 64u);

    // hang_up(): every client closed its end; the server saw each connection hang up, then
    // unregistered and closed it, and its loop ended with nothing registered.
    EXPECT_EQ(r.summary.at("closed_on_hangup"), 64);
    EXPECT_EQ(r.summary.at("left_open"), 0);
    std::map<ActorId, int> hangUps;
    std::int64_t lastHangUp = -1;
    for (const Event& e : t.events())
        if (e.kind == EventKind::FdReady && (e.value & 16) != 0) {
            ++hangUps[e.actor];
            lastHangUp = std::max(lastHangUp, e.ts);
            EXPECT_EQ(e.target, *clients); // the clients closed their ends
        }
    EXPECT_EQ(hangUps.size(), 64u);
    for (const auto& a : t.actors()) {
        if (a.kind != ActorKind::Fd) continue;
        EXPECT_EQ(hangUps[a.id], 1) << a.name;
        const auto& spans = t.spans(a.id);
        ASSERT_GE(spans.size(), 2u);
        // Closed by the server, after the hang-up.
        EXPECT_EQ(spans.back().state, State::Terminated) << a.name;
        EXPECT_EQ(spans[spans.size() - 2].state, State::FdHangup) << a.name;
    }
    // Each select/poll wait of the hang-up hands in only what is still registered.
    std::int64_t previousHanded = std::numeric_limits<std::int64_t>::max();
    for (const Event& e : t.events())
        if (e.kind == EventKind::MuxWaitBegin && e.ts > lastHangUp) {
            EXPECT_LE(e.value, previousHanded);
            previousHanded = e.value;
        }
}

INSTANTIATE_TEST_SUITE_P(AllVariants, IomuxVariant,
                         ::testing::Values("select", "poll", "epoll-lt", "epoll-et", "et-partial-read",
                                           "lt-partial-read"));

TEST(Iomux, EveryLessonVariantIsTested)
{
    const Lesson lesson = iomuxLesson();
    std::set<std::string> ids;
    for (const auto& v : lesson.variants) ids.insert(v.id);
    EXPECT_EQ(ids, (std::set<std::string>{"select", "poll", "epoll-lt", "epoll-et", "et-partial-read",
                                          "lt-partial-read"}));
}

TEST(Iomux, SnippetLinesMatchTheEvents)
{
    std::vector<std::string> lines;
    std::istringstream in(iomuxLesson().python);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    auto at = [&](int n) { return lines.at(static_cast<std::size_t>(n - 1)); };
    EXPECT_NE(at(IomuxSnippet::kRegister).find("sel.register("), std::string::npos);
    EXPECT_NE(at(IomuxSnippet::kRecv).find("conn.recv("), std::string::npos);
    EXPECT_NE(at(IomuxSnippet::kSend).find("conn.send("), std::string::npos);
    EXPECT_NE(at(IomuxSnippet::kClientSend).find("c.send("), std::string::npos);
    EXPECT_NE(at(IomuxSnippet::kClientRecv).find("c.recv("), std::string::npos);
    EXPECT_NE(at(IomuxSnippet::kSelect).find("sel.select("), std::string::npos);
    EXPECT_NE(at(IomuxSnippet::kScan).find("for key, mask in events"), std::string::npos);
    EXPECT_NE(at(IomuxSnippet::kBrokenPipe).find("except BrokenPipeError"), std::string::npos);
    EXPECT_NE(at(IomuxSnippet::kUnregister).find("sel.unregister(conn)"), std::string::npos);
    EXPECT_NE(at(IomuxSnippet::kClose).find("conn.close()"), std::string::npos);
    EXPECT_NE(at(IomuxSnippet::kClientClose).find("client_end.close()"), std::string::npos);
}

TEST(Iomux, SelectRefusesAnFdPastFdSetsizeLikePython)
{
    // Refused while validating, before a single fd is opened: no undefined behaviour with FD_SET.
    const LeakProbe before = LeakProbe::now();
    const std::string error = inputErrorOf(request("select", {{"fds", "2000"}}));
    EXPECT_NE(error.find("filedescriptor out of range in select()"), std::string::npos) << error;
    EXPECT_NE(error.find("fds"), std::string::npos) << error;
    EXPECT_EQ(LeakProbe::now().fds, before.fds);
    // 1000 is fine for select.
    EXPECT_EQ(inputErrorOf(request("select", {{"fds", "1000"}})), "");
    // poll and epoll take 2000.
    EXPECT_EQ(inputErrorOf(request("poll", {{"fds", "2000"}})), "");
    EXPECT_EQ(inputErrorOf(request("epoll-lt", {{"fds", "2000"}})), "");
}

TEST(Iomux, SelectSweepSkipsThePointsItCannotWatch)
{
    const RunResult r = LessonRunner::runToEnd(request(
        "select", {{"sweep", "50,2000,100"}, {"active", "4"}, {"rounds", "4"}, {"warmup", "1"}}));
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const auto& results = r.summary.at("results");
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].at("fds"), 50);
    EXPECT_EQ(results[1].at("fds"), 100);
    EXPECT_EQ(r.summary.at("skipped"), nlohmann::json::array({2000}));
    ASSERT_FALSE(r.summary.at("notes").empty());
    EXPECT_NE(r.summary.at("notes")[0].get<std::string>().find("2000"), std::string::npos);
    // Every point above select's range: an error, not an empty run.
    EXPECT_NE(inputErrorOf(request("select", {{"sweep", "2000,4000"}})).find("filedescriptor out of range"),
              std::string::npos);
}

TEST(Iomux, ChecksTheOpenFileLimitBeforeOpeningAnything)
{
    const FdBudget budget(16000);
    if (budget.fits()) GTEST_SKIP() << "RLIMIT_NOFILE hard limit " << budget.hardLimit() << " allows 16000 connections";
    const LeakProbe before = LeakProbe::now();
    const std::string error = inputErrorOf(request("poll", {{"fds", "16000"}}));
    EXPECT_NE(error.find("RLIMIT_NOFILE"), std::string::npos) << error;
    EXPECT_NE(error.find("ulimit -n"), std::string::npos) << error;
    EXPECT_EQ(LeakProbe::now().fds, before.fds);
}

TEST(Iomux, BadConfigIsAClearInputError)
{
    // A partial read that reads the whole message is no partial read.
    const std::string chunk = inputErrorOf(request("et-partial-read", {{"read_chunk", "8"}}));
    EXPECT_NE(chunk.find("read_chunk"), std::string::npos) << chunk;
    EXPECT_NE(chunk.find("allowed: 1..7"), std::string::npos) << chunk;

    RunRequest req = request("poll", {});
    req.lesson.variants[1].config["mux"] = "kqueue";
    const std::string mux = inputErrorOf(req);
    EXPECT_NE(mux.find("mux: unknown multiplexer 'kqueue' (allowed: select, poll, epoll-lt, epoll-et)"),
              std::string::npos)
        << mux;
    EXPECT_NE(mux.find("iomux.json:"), std::string::npos) << mux;

    req = request("poll", {});
    req.lesson.variants[1].config["edge"] = true;
    EXPECT_NE(inputErrorOf(req).find("edge: unknown key"), std::string::npos);
}

TEST(Iomux, EdgeTriggeredPartialReadStallsWhileLevelTriggeredDrains)
{
    const std::map<std::string, std::string> params{{"fds", "32"},   {"active", "4"},           {"rounds", "3"},
                                                    {"warmup", "0"}, {"idle_timeout_ms", "20"}, {"message_bytes", "8"},
                                                    {"read_chunk", "1"}};
    const RunResult et = LessonRunner::runToEnd(request("et-partial-read", params));
    ASSERT_EQ(et.outcome, RunOutcome::Completed) << et.error;
    // Every client of every round stalled: 1 byte echoed, 7 never reported again.
    EXPECT_EQ(et.summary.at("stalled_fds"), 12);
    const auto& e = et.summary.at("results")[0];
    EXPECT_EQ(e.at("waits"), 6);      // per round: one wait that reports 4 fds, one that finds nothing
    EXPECT_EQ(e.at("idle_waits"), 3);
    EXPECT_EQ(e.at("stalled"), 12);
    // The stalled fds are still readable in the trace until the clients hang up: the data is
    // there, epoll just never says so.
    const Trace& t = *et.trace;
    EXPECT_EQ(countEvents(t, EventKind::Stalled), 12u);
    std::int64_t hangUpTs = std::numeric_limits<std::int64_t>::max();
    for (const Event& e : t.events())
        if (e.kind == EventKind::FdReady && (e.value & 16) != 0) hangUpTs = std::min(hangUpTs, e.ts);
    ASSERT_LT(hangUpTs, std::numeric_limits<std::int64_t>::max());
    std::size_t readableAtHangUp = 0;
    for (const auto& a : t.actors())
        if (a.kind == ActorKind::Fd && t.stateAt(a.id, hangUpTs - 1) == State::FdReadable) ++readableAtHangUp;
    EXPECT_EQ(readableAtHangUp, 12u);
    // The hang-up is news even to edge-triggered epoll: the server reads the stalled fds again,
    // its echo finds nobody (BrokenPipeError), and it closes them like the others.
    EXPECT_EQ(et.summary.at("closed_on_hangup"), 32);
    EXPECT_EQ(et.summary.at("left_open"), 0);
    // And the stall was detected by the clients, not by the run's deadlock/stall detector.
    EXPECT_EQ(et.summary.at("outcome"), "completed");

    const RunResult lt = LessonRunner::runToEnd(request("lt-partial-read", params));
    ASSERT_EQ(lt.outcome, RunOutcome::Completed) << lt.error;
    EXPECT_EQ(lt.summary.at("stalled_fds"), 0);
    EXPECT_EQ(lt.summary.at("echo_mismatches"), 0);
    const auto& l = lt.summary.at("results")[0];
    // Level-triggered: reported again and again, one byte each time, until drained.
    EXPECT_EQ(l.at("waits"), 3 * 8);
    EXPECT_EQ(l.at("idle_waits"), 0);
    EXPECT_EQ(l.at("ready_per_wait"), 4.0);
}

TEST(Iomux, ClientsAreChosenFromTheSeed)
{
    auto writers = [](std::uint64_t seed, bool rotate) {
        const RunResult r = LessonRunner::runToEnd(request("epoll-lt",
                                                           {{"fds", "200"},
                                                            {"active", "5"},
                                                            {"rounds", "5"},
                                                            {"warmup", "0"},
                                                            {"rotate_active", rotate ? "true" : "false"}},
                                                           seed));
        EXPECT_EQ(r.outcome, RunOutcome::Completed) << r.error;
        // A client is named by its fd, whose number also depends on what else the process had
        // open at that moment (a budget watchdog reading /proc, say): compare the clients' ranks
        // among the run's fds instead, which only the seed decides.
        std::vector<std::pair<long, ActorId>> fds;
        for (const ActorInfo& a : r.trace->actors())
            if (a.name.rfind("fd ", 0) == 0) fds.emplace_back(std::stol(a.name.substr(3)), a.id);
        std::sort(fds.begin(), fds.end());
        std::map<ActorId, std::size_t> rank;
        for (std::size_t i = 0; i < fds.size(); ++i)
            rank[fds[i].second] = i;
        std::vector<std::string> names;
        const auto clients = r.trace->findActor("clients");
        for (const Event& e : r.trace->events())
            if (e.kind == EventKind::IoWrite && clients && e.actor == *clients)
                names.emplace_back("fd #" + std::to_string(rank.at(e.target)));
        return names;
    };
    // By default the same 5 clients talk every round.
    const auto fixed = writers(7, false);
    EXPECT_EQ(fixed.size(), 25u);
    EXPECT_EQ(std::set<std::string>(fixed.begin(), fixed.end()).size(), 5u);
    EXPECT_EQ(fixed, writers(7, false));
    EXPECT_NE(fixed, writers(8, false));
    // rotate_active: new ones every round, spread over the set.
    const auto rotated = writers(7, true);
    EXPECT_EQ(rotated.size(), 25u);
    EXPECT_EQ(rotated, writers(7, true));
    EXPECT_GT(std::set<std::string>(rotated.begin(), rotated.end()).size(), 15u);
}

TEST(Iomux, LeavesNoFdOrThreadBehind)
{
    const LeakProbe before = LeakProbe::now();
    for (const char* v : {"select", "poll", "epoll-lt", "epoll-et", "et-partial-read"}) {
        const RunResult r = LessonRunner::runToEnd(request(v, smallParams()));
        EXPECT_EQ(r.outcome, RunOutcome::Completed) << v << ": " << r.error;
    }
    const RunResult swept = LessonRunner::runToEnd(
        request("poll", {{"sweep", "10,300"}, {"active", "3"}, {"rounds", "3"}, {"warmup", "0"}}));
    EXPECT_EQ(swept.outcome, RunOutcome::Completed) << swept.error;
    const LeakProbe after = LeakProbe::settledTo(before);
    EXPECT_EQ(after.fds, before.fds);
    EXPECT_EQ(after.threads, before.threads);
}

TEST(Iomux, CancelWakesTheServerInItsWaitAndLeaksNothing)
{
    const LeakProbe before = LeakProbe::now();
    // Edge-triggered partial reads with a 10 s idle timeout: the server soon sits in epoll_wait
    // with nothing to report and the clients in poll() for their echo. Cancel must end both now.
    {
        LessonRunner runner(request("et-partial-read", {{"fds", "16"},
                                                        {"active", "2"},
                                                        {"rounds", "5"},
                                                        {"idle_timeout_ms", "10000"}}));
        runner.start();
        bool idleWaitSeen = false;
        while (!idleWaitSeen && !runner.finished()) {
            runner.wait(5ms); // the run's own completion wait, used as a short timed wait
            const auto t = runner.snapshot();
            std::size_t begins = 0;
            for (const Event& e : t->events())
                if (e.kind == EventKind::MuxWaitBegin) ++begins;
            idleWaitSeen = begins >= 2; // the first wait reports the writers; the second finds nothing
        }
        ASSERT_TRUE(idleWaitSeen);
        const auto t0 = std::chrono::steady_clock::now();
        runner.cancel();
        const RunResult r = runner.wait();
        const auto took = std::chrono::steady_clock::now() - t0;
        EXPECT_EQ(r.outcome, RunOutcome::Cancelled);
        // Far less than the 10 s the wait would otherwise take.
        EXPECT_LT(took, 5s);
        const auto server = r.trace->findActor("server");
        ASSERT_TRUE(server);
        // Stopped in its wait: the trace ends there.
        EXPECT_EQ(r.trace->spans(*server).back().state, State::BlockedIo);
    } // the runner owns the run context (and its cancel eventfd) until here
    const LeakProbe after = LeakProbe::settledTo(before);
    EXPECT_EQ(after.fds, before.fds);
    EXPECT_EQ(after.threads, before.threads);
}
