#pragma once

#include "lockstep/engine/RunContext.h"
#include "lockstep/engine/Wakeable.h"
#include "lockstep/gil/GilCore.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace lockstep {

// The GIL of one modelled interpreter, instrumented: a GilCore (CPython's algorithm on a real
// mutex and condition variables) plus a Gil actor in the trace. Records GilRequest, GilDropRequest,
// GilTaken and GilDropped (actor = thread, target = the GIL) and the GIL's own state (Held with
// target = holder, or Free), in hand-over order. Thread states are left to the caller
// (PyThreadState), because they go through RunContext::setState, which must not be called with the
// GIL's mutex held. Cancellable: registered as a Wakeable, every wait ends with Cancelled.
//
// A disabled Gil models free-threaded CPython (3.13t, PYTHON_GIL=0): take() and drop() do nothing
// and the eval breaker only reports cancellation.
class Gil final : public Wakeable, private GilCore::Observer {
public:
    Gil(RunContext& ctx, std::chrono::nanoseconds switchInterval, bool enabled = true, std::string name = "GIL",
        ActorId parent = {});
    ~Gil() override;
    Gil(const Gil&) = delete;
    Gil& operator=(const Gil&) = delete;

    // take_gil(): blocks until `thread` holds the GIL. Throws Cancelled.
    void take(ActorId thread, std::int32_t line = 0);
    // drop_gil(): releases it; after a drop request, waits until another thread took it (forced
    // switching) unless the thread is exiting. Throws Cancelled (the GIL is dropped either way).
    void drop(ActorId thread, bool threadExits = false);

    [[nodiscard]] bool enabled() const { return m_enabled; }
    [[nodiscard]] ActorId id() const { return m_id; }
    [[nodiscard]] const std::atomic<std::uint32_t>& evalBreaker() const { return m_core.evalBreaker(); }
    [[nodiscard]] bool dropRequested() const { return m_core.dropRequested(); }
    // True when another thread than `thread` holds the GIL right now (a hint: it may change at once).
    [[nodiscard]] bool heldByOther(ActorId thread) const;
    // True when `thread` holds the GIL (exact for the calling thread asking about itself).
    [[nodiscard]] bool holds(ActorId thread) const { return m_core.holder() == token(thread); }
    [[nodiscard]] std::chrono::nanoseconds switchInterval() const { return m_core.interval(); }
    // Hand-overs from one thread to another (CPython's switch_number).
    [[nodiscard]] std::uint64_t switches() const { return m_core.switchNumber(); }
    [[nodiscard]] std::uint64_t dropRequests() const { return m_core.dropRequests(); }

    void wakeAll() override;

    static GilCore::Holder token(ActorId thread) { return static_cast<GilCore::Holder>(thread.value) + 1; }
    static ActorId actorOf(GilCore::Holder token) { return ActorId(static_cast<std::uint32_t>(token - 1)); }

private:
    void onWaitBegin(GilCore::Holder who) override;
    void onDropRequest(GilCore::Holder who) override;
    void onTaken(GilCore::Holder who, bool switched) override;
    void onDropped(GilCore::Holder who, bool requested) override;

    RunContext& m_ctx;
    const bool m_enabled;
    ActorId m_id;
    GilCore m_core;
};

} // namespace lockstep
