#pragma once

// Synthetic traces for the lesson-view tests, written the way the engine records real runs (see
// core/lockstep/sync/LockBase.cpp, Condition.cpp, gil/Gil.cpp, io/FdBoard.cpp, io/EchoServer.cpp):
// Acquired / Released carry the lock's count after the operation, lock actors change Free/Held,
// waiter locks are children of their Condition, fds are named "fd N", multiplexers "kind (N fds)".

#include "TimelineTestTraces.h"

#include "lockstep/trace/Coffman.h"
#include "lockstep/trace/TraceBuilder.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep::viewtest {

constexpr std::int64_t kMs = 1'000'000;

// The render tests' writer (state changes and events with an optional Python line), plus the
// engine's recording conventions for locks and the rest.
struct Writer : lockstep::testing::TraceWriter {
    // Lock::acquire as LockBase records it: request, (blocked), the graph's hold edge, acquired,
    // lock state Held.
    void acquire(std::int64_t ts, ActorId thread, ActorId lock, int count = 1)
    {
        event(ts, EventKind::AcquireRequest, thread, lock, -1);
        event(ts, EventKind::HoldEdgeAdded, thread, lock, count);
        event(ts, EventKind::Acquired, thread, lock, count);
        if (count == 1) state(ts, lock, State::Held, thread);
    }
    // An untimed acquire that blocks: the graph's wait edge.
    void request(std::int64_t ts, ActorId thread, ActorId lock)
    {
        event(ts, EventKind::AcquireRequest, thread, lock, -1);
        state(ts, thread, State::Blocked, lock);
        event(ts, EventKind::WaitEdgeAdded, thread, lock, 0);
    }
    // `graph` = false: a release the graph did not record (the recorder had stopped).
    void release(std::int64_t ts, ActorId by, ActorId lock, int remaining = 0, bool graph = true)
    {
        if (graph) event(ts, EventKind::HoldEdgeRemoved, by, lock, remaining);
        event(ts, EventKind::Released, by, lock, remaining);
        if (remaining == 0) state(ts, lock, State::Free);
    }
    // A Coffman condition changing, as WaitForGraph records it.
    void coffman(std::int64_t ts, CoffmanCondition c, CoffmanStatus s, ActorId thread, ActorId lock,
                 std::string_view reason)
    {
        event(ts, EventKind::Coffman, thread, lock, coffmanEventValue(c, s), reason);
    }
    // The graph closing a cycle [t0, r0, t1, r1, ...]: its steps, then circular wait met.
    void cycle(std::int64_t ts, const std::vector<ActorId>& steps, std::string_view reason)
    {
        for (std::size_t i = 0; i + 1 < steps.size(); i += 2)
            event(ts, EventKind::CycleEdge, steps[i], steps[i + 1], static_cast<std::int64_t>(i / 2));
        coffman(ts, CoffmanCondition::CircularWait, CoffmanStatus::Met, steps[0], steps[1], reason);
    }
    std::shared_ptr<const Trace> done(std::int64_t end)
    {
        b.setEndTs(end);
        b.setFinished(true);
        return b.snapshot();
    }
};

// deadlock/opposite-order: T1 takes lock_a, T2 takes lock_b, then each requests the other's lock.
struct DeadlockTrace {
    std::shared_ptr<const Trace> trace;
    ActorId main, t1, t2, lockA, lockB;
    // Times: first acquire 2 ms, second acquire 3 ms, T1 requests 10 ms, T2 requests 11 ms,
    // Deadlock 11.5 ms, teardown 12 ms.
};

