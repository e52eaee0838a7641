#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lockstep {

// One state vocabulary for every actor. Executors (threads, processes, coroutines) use the
// execution states; resources (locks, the GIL, fds) use Free/Held and the fd readiness states.
enum class State : std::uint8_t {
    New,
    Ready,      // runnable, not running (for Python threads: waiting for the GIL)
    Running,
    Blocked,    // blocked on a lock / queue / semaphore (target says which)
    Waiting,    // waiting on a condition / event (target says which)
    Sleeping,
    BlockedIo,  // blocked in a system call on an fd / multiplexer
    Zombie,     // process exited, not yet reaped
    Terminated,
    // generator states (inspect.getgeneratorstate)
    GenCreated,
    GenRunning,
    GenSuspended,
    GenClosed,
    // resources
    Free,
    Held,
    FdIdle,
    FdReadable,
    FdWritable,
    FdHangup,
};

inline constexpr int kStateCount = static_cast<int>(State::FdHangup) + 1;

[[nodiscard]] std::string_view stateName(State state);           // "running", "blocked", ...
[[nodiscard]] std::optional<State> stateFromName(std::string_view name);

// The seven classroom categories every view colours by (see app/render/Palette).
enum class StateCategory : std::uint8_t { Running, Ready, Blocked, Waiting, Sleeping, Zombie, Done, Idle };
[[nodiscard]] StateCategory stateCategory(State state);

} // namespace lockstep
