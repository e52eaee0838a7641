#include "lockstep/proc/ProcPrograms.h"

#include "lockstep/proc/ChildChannel.h"
#include "lockstep/proc/ForkSafe.h"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace lockstep {

namespace {

// The process's own view, set again in every child right after fork(): each process of the tree
// has its copy. Globals because the SIGCHLD handler needs them too.
struct Self {
    const ProcPlan* plan = nullptr;
    const ChildChannel* channel = nullptr;
    pid_t pid = 0;
    pid_t parentAtFork = 0;
    int index = 0;
};
Self g_self;
volatile sig_atomic_t g_handlerCalls = 0;

void report(ProcReport kind, std::int64_t b = 0, ProcLine line = kLineCount)
{
    const std::int32_t l = line == kLineCount ? 0 : g_self.plan->lines[line];
    g_self.channel->report(kind, g_self.pid, b, l);
}

[[noreturn]] void exitNow(int code, ProcLine line)
{
    report(g_self.index == 0 ? kReportDone : kReportExiting, code, line);
    ::_exit(code);
}

std::int64_t monotonicNs()
{
    timespec ts {};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Waits up to `ms` (-1: for ever) for `fd` to become readable, or for Lockstep to be gone: a
// process of the tree lives only as long as Lockstep, which adopts the orphans, does. The
// lifeline pipe hangs up when Lockstep exits, however it ends; PR_SET_PDEATHSIG would instead kill
// the orphan the lesson shows. Returns true if `fd` became readable.
bool waitReadable(int fd, int ms)
{
    const std::int64_t end = ms < 0 ? 0 : monotonicNs() + std::int64_t { ms } * 1'000'000;
    for (;;) {
        pollfd fds[2] = { { g_self.plan->lifelineFd, POLLIN, 0 }, { fd, POLLIN, 0 } };
        int timeout = -1;
        if (ms >= 0) {
            const std::int64_t left = end - monotonicNs();
            if (left <= 0) return false;
            timeout = static_cast<int>((left + 999'999) / 1'000'000);
        }
        const int rc = ::poll(fds, fd >= 0 ? 2 : 1, timeout);
        if (rc < 0 && errno != EINTR) ::_exit(136);
        if (rc > 0 && fds[0].revents != 0) ::_exit(137); // Lockstep is gone
        if (rc > 0 && fd >= 0 && fds[1].revents != 0) return true;
        if (rc == 0 && ms >= 0 && end - monotonicNs() <= 0) return false;
    }
}

void exitIfAbandoned()
{
    waitReadable(-1, 0);
}

// time.sleep(): one sleep in the kernel (S), woken only if Lockstep goes away.
void sleepMs(int ms)
{
    waitReadable(-1, ms);
}

// CPU work: the process stays runnable (R) for `ms` of wall time.
void burnMs(int ms)
{
    const std::int64_t end = monotonicNs() + std::int64_t { ms } * 1'000'000;
    volatile std::uint64_t sink = 0;
    std::int64_t nextCheck = 0;
    for (std::int64_t now = monotonicNs(); now < end; now = monotonicNs()) {
        for (int i = 0; i < 1000; ++i)
            sink = sink + static_cast<std::uint64_t>(i);
        if (now >= nextCheck) {
            exitIfAbandoned();
            nextCheck = now + 10'000'000;
        }
    }
}

// os.fork(): the child becomes process `index` of the tree and runs `body`, which returns its
// exit code; the parent gets the child's pid back.
pid_t forkChild(int index, int (*body)(int index))
{
    const pid_t parent = g_self.pid;
    const pid_t pid = ::fork();
    if (pid < 0) exitNow(120, kLineFork); // EAGAIN: the lesson's caps keep far below RLIMIT_NPROC
    if (pid == 0) {
        g_self.pid = ::getpid();
        g_self.parentAtFork = parent;
        g_self.index = index;
        char name[16];
        processName(*g_self.plan, index, name, sizeof name);
        ::prctl(PR_SET_NAME, name);
        report(kReportHello, packPair(parent, index));
        exitIfAbandoned();
        report(kReportForkReturned, packPair(0, index), kLineChildSide);
        exitNow(body(index), kLineChildExit);
    }
    report(kReportForkReturned, packPair(pid, index), kLineFork);
    return pid;
}

int exitCodeOf(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// os.waitpid(pid, 0) (pid -1: os.wait()), reported before and after. Returns the pid reaped.
pid_t waitFor(pid_t pid, ProcLine line)
{
    report(kReportWaitBegin, pid, line);
    int status = 0;
    pid_t got;
    do {
        got = ::waitpid(pid, &status, 0);
    } while (got < 0 && errno == EINTR);
    if (got > 0)
        report(kReportReaped, packPair(got, exitCodeOf(status)), line);
    else
        report(kReportWaitEmpty, -1, line);
    return got;
}

// --- fork-basics --------------------------------------------------------------------------------

long g_value = 0; // `value`: the child changes its copy of this page, the parent's stays

int forkBasicsChild(int /*index*/)
{
    g_value += 1;
    report(kReportValue, g_value, kLineChange);
    return 0;
}

void forkBasics(const ProcPlan& plan)
{
    g_value = plan.value;
    const pid_t pid = forkChild(1, &forkBasicsChild);
    waitFor(pid, kLineWait);
    report(kReportValue, g_value, kLinePrint);
}

// --- states ------------------------------------------------------------------------------------

int statesChild(int /*index*/)
{
    for (int r = 0; r < g_self.plan->rounds; ++r) {
        report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Work), kLineWork);
        burnMs(g_self.plan->workMs);
        report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Sleep), kLineSleep);
        sleepMs(g_self.plan->sleepMs);
    }
    return 0;
}

void states(const ProcPlan& plan)
{
    for (int i = 1; i <= plan.children; ++i)
        forkChild(i, &statesChild);
    for (int i = 1; i <= plan.children; ++i)
        waitFor(-1, kLineWait);
}

// --- zombie ------------------------------------------------------------------------------------

int zombieChild(int /*index*/)
{
    return g_self.plan->exitCode;
}

void zombie(const ProcPlan& plan)
{
    const pid_t pid = forkChild(1, &zombieChild);
    report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Linger), kLineLinger);
    sleepMs(plan.lingerMs);
    waitFor(pid, kLineWait);
}

