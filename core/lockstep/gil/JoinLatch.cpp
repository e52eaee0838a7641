#include "lockstep/gil/JoinLatch.h"

namespace lockstep {

JoinLatch::JoinLatch(RunContext& ctx, std::size_t threads) : m_ctx(ctx), m_finished(threads, false)
{
    m_ctx.addWakeable(this);
}

JoinLatch::~JoinLatch()
{
    m_ctx.removeWakeable(this);
}

void JoinLatch::markFinished(std::size_t thread)
{
    std::lock_guard lock(m_mutex);
    m_finished.at(thread) = true;
    m_cv.notify_all();
}

void JoinLatch::waitFinished(std::size_t thread)
{
    std::unique_lock lock(m_mutex);
    m_ctx.wait(m_cv, lock, [&] { return m_finished.at(thread); });
}

bool JoinLatch::finished(std::size_t thread) const
{
    std::lock_guard lock(m_mutex);
    return m_finished.at(thread);
}

void JoinLatch::wakeAll()
{
    std::lock_guard lock(m_mutex);
    m_cv.notify_all();
}

} // namespace lockstep
