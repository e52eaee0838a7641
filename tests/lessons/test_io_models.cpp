// The io-models lesson: the five Unix I/O models receiving one message on a real loopback TCP
// connection, each measured (system calls, EAGAINs, CPU time, the wait and the copy). What the
// course notes claim about them must show in the numbers, on any machine: non-blocking I/O pays
// for its waiting in system calls and CPU, blocking and multiplexing sleep, signal-driven and
// asynchronous leave the thread free, and only asynchronous I/O has the kernel do the copy.
#include "ProcTestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>

using namespace lockstep;
using namespace lockstep::test;

namespace {

std::map<std::string, nlohmann::json> byModel(const RunResult& r)
{
    std::map<std::string, nlohmann::json> out;
    for (const auto& m : r.summary.at("models"))
        out[m.at("model").get<std::string>()] = m;
    return out;
}

ActorId laneOf(const Trace& t, const std::string& name)
{
    for (const ActorInfo& a : t.actors())
        if (a.name == name) return a.id;
    return {};
}

// How long `lane` spent in `state`, in ns.
std::int64_t timeIn(const Trace& t, ActorId lane, State state)
{
    std::int64_t total = 0, since = -1;
    for (const Event& e : t.events()) {
        if (e.kind != EventKind::StateChange || e.actor != lane) continue;
        if (since >= 0) total += e.ts - since;
        since = e.state == state ? e.ts : -1;
    }
    return total;
}

} // namespace

TEST(IoModelsLesson, EachModelWaitsAndCopiesAsTheNotesSay)
{
    const RunResult r = runLeakChecked("io-models", "compare", { { "delay_ms", "150" }, { "bytes", "16384" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    const auto m = byModel(r);
    ASSERT_EQ(m.size(), 5U) << r.summary.dump();
    for (const auto& [name, s] : m) {
        if (!s.at("available").get<bool>()) {
            // Only io_uring may be missing (a kernel or sandbox that forbids it), and it says why.
            EXPECT_EQ(name, "asynchronous");
            EXPECT_FALSE(s.at("reason").get<std::string>().empty());
            continue;
        }
        EXPECT_EQ(s.at("bytes"), 16384) << name;
        // Nothing is there before the client sends, 150 ms after the receiver started (give or
        // take a late start of the receiver thread on a busy machine).
        EXPECT_GT(s.at("wait_ms").get<double>(), 150.0 / 4) << name;
        EXPECT_EQ(s.at("copied_by"), name == "asynchronous" ? "kernel" : "process") << name;
        EXPECT_EQ(s.at("thread_blocked"), name == "blocking" || name == "multiplexing") << name;
    }
    const auto& blocking = m.at("blocking");
    const auto& nonBlocking = m.at("non-blocking");
    EXPECT_EQ(blocking.at("syscalls"), 1);
    EXPECT_EQ(blocking.at("eagain"), 0);
    EXPECT_GE(m.at("multiplexing").at("syscalls").get<int>(), 2);
    EXPECT_LE(m.at("multiplexing").at("syscalls").get<int>(), 4);
    // The non-blocking loop's EAGAINs and CPU time dwarf the blocking call's.
    EXPECT_GT(nonBlocking.at("eagain").get<std::int64_t>(), 1000) << nonBlocking.dump();
    EXPECT_EQ(nonBlocking.at("syscalls").get<std::int64_t>(), nonBlocking.at("eagain").get<std::int64_t>() + 1);
    EXPECT_GT(nonBlocking.at("cpu_ms").get<double>(), 10 * std::max(blocking.at("cpu_ms").get<double>(), 0.1))
        << nonBlocking.dump() << blocking.dump();
    // Signal-driven and asynchronous: the thread did its own work while the data was on its way.
    EXPECT_GT(m.at("signal-driven").at("other_work").get<std::int64_t>(), 0);
    EXPECT_EQ(m.at("signal-driven").at("eagain"), 0);
    if (m.at("asynchronous").at("available").get<bool>()) {
        EXPECT_GT(m.at("asynchronous").at("other_work").get<std::int64_t>(), 0);
        EXPECT_EQ(m.at("asynchronous").at("copy_us"), 0.0);
    }

    // The lanes: the blocking receiver sleeps on I/O through the wait, the non-blocking one never does.
    const Trace& t = *r.trace;
    const ActorId b = laneOf(t, "recv (blocking)");
    const ActorId nb = laneOf(t, "recv (non-blocking)");
    ASSERT_TRUE(b.valid());
    ASSERT_TRUE(nb.valid());
    EXPECT_GT(timeIn(t, b, State::BlockedIo), 150'000'000 / 4);
    EXPECT_EQ(timeIn(t, nb, State::BlockedIo), 0);
}

TEST(IoModelsLesson, EveryModelAloneLeavesNothingBehind)
{
    for (const char* variant : { "blocking", "non-blocking", "multiplexing", "signal-driven", "asynchronous" }) {
        const RunResult r = runLeakChecked("io-models", variant, { { "delay_ms", "30" }, { "bytes", "4096" } });
        ASSERT_EQ(r.outcome, RunOutcome::Completed) << variant << ": " << r.error;
        ASSERT_EQ(r.summary.at("models").size(), 1U);
        EXPECT_EQ(r.summary.at("models").at(0).at("model"), variant);
    }
}

// A message larger than the socket buffers arrives in pieces: every synchronous model keeps
// copying until it has all of it.
TEST(IoModelsLesson, ALargeMessageIsCopiedWhole)
{
    const RunResult r = runLeakChecked("io-models", "compare", { { "delay_ms", "20" }, { "bytes", "262144" } });
    ASSERT_EQ(r.outcome, RunOutcome::Completed) << r.error;
    for (const auto& s : r.summary.at("models")) {
        if (s.at("available").get<bool>()) {
            EXPECT_EQ(s.at("bytes"), 262144) << s.dump();
        }
    }
}
