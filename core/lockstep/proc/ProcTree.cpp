#include "lockstep/proc/ProcTree.h"

#include "lockstep/proc/ForkSafe.h"
#include "lockstep/proc/ProcPrograms.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>

namespace lockstep {

namespace {

// PR_SET_CHILD_SUBREAPER is an attribute of the whole Lockstep process: held while any
// processes run is under way, and put back as it was when the last one ends.
class SubreaperHold {
public:
    static void acquire()
    {
        std::lock_guard lock(s_mutex);
        if (s_holders++ == 0) {
            int before = 0;
            ::prctl(PR_GET_CHILD_SUBREAPER, &before);
            s_before = before;
            if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
                --s_holders;
                throw std::runtime_error(std::string("prctl(PR_SET_CHILD_SUBREAPER): ") + std::strerror(errno));
            }
        }
    }
    static void release()
    {
        std::lock_guard lock(s_mutex);
        if (s_holders > 0 && --s_holders == 0) ::prctl(PR_SET_CHILD_SUBREAPER, s_before);
    }

private:
    static inline std::mutex s_mutex;
    static inline int s_holders = 0;
    static inline int s_before = 0;
};

int exitCodeOf(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

void sleepBriefly()
{
    const timespec ts { 0, 1'000'000 };
    ::nanosleep(&ts, nullptr);
}

} // namespace

ProcTree::ProcTree(RunContext& ctx, const ProcPlan& plan) : m_ctx(ctx), m_plan(plan)
{
    m_self = ::getpid();
    m_plan.observer = m_self;
    if (m_plan.variant == ProcVariant::SharedCounter || m_plan.variant == ProcVariant::Semaphore
        || m_plan.variant == ProcVariant::Queue)
        mapShared();
    m_results.resize(plan.variant == ProcVariant::Pool ? static_cast<std::size_t>(plan.tasks) : 0);
}

ProcTree::~ProcTree()
{
    try {
        abandon();
    } catch (...) {
        // Recording can fail only on allocation; the processes are gone either way.
    }
    for (auto& p : m_procs) {
        if (p->pidFd >= 0) m_ctx.closeFd(p->pidFd);
        p->pidFd = -1;
    }
    if (m_reportFd >= 0) m_ctx.closeFd(m_reportFd);
    if (m_lifelineFd >= 0) m_ctx.closeFd(m_lifelineFd);
    unmapShared(); // after the tree is gone: no process of it can be inside the mutex or sem_wait
    if (m_subreaper) SubreaperHold::release();
}

std::string ProcTree::nameOf(int index) const
{
    char name[16];
    processName(m_plan, index, name, sizeof name);
    return name;
}

std::int64_t ProcTree::stamp(std::int64_t ts)
{
    // Reports come stamped by their sender, samples by this thread: one buffer, in time order.
    m_lastTs = std::max(m_lastTs, ts);
    return m_lastTs;
}

void ProcTree::record(Event e)
{
    e.ts = stamp(e.ts);
    m_ctx.recorder().recordEvent(e);
}

ProcTree::Proc* ProcTree::find(pid_t pid)
{
    for (auto& p : m_procs)
        if (p->pid == pid) return p.get();
    return nullptr;
}

ActorId ProcTree::actorOfPid(pid_t pid)
{
    if (pid == m_self) return m_lockstep;
    const Proc* p = find(pid);
    return p ? p->actor : ActorId {};
}

ProcTree::Proc& ProcTree::procFor(pid_t pid, std::int64_t ts)
{
    if (Proc* p = find(pid)) return *p;
    throw std::logic_error("processes: report from unknown pid " + std::to_string(pid) + " at " + std::to_string(ts));
}

void ProcTree::setState(Proc& p, State s, ActorId target, std::int64_t ts, std::int32_t line)
{
    if (p.state == s && p.stateTarget == target) return;
    p.state = s;
    p.stateTarget = target;
    recordState(p.actor, s, target, ts, line);
}

void ProcTree::recordState(ActorId actor, State s, ActorId target, std::int64_t ts, std::int32_t line)
{
    Event e;
    e.ts = ts;
    e.kind = EventKind::StateChange;
    e.actor = actor;
    e.state = s;
    e.target = target;
    e.line = line;
    record(e);
}

void ProcTree::forkMain()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    m_reportFd = m_ctx.trackFd(fds[0]);
    int lifeline[2];
    if (::pipe2(lifeline, O_CLOEXEC) != 0) {
        ::close(fds[1]);
        throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    }
    m_lifelineFd = m_ctx.trackFd(lifeline[1]);
    m_plan.lifelineFd = lifeline[0];
    const auto runStart = m_ctx.recorder().startTime();
    m_lockstep = m_ctx.addActor(ActorKind::Process, "lockstep");
    {
        Event e;
        e.ts = m_ctx.recorder().now();
        e.kind = EventKind::StateChange;
        e.actor = m_lockstep;
        e.state = State::Waiting; // as a shell: it waits for its job and adopts orphans
        record(e);
        e.kind = EventKind::Counter; // its PID, which the process tree shows as main's PPID
        e.text = m_ctx.recorder().intern("pid");
        e.value = m_self;
        record(e);
    }

