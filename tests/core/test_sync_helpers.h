#pragma once

// Shared fixture of the tests/core/test_sync_*.cpp files.

#include "lockstep/engine/PyError.h"
#include "lockstep/engine/RunContext.h"
#include "lockstep/trace/Trace.h"
#include "lockstep/trace/TraceBuilder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace lockstep::synctest {

// Returns as soon as an observable engine state holds (a primitive's waiter count, a thread's
// recorded state, ...). This is a poll of the state the test depends on, not a sleep that hopes
// the other thread got there: the limit only stops a broken test from hanging.
inline bool eventually(const std::function<bool()>& pred, std::chrono::seconds limit = std::chrono::seconds(20))
{
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::yield();
    }
    return true;
}

// Runs `fn`, expecting a PyError of `type` with exactly `message`.
inline void expectPyError(const std::function<void()>& fn, const std::string& type, const std::string& message)
{
    try {
        fn();
        ADD_FAILURE() << "expected " << type << ": " << message << ", nothing was raised";
    } catch (const PyError& e) {
        EXPECT_EQ(e.type(), type);
        EXPECT_EQ(e.message(), message);
    }
}

// "ok", or "Type: message" of the PyError raised: the format the CPython oracles print.
inline std::string outcome(const std::function<void()>& fn)
{
    try {
        fn();
    } catch (const PyError& e) {
        return e.type() + ": " + e.message();
    }
    return "ok";
}

class SyncTest : public ::testing::Test {
protected:
    SyncTest()
    {
        mainThread = ctx.addActor(ActorKind::Thread, "main");
        ctx.adoptCurrentThread(mainThread);
    }
    ~SyncTest() override
    {
        // A failed assertion may leave threads blocked in primitives: end them before the
        // primitives (owned below) go away.
        if (ctx.liveThreads() > 0) ctx.cancel();
        ctx.joinAll();
        m_owned.clear();
    }

    // A primitive owned by the fixture, so it outlives every thread of the test.
    template <typename T, typename... Args>
    T& make(Args&&... args)
    {
        auto p = std::make_shared<T>(ctx, std::forward<Args>(args)...);
        T& ref = *p;
        m_owned.push_back(std::move(p));
        return ref;
    }

    // Joins the run's threads and returns everything recorded.
    TracePtr finish()
    {
        ctx.joinAll();
        TraceBuilder builder;
        ctx.recorder().drainInto(builder, true);
        return builder.snapshot();
    }

    // Events of one kind (optionally only those with the given actor / target), in trace order.
    static std::vector<Event> events(const Trace& trace, EventKind kind, ActorId actor = {}, ActorId target = {})
    {
        std::vector<Event> out;
        for (const Event& e : trace.events()) {
            if (e.kind != kind) continue;
            if (actor && e.actor != actor) continue;
            if (target && e.target != target) continue;
            out.push_back(e);
        }
        return out;
    }

    // The state changes of one actor as (state, target) pairs.
    static std::vector<std::pair<State, ActorId>> states(const Trace& trace, ActorId actor)
    {
        std::vector<std::pair<State, ActorId>> out;
        for (const Event& e : trace.events())
            if (e.kind == EventKind::StateChange && e.actor == actor) out.emplace_back(e.state, e.target);
        return out;
    }

    static bool hasState(const Trace& trace, ActorId actor, State state, ActorId target)
    {
        for (const auto& [s, t] : states(trace, actor))
            if (s == state && t == target) return true;
        return false;
    }

    // Index of the first event matching kind/actor/target (or -1).
    static long indexOf(const Trace& trace, EventKind kind, ActorId actor, ActorId target = {})
    {
        long i = 0;
        for (const Event& e : trace.events()) {
            if (e.kind == kind && e.actor == actor && (!target || e.target == target)) return i;
            ++i;
        }
        return -1;
    }

    // The whole trace, one event a line: attached to failure messages.
    static std::string dump(const Trace& trace)
    {
        std::string out;
        for (const Event& e : trace.events()) {
            out += std::to_string(e.ts) + " " + std::string(eventKindName(e.kind)) + " " +
                   std::string(trace.actorName(e.actor));
            if (e.kind == EventKind::StateChange) out += " -> " + std::string(stateName(e.state));
            if (e.target) out += " @" + std::string(trace.actorName(e.target));
            out += " v=" + std::to_string(e.value);
            if (e.text.valid() && !trace.text(e).empty()) out += " \"" + std::string(trace.text(e)) + "\"";
            out += "\n";
        }
        return out;
    }

    RunContext ctx;
    ActorId mainThread;

private:
    std::vector<std::shared_ptr<void>> m_owned;
};

} // namespace lockstep::synctest
