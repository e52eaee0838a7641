#pragma once

#include "lockstep/trace/Event.h"
#include "lockstep/trace/Trace.h"
#include "lockstep/trace/TraceClock.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lockstep {

class TraceBuilder;

// Which budget stopped the recording (see TraceRecorder::setBudget).
enum class BudgetLimit : std::uint8_t { None, Events, Memory };
[[nodiscard]] const char* budgetLimitName(BudgetLimit limit); // "", "events", "memory"

// Low-overhead, multi-producer event recorder. Each recording thread appends to its own buffer
// (no lock on the hot path: a thread_local lookup, a clock read, a store and a release-store of the
// count). One consumer thread drains all buffers, merging them in time order into a TraceBuilder.
class TraceRecorder {
public:
    TraceRecorder();
    ~TraceRecorder();
    TraceRecorder(const TraceRecorder&) = delete;
    TraceRecorder& operator=(const TraceRecorder&) = delete;

    // ns since time zero (CLOCK_MONOTONIC): when this recorder was created, or restartClock() was
    // last called. Events are stamped in ticks of the trace clock (TraceClock.h) and converted to
    // the same ns when drained.
    [[nodiscard]] std::int64_t now() const { return traceclock::monotonicNs() - m_clock.anchorMonoNs(); }
    [[nodiscard]] std::chrono::steady_clock::time_point startTime() const
    {
        return std::chrono::steady_clock::time_point(std::chrono::nanoseconds(m_clock.anchorMonoNs()));
    }
    // Moves time zero to now, so that a scenario's preparation (the GIL lesson calibrating its
    // loop for ~0.1 s) is not an empty stretch at the start of the timeline. Only before the
    // first event is recorded: earlier events would fall before zero.
    void restartClock();

    // Thread-safe; rare operations (take a mutex).
    ActorId registerActor(ActorKind kind, std::string name, ActorId parent = {});
    // Equal texts share one TextId: a loop saying the same line a million times stores it once.
    // A per-thread one-entry cache answers a repeat without taking the mutex.
    TextId intern(std::string_view text);
    [[nodiscard]] std::string actorName(ActorId id) const;

    // Hot path: record with the current time.
    void record(EventKind kind, ActorId actor, ActorId target = {}, std::int64_t value = 0, TextId text = {},
                std::int32_t line = 0);
    void recordState(ActorId actor, State state, ActorId target = {}, std::int32_t line = 0);
    void recordText(EventKind kind, ActorId actor, std::string_view text, ActorId target = {},
                    std::int64_t value = 0, std::int32_t line = 0);
    // Records `count` events with one stamp, read without the clock's fence and never below
    // `floorTicks`; returns the stamp (ticks), for the caller's next floor. A lock records its
    // acquire and release this way under its own mutex: the floor keeps its events in the order
    // the mutex gave them, at a third of the cost of stamping each.
    std::int64_t recordBatch(Event* events, std::size_t count, std::int64_t floorTicks);
    // Record a fully formed event (ts already set: e.g. reported by a child process).
    void recordEvent(const Event& e);

    // Drops every event stamped after `ts` from now on. A cancelled run calls this as it stops:
    // its trace ends where the program was stopped (a deadlocked thread stays blocked on the lock
    // it waits for), not with the engine's teardown (threads unwinding, children being killed).
    // The earliest stop wins (a budget stop is not moved later by the cancel that follows it).
    void stopAt(std::int64_t ts);
    [[nodiscard]] bool stopped() const { return m_stopAt.load(std::memory_order_acquire) != kNever; }
    [[nodiscard]] std::int64_t stopTs() const { return m_stopAt.load(std::memory_order_acquire); }

