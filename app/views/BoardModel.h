#pragma once

#include "views/HoldTable.h"

#include "lockstep/trace/Trace.h"

#include <cstdint>
#include <unordered_set>
#include <vector>

namespace lockstep::ui {

// What the state board shows for each executor at the cursor: its state and since when, what it
// holds, what it waits for, the Python line it reached, what it last said and its last error.
class BoardModel {
public:
    struct Actor {
        State state = State::New;
        ActorId target;            // what a Blocked / Waiting / Ready / BlockedIo state waits for
        std::int64_t since = 0;    // when it entered `state`
        std::int32_t line = 0;     // last LineReached
        TextId said;               // last Say
        TextId error;              // last Error
        std::uint64_t changes = 0; // state changes so far (drives the card animation)
    };

    void reset(const Trace&) {}
    void apply(const Trace& trace, const Event& e);

    [[nodiscard]] const Actor& actor(ActorId id) const;
    [[nodiscard]] const HoldTable& holds() const { return m_holds; }
    // Locks held by `thread`, excluding Condition waiter locks (an implementation detail of wait()
    // that the condition view shows; on a card it would read "holds the lock it waits for").
    [[nodiscard]] std::vector<ActorId> locksHeldBy(ActorId thread) const;
    // GIL actors `thread` holds.
    [[nodiscard]] std::vector<ActorId> gilsHeldBy(ActorId thread) const;

private:
    Actor& slot(ActorId id);

    std::vector<Actor> m_actors; // by actor id
    HoldTable m_holds;
    std::vector<std::pair<ActorId, ActorId>> m_gilHolders; // (gil, holder)
    std::unordered_set<ActorId> m_waiterLocks;
};

} // namespace lockstep::ui