inline DeadlockTrace deadlockTrace()
{
    Writer w;
    DeadlockTrace d;
    d.main = w.b.addActor(ActorKind::Thread, "MainThread");
    d.lockA = w.b.addActor(ActorKind::Lock, "lock_a");
    d.lockB = w.b.addActor(ActorKind::Lock, "lock_b");
    d.t1 = w.b.addActor(ActorKind::Thread, "T1", d.main);
    d.t2 = w.b.addActor(ActorKind::Thread, "T2", d.main);
    w.state(0, d.main, State::Running);
    w.state(0, d.lockA, State::Free);
    w.state(0, d.lockB, State::Free);
    w.state(1 * kMs, d.t1, State::Running);
    w.state(1 * kMs, d.t2, State::Running);
    w.event(2 * kMs, EventKind::LineReached, d.t1, {}, 0, {}, 3);
    w.acquire(2 * kMs, d.t1, d.lockA);
    w.coffman(2 * kMs, CoffmanCondition::NoPreemption, CoffmanStatus::Met, d.t1, d.lockA,
              "only T1 can release lock_a: nobody can take it away");
    w.event(3 * kMs, EventKind::LineReached, d.t2, {}, 0, {}, 9);
    w.acquire(3 * kMs, d.t2, d.lockB);
    w.state(4 * kMs, d.t1, State::Sleeping);
    w.state(4 * kMs, d.t2, State::Sleeping);
    w.state(9 * kMs, d.t1, State::Running);
    w.event(10 * kMs, EventKind::LineReached, d.t1, {}, 0, {}, 5);
    w.request(10 * kMs, d.t1, d.lockB);
    w.coffman(10 * kMs, CoffmanCondition::MutualExclusion, CoffmanStatus::Met, d.t1, d.lockB,
              "T1 waits for lock_b, held by T2: one holder at a time");
    w.coffman(10 * kMs, CoffmanCondition::HoldAndWait, CoffmanStatus::Met, d.t1, d.lockB,
              "T1 holds lock_a while it waits for lock_b");
    w.state(11 * kMs, d.t2, State::Running);
    w.event(11 * kMs, EventKind::LineReached, d.t2, {}, 0, {}, 11);
    w.request(11 * kMs, d.t2, d.lockA);
    w.cycle(11 * kMs, {d.t1, d.lockB, d.t2, d.lockA},
            "T1 -> lock_b -> T2 -> lock_a -> T1: every thread in the cycle waits for the next, without a timeout");
    w.event(11 * kMs + 500'000, EventKind::Deadlock, d.t1, d.lockB, 2, "T1 -> lock_b -> T2 -> lock_a");
    // Cancellation unwinds both threads: `with` blocks release on the way out. The recorder has
    // stopped by then, so the graph's side of it is not in the trace.
    w.release(12 * kMs, d.t1, d.lockA, 0, false);
    w.release(12 * kMs, d.t2, d.lockB, 0, false);
    w.state(12 * kMs, d.t1, State::Terminated);
    w.state(12 * kMs, d.t2, State::Terminated);
    d.trace = w.done(13 * kMs);
    return d;
}

// philosophers with n seats, no fix: each takes its left fork, then waits for its right one.
inline std::shared_ptr<const Trace> philosophersTrace(int n)
{
    Writer w;
    const ActorId main = w.b.addActor(ActorKind::Thread, "MainThread");
    std::vector<ActorId> forks;
    std::vector<ActorId> phil;
    for (int i = 0; i < n; ++i) forks.push_back(w.b.addActor(ActorKind::Lock, "fork" + std::to_string(i)));
    for (int i = 0; i < n; ++i) phil.push_back(w.b.addActor(ActorKind::Thread, "P" + std::to_string(i), main));
    for (int i = 0; i < n; ++i) w.state(kMs, phil[static_cast<std::size_t>(i)], State::Running);
    for (int i = 0; i < n; ++i)
        w.acquire((2 + i) * kMs, phil[static_cast<std::size_t>(i)], forks[static_cast<std::size_t>(i)]);
    w.coffman(2 * kMs, CoffmanCondition::NoPreemption, CoffmanStatus::Met, phil[0], forks[0],
              "only P0 can release fork0: nobody can take it away");
    for (int i = 0; i < n; ++i)
        w.request((10 + i) * kMs, phil[static_cast<std::size_t>(i)], forks[static_cast<std::size_t>((i + 1) % n)]);
    w.coffman(10 * kMs, CoffmanCondition::MutualExclusion, CoffmanStatus::Met, phil[0], forks[1],
              "P0 waits for fork1, held by P1: one holder at a time");
    w.coffman(10 * kMs, CoffmanCondition::HoldAndWait, CoffmanStatus::Met, phil[0], forks[1],
              "P0 holds fork0 while it waits for fork1");
    std::vector<ActorId> steps;
    for (std::size_t i = 0; i < phil.size(); ++i) {
        steps.push_back(phil[i]);
        steps.push_back(forks[(i + 1) % forks.size()]);
    }
    w.cycle((9 + n) * kMs, steps, "P0 -> fork1 -> ... -> P0: every thread in the cycle waits for the next, without a timeout");
    w.event((10 + n) * kMs, EventKind::Deadlock, phil.front(), forks[1], n, "cycle");
    return w.done((11 + n) * kMs);
}

// deadlock/self-deadlock: one thread takes a plain Lock twice.
inline std::shared_ptr<const Trace> selfDeadlockTrace()
{
    Writer w;
    const ActorId main = w.b.addActor(ActorKind::Thread, "MainThread");
    const ActorId lock = w.b.addActor(ActorKind::Lock, "lock");
    const ActorId t1 = w.b.addActor(ActorKind::Thread, "T1", main);
    w.state(kMs, t1, State::Running);
    w.acquire(2 * kMs, t1, lock);
    w.coffman(2 * kMs, CoffmanCondition::NoPreemption, CoffmanStatus::Met, t1, lock,
              "only T1 can release lock: nobody can take it away");
    w.request(3 * kMs, t1, lock);
    w.coffman(3 * kMs, CoffmanCondition::MutualExclusion, CoffmanStatus::Met, t1, lock,
              "T1 waits for lock, held by T1: one holder at a time");
    w.coffman(3 * kMs, CoffmanCondition::HoldAndWait, CoffmanStatus::Met, t1, lock, "T1 holds lock while it waits for lock");
    w.cycle(3 * kMs, {t1, lock}, "T1 -> lock -> T1: every thread in the cycle waits for the next, without a timeout");
    w.event(3 * kMs + 1000, EventKind::Deadlock, t1, lock, 1, "T1 -> lock");
    return w.done(4 * kMs);
}

// gil/cpu-threads with two threads: T1 holds, T2 asks, times out after the switch interval, sets
// the drop request, T1 drops, T2 takes; and back again.
struct GilTrace {
    std::shared_ptr<const Trace> trace;
    ActorId gil, t1, t2;
};

inline GilTrace gilTrace(std::int64_t intervalNs = 5 * kMs, bool recordInterval = true)
{
    Writer w;
    GilTrace g;
    const ActorId main = w.b.addActor(ActorKind::Thread, "MainThread");
    g.gil = w.b.addActor(ActorKind::Gil, "GIL");
    g.t1 = w.b.addActor(ActorKind::Thread, "T1", main);
    g.t2 = w.b.addActor(ActorKind::Thread, "T2", main);
    w.state(0, g.gil, State::Free);
    if (recordInterval) w.event(0, EventKind::Counter, main, {}, intervalNs, "switch_interval_ns");
    auto take = [&](std::int64_t ts, ActorId t) {
        w.event(ts, EventKind::GilTaken, t, g.gil, 1);
        w.state(ts, g.gil, State::Held, t);
        w.state(ts, t, State::Running, {}, 2);
    };
    auto ask = [&](std::int64_t ts, ActorId t) {
        w.event(ts, EventKind::GilRequest, t, g.gil, 0, {}, 2);
        w.state(ts, t, State::Ready, g.gil, 2);
    };
    auto drop = [&](std::int64_t ts, ActorId t) {
        w.event(ts, EventKind::GilDropped, t, g.gil, 1);
        w.state(ts, g.gil, State::Free);
    };
    ask(1 * kMs, g.t1);
    take(1 * kMs, g.t1);
    ask(2 * kMs, g.t2);
    std::int64_t t = 2 * kMs;
    ActorId holder = g.t1;
    ActorId waiter = g.t2;
    for (int i = 0; i < 4; ++i) {
        t += intervalNs;
        w.event(t, EventKind::GilDropRequest, waiter, g.gil, 0);
        drop(t + 10'000, holder);
        ask(t + 10'000, holder);
        take(t + 20'000, waiter);
        std::swap(holder, waiter);
    }
    return {w.done(t + intervalNs / 2), g.gil, g.t1, g.t2};
}

// condition/correct, first exchange: XiaoAi waits, TianMao speaks and notifies, XiaoAi answers.
struct ConditionTrace {
    std::shared_ptr<const Trace> trace;
    ActorId cond, lock, waiter, xiaoai, tianmao;
    // Times: XiaoAi waits from 2 ms, TianMao speaks at 5 ms, notifies at 6 ms, XiaoAi answers 8 ms.
};

inline ConditionTrace conditionTrace()
{
    Writer w;
    ConditionTrace c;
    const ActorId main = w.b.addActor(ActorKind::Thread, "MainThread");
    c.cond = w.b.addActor(ActorKind::Condition, "cond");
    c.lock = w.b.addActor(ActorKind::RLock, "cond.lock", c.cond);
    c.xiaoai = w.b.addActor(ActorKind::Thread, "小爱", main);
    c.tianmao = w.b.addActor(ActorKind::Thread, "天猫精灵", main);
    w.state(0, c.cond, State::Free);
    w.state(0, c.lock, State::Free);
    w.state(kMs, c.xiaoai, State::Running);
    w.acquire(kMs, c.xiaoai, c.lock);
    w.event(2 * kMs, EventKind::WaitBegin, c.xiaoai, c.cond, -1);
    c.waiter = w.b.addActor(ActorKind::Lock, "cond.waiter1", c.cond, 2 * kMs);
    w.state(2 * kMs, c.waiter, State::Free);
    w.event(2 * kMs, EventKind::WaiterAllocated, c.xiaoai, c.waiter, c.xiaoai.value);
    w.acquire(2 * kMs, c.xiaoai, c.waiter);
    w.event(2 * kMs, EventKind::WaiterQueued, c.xiaoai, c.waiter, c.xiaoai.value);
    w.release(2 * kMs, c.xiaoai, c.lock);
    w.state(2 * kMs, c.xiaoai, State::Waiting, c.cond);
    w.event(2 * kMs, EventKind::AcquireRequest, c.xiaoai, c.waiter, -1);
    w.state(3 * kMs, c.tianmao, State::Running);
    w.acquire(4 * kMs, c.tianmao, c.lock);
    w.event(5 * kMs, EventKind::Say, c.tianmao, {}, 0, "小爱同学");
    w.event(6 * kMs, EventKind::Notify, c.tianmao, c.cond, 1);
    w.event(6 * kMs, EventKind::WaiterReleased, c.tianmao, c.waiter, c.xiaoai.value);
    w.release(6 * kMs, c.tianmao, c.waiter);
    w.event(6 * kMs, EventKind::WaitBegin, c.tianmao, c.cond, -1);
    w.release(6 * kMs + 100, c.tianmao, c.lock);
    w.state(6 * kMs + 100, c.tianmao, State::Waiting, c.cond);
    w.event(7 * kMs, EventKind::Acquired, c.xiaoai, c.waiter, 1);
    w.state(7 * kMs, c.xiaoai, State::Running);
    w.acquire(7 * kMs, c.xiaoai, c.lock);
    w.state(7 * kMs, c.waiter, State::Terminated);
    w.event(7 * kMs, EventKind::WaitEnd, c.xiaoai, c.cond, 1);
    w.event(8 * kMs, EventKind::Say, c.xiaoai, {}, 0, "在");
    return {w.done(9 * kMs), c.cond, c.lock, c.waiter, c.xiaoai, c.tianmao};
}

// iomux: `fds` server ends "fd 5", "fd 6", ...; the server waits with `mux`, `active` fds turn
// readable before each call and idle after it.
struct FdTrace {
    std::shared_ptr<const Trace> trace;
    std::vector<ActorId> fds;
    ActorId server, mux;
};

inline FdTrace fdTrace(int fds, const std::string& mux, int active = 10, int rounds = 3)
{
    Writer w;
    FdTrace f;
    f.server = w.b.addActor(ActorKind::Thread, "server");
    const ActorId clients = w.b.addActor(ActorKind::Thread, "clients");
    for (int i = 0; i < fds; ++i) {
        f.fds.push_back(w.b.addActor(ActorKind::Fd, "fd " + std::to_string(5 + i)));
        w.state(0, f.fds.back(), State::FdIdle);
    }
    f.mux = w.b.addActor(ActorKind::Multiplexer, mux + " (" + std::to_string(fds) + " fds)", f.server);
    w.event(kMs, EventKind::Mark, f.server, f.mux, fds, mux + ": watching");
    const bool isEpoll = mux.starts_with("epoll");
    std::int64_t t = 2 * kMs;
    for (int r = 0; r < rounds; ++r) {
        for (int a = 0; a < active; ++a) {
            const ActorId fd = f.fds[static_cast<std::size_t>((r * 37 + a * 101) % fds)];
            w.event(t, EventKind::FdReady, fd, clients, 1);
            w.state(t, fd, State::FdReadable, clients);
        }
        w.event(t + 1000, EventKind::MuxWaitBegin, f.server, f.mux, isEpoll ? 0 : fds);
        w.state(t + 1000, f.server, State::BlockedIo, f.mux);
        w.state(t + 50'000, f.server, State::Running);
        w.event(t + 50'000, EventKind::MuxWaitEnd, f.server, f.mux, active);
        w.event(t + 50'000, EventKind::MuxScan, f.server, f.mux, isEpoll ? active : fds);
        if (r + 1 < rounds) {
            for (int a = 0; a < active; ++a) {
                const ActorId fd = f.fds[static_cast<std::size_t>((r * 37 + a * 101) % fds)];
                w.event(t + 60'000, EventKind::FdReady, fd, f.server, 0);
                w.state(t + 60'000, fd, State::FdIdle, f.server);
            }
        }
        t += kMs;
    }
    f.trace = w.done(t);
    return f;
}

// generator/script on averager: next; send:10; send:20; send:null (returns [2, 15.0]).
struct GeneratorTrace {
    std::shared_ptr<const Trace> trace;
    ActorId main, gen;
    std::vector<std::int64_t> afterOp; // a time just after each operation
};

inline GeneratorTrace averagerTrace()
{
    Writer w;
    GeneratorTrace g;
    g.main = w.b.addActor(ActorKind::Thread, "MainThread");
    g.gen = w.b.addActor(ActorKind::Coroutine, "averager", {}, 0);
    w.state(0, g.main, State::Running);
    w.state(0, g.gen, State::GenCreated, {}, 1);
    std::int64_t t = kMs;
    auto op = [&](std::string_view sent, std::string_view yielded, bool returns) {
        w.event(t, EventKind::GenSend, g.main, g.gen, 0, sent, 20);
        w.state(t + 100, g.gen, State::GenRunning, {}, 4);
        if (returns) {
            w.event(t + 200, EventKind::GenReturn, g.gen, g.main, 0, yielded, 6);
            w.state(t + 200, g.gen, State::GenClosed, {}, 6);
        } else {
            w.event(t + 200, EventKind::GenYield, g.gen, g.main, 0, yielded, 4);
            w.state(t + 200, g.gen, State::GenSuspended, {}, 4);
        }
        g.afterOp.push_back(t + 500);
        t += kMs;
    };
    op("None", "None", false);
    op("10", "10.0", false);
    op("20", "15.0", false);
    op("None", "[2, 15.0]", true);
    g.trace = w.done(t);
    return g;
}

// generator/script on delegator: next (delegates to averager via yield from), send:5.
inline GeneratorTrace delegatorTrace()
{
    Writer w;
    GeneratorTrace g;
    g.main = w.b.addActor(ActorKind::Thread, "MainThread");
    g.gen = w.b.addActor(ActorKind::Coroutine, "delegator", {}, 0);
    w.state(0, g.gen, State::GenCreated, {}, 26);
    w.event(kMs, EventKind::GenSend, g.main, g.gen, 0, "None", 30);
    w.state(kMs + 100, g.gen, State::GenRunning, {}, 27);
    const ActorId sub = w.b.addActor(ActorKind::Coroutine, "averager", g.gen, kMs + 150);
    w.state(kMs + 150, sub, State::GenCreated, {}, 1);
    w.event(kMs + 200, EventKind::GenSend, g.gen, sub, 0, "None", 27);
    w.state(kMs + 300, sub, State::GenRunning, {}, 2);
    w.event(kMs + 400, EventKind::GenYield, sub, g.gen, 0, "None", 4);
    w.state(kMs + 400, sub, State::GenSuspended, {}, 4);
    w.event(kMs + 500, EventKind::GenYield, g.gen, g.main, 0, "None", 27);
    w.state(kMs + 500, g.gen, State::GenSuspended, {}, 27);
    g.afterOp.push_back(kMs + 600);
    w.event(2 * kMs, EventKind::GenSend, g.main, g.gen, 0, "5", 31);
    w.state(2 * kMs + 100, g.gen, State::GenRunning, {}, 27);
    w.event(2 * kMs + 200, EventKind::GenSend, g.gen, sub, 0, "5", 27);
    w.state(2 * kMs + 300, sub, State::GenRunning, {}, 4);
    w.event(2 * kMs + 400, EventKind::GenYield, sub, g.gen, 0, "5.0", 4);
    w.state(2 * kMs + 400, sub, State::GenSuspended, {}, 4);
    w.event(2 * kMs + 500, EventKind::GenYield, g.gen, g.main, 0, "5.0", 27);
    w.state(2 * kMs + 500, g.gen, State::GenSuspended, {}, 27);
    g.afterOp.push_back(2 * kMs + 600);
    g.trace = w.done(3 * kMs);
    return g;
}

// Whether every hold and wait edge of `model` joins neighbours in `ring` (a ring order of nodes).
template <typename Model>
bool edgesJoinNeighbours(const Model& model, const std::vector<ActorId>& ring)
{
    auto pos = [&](ActorId id) {
        return static_cast<long>(std::find(ring.begin(), ring.end(), id) - ring.begin());
    };
    const long n = static_cast<long>(ring.size());
    auto adjacent = [&](ActorId a, ActorId b) {
        const long d = std::labs(pos(a) - pos(b));
        return pos(a) < n && pos(b) < n && (d == 1 || d == n - 1);
    };
    for (const auto& h : model.holds().holds())
        if (!adjacent(h.lock, h.thread)) return false;
    for (const auto& w : model.waits())
        if (!adjacent(w.thread, w.lock)) return false;
    return true;
}

} // namespace lockstep::viewtest
