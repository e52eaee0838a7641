#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace lockstep {

// CPython's GIL algorithm (Python/ceval_gil.c, 3.2 to 3.12) built from real primitives and nothing
// else: no recorder, no RunContext, no allocation. That keeps it usable inside a forked child of a
// multithreaded process, where each child runs its own interpreter with its own GIL.
//
//  * take(): while the GIL is held, wait on `cond` with a timeout of one switch interval. If the wait
//    timed out and no switch happened meanwhile (switch_number unchanged), set gil_drop_request.
//  * The holder polls the eval breaker (dropRequested()) on every turn of its eval loop and, when
//    it is set, calls drop() then take().
//  * drop(): clear `locked`, signal `cond`; with FORCE_SWITCHING, if a drop was requested, wait on
//    `switch_cond` until another thread has taken the GIL, so the dropper cannot simply win it back.
//
// Observer callbacks run with the GIL's mutex held, so events they record are in the same order as
// the hand-overs they describe. They must not block or call back into the GilCore.
class GilCore {
public:
    using Holder = std::uint64_t; // a thread token; 0 means "nobody"

    static constexpr std::uint32_t kDropRequestBit = 1; // gil_drop_request
    static constexpr std::uint32_t kCancelBit = 2; // the run was cancelled: unwind

    class Observer {
    public:
        virtual void onWaitBegin(Holder) { } // take() found the GIL held and starts waiting
        virtual void onDropRequest(Holder) { } // a waiter's timed wait expired: drop requested
        virtual void onTaken(Holder, bool /*switched*/) { }
        virtual void onDropped(Holder, bool /*requested*/) { }

    protected:
        ~Observer() = default;
    };

    // What take()/drop() report when they are interrupted by cancel().
    enum class Result : std::uint8_t { Ok, Cancelled };

    explicit GilCore(std::chrono::nanoseconds interval, Observer* observer = nullptr);
    GilCore(const GilCore&) = delete;
    GilCore& operator=(const GilCore&) = delete;

    [[nodiscard]] Result take(Holder me);
    // `mayWaitForSwitch` = false for a thread that is exiting (CPython drops with tstate == NULL
    // then, which skips the forced-switching wait).
    [[nodiscard]] Result drop(Holder me, bool mayWaitForSwitch = true);

    // The eval breaker: non-zero when the holder must leave its fast loop (drop request or cancel).
    // One relaxed load, as in CPython's eval loop.
    [[nodiscard]] const std::atomic<std::uint32_t>& evalBreaker() const { return m_evalBreaker; }
    [[nodiscard]] bool dropRequested() const
    {
        return (m_evalBreaker.load(std::memory_order_relaxed) & kDropRequestBit) != 0;
    }
    [[nodiscard]] bool cancelled() const { return m_cancelled.load(std::memory_order_acquire); }

    // Wakes every waiter; take()/drop() return Cancelled from now on.
    void cancel();

    [[nodiscard]] std::chrono::nanoseconds interval() const { return m_interval; }
    [[nodiscard]] std::uint64_t switchNumber() const { return m_switches.load(std::memory_order_relaxed); }
    [[nodiscard]] std::uint64_t dropRequests() const { return m_dropRequests.load(std::memory_order_relaxed); }
    [[nodiscard]] Holder holder() const { return m_holder.load(std::memory_order_relaxed); }

private:
    void setDropRequest();
    void resetDropRequest();

    const std::chrono::nanoseconds m_interval;
    Observer* const m_observer;

    std::atomic<std::uint32_t> m_evalBreaker { 0 };
    std::atomic<bool> m_cancelled { false };
    std::atomic<Holder> m_holder { 0 }; // for introspection only
    std::atomic<std::uint64_t> m_switches { 0 }; // mirror of m_switchNumber for readers
    std::atomic<std::uint64_t> m_dropRequests { 0 };

    std::mutex m_mutex; // gil->mutex: guards m_locked, m_switchNumber
    std::condition_variable m_cond; // gil->cond: signalled on every drop
    bool m_locked = false;
    std::uint64_t m_switchNumber = 0;

    std::mutex m_switchMutex; // gil->switch_mutex: guards m_lastHolder
    std::condition_variable m_switchCond; // gil->switch_cond: signalled on every take
    Holder m_lastHolder = 0;
};

} // namespace lockstep
