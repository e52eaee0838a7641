#include "lockstep/engine/WaitForGraph.h"

#include <algorithm>
#include <unordered_set>

namespace lockstep {

void WaitForGraph::setDeadlockCallback(DeadlockCallback cb)
{
    std::lock_guard lock(m_mutex);
    m_callback = std::move(cb);
}

void WaitForGraph::addHolder(ActorId resource, ActorId thread)
{
    std::lock_guard lock(m_mutex);
    m_holders[resource].push_back(thread);
}

void WaitForGraph::removeHolder(ActorId resource, ActorId thread)
{
    std::lock_guard lock(m_mutex);
    auto it = m_holders.find(resource);
    if (it == m_holders.end()) return;
    auto& v = it->second;
    // A Lock may be released by a thread other than its holder (CPython allows it): then drop the
    // oldest holder record.
    auto h = std::find(v.begin(), v.end(), thread);
    if (h == v.end()) h = v.begin();
    if (h != v.end()) v.erase(h);
    if (v.empty()) m_holders.erase(it);
}

void WaitForGraph::addWait(ActorId thread, ActorId resource, bool timed)
{
    std::vector<ActorId> cycle;
    DeadlockCallback cb;
    {
        std::lock_guard lock(m_mutex);
        m_waits[thread] = WaitEdge{resource, timed};
        if (timed || !m_callback) return;
        auto found = findCycleLocked(thread);
        if (!found) return;
        cycle = std::move(*found);
        cb = m_callback;
    }
    cb(cycle); // outside the mutex: the callback records events and may cancel the run
}

void WaitForGraph::removeWait(ActorId thread)
{
    std::lock_guard lock(m_mutex);
    m_waits.erase(thread);
}

std::optional<std::vector<ActorId>> WaitForGraph::findCycleLocked(ActorId start) const
{
    // Follow thread -> resource -> holder. With several holders (semaphores) explore each (DFS).
    std::vector<ActorId> path;
    std::unordered_set<ActorId> onPath;
    std::unordered_set<ActorId> dead; // threads known not to lead back to `start`

    std::function<bool(ActorId)> visit = [&](ActorId thread) -> bool {
        auto w = m_waits.find(thread);
        if (w == m_waits.end() || w->second.timed) return false;
        const ActorId resource = w->second.resource;
        auto h = m_holders.find(resource);
        if (h == m_holders.end()) return false;
        path.push_back(thread);
        path.push_back(resource);
        onPath.insert(thread);
        std::vector<ActorId> holders = h->second;
        std::sort(holders.begin(), holders.end());
        holders.erase(std::unique(holders.begin(), holders.end()), holders.end());
        for (ActorId holder : holders) {
            if (holder == start) return true;
            if (onPath.count(holder) || dead.count(holder)) continue;
            if (visit(holder)) return true;
        }
        path.pop_back();
        path.pop_back();
        onPath.erase(thread);
        dead.insert(thread);
        return false;
    };
    if (visit(start)) return path;
    return std::nullopt;
}

std::optional<std::vector<ActorId>> WaitForGraph::findCycleFrom(ActorId thread) const
{
    std::lock_guard lock(m_mutex);
    return findCycleLocked(thread);
}

std::optional<std::vector<ActorId>> WaitForGraph::findAnyCycle() const
{
    std::lock_guard lock(m_mutex);
    std::vector<ActorId> threads;
    for (const auto& [t, _] : m_waits) threads.push_back(t);
    std::sort(threads.begin(), threads.end());
    for (ActorId t : threads)
        if (auto c = findCycleLocked(t)) return c;
    return std::nullopt;
}

WaitForGraph::Snapshot WaitForGraph::snapshot() const
{
    std::lock_guard lock(m_mutex);
    Snapshot s;
    for (const auto& [r, hs] : m_holders)
        for (ActorId t : hs) s.holds.emplace_back(r, t);
    for (const auto& [t, w] : m_waits) s.waits.emplace_back(t, w.resource);
    std::sort(s.holds.begin(), s.holds.end());
    std::sort(s.waits.begin(), s.waits.end());
    return s;
}

} // namespace lockstep
