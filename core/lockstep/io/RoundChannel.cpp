#include "lockstep/io/RoundChannel.h"

#include "lockstep/engine/RunContext.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace lockstep {

RoundChannel::RoundChannel(RunContext& ctx) : m_ctx(ctx)
{
    m_doneFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_doneFd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    m_ctx.trackFd(m_doneFd);
    m_ctx.addWakeable(this);
}

RoundChannel::~RoundChannel()
{
    m_ctx.removeWakeable(this);
    m_ctx.closeFd(m_doneFd);
}

void RoundChannel::post(const RoundTicket& ticket)
{
    {
        std::lock_guard lock(m_mutex);
        m_posted = ticket;
    }
    m_cv.notify_all();
}

RoundTicket RoundChannel::awaitPosted(ActorId poster)
{
    RunContext::BlockScope scope(m_ctx, State::Waiting, poster, false);
    std::unique_lock lock(m_mutex);
    m_ctx.wait(m_cv, lock, [&] { return m_posted.has_value(); });
    const RoundTicket ticket = *m_posted;
    m_posted.reset();
    return ticket;
}

void RoundChannel::finish()
{
    const std::uint64_t one = 1;
    if (::write(m_doneFd, &one, sizeof one) != static_cast<ssize_t>(sizeof one))
        throw std::system_error(errno, std::generic_category(), "write(eventfd)");
}

bool RoundChannel::consumeDone()
{
    std::uint64_t value = 0;
    return ::read(m_doneFd, &value, sizeof value) == static_cast<ssize_t>(sizeof value);
}

void RoundChannel::wakeAll()
{
    { std::lock_guard lock(m_mutex); }
    m_cv.notify_all();
}

} // namespace lockstep