// --- orphan ------------------------------------------------------------------------------------

int orphanChild(int /*index*/)
{
    // select() on a pidfd of the parent: readable once the parent has exited. From then on the
    // child is an orphan, and the kernel has handed it to the nearest subreaper.
    const int parent = openPidFd(g_self.parentAtFork);
    if (parent >= 0) {
        waitReadable(parent, -1);
        ::close(parent);
    }
    while (::getppid() == g_self.parentAtFork) // the reparenting is done by the time the parent is Z;
        sleepMs(1); // this loop is for kernels without pidfd
    report(kReportValue, ::getppid(), kLineGetppid);
    report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Sleep), kLineSleep);
    sleepMs(g_self.plan->orphanMs);
    return 0;
}

void orphan(const ProcPlan& plan)
{
    forkChild(1, &orphanChild);
    sleepMs(plan.parentMs);
    exitNow(0, kLineParentExit); // without waiting: the child outlives its parent
}

// --- wait --------------------------------------------------------------------------------------

int waitChild(int index)
{
    report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Sleep), kLineSleep);
    sleepMs(index * g_self.plan->workMs);
    return index;
}

void waitVariant(const ProcPlan& plan)
{
    pid_t pids[32] = {};
    for (int i = 1; i <= plan.children; ++i)
        pids[i] = forkChild(i, &waitChild);
    for (int i = 1; i <= plan.children; ++i)
        waitFor(pids[i], kLineWait);
}

// --- sigchld -----------------------------------------------------------------------------------

void onSigchld(int /*signo*/)
{
    const int savedErrno = errno;
    g_handlerCalls = g_handlerCalls + 1;
    report(kReportSignal, g_handlerCalls, kLineHandler);
    for (;;) {
        int status = 0;
        const pid_t got = ::waitpid(-1, &status, WNOHANG);
        if (got > 0)
            report(kReportReaped, packPair(got, exitCodeOf(status)), kLineHandler);
        else
            report(kReportWaitEmpty, got == 0 ? 0 : -1, kLineHandler);
        if (got <= 0 || !g_self.plan->loopInHandler) break;
    }
    errno = savedErrno;
}

int sigchldChild(int /*index*/)
{
    return 0;
}

void sigchld(const ProcPlan& plan)
{
    struct sigaction sa { };
    sa.sa_handler = &onSigchld;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGCHLD, &sa, nullptr);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    ::sigprocmask(SIG_BLOCK, &chld, nullptr);
    report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Blocked), kLineBlock);

    pid_t pids[32] = {};
    for (int i = 1; i <= plan.children; ++i)
        pids[i] = forkChild(i, &sigchldChild);
    // Every child has exited (and stays waitable: WNOWAIT looks without reaping) while SIGCHLD is
    // blocked, so the kernel holds one pending SIGCHLD for all of them: standard signals do not queue.
    for (int i = 1; i <= plan.children; ++i) {
        siginfo_t info {};
        while (::waitid(P_PID, static_cast<id_t>(pids[i]), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) { }
    }
    report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Unblocked), kLineUnblock);
    ::sigprocmask(SIG_UNBLOCK, &chld, nullptr); // the pending signal is delivered here, once
    report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Linger), kLineLinger);
    sleepMs(plan.lingerMs);
}

// --- pool --------------------------------------------------------------------------------------

int g_tasks[2] = { -1, -1 }; // task pipe: main writes task numbers, workers read them
int g_results[2] = { -1, -1 }; // result pipe: workers write {task, result}, main reads

