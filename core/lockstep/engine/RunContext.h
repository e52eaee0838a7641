#pragma once

#include "lockstep/engine/Cancelled.h"
#include "lockstep/engine/StepGate.h"
#include "lockstep/engine/WaitForGraph.h"
#include "lockstep/engine/Wakeable.h"
#include "lockstep/trace/TraceRecorder.h"

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

namespace lockstep {

// Limit: an event or memory budget was reached (the summary's `limit` says which); Interrupted:
// the process was asked to stop (SIGINT/SIGTERM, the window closed mid-run).
enum class RunOutcome : std::uint8_t {
    Running, Completed, Deadlocked, Stalled, Cancelled, TimedOut, Failed, Limit, Interrupted
};
[[nodiscard]] const char* runOutcomeName(RunOutcome o);

struct RunOptions {
    std::uint64_t seed = 1;
    std::chrono::milliseconds timeout{60'000};   // hard cap: lesson files cannot raise it above 60 s
    bool endOnDeadlock = true;                   // cancel the run once a deadlock / stall is detected
    std::chrono::milliseconds stallCheck{40};    // how long "every thread waits, nothing moves" must hold
    // How long a detected deadlock is left standing before the run is cancelled, so that the
    // timeline shows the threads really blocked. 0 = cancel at once; otherwise pollDeadlock()
    // (the runner's watchdog) cancels once it has passed.
    std::chrono::milliseconds deadlockLinger{0};
    // Budgets (0 = none): the run stops with outcome Limit once its trace would hold more events,
    // or the process (RSS) or the recorder's own allocations pass this many bytes.
    static constexpr std::uint64_t kDefaultMaxEvents = 20'000'000;
    static constexpr std::uint64_t kDefaultMaxMemoryBytes = std::uint64_t{1536} << 20; // 1.5 GiB
    std::uint64_t maxEvents = kDefaultMaxEvents;
    std::uint64_t maxMemoryBytes = kDefaultMaxMemoryBytes;
};

// What ended a failed run: the engine thread, the Python line it was at (0 = none) and the message.
struct RunFailure {
    std::string thread;
    std::int32_t line = 0;
    std::string message;
};

// Resident set size of this process in bytes (/proc/self/statm), 0 if unknown.
[[nodiscard]] std::uint64_t processRssBytes();

// Everything one run shares: the recorder, the step gate, the wait-for graph, cancellation, and
// ownership of every OS thread, fd and child process the run creates, so that nothing outlives it.
class RunContext {
public:
    explicit RunContext(RunOptions options = {});
    ~RunContext(); // cancels, joins, closes, reaps
    RunContext(const RunContext&) = delete;
    RunContext& operator=(const RunContext&) = delete;

    [[nodiscard]] const RunOptions& options() const { return m_options; }
    [[nodiscard]] TraceRecorder& recorder() { return m_recorder; }
    [[nodiscard]] StepGate& gate() { return m_gate; }
    [[nodiscard]] WaitForGraph& graph() { return m_graph; }

    // --- actors -------------------------------------------------------------------------------
    ActorId addActor(ActorKind kind, std::string name, ActorId parent = {});
    // The engine thread (actor) running on the calling OS thread, or invalid outside the engine.
    [[nodiscard]] static ActorId currentActor();
    [[nodiscard]] static RunContext* current();
    // Let the calling (non-engine) thread act as `actor` (e.g. the scenario's main thread). Until
    // it records Terminated it counts as a live thread for stall detection (a running main thread
    // can still wake the others), though not in liveThreads(), which the runner joins.
    void adoptCurrentThread(ActorId actor);

    // --- threads --------------------------------------------------------------------------------
    // Starts an OS thread running `body` as a new Thread actor: records New, Running, and
    // Terminated when the body returns or throws. Cancelled ends it quietly; a PyError ends only
    // that thread, as an exception escaping a Python thread does in CPython; any other exception
    // is an engine failure: recorded as an Error event, it cancels the whole run at once (Failed).
    ActorId spawn(std::string name, std::function<void()> body, ActorId parent = {});
    // Joins every spawned thread (cancelling first if `cancelFirst`).
    void joinAll();
    [[nodiscard]] std::size_t liveThreads() const { return m_live.load(); }

