#include "lockstep/engine/WaitForGraph.h"

#include "lockstep/trace/TraceRecorder.h"

#include <algorithm>
#include <unordered_set>

namespace lockstep {

void WaitForGraph::setDeadlockCallback(DeadlockCallback cb)
{
    std::lock_guard lock(m_mutex);
    m_callback = std::move(cb);
}

void WaitForGraph::setRecorder(TraceRecorder* recorder)
{
    std::lock_guard lock(m_mutex);
    m_recorder = recorder;
}

std::string WaitForGraph::nameLocked(ActorId id) const
{
    return m_recorder ? m_recorder->actorName(id) : std::string();
}

int WaitForGraph::levelsLocked(ActorId resource, ActorId thread) const
{
    const auto it = m_holders.find(resource);
    return it == m_holders.end() ? 0 : static_cast<int>(std::count(it->second.begin(), it->second.end(), thread));
}

WaitForGraph::~WaitForGraph()
{
    for (auto& chunk : m_slots)
        delete[] chunk.load(std::memory_order_relaxed);
}

WaitForGraph::ThreadSlot* WaitForGraph::existingSlot(ActorId thread) const
{
    const std::size_t chunk = thread.value / kSlotChunk;
    if (!thread.valid() || chunk >= kSlotChunks) return nullptr;
    ThreadSlot* slots = m_slots[chunk].load(std::memory_order_acquire);
    return slots ? &slots[thread.value % kSlotChunk] : nullptr;
}

WaitForGraph::ThreadSlot* WaitForGraph::slotFor(ActorId thread)
{
    const std::size_t chunk = thread.value / kSlotChunk;
    if (!thread.valid() || chunk >= kSlotChunks) return nullptr;
    ThreadSlot* slots = m_slots[chunk].load(std::memory_order_acquire);
    if (!slots) {
        // Once per 1024 actors: the table's chunks never move, so readers need no lock.
        auto* fresh = new ThreadSlot[kSlotChunk];
        if (m_slots[chunk].compare_exchange_strong(slots, fresh, std::memory_order_acq_rel))
            slots = fresh;
        else
            delete[] fresh;
    }
    return &slots[thread.value % kSlotChunk];
}

int WaitForGraph::levelsOf(ActorId resource, ActorId thread) const
{
    ThreadSlot* slot = existingSlot(thread);
    if (!slot) return levelsLocked(resource, thread);
    slot->lock();
    const auto n = slot->levels(resource);
    slot->unlock();
    return static_cast<int>(n);
}

int WaitForGraph::addQuietHolder(ActorId resource, ActorId thread)
{
    ThreadSlot* slot = slotFor(thread);
    if (!slot || !m_firstHoldSeen.load(std::memory_order_acquire) || slot->failed.load(std::memory_order_relaxed))
        return -1;
    slot->lock();
    slot->held.push_back(HeldEntry { resource, false });
    const auto levels = slot->levels(resource);
    slot->unlock();
    return static_cast<int>(levels);
}

int WaitForGraph::removeQuietHolder(ActorId resource, ActorId thread)
{
    ThreadSlot* slot = existingSlot(thread);
    if (!slot) return -1;
    slot->lock();
    // The last hold of this resource: with recursion levels, the newest goes first.
    const auto it = slot->newest(resource);
    if (it == slot->held.rend() || it->published) {
        slot->unlock();
        return -1;
    }
    slot->held.erase(std::next(it).base());
    const auto levels = slot->levels(resource);
    slot->unlock();
    return static_cast<int>(levels);
}

void WaitForGraph::addHolder(ActorId resource, ActorId thread)
{
    ThreadSlot* slot = slotFor(thread);
    std::lock_guard lock(m_mutex);
    if (slot) {
        slot->lock();
        slot->held.push_back(HeldEntry { resource, true });
        slot->unlock();
    }
    addHolderLocked(resource, thread, slot != nullptr);
}

void WaitForGraph::addHolderLocked(ActorId resource, ActorId thread, bool listed)
{
    m_holders[resource].push_back(thread);
    ++m_heldBy[thread];
    m_failed.erase(thread); // it got something: what it gives back from now on is an ordinary release
    if (ThreadSlot* slot = existingSlot(thread)) slot->failed.store(false, std::memory_order_relaxed);
    if (!m_recorder) {
        m_firstHoldSeen.store(true, std::memory_order_release);
        return;
    }
    m_recorder->record(EventKind::HoldEdgeAdded, thread, resource,
        listed ? levelsOf(resource, thread) : levelsLocked(resource, thread));
    if (m_coffman[static_cast<std::size_t>(CoffmanCondition::NoPreemption)] == CoffmanStatus::Unmet)
        setCoffmanLocked(CoffmanCondition::NoPreemption, CoffmanStatus::Met, thread, resource,
            "only " + nameLocked(thread) + " can release " + nameLocked(resource) + ": nobody can take it away");
    m_firstHoldSeen.store(true, std::memory_order_release);
    updateLocked();
}

void WaitForGraph::removeHolder(ActorId resource, ActorId thread)
{
    if (ThreadSlot* slot = existingSlot(thread)) {
        slot->lock();
        // The last hold of this resource: with recursion levels, the newest goes first.
        auto it = slot->newest(resource);
        if (it != slot->held.rend()) {
            const bool published = it->published;
            slot->held.erase(std::next(it).base());
            const auto levels = slot->levels(resource);
            slot->unlock();
            std::lock_guard lock(m_mutex);
            if (published) {
                removeHolderLocked(resource, thread);
            } else if (m_recorder) {
                // A hold the graph never saw, released while someone contends for the lock.
                m_recorder->record(EventKind::HoldEdgeRemoved, thread, resource, levels);
                updateLocked();
            }
            return;
        }
        slot->unlock();
    }
    std::lock_guard lock(m_mutex);
    removeHolderLocked(resource, thread);
}

void WaitForGraph::removeHolderLocked(ActorId resource, ActorId thread)
{
    auto it = m_holders.find(resource);
    if (it == m_holders.end()) return;
    auto& v = it->second;
    // A Lock may be released by a thread other than its holder (CPython allows it): then drop the
    // oldest holder record.
    auto h = std::find(v.begin(), v.end(), thread);
    if (h == v.end()) h = v.begin();
    const ActorId holder = *h;
    v.erase(h);
    if (v.empty()) m_holders.erase(it);
    if (--m_heldBy[holder] <= 0) m_heldBy.erase(holder);
    if (holder != thread) {
        // Not the thread the caller named: take the hold off that holder's own list too.
        if (ThreadSlot* slot = existingSlot(holder)) {
            slot->lock();
            auto e = std::find_if(slot->held.rbegin(), slot->held.rend(),
                [&](const HeldEntry& x) { return x.resource == resource && x.published; });
            if (e != slot->held.rend()) slot->held.erase(std::next(e).base());
            slot->unlock();
        }
    }
    if (!m_recorder) return;
    m_recorder->record(EventKind::HoldEdgeRemoved, holder, resource,
        existingSlot(holder) ? levelsOf(resource, holder) : levelsLocked(resource, holder));
    if (const auto f = m_failed.find(holder); f != m_failed.end()
        && m_coffman[static_cast<std::size_t>(CoffmanCondition::NoPreemption)] != CoffmanStatus::Broken)
        setCoffmanLocked(CoffmanCondition::NoPreemption, CoffmanStatus::Broken, holder, resource,
            nameLocked(holder) + " gave " + nameLocked(resource) + " back after a failed timed acquire of "
                + nameLocked(f->second) + " (trylock): no preemption broken");
    updateLocked();
}

void WaitForGraph::publishLocked(ActorId thread, ActorId only)
{
    ThreadSlot* slot = existingSlot(thread);
    if (!slot) return;
    std::vector<ActorId> joined;
    slot->lock();
    for (HeldEntry& e : slot->held)
        if (!e.published && (!only.valid() || e.resource == only)) {
            e.published = true;
            joined.push_back(e.resource);
        }
    slot->unlock();
    for (ActorId resource : joined) {
        m_holders[resource].push_back(thread);
        ++m_heldBy[thread];
    }
}

void WaitForGraph::acquireFailed(ActorId thread, ActorId resource)
{
    std::lock_guard lock(m_mutex);
    publishLocked(thread);
    if (m_heldBy.contains(thread)) {
        m_failed[thread] = resource;
        if (ThreadSlot* slot = existingSlot(thread)) slot->failed.store(true, std::memory_order_relaxed);
    }
}

void WaitForGraph::addWait(ActorId thread, ActorId resource, bool timed, ActorId holder)
{
    std::vector<ActorId> cycle;
    DeadlockCallback cb;
    {
        std::lock_guard lock(m_mutex);
        // What the waiter holds (hold and wait, cycles through it) and who holds what it waits for.
        publishLocked(thread);
        if (holder.valid() && holder != thread) publishLocked(holder, resource);
        m_waits[thread] = WaitEdge{resource, timed};
        if (m_recorder) {
            m_recorder->record(EventKind::WaitEdgeAdded, thread, resource, timed ? 1 : 0);
            updateLocked();
        }
        if (timed || (!m_callback && !m_recorder)) return;
        auto found = findCycleLocked(thread);
        if (!found) return;
        cycle = std::move(*found);
        // Rotate so that the cycle starts at its lowest thread id: the same deadlock always reads
        // the same way, whichever thread closed it.
        std::size_t best = 0;
        for (std::size_t i = 0; i < cycle.size(); i += 2)
            if (cycle[i] < cycle[best]) best = i;
        std::rotate(cycle.begin(), cycle.begin() + static_cast<std::ptrdiff_t>(best), cycle.end());
        if (m_recorder && m_coffman[static_cast<std::size_t>(CoffmanCondition::CircularWait)] != CoffmanStatus::Met)
            recordCycleLocked(cycle);
        cb = m_callback;
    }
    if (cb) cb(cycle); // outside the mutex: the callback records events and may cancel the run
}

void WaitForGraph::recordCycleLocked(const std::vector<ActorId>& cycle)
{
    std::string text;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
        m_recorder->record(EventKind::CycleEdge, cycle[i], cycle[i + 1], static_cast<std::int64_t>(i / 2));
        text += nameLocked(cycle[i]) + " -> " + nameLocked(cycle[i + 1]) + " -> ";
        ++i;
    }
    text += nameLocked(cycle.front()) + ": every thread in the cycle waits for the next, without a timeout";
    m_cycle = cycle;
    setCoffmanLocked(CoffmanCondition::CircularWait, CoffmanStatus::Met, cycle[0], cycle[1], text);
}