struct TaskResult {
    std::int64_t task;
    std::int64_t result;
};

bool readFull(int fd, void* buf, std::size_t size)
{
    auto* p = static_cast<char*>(buf);
    std::size_t got = 0;
    while (got < size) {
        const ssize_t n = ::read(fd, p + got, size - got);
        if (n > 0)
            got += static_cast<std::size_t>(n);
        else if (n < 0 && errno == EINTR)
            continue;
        else
            return false;
    }
    return true;
}

bool writeFull(int fd, const void* buf, std::size_t size)
{
    for (;;) {
        // Records of 8 or 16 bytes are written whole (<= PIPE_BUF): workers never see half a task.
        const ssize_t n = ::write(fd, buf, size);
        if (n == static_cast<ssize_t>(size)) return true;
        if (n < 0 && errno == EINTR) continue;
        return false;
    }
}

int poolWorker(int /*index*/)
{
    ::close(g_tasks[1]);
    ::close(g_results[0]);
    for (;;) {
        std::int64_t task = -1;
        // Blocks (S) until main puts a task; the sentinel -1 (close()) or EOF ends the worker.
        if (!readFull(g_tasks[0], &task, sizeof task) || task < 0) break;
        report(kReportTask, task, kLineTaskGet);
        burnMs(g_self.plan->taskMs);
        const TaskResult r { task, task * task };
        if (!writeFull(g_results[1], &r, sizeof r)) return 1;
        report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Sleep), kLineTaskDone);
    }
    return 0;
}

void pool(const ProcPlan& plan)
{
    if (::pipe(g_tasks) != 0 || ::pipe(g_results) != 0) exitNow(121, kLineMap);
    pid_t pids[32] = {};
    for (int i = 1; i <= plan.children; ++i)
        pids[i] = forkChild(i, &poolWorker);
    ::close(g_tasks[0]);
    ::close(g_results[1]);
    report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Work), kLineMap);
    for (std::int64_t t = 0; t < plan.tasks; ++t)
        if (!writeFull(g_tasks[1], &t, sizeof t)) exitNow(122, kLineMap);
    for (int k = 0; k < plan.tasks; ++k) {
        TaskResult r {};
        if (!readFull(g_results[0], &r, sizeof r)) exitNow(123, kLineMap);
        report(kReportResult, packPair(r.task, r.result), kLineMap);
    }
    report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Close), kLineClose);
    for (int i = 1; i <= plan.children; ++i) {
        const std::int64_t sentinel = -1;
        writeFull(g_tasks[1], &sentinel, sizeof sentinel);
    }
    ::close(g_tasks[1]);
    report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Join), kLineJoin);
    for (int i = 1; i <= plan.children; ++i)
        waitFor(pids[i], kLineJoin);
    ::close(g_results[0]);
}

} // namespace

void processName(const ProcPlan& plan, int index, char* out, int size)
{
    if (size <= 0) return;
    const char* base = index == 0 ? "main" : plan.variant == ProcVariant::Pool ? "worker" : "child";
    int n = 0;
    for (const char* p = base; *p && n < size - 1; ++p)
        out[n++] = *p;
    if (index > 0 && plan.children > 1 && n < size - 3) {
        out[n++] = '-';
        if (index >= 10) out[n++] = static_cast<char>('0' + index / 10);
        out[n++] = static_cast<char>('0' + index % 10);
    }
    out[n] = '\0';
}

void runProcessesMain(const ProcPlan& plan, int reportFd, std::chrono::steady_clock::time_point runStart)
{
    unblockAllSignals();
    // main dies with Lockstep's thread that forked it; its children end themselves (exitIfAbandoned).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != plan.observer) ::_exit(127);
    ::setpgid(0, 0);
    closeFdsExcept(reportFd, plan.lifelineFd);
    ::signal(SIGPIPE, SIG_DFL);
    ::signal(SIGCHLD, SIG_DFL);
    ::prctl(PR_SET_NAME, "main");

    const ChildChannel channel(reportFd, runStart);
    g_self.plan = &plan;
    g_self.channel = &channel;
    g_self.pid = ::getpid();
    g_self.parentAtFork = plan.observer;
    g_self.index = 0;
    report(kReportHello, packPair(plan.observer, 0));

    switch (plan.variant) {
    case ProcVariant::ForkBasics:
        forkBasics(plan);
        break;
    case ProcVariant::States:
        states(plan);
        break;
    case ProcVariant::Zombie:
        zombie(plan);
        break;
    case ProcVariant::Orphan:
        orphan(plan);
        break;
    case ProcVariant::Wait:
        waitVariant(plan);
        break;
    case ProcVariant::Sigchld:
        sigchld(plan);
        break;
    case ProcVariant::Pool:
        pool(plan);
        break;
    }
    exitNow(0, kLineCount);
}

} // namespace lockstep