    // --- state bookkeeping used by every blocking primitive -----------------------------------------
    // Records actor's new state. Blocked/Waiting/BlockedIo with !timed count towards stall detection.
    void setState(ActorId actor, State state, ActorId target = {}, bool timed = false, std::int32_t line = 0);
    // A Python thread of a modelled interpreter with a GIL: every blocking call of the engine
    // (a lock, condition, event, semaphore or queue that must wait, a sleep) releases the GIL while
    // it blocks and takes it back afterwards, as CPython's Py_BEGIN/END_ALLOW_THREADS around them.
    // Installed per OS thread (BlockingHookScope); a thread without one just changes state.
    class BlockingHook {
    public:
        virtual ~BlockingHook() = default;
        // Enter `state` (waiting on `target`). Returns true when it let go of the GIL, which
        // endBlocking() then takes back. Called with no primitive's internal mutex held.
        virtual bool beginBlocking(State state, ActorId target, bool timed, std::int32_t line) = 0;
        // Back to Running. Never throws: when the run is cancelled while it waits for the GIL, the
        // thread goes on without it and its next engine call throws Cancelled. `unwinding`: an
        // exception is leaving the blocking call (the thread will not run Python code again).
        virtual void endBlocking(bool released, bool unwinding) noexcept = 0;
    };
    // The calling thread's hook (nullptr: none).
    [[nodiscard]] static BlockingHook* blockingHook();
    // RAII: installs a hook on the calling thread for its lifetime, then restores the previous one.
    class BlockingHookScope {
    public:
        explicit BlockingHookScope(BlockingHook& hook);
        ~BlockingHookScope();
        BlockingHookScope(const BlockingHookScope&) = delete;
        BlockingHookScope& operator=(const BlockingHookScope&) = delete;

    private:
        BlockingHook* m_previous;
    };
    // RAII: enter a blocking state now, go back to Running on scope exit (through the thread's
    // BlockingHook, if it has one).
    class BlockScope {
    public:
        BlockScope(RunContext& ctx, State state, ActorId target, bool timed, std::int32_t line = 0);
        ~BlockScope();
        BlockScope(const BlockScope&) = delete;
        BlockScope& operator=(const BlockScope&) = delete;

    private:
        RunContext& m_ctx;
        ActorId m_actor;
        BlockingHook* m_hook;
        bool m_released = false;
        int m_uncaught;
    };
    // The state last set for a thread actor (New for unknown ids). The event recording it is
    // already in the recorder when this reports it.
    [[nodiscard]] State stateOf(ActorId actor) const;
    // Monotonic counter bumped on every state change: "nothing moved" = unchanged.
    [[nodiscard]] std::uint64_t progress() const { return m_progress.load(); }

    // --- cancellation ----------------------------------------------------------------------------
    [[nodiscard]] bool cancelled() const { return m_cancelled.load(std::memory_order_acquire); }
    void throwIfCancelled() const
    {
        if (cancelled()) throw Cancelled();
    }
    void cancel(RunOutcome why = RunOutcome::Cancelled);
    // An eventfd that becomes readable on cancel: add it to poll/select/epoll sets.
    [[nodiscard]] int cancelFd() const { return m_cancelFd; }
    // Register before the first wait; unregister in the destructor of the MOST-DERIVED (final)
    // class, before its vtable changes: cancel() may be calling wakeAll() concurrently and
    // removeWakeable() waits for that to finish. wakeAll() must not call back into these two.
    void addWakeable(Wakeable* w);
    void removeWakeable(Wakeable* w);
    // Cancellable sleep of the calling engine thread (records Sleeping, then Running).
    void sleepFor(std::chrono::nanoseconds d, std::int32_t line = 0);
    // Waits on `cv` (with `lock` held) until pred() or cancel; throws Cancelled on cancel. The
    // primitive owning `cv` must be registered as a Wakeable so cancel can notify it.
    template <typename Pred>
    void wait(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, Pred pred)
    {
        cv.wait(lock, [&] { return cancelled() || pred(); });
        if (!pred()) throwIfCancelled();
    }
    // Same with a deadline; returns pred() (false = timed out).
    template <typename Pred>
    bool waitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                   std::chrono::steady_clock::time_point deadline, Pred pred)
    {
        const bool ok = cv.wait_until(lock, deadline, [&] { return cancelled() || pred(); });
        if (pred()) return true;
        throwIfCancelled();
        return ok;
    }

