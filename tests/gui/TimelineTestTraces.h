#pragma once

// Synthetic traces for the render / timeline / model tests and the timeline benchmark. Built with
// TraceBuilder exactly as the recorder's consumer builds real ones (same event kinds, same
// conventions: state changes on the executor, Acquired/Released with target = lock, GilTaken /
// GilDropped with target = gil), so the renderer sees what a real run produces.

#include "lockstep/trace/TraceBuilder.h"

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep::testing {

struct TraceWriter {
    TraceBuilder b;

    void state(std::int64_t ts, ActorId actor, State s, ActorId target = {}, std::int32_t line = 0)
    {
        Event e;
        e.ts = ts;
        e.kind = EventKind::StateChange;
        e.actor = actor;
        e.target = target;
        e.state = s;
        e.line = line;
        b.append(e);
    }
    void event(std::int64_t ts, EventKind kind, ActorId actor, ActorId target = {}, std::int64_t value = 0,
               std::string_view text = {}, std::int32_t line = 0)
    {
        Event e;
        e.ts = ts;
        e.kind = kind;
        e.actor = actor;
        e.target = target;
        e.value = value;
        e.line = line;
        if (!text.empty()) e.text = b.addText(text);
        b.append(e);
    }
};

// Three Python threads sharing the GIL (switch interval 5 ms), two locks, a condition, notify
// markers, an error, and a deadlock between T1 and T2 at the end. 100 ms long.
inline std::shared_ptr<const Trace> classroomTrace()
{
    TraceWriter w;
    auto& b = w.b;
    const ActorId main = b.addActor(ActorKind::Thread, "MainThread");
    const ActorId t1 = b.addActor(ActorKind::Thread, "T1", main);
    const ActorId t2 = b.addActor(ActorKind::Thread, "T2", main);
    const ActorId t3 = b.addActor(ActorKind::Thread, "T3", main);
    const ActorId gil = b.addActor(ActorKind::Gil, "GIL");
    const ActorId la = b.addActor(ActorKind::Lock, "lock_a");
    const ActorId lb = b.addActor(ActorKind::Lock, "lock_b");
    const ActorId cond = b.addActor(ActorKind::Condition, "cond");
    constexpr std::int64_t ms = 1'000'000;

    w.state(0, main, State::Running);
    w.event(0, EventKind::GilTaken, main, gil);
    w.state(1 * ms, main, State::Waiting, cond);
    w.event(1 * ms, EventKind::GilDropped, main, gil);
    for (ActorId t : {t1, t2, t3}) w.state(1 * ms, t, State::Ready, gil);
    // GIL round robin between T1..T3 every 5 ms for 55 ms; T2 holds it last.
    const ActorId order[] = {t1, t2, t3};
    std::int64_t ts = 1 * ms;
    ActorId holder;
    for (int k = 0; k < 11; ++k) {
        const ActorId next = order[k % 3];
        if (holder.valid()) {
            w.event(ts - 50'000, EventKind::GilDropRequest, next, gil);
            w.event(ts, EventKind::GilDropped, holder, gil);
            w.state(ts, holder, State::Ready, gil);
        }
        w.event(ts, EventKind::GilTaken, next, gil);
        w.state(ts, next, State::Running);
        holder = next;
        ts += 5 * ms;
    }
    // 56 ms: T2 takes lock_a, T1 takes lock_b, then each wants the other: deadlock.
    w.event(ts, EventKind::Acquired, holder, la);
    w.state(ts, la, State::Held, holder);
    w.event(ts + 1 * ms, EventKind::Notify, holder, cond, 1);
    w.state(ts + 1 * ms, main, State::Ready, gil);
    w.event(ts + 2 * ms, EventKind::GilDropped, holder, gil);
    w.state(ts + 2 * ms, holder, State::Ready, gil);
    w.event(ts + 2 * ms, EventKind::GilTaken, t1, gil);
    w.state(ts + 2 * ms, t1, State::Running);
    w.event(ts + 3 * ms, EventKind::Acquired, t1, lb);
    w.state(ts + 3 * ms, lb, State::Held, t1);
    w.event(ts + 4 * ms, EventKind::AcquireRequest, t1, la);
    w.state(ts + 4 * ms, t1, State::Blocked, la);
    w.event(ts + 4 * ms, EventKind::GilDropped, t1, gil);
    w.event(ts + 4 * ms, EventKind::GilTaken, holder, gil);
    w.state(ts + 4 * ms, holder, State::Running);
    w.event(ts + 6 * ms, EventKind::AcquireRequest, holder, lb);
    w.state(ts + 6 * ms, holder, State::Blocked, lb);
    w.event(ts + 6 * ms, EventKind::GilDropped, holder, gil);
    w.event(ts + 6 * ms, EventKind::GilTaken, t3, gil);
    w.state(ts + 6 * ms, t3, State::Running);
    w.event(ts + 8 * ms, EventKind::Error, t3, {}, 0, "ZeroDivisionError: division by zero");
    w.state(ts + 8 * ms, t3, State::Terminated);
    w.event(ts + 8 * ms, EventKind::GilDropped, t3, gil);
    w.event(ts + 8 * ms, EventKind::GilTaken, main, gil);
    w.state(ts + 8 * ms, main, State::Running);
    w.state(ts + 9 * ms, main, State::Sleeping);
    w.event(ts + 9 * ms, EventKind::GilDropped, main, gil);
    w.event(ts + 10 * ms, EventKind::Deadlock, t1, {}, 0,
            "T1 waits for lock_a held by T2, which waits for lock_b held by T1");
    b.setEndTs(100 * ms);
    b.setFinished(true);
    return b.snapshot();
}

// `threads` threads thrashing on the GIL: each StateChange alternates Running / Ready at random
// intervals (mean `meanGapNs`), with GilTaken / GilDropped events, about `events` events in all.
// Deterministic for a given seed.
inline void appendThrash(TraceWriter& w, std::size_t events, int threads, std::int64_t meanGapNs,
                         std::uint32_t seed = 42)
{
    auto& b = w.b;
    std::vector<ActorId> ts;
    for (int i = 0; i < threads; ++i) ts.push_back(b.addActor(ActorKind::Thread, "worker-" + std::to_string(i)));
    const ActorId gil = b.addActor(ActorKind::Gil, "GIL");
    std::mt19937 rng(seed);
    std::exponential_distribution<double> gap(1.0 / static_cast<double>(meanGapNs));
    std::int64_t now = 0;
    for (ActorId t : ts) w.state(0, t, State::Ready, gil);
    std::size_t holder = 0;
    std::size_t n = 0;
    while (n < events) {
        const ActorId h = ts[holder];
        w.event(now, EventKind::GilTaken, h, gil);
        w.state(now, h, State::Running);
        now += 1 + static_cast<std::int64_t>(gap(rng));
        w.event(now, EventKind::GilDropped, h, gil);
        w.state(now, h, State::Ready, gil);
        n += 4;
        holder = (holder + 1 + rng() % 3) % ts.size();
    }
    b.setEndTs(now);
    b.setFinished(true);
}

inline std::shared_ptr<const Trace> thrashTrace(std::size_t events, int threads = 4, std::int64_t meanGapNs = 1000)
{
    TraceWriter w;
    appendThrash(w, events, threads, meanGapNs);
    return w.b.snapshot();
}

} // namespace lockstep::testing