void WaitForGraph::removeWait(ActorId thread)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_waits.find(thread);
    if (it == m_waits.end()) return;
    const ActorId resource = it->second.resource;
    m_waits.erase(it);
    if (!m_recorder) return;
    m_recorder->record(EventKind::WaitEdgeRemoved, thread, resource);
    if (std::find(m_cycle.begin(), m_cycle.end(), thread) != m_cycle.end()) {
        m_cycle.clear();
        setCoffmanLocked(CoffmanCondition::CircularWait, CoffmanStatus::Unmet, thread, resource,
            nameLocked(thread) + " no longer waits for " + nameLocked(resource) + ": the cycle is broken");
    }
    updateLocked();
}

void WaitForGraph::updateLocked()
{
    // The lowest waiting thread that shows each condition, so that the same state reads the same.
    std::optional<std::pair<ActorId, WaitEdge>> exclusive;
    std::optional<std::pair<ActorId, WaitEdge>> holding;
    for (const auto& [thread, wait] : m_waits) {
        if (m_holders.contains(wait.resource) && (!exclusive || thread < exclusive->first))
            exclusive.emplace(thread, wait);
        if (m_heldBy.contains(thread) && (!holding || thread < holding->first)) holding.emplace(thread, wait);
    }
    if (exclusive && m_coffman[static_cast<std::size_t>(CoffmanCondition::MutualExclusion)] != CoffmanStatus::Met) {
        const auto& [thread, wait] = *exclusive;
        std::vector<ActorId> holders = m_holders.at(wait.resource);
        setCoffmanLocked(CoffmanCondition::MutualExclusion, CoffmanStatus::Met, thread, wait.resource,
            nameLocked(thread) + " waits for " + nameLocked(wait.resource) + ", held by "
                + nameLocked(*std::min_element(holders.begin(), holders.end())) + ": one holder at a time");
    } else if (!exclusive
        && m_coffman[static_cast<std::size_t>(CoffmanCondition::MutualExclusion)] == CoffmanStatus::Met) {
        setCoffmanLocked(
            CoffmanCondition::MutualExclusion, CoffmanStatus::Unmet, {}, {}, "no thread waits for a held lock");
    }
    if (holding && m_coffman[static_cast<std::size_t>(CoffmanCondition::HoldAndWait)] != CoffmanStatus::Met) {
        const auto& [thread, wait] = *holding;
        ActorId held;
        for (const auto& [resource, holders] : m_holders)
            if (std::find(holders.begin(), holders.end(), thread) != holders.end() && (!held || resource < held))
                held = resource;
        setCoffmanLocked(CoffmanCondition::HoldAndWait, CoffmanStatus::Met, thread, wait.resource,
            nameLocked(thread) + " holds " + nameLocked(held) + " while it waits for " + nameLocked(wait.resource)
                + (wait.timed ? " (with a timeout)" : ""));
    } else if (!holding && m_coffman[static_cast<std::size_t>(CoffmanCondition::HoldAndWait)] == CoffmanStatus::Met) {
        setCoffmanLocked(
            CoffmanCondition::HoldAndWait, CoffmanStatus::Unmet, {}, {}, "no thread waits while holding a lock");
    }
}