    const pid_t pid = ::fork();
    if (pid == 0) runProcessesMain(m_plan, fds[1], runStart);
    const int forkErrno = errno;
    ::close(fds[1]);
    ::close(lifeline[0]);
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(forkErrno));
    m_ctx.trackChild(pid);
    ::setpgid(pid, pid); // as main does itself: whichever runs first, the group exists before any grandchild
    m_mainPid = pid;
    ::fcntl(m_reportFd, F_SETFL, ::fcntl(m_reportFd, F_GETFL) | O_NONBLOCK);

    const std::int64_t ts = m_ctx.recorder().now();
    auto p = std::make_unique<Proc>();
    p->index = 0;
    p->pid = pid;
    p->name = nameOf(0);
    p->ppidInitial = p->ppidNow = m_self;
    p->actor = m_ctx.addActor(ActorKind::Process, p->name, m_lockstep);
    const int pidFd = openPidFd(pid);
    if (pidFd >= 0) p->pidFd = m_ctx.trackFd(pidFd);
    Event e;
    e.ts = ts;
    e.kind = EventKind::Fork;
    e.actor = m_lockstep;
    e.target = p->actor;
    e.value = pid;
    record(e);
    m_procs.push_back(std::move(p));
    setState(*m_procs.back(), State::Running, {}, ts);
}

