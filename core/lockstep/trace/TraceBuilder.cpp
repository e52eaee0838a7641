#include "lockstep/trace/TraceBuilder.h"

#include <algorithm>

namespace lockstep {

void TraceBuilder::ensureActor(ActorId id)
{
    if (!id.valid()) return;
    if (m_actors.size() <= id.value) m_actorsShared.reset();
    while (m_actors.size() <= id.value) {
        ActorInfo info;
        info.id = ActorId(static_cast<std::uint32_t>(m_actors.size()));
        info.name = "actor " + std::to_string(info.id.value);
        m_actors.push_back(std::move(info));
        m_byActor.emplace_back();
        m_spans.emplace_back();
    }
}

ActorId TraceBuilder::addActor(ActorKind kind, std::string name, ActorId parent, std::int64_t ts)
{
    ActorInfo info;
    info.id = ActorId(static_cast<std::uint32_t>(m_actors.size()));
    info.kind = kind;
    info.name = std::move(name);
    info.parent = parent;
    info.createdTs = ts;
    setActor(info);
    return info.id;
}

void TraceBuilder::setActor(const ActorInfo& info)
{
    ensureActor(info.id);
    m_actors[info.id.value] = info;
    m_actorsShared.reset();
}

TextId TraceBuilder::addText(std::string_view text)
{
    m_texts.push_back(std::string(text));
    m_textBytes += text.size();
    return TextId(static_cast<std::uint32_t>(m_texts.size() - 1));
}

EventIndex TraceBuilder::append(Event e)
{
    // Time order is an invariant of the trace (binary searches rely on it).
    e.ts = std::max(e.ts, m_lastTs);
    m_lastTs = e.ts;
    m_endTs = std::max(m_endTs, e.ts);
    const EventIndex index(m_events.size());
    ensureActor(e.actor);
    ensureActor(e.target);
    m_events.push_back(e);
    if (e.actor.valid()) m_byActor[e.actor.value].push_back(index);
    if (e.target.valid() && e.target != e.actor) m_byActor[e.target.value].push_back(index);
    if (e.kind == EventKind::StateChange && e.actor.valid()) {
        auto& spans = m_spans[e.actor.value];
        if (spans.empty() || spans.back().state != e.state || spans.back().target != e.target)
            spans.push_back(StateSpan{e.ts, e.state, e.target, index});
    }
    return index;
}

void TraceBuilder::setEndTs(std::int64_t ts) { m_endTs = std::max(m_endTs, ts); }

void TraceBuilder::setFinished(bool finished) { m_finished = finished; }

std::shared_ptr<const Trace> TraceBuilder::snapshot() const
{
    auto t = std::make_shared<Trace>();
    if (!m_actorsShared) m_actorsShared = std::make_shared<const std::vector<ActorInfo>>(m_actors);
    t->m_actors = m_actorsShared;
    t->m_events = m_events.view();
    t->m_byActor.reserve(m_byActor.size());
    for (const auto& v : m_byActor) t->m_byActor.push_back(v.view());
    t->m_spans.reserve(m_spans.size());
    for (const auto& v : m_spans) t->m_spans.push_back(v.view());
    t->m_texts = m_texts.view();
    t->m_endTs = m_endTs;
    t->m_finished = m_finished;
    return t;
}

std::size_t TraceBuilder::actorChunkBytes() const
{
    std::size_t n = 0;
    for (const auto& v : m_byActor) n += v.chunkBytes();
    for (const auto& v : m_spans) n += v.chunkBytes();
    return n;
}

std::size_t TraceBuilder::approxBytes() const
{
    return m_events.chunkBytes() + actorChunkBytes() + m_texts.chunkBytes() + m_textBytes +
           m_actors.size() * (sizeof(ActorInfo) + sizeof(m_byActor[0]) + sizeof(m_spans[0]));
}

} // namespace lockstep
