// Names of the trace vocabulary: used by the Chrome trace export, the summary JSON and the views.
#include "lockstep/trace/ActorKind.h"
#include "lockstep/trace/EventKind.h"
#include "lockstep/trace/State.h"

#include <array>

namespace lockstep {

namespace {

constexpr std::array kActorKindNames{
    std::string_view("thread"), std::string_view("process"),  std::string_view("coroutine"),
    std::string_view("lock"),   std::string_view("rlock"),    std::string_view("condition"),
    std::string_view("semaphore"), std::string_view("event"), std::string_view("queue"),
    std::string_view("fd"),     std::string_view("gil"),      std::string_view("multiplexer"),
    std::string_view("pipe"),   std::string_view("shared-memory"), std::string_view("future"),
};
static_assert(kActorKindNames.size() == static_cast<std::size_t>(ActorKind::Future) + 1);

constexpr std::array kStateNames{
    std::string_view("new"),        std::string_view("ready"),         std::string_view("running"),
    std::string_view("blocked"),    std::string_view("waiting"),       std::string_view("sleeping"),
    std::string_view("blocked-io"), std::string_view("zombie"),        std::string_view("terminated"),
    std::string_view("GEN_CREATED"), std::string_view("GEN_RUNNING"),  std::string_view("GEN_SUSPENDED"),
    std::string_view("GEN_CLOSED"), std::string_view("free"),          std::string_view("held"),
    std::string_view("fd-idle"),    std::string_view("fd-readable"),   std::string_view("fd-writable"),
    std::string_view("fd-hangup"),
};
static_assert(kStateNames.size() == kStateCount);

constexpr std::array kEventKindNames{
    std::string_view("actor_created"), std::string_view("state"),      std::string_view("line"),
    std::string_view("say"),           std::string_view("error"),      std::string_view("mark"),
    std::string_view("acquire_request"), std::string_view("acquired"), std::string_view("acquire_timed_out"),
    std::string_view("released"),      std::string_view("wait_begin"), std::string_view("wait_end"),
    std::string_view("notify"),        std::string_view("waiter_allocated"), std::string_view("waiter_queued"),
    std::string_view("waiter_released"), std::string_view("put"),      std::string_view("get"),
    std::string_view("deadlock"),      std::string_view("stalled"),
    std::string_view("gil_request"),   std::string_view("gil_taken"),  std::string_view("gil_drop_request"),
    std::string_view("gil_dropped"),
    std::string_view("fork"),          std::string_view("exit"),       std::string_view("reap"),
    std::string_view("fd_ready"),      std::string_view("mux_wait_begin"), std::string_view("mux_wait_end"),
    std::string_view("mux_scan"),      std::string_view("io_read"),    std::string_view("io_write"),
    std::string_view("gen_send"),      std::string_view("gen_throw"),  std::string_view("gen_close"),
    std::string_view("gen_yield"),     std::string_view("gen_return"), std::string_view("gen_raise"),
    std::string_view("counter"),
    std::string_view("wait_edge_added"), std::string_view("wait_edge_removed"),
    std::string_view("hold_edge_added"), std::string_view("hold_edge_removed"),
    std::string_view("cycle_edge"),      std::string_view("coffman"),
    std::string_view("proc_stat"),       std::string_view("reparent"),
    std::string_view("object_capacity"), std::string_view("object_level"),
    std::string_view("object_attach"),   std::string_view("object_detach"),
};
static_assert(kEventKindNames.size() == static_cast<std::size_t>(EventKind::ObjectDetach) + 1);

} // namespace

std::string_view actorKindName(ActorKind kind) { return kActorKindNames[static_cast<std::size_t>(kind)]; }

bool isExecutor(ActorKind kind)
{
    return kind == ActorKind::Thread || kind == ActorKind::Process || kind == ActorKind::Coroutine;
}

std::string_view stateName(State state) { return kStateNames[static_cast<std::size_t>(state)]; }

std::optional<State> stateFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kStateNames.size(); ++i)
        if (kStateNames[i] == name) return static_cast<State>(i);
    return std::nullopt;
}

StateCategory stateCategory(State state)
{
    switch (state) {
    case State::Running:
    case State::GenRunning:
    case State::Held:
        return StateCategory::Running;
    case State::Ready:
    case State::New:
    case State::GenCreated:
    case State::GenSuspended:
    case State::FdReadable:
    case State::FdWritable:
        return StateCategory::Ready;
    case State::Blocked:
    case State::BlockedIo:
    case State::FdHangup:
        return StateCategory::Blocked;
    case State::Waiting:
        return StateCategory::Waiting;
    case State::Sleeping:
        return StateCategory::Sleeping;
    case State::Zombie:
        return StateCategory::Zombie;
    case State::Terminated:
    case State::GenClosed:
        return StateCategory::Done;
    case State::Free:
    case State::FdIdle:
        return StateCategory::Idle;
    }
    return StateCategory::Idle;
}

std::string_view eventKindName(EventKind kind) { return kEventKindNames[static_cast<std::size_t>(kind)]; }

std::optional<EventKind> eventKindFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kEventKindNames.size(); ++i)
        if (kEventKindNames[i] == name) return static_cast<EventKind>(i);
    return std::nullopt;
}

} // namespace lockstep
