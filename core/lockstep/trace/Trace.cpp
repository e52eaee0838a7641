#include "lockstep/trace/Trace.h"

#include <algorithm>

namespace lockstep {

namespace {
const Trace::IndexView kNoEvents;
const Trace::SpanView kNoSpans;
} // namespace

const ActorInfo* Trace::actor(ActorId id) const
{
    return id.valid() && id.value < m_actors->size() ? &(*m_actors)[id.value] : nullptr;
}

std::optional<ActorId> Trace::findActor(std::string_view name) const
{
    for (const auto& a : *m_actors)
        if (a.name == name) return a.id;
    return std::nullopt;
}

std::string_view Trace::actorName(ActorId id) const
{
    const auto* a = actor(id);
    return a ? std::string_view(a->name) : std::string_view();
}

std::string_view Trace::text(TextId id) const
{
    return id.valid() && id.value < m_texts.size() ? std::string_view(m_texts[id.value]) : std::string_view();
}

EventIndex Trace::lowerBound(std::int64_t t) const
{
    auto it = std::lower_bound(m_events.begin(), m_events.end(), t,
                               [](const Event& e, std::int64_t v) { return e.ts < v; });
    return EventIndex(it.index());
}

std::pair<EventIndex, EventIndex> Trace::range(std::int64_t t0, std::int64_t t1) const
{
    return {lowerBound(t0), lowerBound(t1)};
}

const Trace::IndexView& Trace::eventsOf(ActorId id) const
{
    return id.valid() && id.value < m_byActor.size() ? m_byActor[id.value] : kNoEvents;
}

const Trace::SpanView& Trace::spans(ActorId id) const
{
    return id.valid() && id.value < m_spans.size() ? m_spans[id.value] : kNoSpans;
}

std::int64_t Trace::spanEnd(ActorId id, std::size_t i) const
{
    const auto& s = spans(id);
    return i + 1 < s.size() ? s[i + 1].start : std::max(m_endTs, s.empty() ? 0 : s.back().start);
}

std::optional<std::size_t> Trace::spanAt(ActorId id, std::int64_t t) const
{
    const auto& s = spans(id);
    auto it = std::upper_bound(s.begin(), s.end(), t, [](std::int64_t v, const StateSpan& sp) { return v < sp.start; });
    if (it == s.begin()) return std::nullopt;
    return (it - 1).index();
}

State Trace::stateAt(ActorId id, std::int64_t t) const
{
    const auto i = spanAt(id, t);
    return i ? spans(id)[*i].state : State::New;
}

std::int64_t Trace::timeIn(ActorId id, State state) const
{
    const auto& s = spans(id);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i].state == state) total += spanEnd(id, i) - s[i].start;
    return total;
}

} // namespace lockstep