    // Budgets (0 = none). maxEvents caps the events drained into a builder at maxEvents - 1, so that
    // with the Mark the runner adds the trace holds at most maxEvents. maxBytes caps the recorder's
    // own allocations (event chunks, interned texts). Crossing either stops the recording at once
    // (stopAt(now)) and sets limit(); the run's watchdog then cancels the run.
    void setBudget(std::uint64_t maxEvents, std::uint64_t maxBytes);
    [[nodiscard]] std::uint64_t maxEvents() const { return m_maxEvents; }
    // Marks a limit as reached (first one wins) and stops the recording; returns true if it was first.
    bool reachLimit(BudgetLimit limit);
    [[nodiscard]] BudgetLimit limit() const { return m_limit.load(std::memory_order_acquire); }
    // Checks the event budget against recordedCount() (the hot path only counts whole chunks).
    bool checkEventBudget();
    // Bytes the recorder holds: event chunks of every thread, interned texts, held-back events.
    [[nodiscard]] std::size_t ownBytes() const { return m_ownBytes.load(std::memory_order_relaxed); }
    // The memory check of the hot path (once per filled chunk): the process would hold
    // baseBytes (its RSS without the recorder's backlog) plus bytesPerEvent (what an event costs
    // once in the builder) for every recorded event not drained yet. The watchdog updates both.
    void setMemoryEstimate(std::size_t baseBytes, std::size_t bytesPerEvent);
    [[nodiscard]] std::size_t projectedBytes() const;
    // What projectedBytes() said when the limit was reached (0 if no limit yet): the reason a
    // memory limit gives.
    [[nodiscard]] std::size_t projectedAtLimit() const { return m_projectedAtLimit.load(std::memory_order_acquire); }

    // Consumer side (one thread at a time). Moves newly recorded events into `builder` in time
    // order. Unless `all`, events younger than `holdbackNs` stay behind (in the per-thread buffers)
    // so that a slow producer cannot deliver an event older than one already handed on. Returns
    // the number moved. One builder per recorder (the event budget counts what was handed on).
    std::size_t drainInto(TraceBuilder& builder, bool all, std::int64_t holdbackNs = 5'000'000);

    [[nodiscard]] std::uint64_t recordedCount() const;
    // Events recorded but not drained yet.
    [[nodiscard]] std::uint64_t backlog() const;
    // The last Python line (> 0) the calling thread recorded an event with, 0 if none since
    // resetThreadLine(): where an engine thread was when it failed.
    [[nodiscard]] static std::int32_t threadLine();
    static void resetThreadLine();
    // Event chunks allocated so far, all threads (a drained chunk is reused, not counted again).
    [[nodiscard]] std::size_t chunksAllocated() const;

    struct ThreadBuffer;

private:
    void push(const Event& e);
    void onChunk(bool allocated);
    ThreadBuffer& localBuffer();
    ThreadBuffer& newLocalBuffer();

    static constexpr std::int64_t kNever = INT64_MAX;
    // A stamp in ticks (the hot path's) or in ns (recordEvent's) against the stop.
    [[nodiscard]] bool keepsTicks(std::int64_t ticks) const
    {
        return ticks <= m_stopTicks.load(std::memory_order_relaxed);
    }
    [[nodiscard]] bool keeps(std::int64_t ts) const { return ts <= m_stopAt.load(std::memory_order_relaxed); }
    void recordNow(Event& e);

    TickCalibration m_clock; // time zero, and ticks to ns
    std::atomic<std::int64_t> m_stopAt{kNever};
    std::atomic<std::int64_t> m_stopTicks { kNever }; // m_stopAt on the trace clock
    std::uint64_t m_serial;
    mutable std::mutex m_mutex; // guards m_buffers, m_actors, m_texts
    std::vector<std::unique_ptr<ThreadBuffer>> m_buffers;
    std::vector<ActorInfo> m_actors;
    std::deque<std::string> m_texts; // a deque: m_textIds' views stay valid as it grows
    std::unordered_map<std::string_view, TextId> m_textIds; // views into m_texts' stable strings
    std::uint64_t m_maxEvents = 0;
    std::uint64_t m_maxBytes = 0;
    std::atomic<BudgetLimit> m_limit{BudgetLimit::None};
    std::atomic<std::uint64_t> m_fullEvents{0}; // events in chunks their writer has filled
    std::atomic<std::size_t> m_ownBytes{0};
    std::atomic<std::size_t> m_baseBytes{0};
    std::atomic<std::size_t> m_bytesPerEvent{0};
    std::atomic<std::size_t> m_projectedAtLimit{0};
    std::size_t m_drained = 0; // consumer-only: events appended to builders
    std::atomic<std::uint64_t> m_drainedTotal{0}; // events read out of the buffers (kept or dropped)
    std::size_t m_actorsDrained = 0;
    std::size_t m_textsDrained = 0;
};

} // namespace lockstep
