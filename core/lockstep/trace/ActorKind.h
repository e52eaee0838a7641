#pragma once

#include <cstdint>
#include <string_view>

namespace lockstep {

enum class ActorKind : std::uint8_t {
    Thread,
    Process,
    Coroutine,
    Lock,
    RLock,
    Condition,
    Semaphore,
    SyncEvent,
    Queue,
    Fd,
    Gil,
    Multiplexer,
};

[[nodiscard]] std::string_view actorKindName(ActorKind kind);
// Actors that run code (get a swimlane with execution states) as opposed to resources.
[[nodiscard]] bool isExecutor(ActorKind kind);

} // namespace lockstep
