#include "lockstep/engine/RunContext.h"

#include "lockstep/engine/PyError.h"

#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <csignal>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <exception>
#include <cstdio>

namespace lockstep {

namespace {
struct ThreadBinding {
    RunContext* ctx = nullptr;
    ActorId actor;
};
thread_local ThreadBinding t_binding;
thread_local RunContext::BlockingHook* t_hook = nullptr;

bool isUntimedBlock(State s)
{
    return s == State::Blocked || s == State::Waiting || s == State::BlockedIo;
}
} // namespace

const char* runOutcomeName(RunOutcome o)
{
    switch (o) {
    case RunOutcome::Running: return "running";
    case RunOutcome::Completed: return "completed";
    case RunOutcome::Deadlocked: return "deadlocked";
    case RunOutcome::Stalled: return "stalled";
    case RunOutcome::Cancelled: return "cancelled";
    case RunOutcome::TimedOut: return "timed-out";
    case RunOutcome::Failed: return "failed";
    case RunOutcome::Limit: return "limit";
    case RunOutcome::Interrupted: return "interrupted";
    }
    return "unknown";
}

std::uint64_t processRssBytes()
{
    // statm: size resident shared text lib data dt, in pages. One small read: cheap enough for a
    // watchdog that looks every 10 ms.
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long long size = 0, resident = 0;
    const int n = std::fscanf(f, "%llu %llu", &size, &resident);
    std::fclose(f);
    if (n != 2) return 0;
    return static_cast<std::uint64_t>(resident) * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

RunContext::RunContext(RunOptions options) : m_options(options), m_gate(options.seed)
{
    m_recorder.setBudget(options.maxEvents, options.maxMemoryBytes);
    m_cancelFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    m_graph.setDeadlockCallback([this](const std::vector<ActorId>& cycle) { onDeadlock(cycle); });
    m_graph.setRecorder(&m_recorder);
    m_gate.setSettledPredicate([this](std::size_t parked) {
        // Every live thread is either parked at the gate or blocked/waiting/sleeping.
        std::lock_guard lock(m_mutex);
        std::size_t live = 0, stuck = 0;
        for (const auto& s : m_states) {
            if (!s.thread || s.state == State::Terminated) continue;
            ++live;
            if (s.state == State::Blocked || s.state == State::Waiting || s.state == State::BlockedIo ||
                s.state == State::Sleeping || s.state == State::Ready)
                ++stuck;
        }
        return parked + stuck >= live;
    });
}

RunContext::~RunContext()
{
    if (!m_threads.empty()) {
        cancel(RunOutcome::Cancelled);
        joinAll();
    }
    releaseOsResources();
    if (m_cancelFd >= 0) ::close(m_cancelFd);
}

ActorId RunContext::addActor(ActorKind kind, std::string name, ActorId parent)
{
    return m_recorder.registerActor(kind, std::move(name), parent);
}

ActorId RunContext::currentActor() { return t_binding.actor; }

RunContext* RunContext::current() { return t_binding.ctx; }

void RunContext::adoptCurrentThread(ActorId actor)
{
    t_binding.ctx = this;
    t_binding.actor = actor;
    std::lock_guard lock(m_mutex);
    if (m_states.size() <= actor.value) m_states.resize(actor.value + 1);
    m_states[actor.value].thread = true;
    m_states[actor.value].adopted = true;
    m_states[actor.value].state = State::Running;
}

ActorId RunContext::spawn(std::string name, std::function<void()> body, ActorId parent)
{
    const ActorId id = addActor(ActorKind::Thread, std::move(name), parent);
    {
        std::lock_guard lock(m_mutex);
        if (m_states.size() <= id.value) m_states.resize(id.value + 1);
        m_states[id.value].state = State::New;
        m_states[id.value].thread = true;
    }
    m_recorder.recordState(id, State::New);
    m_live.fetch_add(1);
    std::lock_guard lock(m_mutex);
    m_threads.emplace_back([this, id, body = std::move(body)] {
        t_binding.ctx = this;
        t_binding.actor = id;
        TraceRecorder::resetThreadLine();
        try {
            if (cancelled()) throw Cancelled();
            setState(id, State::Running);
            body();
        } catch (const Cancelled&) {
            // The run was cancelled: unwinding released what this thread held.
        } catch (const PyError& e) {
            // An exception escaping a Python thread: CPython prints it and the thread ends.
            m_recorder.recordText(EventKind::Error, id, e.type() + ": " + e.message(), {}, 0,
                                  TraceRecorder::threadLine());
            addError(m_recorder.actorName(id) + ": " + e.what());
        } catch (const std::exception& e) {
            // The engine itself broke: nothing the lesson shows can be trusted from here on, and
            // the other threads might wait forever for this one. Stop everything now.
            fail(id, e.what(), TraceRecorder::threadLine());
        } catch (...) {
            fail(id, "unknown exception", TraceRecorder::threadLine());
        }
        setState(id, State::Terminated);
        m_live.fetch_sub(1);
        m_gate.notifyStateChanged();
        t_binding = {};
    });
    return id;
}

void RunContext::joinAll()
{
    for (;;) {
        std::list<std::thread> threads;
        {
            std::lock_guard lock(m_mutex);
            threads.splice(threads.end(), m_threads);
        }
        if (threads.empty()) return;
        for (auto& t : threads)
            if (t.joinable()) t.join();
    }
}

State RunContext::stateOf(ActorId actor) const
{
    std::lock_guard lock(m_mutex);
    return actor.value < m_states.size() ? m_states[actor.value].state : State::New;
}

void RunContext::setState(ActorId actor, State state, ActorId target, bool timed, std::int32_t line)
{
    m_recorder.recordState(actor, state, target, line);
    {
        std::lock_guard lock(m_mutex);
        if (actor.value < m_states.size()) {
            auto& s = m_states[actor.value];
            const bool was = s.untimed;
            s.state = state;
            s.untimed = !timed && isUntimedBlock(state);
            if (was != s.untimed) {
                if (s.untimed) m_untimedBlocked.fetch_add(1);
                else m_untimedBlocked.fetch_sub(1);
            }
        }
    }
    m_progress.fetch_add(1);
    m_gate.notifyStateChanged();
}

RunContext::BlockingHook* RunContext::blockingHook() { return t_hook; }

RunContext::BlockingHookScope::BlockingHookScope(BlockingHook& hook) : m_previous(t_hook) { t_hook = &hook; }

RunContext::BlockingHookScope::~BlockingHookScope() { t_hook = m_previous; }

RunContext::BlockScope::BlockScope(RunContext& ctx, State state, ActorId target, bool timed, std::int32_t line)
    : m_ctx(ctx), m_actor(RunContext::currentActor()), m_hook(t_hook), m_uncaught(std::uncaught_exceptions())
{
    if (m_hook) m_released = m_hook->beginBlocking(state, target, timed, line);
    else m_ctx.setState(m_actor, state, target, timed, line);
}

RunContext::BlockScope::~BlockScope()
{
    if (m_hook) m_hook->endBlocking(m_released, std::uncaught_exceptions() > m_uncaught);
    else m_ctx.setState(m_actor, State::Running);
}

void RunContext::cancel(RunOutcome why)
{
    setOutcome(why);
    if (m_cancelled.exchange(true, std::memory_order_acq_rel)) return;
    m_recorder.stopAt(m_recorder.now());
    if (m_cancelFd >= 0) {
        const std::uint64_t one = 1;
        [[maybe_unused]] auto n = ::write(m_cancelFd, &one, sizeof one);
    }
    m_gate.cancel();
    // Held across the calls: a primitive being destroyed blocks in removeWakeable() until we are
    // done with it, so we never call into a dead object.
    std::lock_guard lock(m_wakeMutex);
    for (Wakeable* w : m_wakeables) w->wakeAll();
}

void RunContext::addWakeable(Wakeable* w)
{
    std::lock_guard lock(m_wakeMutex);
    m_wakeables.push_back(w);
}

void RunContext::removeWakeable(Wakeable* w)
{
    std::lock_guard lock(m_wakeMutex);
    m_wakeables.erase(std::remove(m_wakeables.begin(), m_wakeables.end(), w), m_wakeables.end());
}

namespace {
// The sleep's own waker, so that cancel interrupts a sleeping thread at once.
class SleepWaker final : public Wakeable {
public:
    void wakeAll() override
    {
        { std::lock_guard lock(mutex); }
        cv.notify_all();
    }
    std::mutex mutex;
    std::condition_variable cv;
};
} // namespace

void RunContext::sleepFor(std::chrono::nanoseconds d, std::int32_t line)
{
    const ActorId self = currentActor();
    m_gate.pass(self);
    throwIfCancelled();
    SleepWaker waker;
    addWakeable(&waker);
    {
        // time.sleep releases the GIL of a thread that has one (through its BlockingHook).
        const BlockScope sleeping(*this, State::Sleeping, {}, true, line);
        std::unique_lock lock(waker.mutex);
        waker.cv.wait_until(lock, std::chrono::steady_clock::now() + d, [&] { return cancelled(); });
    }
    removeWakeable(&waker);
    throwIfCancelled();
}

RunOutcome RunContext::outcome() const
{
    std::lock_guard lock(m_mutex);
    return m_outcome;
}

void RunContext::setOutcome(RunOutcome o)
{
    std::lock_guard lock(m_mutex);
    if (m_outcome == RunOutcome::Running) m_outcome = o;
}

std::vector<ActorId> RunContext::deadlockCycle() const
{
    std::lock_guard lock(m_mutex);
    return m_cycle;
}

void RunContext::onDeadlock(const std::vector<ActorId>& found)
{
    // The graph hands it over starting at its lowest thread id (and has recorded it as CycleEdges).
    const std::vector<ActorId>& cycle = found;
    std::string text;
    for (std::size_t i = 0; i < cycle.size(); ++i) {
        if (i) text += " -> ";
        text += m_recorder.actorName(cycle[i]);
    }
    {
        std::lock_guard lock(m_mutex);
        if (!m_cycle.empty()) return; // report the first deadlock only
        m_cycle = cycle;
    }
    m_deadlockTs.store(m_recorder.now());
    m_recorder.recordText(EventKind::Deadlock, cycle.front(), text, cycle.size() > 1 ? cycle[1] : ActorId{},
                          static_cast<std::int64_t>(cycle.size() / 2));
    if (m_options.endOnDeadlock && m_options.deadlockLinger.count() == 0) cancel(RunOutcome::Deadlocked);
    else setOutcome(RunOutcome::Deadlocked);
}

bool RunContext::pollDeadlock()
{
    const std::int64_t at = m_deadlockTs.load();
    if (at < 0 || !m_options.endOnDeadlock || cancelled()) return false;
    if (m_recorder.now() - at < std::chrono::nanoseconds(m_options.deadlockLinger).count()) return false;
    cancel(RunOutcome::Deadlocked);
    return true;
}

bool RunContext::checkStalled()
{
    // Stalled: every live thread waits without a timeout and nothing has moved for stallCheck.
    std::size_t live = m_live.load();
    const std::uint64_t progress = m_progress.load();
    const auto now = std::chrono::steady_clock::now();
    std::unique_lock lock(m_mutex);
    for (const ActorState& s : m_states)
        if (s.adopted && s.state != State::Terminated) ++live;
    if (live == 0 || m_untimedBlocked.load() < live || m_outcome != RunOutcome::Running) {
        m_stallProgress = ~std::uint64_t{0};
        return false;
    }
    if (progress != m_stallProgress) {
        m_stallProgress = progress;
        m_stallSince = now;
        return false;
    }
    if (now - m_stallSince < m_options.stallCheck) return false;
    lock.unlock();
    ActorId first;
    {
        std::lock_guard l(m_mutex);
        for (std::size_t i = 0; i < m_states.size(); ++i) {
            if (!m_states[i].untimed) continue;
            if (!first) first = ActorId(static_cast<std::uint32_t>(i));
        }
    }
    m_recorder.recordText(EventKind::Stalled, first, "every thread is waiting and none can wake another",
                          {}, static_cast<std::int64_t>(live));
    if (m_options.endOnDeadlock) cancel(RunOutcome::Stalled);
    else setOutcome(RunOutcome::Stalled);
    return true;
}

void RunContext::addError(std::string message)
{
    std::lock_guard lock(m_mutex);
    m_errors.push_back(std::move(message));
}

std::vector<std::string> RunContext::errors() const
{
    std::lock_guard lock(m_mutex);
    return m_errors;
}

void RunContext::fail(ActorId thread, std::string message, std::int32_t line)
{
    const std::string name = thread.valid() ? m_recorder.actorName(thread) : std::string("main");
    // Recorded before the cancel: the trace stops at the cancel and must still show the failure.
    m_recorder.recordText(EventKind::Error, thread, message, {}, 0, line);
    // The thread's body ended with the exception: it is done, not "running" on every view of the
    // stopped trace (the other threads stay where the failure found them).
    if (thread.valid()) m_recorder.recordState(thread, State::Terminated, {}, line);
    {
        std::lock_guard lock(m_mutex);
        m_errors.push_back(name + (line > 0 ? " (line " + std::to_string(line) + ")" : std::string()) + ": " +
                           message);
        if (!m_failure) m_failure = RunFailure{name, line, std::move(message)};
    }
    cancel(RunOutcome::Failed);
}

std::optional<RunFailure> RunContext::failure() const
{
    std::lock_guard lock(m_mutex);
    return m_failure;
}

int RunContext::trackFd(int fd)
{
    if (fd < 0) return fd;
    std::lock_guard lock(m_mutex);
    m_fds.insert(fd);
    return fd;
}

void RunContext::closeFd(int fd)
{
    if (fd < 0) return;
    {
        std::lock_guard lock(m_mutex);
        if (m_fds.erase(fd) == 0) return; // not ours (or already closed): never close a stranger's fd
    }
    ::close(fd);
}

std::size_t RunContext::openFdCount() const
{
    std::lock_guard lock(m_mutex);
    return m_fds.size();
}

void RunContext::trackChild(pid_t pid)
{
    std::lock_guard lock(m_mutex);
    m_children.push_back(pid);
}

int RunContext::reapChild(pid_t pid, bool block)
{
    int status = -1;
    pid_t r;
    do {
        r = ::waitpid(pid, &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == pid || (r < 0 && errno == ECHILD)) {
        std::lock_guard lock(m_mutex);
        m_children.erase(std::remove(m_children.begin(), m_children.end(), pid), m_children.end());
    }
    return r == pid ? status : -1;
}

void RunContext::restoreFdSoftLimitOnRelease(std::uint64_t soft)
{
    std::lock_guard lock(m_mutex);
    if (!m_fdSoftBefore) m_fdSoftBefore = soft;
}

void RunContext::releaseOsResources()
{
    std::unordered_set<int> fds;
    std::vector<pid_t> children;
    std::optional<std::uint64_t> soft;
    {
        std::lock_guard lock(m_mutex);
        fds.swap(m_fds);
        children.swap(m_children);
        soft.swap(m_fdSoftBefore);
    }
    for (int fd : fds) ::close(fd);
    if (soft) {
        // After the close: lowering the soft limit below an fd still open is allowed, but the
        // limit is the process's, and the next run (or the GUI) must find it as it was.
        rlimit rl{};
        if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > *soft)) {
            rl.rlim_cur = static_cast<rlim_t>(*soft);
            ::setrlimit(RLIMIT_NOFILE, &rl);
        }
    }
    for (pid_t pid : children) {
        ::kill(pid, SIGKILL);
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
}

} // namespace lockstep
