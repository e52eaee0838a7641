#pragma once

#include "lockstep/trace/Event.h"
#include "lockstep/trace/Trace.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

class TraceBuilder;

// Low-overhead, multi-producer event recorder. Each recording thread appends to its own buffer
// (no lock on the hot path: a thread_local lookup, a clock read, a store and a release-store of the
// count). One consumer thread drains all buffers, merging them in time order into a TraceBuilder.
class TraceRecorder {
public:
    TraceRecorder();
    ~TraceRecorder();
    TraceRecorder(const TraceRecorder&) = delete;
    TraceRecorder& operator=(const TraceRecorder&) = delete;

    // ns since this recorder was created (steady clock).
    [[nodiscard]] std::int64_t now() const
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - m_start)
            .count();
    }
    [[nodiscard]] std::chrono::steady_clock::time_point startTime() const { return m_start; }

    // Thread-safe; rare operations (take a mutex).
    ActorId registerActor(ActorKind kind, std::string name, ActorId parent = {});
    TextId intern(std::string_view text);
    [[nodiscard]] std::string actorName(ActorId id) const;

    // Hot path: record with the current time.
    void record(EventKind kind, ActorId actor, ActorId target = {}, std::int64_t value = 0, TextId text = {},
                std::int32_t line = 0);
    void recordState(ActorId actor, State state, ActorId target = {}, std::int32_t line = 0);
    void recordText(EventKind kind, ActorId actor, std::string_view text, ActorId target = {},
                    std::int64_t value = 0, std::int32_t line = 0);
    // Record a fully formed event (ts already set: e.g. reported by a child process).
    void recordEvent(const Event& e);

    // Drops every event stamped after `ts` from now on. A cancelled run calls this as it stops:
    // its trace ends where the program was stopped (a deadlocked thread stays blocked on the lock
    // it waits for), not with the engine's teardown (threads unwinding, children being killed).
    void stopAt(std::int64_t ts) { m_stopAt.store(ts, std::memory_order_release); }
    [[nodiscard]] bool stopped() const { return m_stopAt.load(std::memory_order_acquire) != kNever; }

    // Consumer side (one thread at a time). Moves newly recorded events into `builder` in time
    // order. Unless `all`, events younger than `holdbackNs` stay behind so that a slow producer
    // cannot deliver an event older than one already handed on. Returns the number moved.
    std::size_t drainInto(TraceBuilder& builder, bool all, std::int64_t holdbackNs = 5'000'000);

    [[nodiscard]] std::uint64_t recordedCount() const;
    // Event chunks allocated so far, all threads (a drained chunk is reused, not counted again).
    [[nodiscard]] std::size_t chunksAllocated() const;

    struct ThreadBuffer;

private:
    ThreadBuffer& localBuffer();
    ThreadBuffer& newLocalBuffer();

    static constexpr std::int64_t kNever = INT64_MAX;
    [[nodiscard]] bool keeps(std::int64_t ts) const { return ts <= m_stopAt.load(std::memory_order_relaxed); }

    std::chrono::steady_clock::time_point m_start;
    std::atomic<std::int64_t> m_stopAt{kNever};
    std::uint64_t m_serial;
    mutable std::mutex m_mutex; // guards m_buffers, m_actors, m_texts
    std::vector<std::unique_ptr<ThreadBuffer>> m_buffers;
    std::vector<ActorInfo> m_actors;
    std::vector<std::string> m_texts;
    std::size_t m_actorsDrained = 0;
    std::size_t m_textsDrained = 0;
    std::vector<Event> m_pending; // consumer-only: drained but held back
};

} // namespace lockstep