void WaitForGraph::setCoffmanLocked(
    CoffmanCondition c, CoffmanStatus s, ActorId thread, ActorId resource, const std::string& reason)
{
    m_coffman[static_cast<std::size_t>(c)] = s;
    m_recorder->recordText(EventKind::Coffman, thread, reason, resource, coffmanEventValue(c, s));
}

CoffmanStatus WaitForGraph::coffman(CoffmanCondition c) const
{
    std::lock_guard lock(m_mutex);
    return m_coffman[static_cast<std::size_t>(c)];
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
    // And the holds that stayed in their thread's own list.
    for (std::size_t c = 0; c < kSlotChunks; ++c) {
        ThreadSlot* slots = m_slots[c].load(std::memory_order_acquire);
        if (!slots) continue;
        for (std::size_t i = 0; i < kSlotChunk; ++i) {
            ThreadSlot& slot = slots[i];
            slot.lock();
            for (const HeldEntry& e : slot.held)
                if (!e.published)
                    s.holds.emplace_back(e.resource, ActorId(static_cast<std::uint32_t>(c * kSlotChunk + i)));
            slot.unlock();
        }
    }
    for (const auto& [t, w] : m_waits) s.waits.emplace_back(t, w.resource);
    std::sort(s.holds.begin(), s.holds.end());
    std::sort(s.waits.begin(), s.waits.end());
    return s;
}

} // namespace lockstep
