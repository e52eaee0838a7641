// Condition: CPython's design and semantics (checked against python3 running the same steps in
// tests/python/condition_semantics.py), both layers of events, wait-for graph, cancellation.

#include "test_sync_helpers.h"

#include "lockstep/sync/Condition.h"
#include "lockstep/sync/Lock.h"
#include "lockstep/sync/RLock.h"
#include "lockstep/sync/ScopedAcquire.h"
#include "lockstep/sync/SyncEvent.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <memory>
#include <sstream>

namespace lockstep::synctest {
namespace {

using Pair = std::pair<ActorId, ActorId>;

std::string boolText(bool b) { return b ? "True" : "False"; }

// The engine side of tests/python/condition_semantics.py: the same steps, the same printed lines.
// Where the script polls CPython's state, this waits for the engine's state.
class ConditionOracleRun {
public:
    explicit ConditionOracleRun(RunContext& ctx) : m_ctx(ctx) {}

    std::vector<std::string> run()
    {
        errors();
        fifo();
        timeouts();
        waitFor();
        rlockLevels();
        spentNotify();
        plainLock();
        return m_lines;
    }

private:
    void print(const std::string& line) { m_lines.push_back(line); }

    void errors()
    {
        Condition c(m_ctx, "c");
        print("wait unowned: " + outcome([&] { c.wait(); }));
        print("notify unowned: " + outcome([&] { c.notify(); }));
        print("notify_all unowned: " + outcome([&] { c.notifyAll(); }));
        bool r = false;
        std::string o = outcome([&] { r = c.waitFor([] { return true; }); });
        print("wait_for true unowned: " + (o == "ok" ? boolText(r) : o));
        o = outcome([&] { r = c.waitFor([] { return false; }, 0); });
        print("wait_for false unowned: " + (o == "ok" ? boolText(r) : o));

        print("rlock held elsewhere, notify: " + heldElsewhere(c));
        Condition plain(m_ctx, "plain", std::make_shared<Lock>(m_ctx, "plain.lock"));
        print("lock held elsewhere, notify: " + heldElsewhere(plain));

        Lock lock(m_ctx, "lock");
        print("lock release unlocked: " + outcome([&] { lock.release(); }));
        RLock rlock(m_ctx, "rlock");
        print("rlock release unowned: " + outcome([&] { rlock.release(); }));
    }

    // notify() from this thread while another thread holds the condition's lock.
    std::string heldElsewhere(Condition& c)
    {
        SyncEvent held(m_ctx, "held");
        SyncEvent done(m_ctx, "done");
        m_ctx.spawn("holder", [&] {
            ScopedAcquire with(c);
            held.set();
            done.wait();
        });
        held.wait();
        std::string o = outcome([&] { c.notify(); });
        done.set();
        m_ctx.joinAll();
        return o;
    }

    void fifo()
    {
        Condition c(m_ctx, "c");
        std::vector<std::string> woke; // guarded by c
        for (int i = 0; i < 5; ++i) {
            const std::string name = "W" + std::to_string(i);
            m_ctx.spawn(name, [&c, &woke, name] {
                ScopedAcquire with(c);
                c.wait();
                woke.push_back(name);
            });
            eventually([&] { return c.waiterCount() == static_cast<std::size_t>(i + 1); });
        }
        const auto wokenCount = [&] {
            ScopedAcquire with(c);
            return woke.size();
        };
        const auto joined = [&](std::size_t from, std::size_t to) {
            ScopedAcquire with(c);
            std::vector<std::string> part(woke.begin() + static_cast<long>(from), woke.begin() + static_cast<long>(to));
            std::sort(part.begin(), part.end());
            std::string s;
            for (const auto& p : part) s += (s.empty() ? "" : " ") + p;
            return s;
        };
        {
            ScopedAcquire with(c);
            c.notify();
        }
        eventually([&] { return wokenCount() == 1; });
        print("notify(1) woke: " + joined(0, 1));
        {
            ScopedAcquire with(c);
            c.notify(2);
        }
        eventually([&] { return wokenCount() == 3; });
        print("notify(2) woke: " + joined(1, 3));
        {
            ScopedAcquire with(c);
            c.notifyAll();
        }
        eventually([&] { return wokenCount() == 5; });
        print("notify_all woke: " + joined(3, 5));
        m_ctx.joinAll();
        print("waiters left: " + std::to_string(c.waiterCount()));
        ScopedAcquire with(c);
        print("notify without waiters: " + outcome([&] { c.notify(3); }));
    }

