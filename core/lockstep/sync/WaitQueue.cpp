#include "lockstep/sync/WaitQueue.h"

#include <algorithm>

namespace lockstep {

bool WaitQueue::wait(RunContext& ctx, std::unique_lock<std::mutex>& lock, const Timeout& timeout)
{
    if (timeout.isNonBlocking()) return false;
    Ticket ticket;
    m_tickets.push_back(&ticket);
    const auto notified = [&] { return ticket.notified; };
    try {
        if (timeout.isForever()) ctx.wait(ticket.cv, lock, notified);
        else ctx.waitUntil(ticket.cv, lock, timeout.deadline(), notified);
        // Woken by a thread that is unwinding a cancelled run: end with Cancelled all the same.
        ctx.throwIfCancelled();
    } catch (...) {
        remove(&ticket);
        throw;
    }
    // notify() pops the tickets it wakes; a ticket still queued timed out.
    if (!ticket.notified) remove(&ticket);
    return ticket.notified;
}

std::size_t WaitQueue::notify(std::size_t n)
{
    std::size_t woken = 0;
    while (woken < n && !m_tickets.empty()) {
        Ticket* t = m_tickets.front();
        m_tickets.pop_front();
        t->notified = true;
        t->cv.notify_one();
        ++woken;
    }
    return woken;
}

void WaitQueue::wakeAll()
{
    for (Ticket* t : m_tickets) t->cv.notify_all();
}

void WaitQueue::remove(Ticket* t)
{
    auto it = std::find(m_tickets.begin(), m_tickets.end(), t);
    if (it != m_tickets.end()) m_tickets.erase(it);
}

} // namespace lockstep
