#include "lockstep/gil/Gil.h"

namespace lockstep {

Gil::Gil(RunContext& ctx, std::chrono::nanoseconds switchInterval, bool enabled, std::string name, ActorId parent)
    : m_ctx(ctx), m_enabled(enabled), m_id(ctx.addActor(ActorKind::Gil, std::move(name), parent)),
      m_core(switchInterval, this)
{
    m_ctx.recorder().recordState(m_id, State::Free);
    m_ctx.addWakeable(this);
    // A cancel that happened before we registered would never reach us.
    if (m_ctx.cancelled()) m_core.cancel();
}

Gil::~Gil()
{
    m_ctx.removeWakeable(this);
}

bool Gil::heldByOther(ActorId thread) const
{
    const GilCore::Holder holder = m_core.holder();
    return m_enabled && holder != 0 && holder != token(thread);
}

void Gil::take(ActorId thread, std::int32_t line)
{
    m_ctx.gate().pass(thread);
    if (!m_enabled) {
        m_ctx.throwIfCancelled();
        return;
    }
    m_ctx.recorder().record(EventKind::GilRequest, thread, m_id, 0, {}, line);
    if (m_core.take(token(thread)) == GilCore::Result::Cancelled) throw Cancelled();
}

void Gil::drop(ActorId thread, bool threadExits)
{
    m_ctx.gate().pass(thread);
    if (!m_enabled) {
        m_ctx.throwIfCancelled();
        return;
    }
    if (m_core.drop(token(thread), !threadExits) == GilCore::Result::Cancelled) throw Cancelled();
}

void Gil::wakeAll()
{
    m_core.cancel();
}

void Gil::onWaitBegin(GilCore::Holder)
{
}

void Gil::onDropRequest(GilCore::Holder who)
{
    // value = the holder being asked (as an actor id), so the view can draw the request's arrow.
    const GilCore::Holder holder = m_core.holder();
    m_ctx.recorder().record(EventKind::GilDropRequest, actorOf(who), m_id,
        holder != 0 ? static_cast<std::int64_t>(actorOf(holder).value) : -1);
}

void Gil::onTaken(GilCore::Holder who, bool switched)
{
    m_ctx.recorder().record(EventKind::GilTaken, actorOf(who), m_id, switched ? 1 : 0);
    m_ctx.recorder().recordState(m_id, State::Held, actorOf(who));
}

void Gil::onDropped(GilCore::Holder who, bool requested)
{
    m_ctx.recorder().record(EventKind::GilDropped, actorOf(who), m_id, requested ? 1 : 0);
    m_ctx.recorder().recordState(m_id, State::Free);
}

} // namespace lockstep
