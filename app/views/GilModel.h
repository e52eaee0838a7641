#pragma once

#include "lockstep/trace/Trace.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lockstep::ui {

// The state of each GIL at the cursor, rebuilt from the GilRequest / GilTaken / GilDropRequest /
// GilDropped events and the threads' state changes: who holds it, who waits and since when, the
// drop request, switches so far and how long each thread has held it.
class GilModel {
public:
    static constexpr std::int64_t kDefaultIntervalNs = 5'000'000; // sys.getswitchinterval() default

    struct Member {
        ActorId thread;
        std::int64_t heldNs = 0; // completed holds
        std::int64_t requestTs = -1; // pending GilRequest, -1 = none
        State state = State::New;
        ActorId stateTarget;
        std::int64_t stateSince = 0;
    };
    struct Gil {
        ActorId id;
        ActorId holder;
        std::int64_t holderSince = 0;
        bool dropRequested = false; // a GilDropRequest after the last GilTaken
        ActorId dropRequester;
        std::int64_t dropRequestTs = 0;
        std::int64_t lastTakenTs = 0;
        std::uint64_t takes = 0;
        std::uint64_t switches = 0; // GilTaken by a thread other than the last holder (first take included)
        ActorId lastTaker;
        std::vector<Member> members; // threads that asked for it, in order of first request
    };

    void reset(const Trace&) { }
    void apply(const Trace& trace, const Event& e);

    [[nodiscard]] const std::vector<Gil>& gils() const { return m_gils; }
    [[nodiscard]] const Gil* gil(ActorId id) const;
    [[nodiscard]] std::int64_t intervalNs() const { return m_intervalNs; }
    [[nodiscard]] bool intervalFromTrace() const { return m_intervalKnown; }
    // The engine's "machine busy: ..." mark, once recorded: the run found fewer free cores than
    // the lesson's effect needs (GilProgram::noteMachine). Empty until then.
    [[nodiscard]] const std::string& machineNote() const { return m_machineNote; }
    // Threads waiting for `g` at the cursor: a pending request, or Ready with the GIL as target.
    // Oldest first.
    [[nodiscard]] std::vector<const Member*> waiters(const Gil& g) const;
    [[nodiscard]] std::int64_t heldNs(const Gil& g, const Member& m, std::int64_t now) const;

private:
    Gil& gilSlot(ActorId id);
    static Member& member(Gil& g, ActorId thread);

    std::vector<Gil> m_gils;
    std::int64_t m_intervalNs = kDefaultIntervalNs;
    bool m_intervalKnown = false;
    std::string m_machineNote;
};

} // namespace lockstep::ui