    // --- outcome ---------------------------------------------------------------------------------
    [[nodiscard]] RunOutcome outcome() const;
    void setOutcome(RunOutcome o); // first non-Running outcome wins
    // Deadlock found in the wait-for graph: cycle as [thread, resource, thread, resource, ...].
    [[nodiscard]] std::vector<ActorId> deadlockCycle() const;
    [[nodiscard]] std::int64_t deadlockTs() const { return m_deadlockTs.load(); }
    // Called by the run's watchdog: every live thread waits untimed and nothing moved for a while.
    bool checkStalled();
    // Cancels the run once a deadlock has been standing for options().deadlockLinger.
    bool pollDeadlock();
    void addError(std::string message);
    [[nodiscard]] std::vector<std::string> errors() const;
    // Records the failure (the first one is kept), adds it to errors() and cancels with Failed.
    void fail(ActorId thread, std::string message, std::int32_t line = 0);
    [[nodiscard]] std::optional<RunFailure> failure() const;

    // --- OS resources ----------------------------------------------------------------------------
    // Track an fd so the run closes it at the end even if the scenario does not. close() untracks.
    int trackFd(int fd);
    void closeFd(int fd);
    [[nodiscard]] std::size_t openFdCount() const;
    void trackChild(pid_t pid);
    // waitpid(pid) and untrack; returns the raw status (or -1).
    int reapChild(pid_t pid, bool block = true);
    // The run raised RLIMIT_NOFILE's soft limit from `soft`: releaseOsResources() puts it back
    // (the first value noted wins: it is the limit from before the run).
    void restoreFdSoftLimitOnRelease(std::uint64_t soft);
    // Close all tracked fds, SIGKILL and reap all tracked children, restore process-wide limits.
    void releaseOsResources();

private:
    void onDeadlock(const std::vector<ActorId>& cycle);

    RunOptions m_options;
    TraceRecorder m_recorder;
    StepGate m_gate;
    WaitForGraph m_graph;
    int m_cancelFd = -1;

    std::atomic<bool> m_cancelled{false};
    std::atomic<std::uint64_t> m_progress{0};
    std::atomic<std::size_t> m_live{0};
    std::atomic<std::size_t> m_untimedBlocked{0};
    std::atomic<std::int64_t> m_deadlockTs{-1};

    mutable std::mutex m_mutex; // guards everything below
    std::list<std::thread> m_threads;
    std::mutex m_wakeMutex; // guards m_wakeables; never held while taking m_mutex
    std::vector<Wakeable*> m_wakeables;
    std::unordered_set<int> m_fds; // a set: closing one of 30,000 fds must not cost a search
    std::vector<pid_t> m_children;
    std::vector<ActorId> m_cycle;
    std::vector<std::string> m_errors;
    std::optional<RunFailure> m_failure;
    std::optional<std::uint64_t> m_fdSoftBefore;
    RunOutcome m_outcome = RunOutcome::Running;
    std::uint64_t m_stallProgress = ~std::uint64_t{0};
    std::chrono::steady_clock::time_point m_stallSince{};
    struct ActorState {
        State state = State::New;
        bool untimed = false;
        bool thread = false;  // a thread (spawned or adopted), not a resource
        bool adopted = false; // an existing OS thread acting as this actor (adoptCurrentThread)
    };
    std::vector<ActorState> m_states; // by actor id (threads only)
};

} // namespace lockstep
