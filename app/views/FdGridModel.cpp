#include "views/FdGridModel.h"

#include <charconv>
#include <string_view>

namespace lockstep::ui {

namespace {

bool isMux(const Trace& trace, ActorId id)
{
    const ActorInfo* info = trace.actor(id);
    return info && info->kind == ActorKind::Multiplexer;
}

// "select (1000 fds)" -> 1000, or -1.
std::int64_t fdsInName(std::string_view name)
{
    const auto open = name.rfind('(');
    if (open == std::string_view::npos) return -1;
    std::int64_t n = -1;
    const char* first = name.data() + open + 1;
    const auto [ptr, ec] = std::from_chars(first, name.data() + name.size(), n);
    return ec == std::errc() && ptr != first ? n : -1;
}

} // namespace

void FdGridModel::setMask(ActorId fd, std::uint8_t mask)
{
    if (fd.value >= m_masks.size()) m_masks.resize(fd.value + 1, 0);
    std::uint8_t& m = m_masks[fd.value];
    m_readyNow += static_cast<int>(isReady(mask)) - static_cast<int>(isReady(m));
    m = mask;
}

void FdGridModel::apply(const Trace& trace, const Event& e)
{
    switch (e.kind) {
    case EventKind::FdReady:
        setMask(e.actor, static_cast<std::uint8_t>(e.value & (kReadable | kWritable | kHangup)));
        break;
    case EventKind::StateChange: {
        std::uint8_t mask = 0;
        switch (e.state) {
        case State::FdIdle: mask = 0; break;
        case State::FdReadable: mask = kReadable; break;
        case State::FdWritable: mask = kWritable; break;
        case State::FdHangup: mask = kHangup; break;
        case State::Terminated: {
            const ActorInfo* info = trace.actor(e.actor);
            if (!info || info->kind != ActorKind::Fd) return;
            setMask(e.actor, kClosed);
            return;
        }
        default: return;
        }
        // A state change repeats what an FdReady said; keep the richer mask it may carry.
        if ((this->mask(e.actor) != 0) == (mask != 0) && mask != kHangup) return;
        setMask(e.actor, mask);
        break;
    }
    case EventKind::Mark:
        // "select: watching N fds" marks the start of a sweep point (target = its multiplexer).
        if (e.target.valid() && isMux(trace, e.target)) {
            m_mux = e.target;
            if (e.value > 0) m_watched = e.value;
        }
        break;
    case EventKind::MuxWaitBegin:
        if (e.target != m_mux) {
            m_mux = e.target;
            const std::int64_t n = fdsInName(trace.actorName(e.target));
            if (n > 0) m_watched = n;
        }
        m_last = {};
        m_last.beginTs = e.ts;
        m_last.copied = e.value;
        ++m_calls;
        break;
    case EventKind::MuxWaitEnd:
        m_last.endTs = e.ts;
        m_last.ready = e.value;
        break;
    case EventKind::MuxScan:
        m_last.scanned = e.value;
        break;
    default:
        break;
    }
}

} // namespace lockstep::ui
