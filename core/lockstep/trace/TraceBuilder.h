#pragma once

#include "lockstep/trace/Trace.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

// Single-threaded writer that appends events in time order and hands out cheap immutable snapshots.
// Used by the recorder's consumer (live runs) and by importers/tests.
class TraceBuilder {
public:
    TraceBuilder() = default;

    ActorId addActor(ActorKind kind, std::string name, ActorId parent = {}, std::int64_t ts = 0);
    // Makes sure actor ids up to and including `id` exist (actors are registered by the recorder).
    void setActor(const ActorInfo& info);
    TextId addText(std::string_view text);
    // Appends `e`; if e.ts is earlier than the last event it is clamped to keep time order.
    EventIndex append(Event e);
    void setEndTs(std::int64_t ts);
    // The recorder's clock restarted (TraceRecorder::restartClock) before any event: the end
    // found by drains until then was on the old clock.
    void restartEndTs() { m_endTs = m_lastTs; }
    void setFinished(bool finished);

    [[nodiscard]] std::size_t eventCount() const { return m_events.size(); }
    [[nodiscard]] std::int64_t lastTs() const { return m_lastTs; }
    [[nodiscard]] std::shared_ptr<const Trace> snapshot() const;
    // Element storage of the per-actor indexes and state spans, all actors (it grows with their
    // events: an actor without events costs none).
    [[nodiscard]] std::size_t actorChunkBytes() const;
    // Everything the builder holds, roughly (events, indexes, spans, texts, actors).
    [[nodiscard]] std::size_t approxBytes() const;

private:
    void ensureActor(ActorId id);

    std::vector<ActorInfo> m_actors;
    mutable std::shared_ptr<const std::vector<ActorInfo>> m_actorsShared; // reset when an actor changes
    ChunkedVector<Event> m_events;
    std::vector<ChunkedVector<EventIndex, 12>> m_byActor;
    std::vector<ChunkedVector<StateSpan, 10>> m_spans;
    ChunkedVector<std::string, 8> m_texts;
    std::size_t m_textBytes = 0;
    std::int64_t m_lastTs = 0;
    std::int64_t m_endTs = 0;
    bool m_finished = false;
};

} // namespace lockstep