    void timeouts()
    {
        Condition c(m_ctx, "c");
        ScopedAcquire with(c);
        print("wait(0.05): " + boolText(c.wait(0.05)));
        print("wait(0): " + boolText(c.wait(0)));
        print("waiters after timeouts: " + std::to_string(c.waiterCount()));
    }

    void waitFor()
    {
        Condition c(m_ctx, "c");
        {
            ScopedAcquire with(c);
            print("wait_for(true, 0): " + boolText(c.waitFor([] { return true; }, 0)));
            print("wait_for(false, 0.05): " + boolText(c.waitFor([] { return false; }, 0.05)));
        }
        int value = 0; // guarded by c
        {
            ScopedAcquire with(c);
            m_ctx.spawn("producer", [&] {
                for (int i = 1; i <= 3; ++i) {
                    ScopedAcquire inner(c);
                    value = i;
                    c.notifyAll();
                }
            });
            const bool r = c.waitFor([&] { return value == 3; });
            print("wait_for notified: " + boolText(r) + " " + std::to_string(value));
        }
        m_ctx.joinAll();
    }

    void rlockLevels()
    {
        auto rl = std::make_shared<RLock>(m_ctx, "rl");
        Condition c(m_ctx, "c", rl);
        c.acquire();
        c.acquire();
        c.acquire();
        m_ctx.spawn("notifier", [&] {
            ScopedAcquire with(c);
            c.notify();
        });
        const bool got = c.wait();
        print("rlock wait: " + boolText(got) + " level after: " + std::to_string(rl->count()));
        c.release();
        c.release();
        c.release();
        m_ctx.joinAll();
    }

    void spentNotify()
    {
        Condition c(m_ctx, "c");
        std::atomic<bool> timedResult{true}, patientResult{false}, timedDone{false};
        m_ctx.spawn("timed", [&] {
            ScopedAcquire with(c);
            timedResult = c.wait(0.05);
            timedDone = true;
        });
        eventually([&] { return c.waiterCount() == 1; });
        m_ctx.spawn("patient", [&] {
            ScopedAcquire with(c);
            patientResult = c.wait();
        });
        eventually([&] { return c.waiterCount() == 2; });
        {
            ScopedAcquire with(c);
            // The timed waiter's timeout passes while this thread holds the lock: it is then
            // blocked in wait()'s acquireRestore with its waiter lock still in the deque.
            eventually([&] { return c.lock().waitingCount() == 1; });
            c.notify();
        }
        eventually([&] { return timedDone.load(); });
        print("timed-out waiter result: " + boolText(timedResult));
        print("waiters after spent notify: " + std::to_string(c.waiterCount()));
        {
            ScopedAcquire with(c);
            c.notify();
        }
        m_ctx.joinAll();
        print("second waiter result: " + boolText(patientResult));
    }

    void plainLock()
    {
        auto lk = std::make_shared<Lock>(m_ctx, "lk");
        Condition c(m_ctx, "c", lk);
        c.acquire();
        m_ctx.spawn("notifier", [&] {
            ScopedAcquire with(c);
            c.notify();
        });
        const bool got = c.wait();
        print("plain lock wait: " + boolText(got) + " locked after: " + boolText(lk->locked()));
        c.release();
        m_ctx.joinAll();
    }

