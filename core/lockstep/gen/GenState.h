#pragma once

#include "lockstep/trace/State.h"

#include <cstdint>
#include <string_view>

namespace lockstep::gen {

// inspect.getgeneratorstate(): the four states of a Python generator.
enum class GenState : std::uint8_t { Created, Running, Suspended, Closed };

[[nodiscard]] constexpr std::string_view genStateName(GenState s)
{
    switch (s) {
    case GenState::Created: return "GEN_CREATED";
    case GenState::Running: return "GEN_RUNNING";
    case GenState::Suspended: return "GEN_SUSPENDED";
    case GenState::Closed: return "GEN_CLOSED";
    }
    return "GEN_CLOSED";
}

// The trace's state for a generator's actor.
[[nodiscard]] constexpr State traceState(GenState s)
{
    switch (s) {
    case GenState::Created: return State::GenCreated;
    case GenState::Running: return State::GenRunning;
    case GenState::Suspended: return State::GenSuspended;
    case GenState::Closed: return State::GenClosed;
    }
    return State::GenClosed;
}

} // namespace lockstep::gen
