#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lockstep {

enum class EventKind : std::uint16_t {
    ActorCreated,    // actor appeared (target = parent)
    StateChange,     // actor entered `state`; target = what it is blocked on / held by
    LineReached,     // actor reached `line` of the lesson's Python snippet
    Say,             // actor printed / spoke `text`
    Error,           // an exception in the modelled program (text = "TypeName: message")
    Mark,            // narration marker (text)

    // locks, conditions, semaphores, queues (actor = thread, target = primitive)
    AcquireRequest,
    Acquired,
    AcquireTimedOut,
    Released,
    WaitBegin,       // value = timeout in ns (-1 = none)
    WaitEnd,         // value = 1 notified, 0 timed out
    Notify,          // value = n requested; resulting wakeups follow as WaiterReleased
    WaiterAllocated, // Condition: per-waiter lock created (target = waiter lock, value = waiter thread id)
    WaiterQueued,
    WaiterReleased,
    Put,
    Get,

    // deadlock / stall detection (actor = detector or first thread; text = description)
    Deadlock,
    Stalled,

    // GIL (actor = thread, target = gil)
    GilRequest,
    GilTaken,
    GilDropRequest,
    GilDropped,

    // processes (actor = parent, target = child)
    Fork,
    Exit,            // actor = child, value = exit status
    Reap,

    // I/O (actor = fd or server thread)
    FdReady,         // actor = fd, value = poll-style mask (1 readable, 4 writable, 16 hangup)
    MuxWaitBegin,    // actor = server thread, target = multiplexer, value = fds handed to the kernel
    MuxWaitEnd,      // value = fds returned ready
    MuxScan,         // value = fds examined in user space after the wait
    IoRead,
    IoWrite,

    // generators (actor = caller or generator coroutine, target = the other side)
    GenSend,
    GenThrow,
    GenClose,
    GenYield,
    GenReturn,
    GenRaise,

    Counter,         // text = counter name, value = counter value

    // The engine's wait-for graph as it changes (core/lockstep/engine/WaitForGraph), recorded by the
    // graph itself so that every view and the summary read one truth (actor = thread, target = resource)
    WaitEdgeAdded,   // the thread now waits for the resource; value = 1 if timed (a timed wait ends by itself)
    WaitEdgeRemoved, // that wait ended (acquired, timed out or cancelled)
    HoldEdgeAdded,   // the thread holds the resource; value = levels it holds now
    HoldEdgeRemoved, // value = levels it still holds (0 = the edge is gone)
    CycleEdge,       // a cycle of untimed waits closed: step `value` (0-based) of it; its holder is the next step's thread
    Coffman,         // a Coffman condition changed: value = coffmanEventValue(condition, status), text = reason
    // Processes as the kernel shows them (actor = process): the process model of the course, read
    // from /proc/<pid>/stat rather than inferred (core/lockstep/proc)
    ProcStat,        // the `ps` STAT letter seen now: value = its character ('R', 'S', 'D', 'T', 'Z')
    Reparent,        // the process got a new parent: target = that parent's actor (invalid if not an actor), value = new PPID
    // Kernel objects between processes (actor = the object: a pipe, shared memory, a semaphore)
    ObjectCapacity,  // what the object can hold: bytes (pipe: F_GETPIPE_SZ), slots (semaphore: initial value)
    ObjectLevel,     // what it holds now: bytes in the pipe, the shared counter's value, the semaphore's count
    ObjectAttach,    // a process uses it: target = the process, value = role bits (1 reads, 2 writes, 4 waits/posts)
    ObjectDetach,    // that process closed its end / unmapped it: target = the process, value = the roles it dropped
};

[[nodiscard]] std::string_view eventKindName(EventKind kind);
[[nodiscard]] std::optional<EventKind> eventKindFromName(std::string_view name);

} // namespace lockstep