    RunContext& m_ctx;
    std::vector<std::string> m_lines;
};

const std::vector<std::string> kExpectedLines{
    "wait unowned: RuntimeError: cannot wait on un-acquired lock",
    "notify unowned: RuntimeError: cannot notify on un-acquired lock",
    "notify_all unowned: RuntimeError: cannot notify on un-acquired lock",
    "wait_for true unowned: True",
    "wait_for false unowned: RuntimeError: cannot wait on un-acquired lock",
    "rlock held elsewhere, notify: RuntimeError: cannot notify on un-acquired lock",
    "lock held elsewhere, notify: ok",
    "lock release unlocked: RuntimeError: release unlocked lock",
    "rlock release unowned: RuntimeError: cannot release un-acquired lock",
    "notify(1) woke: W0",
    "notify(2) woke: W1 W2",
    "notify_all woke: W3 W4",
    "waiters left: 0",
    "notify without waiters: ok",
    "wait(0.05): False",
    "wait(0): False",
    "waiters after timeouts: 0",
    "wait_for(true, 0): True",
    "wait_for(false, 0.05): False",
    "wait_for notified: True 3",
    "rlock wait: True level after: 3",
    "timed-out waiter result: False",
    "waiters after spent notify: 1",
    "second waiter result: True",
    "plain lock wait: True locked after: True",
};

TEST_F(SyncTest, ConditionSemanticsMatchTheExpectedCPythonBehaviour)
{
    const std::vector<std::string> lines = ConditionOracleRun(ctx).run();
    EXPECT_EQ(lines, kExpectedLines);
    EXPECT_EQ(ctx.outcome(), RunOutcome::Running);
    EXPECT_TRUE(ctx.errors().empty());
}

TEST_F(SyncTest, ConditionSemanticsMatchPython3)
{
    if (std::system("python3 --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "python3 is not installed";
    const std::string cmd = std::string("python3 ") + LOCKSTEP_TEST_PYTHON_DIR + "/condition_semantics.py";
    FILE* pipe = ::popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string out;
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
    ASSERT_EQ(::pclose(pipe), 0) << out;
    std::vector<std::string> pythonLines;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) pythonLines.push_back(line);

    const std::vector<std::string> engineLines = ConditionOracleRun(ctx).run();
    EXPECT_EQ(engineLines, pythonLines);
}

TEST_F(SyncTest, ConditionNotifyReleasesWaiterLocksInFifoOrder)
{
    Condition& c = make<Condition>("c");
    std::vector<ActorId> threads;
    for (int i = 0; i < 4; ++i) {
        threads.push_back(ctx.spawn("W" + std::to_string(i), [&] {
            ScopedAcquire with(c);
            c.wait();
        }));
        ASSERT_TRUE(eventually([&] { return c.waiterCount() == threads.size(); }));
    }
    // The deque, front to back, is the arrival order; each waiter holds its own waiter lock.
    const auto queued = c.waiters();
    ASSERT_EQ(queued.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(queued[i].first, threads[i]);

    // While they wait nobody holds or waits for anything in the graph: a condition wait is a
    // Waiting state, and the waiter locks stay out (the waiting thread holds its own one).
    WaitForGraph::Snapshot g = ctx.graph().snapshot();
    EXPECT_TRUE(g.holds.empty());
    EXPECT_TRUE(g.waits.empty());

    {
        ScopedAcquire with(c);
        c.notify(2);
        // The two chosen threads left the deque and now block on the underlying lock (main has it).
        ASSERT_TRUE(eventually([&] { return c.lock().waitingCount() == 2; }));
        EXPECT_EQ(c.waiterCount(), 2u);
        g = ctx.graph().snapshot();
        EXPECT_EQ(g.holds, (std::vector<Pair>{{c.lock().id(), mainThread}}));
        EXPECT_EQ(g.waits, (std::vector<Pair>{{threads[0], c.lock().id()}, {threads[1], c.lock().id()}}));
    }
    {
        ScopedAcquire with(c);
        c.notifyAll();
    }
    const TracePtr trace = finish();

    std::vector<ActorId> queuedOrder, releasedOrder;
    std::vector<ActorId> waiterLocks;
    for (const Event& e : events(*trace, EventKind::WaiterQueued)) {
        queuedOrder.emplace_back(static_cast<std::uint32_t>(e.value));
        waiterLocks.push_back(e.target);
    }
    for (const Event& e : events(*trace, EventKind::WaiterReleased)) {
        releasedOrder.emplace_back(static_cast<std::uint32_t>(e.value));
        EXPECT_EQ(e.actor, mainThread);
    }
    EXPECT_EQ(queuedOrder, threads);
    EXPECT_EQ(releasedOrder, threads);

    const auto notifies = events(*trace, EventKind::Notify, mainThread, c.id());
    ASSERT_EQ(notifies.size(), 2u);
    EXPECT_EQ(notifies[0].value, 2);
    EXPECT_EQ(trace->text(notifies[0]), "");
    EXPECT_EQ(notifies[1].value, 2); // notify_all = notify(len(waiters))
    EXPECT_EQ(trace->text(notifies[1]), "notify_all");

    for (std::size_t i = 0; i < threads.size(); ++i) {
        const ActorId w = waiterLocks[i];
        const ActorInfo* info = trace->actor(w);
        ASSERT_NE(info, nullptr);
        EXPECT_EQ(info->kind, ActorKind::Lock);
        EXPECT_EQ(info->parent, c.id());
        EXPECT_EQ(info->name, "c.waiter" + std::to_string(i + 1));
        // Allocated and queued by the waiting thread itself.
        const auto allocated = events(*trace, EventKind::WaiterAllocated, threads[i], w);
        ASSERT_EQ(allocated.size(), 1u);
        EXPECT_EQ(allocated[0].value, threads[i].value);
        // Free, Held (first acquire), Free (notify released it), Held (the wakeup), Terminated.
        const std::vector<std::pair<State, ActorId>> lane{{State::Free, {}},
                                                          {State::Held, threads[i]},
                                                          {State::Free, {}},
                                                          {State::Held, threads[i]},
                                                          {State::Terminated, {}}};
        EXPECT_EQ(states(*trace, w), lane);
        // The waiting thread was Waiting on the condition (not Blocked on its waiter lock).
        EXPECT_TRUE(hasState(*trace, threads[i], State::Waiting, c.id()));
        EXPECT_FALSE(hasState(*trace, threads[i], State::Blocked, w));
        // WaitBegin (untimed) and WaitEnd (notified) on the condition.
        const auto begins = events(*trace, EventKind::WaitBegin, threads[i], c.id());
        const auto ends = events(*trace, EventKind::WaitEnd, threads[i], c.id());
        ASSERT_EQ(begins.size(), 1u);
        ASSERT_EQ(ends.size(), 1u);
        EXPECT_EQ(begins[0].value, -1);
        EXPECT_EQ(ends[0].value, 1);
    }
    // The waiting thread released the underlying lock inside wait() (releaseSave) and took it back.
    EXPECT_TRUE(hasState(*trace, threads[0], State::Blocked, c.lock().id()));
    g = ctx.graph().snapshot();
    EXPECT_TRUE(g.holds.empty());
    EXPECT_TRUE(g.waits.empty());
}

TEST_F(SyncTest, ConditionTimedWaitRecordsTimeoutAndLeavesTheDeque)
{
    Condition& c = make<Condition>("c");
    {
        ScopedAcquire with(c);
        EXPECT_FALSE(c.wait(0.02));
        EXPECT_EQ(c.waiterCount(), 0u);
        EXPECT_TRUE(c.lock().isOwned()) << "wait() re-acquires the lock even after a timeout";
        EXPECT_FALSE(c.wait(0));
        EXPECT_FALSE(c.waitFor([] { return false; }, 0.01));
    }
    const TracePtr trace = finish();
    const auto begins = events(*trace, EventKind::WaitBegin, mainThread, c.id());
    const auto ends = events(*trace, EventKind::WaitEnd, mainThread, c.id());
    ASSERT_GE(begins.size(), 3u);
    EXPECT_EQ(begins[0].value, 20'000'000);
    EXPECT_EQ(begins[1].value, 0);
    for (const Event& e : ends) EXPECT_EQ(e.value, 0);
    EXPECT_TRUE(hasState(*trace, mainThread, State::Waiting, c.id()));
}

TEST_F(SyncTest, ConditionWaitForWithATruePredicateDoesNotWait)
{
    Condition& c = make<Condition>("c");
    ScopedAcquire with(c);
    EXPECT_TRUE(c.waitFor([] { return true; }));
    EXPECT_TRUE(c.waitFor([] { return true; }, 0));
    ctx.joinAll();
    TraceBuilder builder;
    ctx.recorder().drainInto(builder, true);
    EXPECT_TRUE(events(*builder.snapshot(), EventKind::WaitBegin).empty());
}

TEST_F(SyncTest, ConditionWaitsOnlyStallTheyNeverDeadlock)
{
    Condition& c = make<Condition>("c");
    for (int i = 0; i < 2; ++i)
        ctx.spawn("W" + std::to_string(i), [&] {
            ScopedAcquire with(c);
            c.wait();
        });
    ASSERT_TRUE(eventually([&] { return c.waiterCount() == 2; }));
    EXPECT_FALSE(ctx.graph().findAnyCycle().has_value());
    // The main thread could still notify while it runs: no stall yet.
    EXPECT_FALSE(ctx.checkStalled());
    // Now it joins the waiters (as Python's main thread does at exit, untimed): nobody will ever
    // notify, and the stall detector (not the wait-for graph) ends the run.
    ctx.setState(mainThread, State::Blocked);
    ASSERT_TRUE(eventually([&] { return ctx.checkStalled(); }));
    const TracePtr trace = finish();
    EXPECT_EQ(ctx.outcome(), RunOutcome::Stalled);
    EXPECT_TRUE(events(*trace, EventKind::Deadlock).empty());
    EXPECT_EQ(events(*trace, EventKind::Stalled).size(), 1u);
    EXPECT_EQ(ctx.liveThreads(), 0u);
    EXPECT_EQ(c.waiterCount(), 0u);
}

TEST_F(SyncTest, DeadlockThroughAConditionsUnderlyingLockIsFound)
{
    // W waits on c, then (notified) needs c's lock back; main holds that lock and waits for W's
    // lock `other`: a real lock cycle, reported by the graph.
    Condition& c = make<Condition>("c");
    Lock& other = make<Lock>("other");
    SyncEvent& holdsOther = make<SyncEvent>("holds other");
    const ActorId w = ctx.spawn("W", [&] {
        other.acquire();
        ScopedAcquire with(c);
        holdsOther.set();
        c.wait();
    });
    holdsOther.wait();
    ASSERT_TRUE(eventually([&] { return c.waiterCount() == 1; }));
    c.acquire();
    c.notify();
    ASSERT_TRUE(eventually([&] { return c.lock().waitingCount() == 1; }));
    EXPECT_THROW(other.acquire(), Cancelled); // closes the cycle: the run is cancelled
    finish();
    EXPECT_EQ(ctx.outcome(), RunOutcome::Deadlocked);
    EXPECT_EQ(ctx.deadlockCycle(), (std::vector<ActorId>{mainThread, other.id(), w, c.lock().id()}));
}

TEST_F(SyncTest, CancelUnblocksConditionWait)
{
    Condition& c = make<Condition>("c");
    std::atomic<bool> sawCancelled{false};
    const ActorId w = ctx.spawn("W", [&] {
        ScopedAcquire with(c);
        try {
            c.wait();
        } catch (const Cancelled&) {
            sawCancelled = true;
            throw;
        }
    });
    // In the deque is not yet waiting: as in CPython, the waiter is queued before it releases
    // the lock and blocks. Cancel once W is really Waiting, so that the trace ends with it.
    ASSERT_TRUE(eventually([&] { return c.waiterCount() == 1 && ctx.stateOf(w) == State::Waiting; }));
    ctx.cancel();
    const TracePtr trace = finish();
    EXPECT_TRUE(sawCancelled.load());
    EXPECT_EQ(c.waiterCount(), 0u);
    EXPECT_FALSE(c.lock().locked()) << "a cancelled wait does not take the lock back";
    EXPECT_EQ(ctx.liveThreads(), 0u);
    // The trace ends where the run was stopped: W still waiting, not the teardown after it.
    EXPECT_EQ(states(*trace, w).back().first, State::Waiting);
}

TEST_F(SyncTest, CancelUnblocksAConditionWaiterBlockedOnTheLock)
{
    Condition& c = make<Condition>("c");
    std::atomic<bool> sawCancelled{false};
    ctx.spawn("W", [&] {
        ScopedAcquire with(c);
        try {
            c.wait(30.0);
        } catch (const Cancelled&) {
            sawCancelled = true;
            throw;
        }
    });
    ASSERT_TRUE(eventually([&] { return c.waiterCount() == 1; }));
    c.acquire();
    c.notify();
    ASSERT_TRUE(eventually([&] { return c.lock().waitingCount() == 1; }));
    ctx.cancel();
    ctx.joinAll();
    EXPECT_TRUE(sawCancelled.load());
    EXPECT_EQ(ctx.liveThreads(), 0u);
    EXPECT_THROW(c.release(), Cancelled) << "after cancel every gated operation throws";
}

} // namespace
} // namespace lockstep::synctest
