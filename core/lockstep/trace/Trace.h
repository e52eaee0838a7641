#pragma once

#include "lockstep/trace/ChunkedVector.h"
#include "lockstep/trace/Event.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

// A state interval of one actor: it entered `state` at `start` and stayed until the next span's
// start (or the end of the trace). Stored as changes only, so appending never rewrites a span.
struct StateSpan {
    std::int64_t start = 0;
    State state = State::New;
    ActorId target;          // what it was blocked on / held by
    EventIndex event;        // the StateChange event that opened it
};

// An immutable snapshot of a run. Views share it as std::shared_ptr<const Trace>; snapshots taken
// during a live run share storage with later ones (see ChunkedVector).
class Trace {
public:
    using EventView = ChunkedView<Event>;
    using SpanView = ChunkedView<StateSpan, 10>;
    using IndexView = ChunkedView<EventIndex, 12>;

    [[nodiscard]] const std::vector<ActorInfo>& actors() const { return *m_actors; }
    [[nodiscard]] const ActorInfo* actor(ActorId id) const;
    [[nodiscard]] std::optional<ActorId> findActor(std::string_view name) const;
    [[nodiscard]] std::string_view actorName(ActorId id) const;

    [[nodiscard]] const EventView& events() const { return m_events; }
    [[nodiscard]] std::size_t eventCount() const { return m_events.size(); }
    [[nodiscard]] const Event& event(EventIndex i) const { return m_events[i.value]; }
    [[nodiscard]] std::string_view text(TextId id) const;
    [[nodiscard]] std::string_view text(const Event& e) const { return text(e.text); }

    // Time covered: from 0 to endTs() ns. For a finished run endTs() is the run's end.
    [[nodiscard]] std::int64_t endTs() const { return m_endTs; }
    [[nodiscard]] bool finished() const { return m_finished; }

    // First event with ts >= t (binary search; events are in time order).
    [[nodiscard]] EventIndex lowerBound(std::int64_t t) const;
    // Indices [first, last) of events with t0 <= ts < t1.
    [[nodiscard]] std::pair<EventIndex, EventIndex> range(std::int64_t t0, std::int64_t t1) const;

    // Events of one actor (as actor or as target), in time order.
    [[nodiscard]] const IndexView& eventsOf(ActorId id) const;
    // State changes of one actor; spans()[i] lasts until spans()[i+1].start or endTs().
    [[nodiscard]] const SpanView& spans(ActorId id) const;
    [[nodiscard]] std::int64_t spanEnd(ActorId id, std::size_t i) const;
    // The span covering time t, if the actor existed then.
    [[nodiscard]] std::optional<std::size_t> spanAt(ActorId id, std::int64_t t) const;
    [[nodiscard]] State stateAt(ActorId id, std::int64_t t) const;
    // Total time an actor spent in a state within [0, endTs()].
    [[nodiscard]] std::int64_t timeIn(ActorId id, State state) const;

private:
    friend class TraceBuilder;
    // Shared with the builder and every snapshot taken since the last actor change: 16,000 fd
    // actors are not copied once per GUI frame.
    std::shared_ptr<const std::vector<ActorInfo>> m_actors = std::make_shared<const std::vector<ActorInfo>>();
    EventView m_events;
    std::vector<IndexView> m_byActor;
    std::vector<SpanView> m_spans;
    ChunkedView<std::string, 8> m_texts;
    std::int64_t m_endTs = 0;
    bool m_finished = false;
};

using TracePtr = std::shared_ptr<const Trace>;

} // namespace lockstep
