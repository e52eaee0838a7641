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
    Pipe,         // a kernel pipe between processes (os.pipe, the pipe under multiprocessing.Queue)
    SharedMemory, // a MAP_SHARED page (multiprocessing.Value)
    Future,       // a concurrent.futures.Future (its states are Marks naming them)
};

[[nodiscard]] std::string_view actorKindName(ActorKind kind);
// Actors that run code (get a swimlane with execution states) as opposed to resources.
[[nodiscard]] bool isExecutor(ActorKind kind);

} // namespace lockstep