void ProcTree::run()
{
    SubreaperHold::acquire();
    m_subreaper = true;
    forkMain();
    std::int64_t allGoneSince = -1;
    std::vector<pollfd> fds;
    for (;;) {
        fds.clear();
        fds.push_back({ m_ctx.cancelFd(), POLLIN, 0 });
        if (!m_reportEof) fds.push_back({ m_reportFd, POLLIN, 0 });
        for (const auto& p : m_procs)
            if (p->pidFd >= 0) fds.push_back({ p->pidFd, POLLIN, 0 });
        // 1 ms: the sampling period. Reports and exits wake it at once.
        const int rc = ::poll(fds.data(), fds.size(), 1);
        if (rc < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        m_ctx.throwIfCancelled();
        if (!m_reportEof) m_reportEof = !drainReports();
        const std::int64_t ts = m_ctx.recorder().now();
        sample(ts);
        for (const auto& pfd : fds) {
            if (pfd.revents == 0 || pfd.fd == m_reportFd || pfd.fd == m_ctx.cancelFd()) continue;
            // pidfd readable: that process has exited; sample() just saw it. Stop polling it.
            for (auto& p : m_procs)
                if (p->pidFd == pfd.fd) {
                    m_ctx.closeFd(p->pidFd);
                    p->pidFd = -1;
                }
        }
        reapOurs(ts);
        const bool allGone = std::all_of(m_procs.begin(), m_procs.end(), [](const auto& p) { return p->reaped; });
        if (!allGone) {
            allGoneSince = -1;
            continue;
        }
        // Every process of the tree holds the report pipe's write end: EOF means none is left.
        // Should some other process hold a copy, the tree is still over once all are reaped.
        if (m_reportEof) break;
        if (allGoneSince < 0)
            allGoneSince = ts;
        else if (ts - allGoneSince > 200'000'000)
            break;
    }
    const std::int64_t end = m_ctx.recorder().now();
    Event e;
    e.ts = end;
    e.kind = EventKind::StateChange;
    e.actor = m_lockstep;
    e.state = State::Terminated;
    record(e);
}

bool ProcTree::drainReports()
{
    for (;;) {
        const ssize_t n = ::read(m_reportFd, m_partial + m_partialBytes, sizeof(ChildRecord) - m_partialBytes);
        if (n > 0) {
            m_partialBytes += static_cast<std::size_t>(n);
            if (m_partialBytes == sizeof(ChildRecord)) {
                ChildRecord r;
                std::memcpy(&r, m_partial, sizeof r);
                m_partialBytes = 0;
                onRecord(r);
            }
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        return false; // EOF: every writer has exited
    }
}

void ProcTree::endWait(Proc& waiter, std::int64_t ts)
{
    waiter.waitingFor = 0;
    if (!waiter.waitEdge) return;
    Event e;
    e.ts = ts;
    e.kind = EventKind::WaitEdgeRemoved;
    e.actor = waiter.actor;
    e.target = waiter.waitEdge;
    record(e);
    waiter.waitEdge = {};
}

void ProcTree::sample(std::int64_t ts)
{
    for (auto& p : m_procs)
        sampleOne(*p, ts);
    sampleShared(ts);
    m_maxZombies = std::max(m_maxZombies, countZombies());
}

void ProcTree::sampleOne(Proc& p, std::int64_t ts)
{
    if (p.reaped) return;
    ProcSample s;
    if (!p.stat.isOpen() && !p.stat.open(p.pid))
        s.state = 0;
    else if (!p.stat.read(s))
        s.state = 0;
    // 'X' (dead) is the instant of reaping itself: ps never shows it, and the process is gone.
    if (s.state == 0 || s.state == 'X') {
        // Gone: reaped by its parent, whose report says so (and who) next.
        p.stat.close();
        if (!p.exited) noteExit(p, p.exitCode.value_or(0), ts);
        p.reaped = true;
        setState(p, State::Terminated, {}, ts);
        return;
    }
    if (s.state != p.letter) {
        p.letter = s.state;
        p.lettersSeen.push_back(s.state);
        Event e;
        e.ts = ts;
        e.kind = EventKind::ProcStat;
        e.actor = p.actor;
        e.value = s.state;
        record(e);
    }
    if (s.ppid != p.ppidNow && s.ppid > 0) {
        p.ppidNow = s.ppid;
        Event e;
        e.ts = ts;
        e.kind = EventKind::Reparent;
        e.actor = p.actor;
        e.target = actorOfPid(s.ppid);
        e.value = s.ppid;
        record(e);
    }
    const std::uint64_t dRun = s.runNs - std::min(s.runNs, p.runNs);
    const std::uint64_t dWait = s.waitNs - std::min(s.waitNs, p.waitNs);
    const bool hadSched = p.hasSched;
    p.runNs = s.runNs;
    p.waitNs = s.waitNs;
    p.hasSched = s.hasSchedstat;
    switch (s.state) {
    case 'R':
        // Runnable: running if it got more CPU than run-queue wait since the last sample.
        setState(p, hadSched && s.hasSchedstat && dWait > dRun ? State::Ready : State::Running, {}, ts);
        break;
    case 'S':
        if (p.waitingFor != 0)
            setState(p, State::Waiting, p.waitEdge, ts);
        else if (p.ioTarget.valid() && p.ioTarget == m_objects[kObjSemaphore].actor)
            setState(p, State::Blocked, p.ioTarget, ts);
        else if (p.ioTarget.valid())
            setState(p, State::BlockedIo, p.ioTarget, ts);
        else if (p.inPoolRead)
            setState(p, State::BlockedIo, {}, ts);
        else
            setState(p, State::Sleeping, {}, ts);
        break;
    case 'Z':
        if (!p.exited) noteExit(p, s.exitStatus >= 0 ? exitCodeOf(s.exitStatus) : 0, ts);
        break;
    default: // D (uninterruptible), T/t (stopped): not runnable, not of its own accord
        setState(p, State::Blocked, {}, ts);
        break;
    }
}

void ProcTree::mapShared()
{
    void* page = ::mmap(nullptr, sizeof(IpcShared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) throw std::runtime_error(std::string("mmap(MAP_SHARED): ") + std::strerror(errno));
    m_shared = new (page) IpcShared;
    pthread_mutexattr_t attr;
    ::pthread_mutexattr_init(&attr);
    ::pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    ::pthread_mutex_init(&m_shared->mutex, &attr);
    ::pthread_mutexattr_destroy(&attr);
    // The queue's BoundedSemaphore(maxsize) counts its free slots.
    const int initial = m_plan.variant == ProcVariant::Queue ? m_plan.maxsize : m_plan.permits;
    ::sem_init(&m_shared->semaphore, 1, static_cast<unsigned>(initial));
    m_plan.shared = m_shared;
}

void ProcTree::unmapShared()
{
    if (!m_shared) return;
    ::sem_destroy(&m_shared->semaphore);
    ::pthread_mutex_destroy(&m_shared->mutex);
    m_shared->~IpcShared();
    ::munmap(m_shared, sizeof(IpcShared));
    m_shared = nullptr;
}

ProcTree::Object& ProcTree::object(int id)
{
    Object& o = m_objects[id];
    if (!o.actor.valid()) {
        static const char* const kNames[kObjCount] = { "pipe", "Value('i')", "Semaphore", "Queue._buffer" };
        static const ActorKind kKinds[kObjCount]
            = { ActorKind::Pipe, ActorKind::SharedMemory, ActorKind::Semaphore, ActorKind::Queue };
        const bool queue = m_plan.variant == ProcVariant::Queue;
        std::string name = kNames[id];
        if (id == kObjSemaphore)
            name = queue ? "Queue._sem(" + std::to_string(m_plan.maxsize) + ")"
                         : name + "(" + std::to_string(m_plan.permits) + ")";
        if (id == kObjPipe && queue) name = "Queue pipe";
        o.actor = m_ctx.addActor(kKinds[id], name, m_lockstep);
    }
    return o;
}

void ProcTree::recordObject(
    EventKind kind, int id, std::int64_t value, ActorId target, std::int64_t ts, std::int32_t line)
{
    Object& o = object(id);
    if (kind == EventKind::ObjectLevel) {
        o.level = value;
        o.maxLevel = std::max(o.maxLevel, value);
    }
    if (kind == EventKind::ObjectCapacity) o.capacity = value;
    Event e;
    e.ts = ts;
    e.kind = kind;
    e.actor = o.actor;
    e.target = target;
    e.value = value;
    e.line = line;
    record(e);
}

void ProcTree::sampleShared(std::int64_t ts)
{
    if (!m_shared) return;
    // Read straight from the page the processes share, as a debugger would look at it.
    if (m_plan.variant == ProcVariant::SharedCounter) {
        const long v = m_shared->counter;
        if (v != object(kObjCounter).level) recordObject(EventKind::ObjectLevel, kObjCounter, v, {}, ts);
    } else if (m_plan.variant == ProcVariant::Semaphore || m_plan.maxsize > 0) {
        const int capacity = m_plan.variant == ProcVariant::Queue ? m_plan.maxsize : m_plan.permits;
        int count = 0;
        ::sem_getvalue(&m_shared->semaphore, &count);
        if (object(kObjSemaphore).capacity < 0)
            recordObject(EventKind::ObjectCapacity, kObjSemaphore, capacity, {}, ts);
        if (count != object(kObjSemaphore).level) recordObject(EventKind::ObjectLevel, kObjSemaphore, count, {}, ts);
    }
}

void ProcTree::noteExit(Proc& p, int code, std::int64_t ts)
{
    p.exited = true;
    p.exitCode = code;
    // Exiting closes every fd the process still had: its ends of the pipe are gone now.
    for (int id = 0; id < kObjCount; ++id) {
        if (p.roles[id] == 0) continue;
        recordObject(EventKind::ObjectDetach, id, p.roles[id], p.actor, ts);
        p.roles[id] = 0;
    }
    Event e;
    e.ts = ts;
    e.kind = EventKind::Exit;
    e.actor = p.actor;
    e.target = actorOfPid(p.ppidNow);
    e.value = code;
    record(e);
    setState(p, State::Zombie, {}, ts);
}

void ProcTree::noteReaped(Proc& p, const std::string& by, ActorId reaper, int code, std::int64_t ts, std::int32_t line)
{
    const bool first = p.reapedBy.empty();
    if (first) p.reapedBy = by;
    p.exitCode = code;
    if (!first) return;
    if (!p.exited) noteExit(p, code, ts);
    Event e;
    e.ts = ts;
    e.kind = EventKind::Reap;
    e.actor = reaper;
    e.target = p.actor;
    e.value = code;
    e.line = line;
    record(e);
    p.reaped = true;
    p.stat.close();
    setState(p, State::Terminated, {}, ts);
}

void ProcTree::reapOurs(std::int64_t ts)
{
    for (auto& p : m_procs) {
        if (p->reaped || p->letter != 'Z' || p->ppidNow != m_self) continue;
        // main (as a shell reaps its job) or an orphan the kernel handed over.
        const int status = m_ctx.reapChild(p->pid, true);
        noteReaped(*p, "lockstep", m_lockstep, status >= 0 ? exitCodeOf(status) : p->exitCode.value_or(0), ts, 0);
    }
}

int ProcTree::countZombies() const
{
    int n = 0;
    for (const auto& p : m_procs)
        if (p->index > 0 && p->letter == 'Z' && !p->reaped) ++n;
    return n;
}

void ProcTree::abandon()
{
    if (m_abandoned) return;
    m_abandoned = true;
    killAndReapAll();
}

void ProcTree::killAndReapAll()
{
    if (m_mainPid <= 0) return;
    // The tree is main's process group: one kill reaches every member, orphans included.
    ::kill(-m_mainPid, SIGKILL);
    ::kill(m_mainPid, SIGKILL);
    const std::int64_t ts = m_ctx.recorder().now();
    timespec start {};
    ::clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        // As the subreaper Lockstep inherits every member whose parent died: reap them all.
        int status = 0;
        pid_t got;
        while ((got = ::waitpid(-m_mainPid, &status, WNOHANG)) > 0) {
            if (Proc* p = find(got)) noteReaped(*p, "lockstep", m_lockstep, exitCodeOf(status), ts, 0);
            m_ctx.reapChild(got, false); // untracks it (main)
        }
        Proc* mainProc = find(m_mainPid);
        if (mainProc && !mainProc->reaped) {
            const int st = m_ctx.reapChild(m_mainPid, false);
            if (st >= 0) noteReaped(*mainProc, "lockstep", m_lockstep, exitCodeOf(st), ts, 0);
        }
        const bool groupGone = ::kill(-m_mainPid, 0) < 0 && errno == ESRCH;
        if (groupGone && (!mainProc || mainProc->reaped)) break;
        timespec now {};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > 5) break; // RunContext's release still kills and reaps main
        sleepBriefly();
    }
    for (auto& p : m_procs) {
        if (p->reaped) continue;
        if (!p->exited) noteExit(*p, -SIGKILL, ts);
        p->reaped = true;
        p->stat.close();
        setState(*p, State::Terminated, {}, ts);
    }
}

} // namespace lockstep
