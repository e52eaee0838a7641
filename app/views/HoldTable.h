#pragma once

#include "lockstep/trace/Event.h"
#include "lockstep/trace/Trace.h"

#include <vector>

namespace lockstep::ui {

// Who holds which lock, rebuilt from Acquired / Released events. For Lock and RLock the events
// carry the lock's recursion count after the operation (an RLock's Condition.wait() drops and
// restores every level in one event), so the count is taken from there; for other primitives
// (semaphores) each Acquired / Released is one unit. A Lock may be released by a thread other
// than its holder (CPython allows it, and Condition.notify releases a waiter's lock that way),
// so a release by a non-holder frees the lock's current holder.
class HoldTable {
public:
    struct Hold {
        ActorId lock;
        ActorId thread;
        int count = 0;
        std::int64_t since = 0;
    };

    // Applies an Acquired / Released event; other kinds are ignored.
    void apply(const Trace& trace, const Event& e)
    {
        if (!e.actor.valid() || !e.target.valid()) return;
        if (e.kind != EventKind::Acquired && e.kind != EventKind::Released) return;
        const ActorInfo* info = trace.actor(e.target);
        const bool counted = info && (info->kind == ActorKind::Lock || info->kind == ActorKind::RLock);
        if (e.kind == EventKind::Acquired) acquired(e.actor, e.target, e.ts, counted ? static_cast<int>(e.value) : -1);
        else released(e.actor, e.target, counted ? static_cast<int>(e.value) : -1);
    }

    // `count` >= 1: the holder's count after the acquire; < 0: one more than before.
    void acquired(ActorId thread, ActorId lock, std::int64_t ts, int count = -1)
    {
        for (Hold& h : m_holds) {
            if (h.lock == lock && h.thread == thread) {
                h.count = count > 0 ? count : h.count + 1;
                return;
            }
        }
        if (count > 0) {
            // A Lock / RLock has one owner: a stale entry (a release we never saw) goes.
            std::erase_if(m_holds, [&](const Hold& h) { return h.lock == lock; });
        }
        m_holds.push_back({lock, thread, count > 0 ? count : 1, ts});
    }

    // `remaining` >= 0: the count left after the release; < 0: one less than before.
    void released(ActorId thread, ActorId lock, int remaining = -1)
    {
        auto it = m_holds.end();
        for (auto i = m_holds.begin(); i != m_holds.end(); ++i) {
            if (i->lock != lock) continue;
            if (i->thread == thread) {
                it = i;
                break;
            }
            if (it == m_holds.end()) it = i;
        }
        if (it == m_holds.end()) return;
        it->count = remaining >= 0 ? remaining : it->count - 1;
        if (it->count <= 0) m_holds.erase(it);
    }

    [[nodiscard]] const std::vector<Hold>& holds() const { return m_holds; }

    [[nodiscard]] std::vector<ActorId> holdersOf(ActorId lock) const
    {
        std::vector<ActorId> out;
        for (const Hold& h : m_holds)
            if (h.lock == lock) out.push_back(h.thread);
        return out;
    }

    [[nodiscard]] bool holds(ActorId thread, ActorId lock) const
    {
        for (const Hold& h : m_holds)
            if (h.lock == lock && h.thread == thread) return true;
        return false;
    }

    [[nodiscard]] std::vector<ActorId> heldBy(ActorId thread) const
    {
        std::vector<ActorId> out;
        for (const Hold& h : m_holds)
            if (h.thread == thread) out.push_back(h.lock);
        return out;
    }

    [[nodiscard]] bool isHeld(ActorId lock) const
    {
        for (const Hold& h : m_holds)
            if (h.lock == lock) return true;
        return false;
    }

private:
    std::vector<Hold> m_holds; // few locks per lesson: a flat list beats a map
};

} // namespace lockstep::ui
