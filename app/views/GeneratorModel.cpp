#include "views/GeneratorModel.h"

#include <algorithm>

namespace lockstep::ui {

GeneratorModel::PerActor& GeneratorModel::slot(ActorId id)
{
    if (id.value >= m_perActor.size()) m_perActor.resize(id.value + 1);
    return m_perActor[id.value];
}

void GeneratorModel::note(ActorId id)
{
    if (id.valid() && std::find(m_actors.begin(), m_actors.end(), id) == m_actors.end()) m_actors.push_back(id);
}

State GeneratorModel::stateOf(ActorId coroutine) const
{
    if (!coroutine.valid() || coroutine.value >= m_perActor.size()) return State::GenCreated;
    const PerActor& a = m_perActor[coroutine.value];
    return a.hasState ? a.state : State::GenCreated;
}

std::int32_t GeneratorModel::lineOf(ActorId actor) const
{
    return actor.valid() && actor.value < m_perActor.size() ? m_perActor[actor.value].line : 0;
}

void GeneratorModel::apply(const Trace& trace, const Event& e)
{
    if (!e.actor.valid()) return;
    switch (e.kind) {
    case EventKind::StateChange: {
        const ActorInfo* info = trace.actor(e.actor);
        if (!info || info->kind != ActorKind::Coroutine) {
            if (e.line > 0) slot(e.actor).line = e.line;
            return;
        }
        PerActor& a = slot(e.actor);
        // Only the generator states: a coroutine's thread-like states say nothing to inspect.
        if (e.state == State::GenCreated || e.state == State::GenRunning || e.state == State::GenSuspended
            || e.state == State::GenClosed) {
            a.state = e.state;
            a.hasState = true;
        }
        if (e.line > 0) a.line = e.line;
        note(e.actor);
        break;
    }
    case EventKind::ActorCreated: {
        const ActorInfo* info = trace.actor(e.actor);
        if (info && info->kind == ActorKind::Coroutine) note(e.actor);
        break;
    }
    case EventKind::LineReached:
        slot(e.actor).line = e.line;
        break;
    case EventKind::GenSend:
    case EventKind::GenThrow:
    case EventKind::GenClose:
    case EventKind::GenYield:
    case EventKind::GenReturn:
    case EventKind::GenRaise:
        note(e.actor);
        note(e.target);
        m_transfers.push_back({e.ts, e.kind, e.actor, e.target, e.text, e.line});
        if (e.line > 0) slot(e.actor).line = e.line;
        m_active = e.target;
        break;
    case EventKind::Say:
        m_output.push_back({e.ts, e.actor, e.text, false});
        break;
    case EventKind::Error:
        m_output.push_back({e.ts, e.actor, e.text, true});
        break;
    default:
        break;
    }
}

} // namespace lockstep::ui
