#pragma once

#include "lockstep/trace/Trace.h"

#include <cstdint>
#include <vector>

namespace lockstep::ui {

// The generator lesson at the cursor: each coroutine's generator state and line, each caller's
// line, every control transfer (send / throw / close from the caller, yield / return / raise back)
// with the value it carried, who has control now, and what was printed.
class GeneratorModel {
public:
    struct Transfer {
        std::int64_t ts = 0;
        EventKind kind = EventKind::GenSend;
        ActorId from;
        ActorId to;
        TextId value;
        std::int32_t line = 0;
    };
    struct Output {
        std::int64_t ts = 0;
        ActorId actor;
        TextId text;
        bool error = false;
    };

    void reset(const Trace&) {}
    void apply(const Trace& trace, const Event& e);

    [[nodiscard]] State stateOf(ActorId coroutine) const;     // GenCreated if none recorded
    [[nodiscard]] std::int32_t lineOf(ActorId actor) const;   // 0 = none
    [[nodiscard]] const std::vector<Transfer>& transfers() const { return m_transfers; }
    [[nodiscard]] const std::vector<Output>& output() const { return m_output; }
    [[nodiscard]] ActorId active() const { return m_active; } // who runs now (invalid before any transfer)
    // Actors taking part, in order of appearance: callers and coroutines.
    [[nodiscard]] const std::vector<ActorId>& actors() const { return m_actors; }

private:
    struct PerActor {
        State state = State::GenCreated;
        bool hasState = false;
        std::int32_t line = 0;
    };
    PerActor& slot(ActorId id);
    void note(ActorId id);

    std::vector<PerActor> m_perActor; // by actor id
    std::vector<Transfer> m_transfers;
    std::vector<Output> m_output;
    std::vector<ActorId> m_actors;
    ActorId m_active;
};

} // namespace lockstep::ui
