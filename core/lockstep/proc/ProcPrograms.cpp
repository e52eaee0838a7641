#include "lockstep/proc/ProcPrograms.h"

#include "lockstep/proc/ForkSafe.h"
#include "lockstep/proc/ProcChildKit.h"
#include "lockstep/proc/ProcIpcPrograms.h"

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

using namespace childkit;

volatile sig_atomic_t g_handlerCalls = 0;

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
    const char* base = "child";
    switch (plan.variant) {
    case ProcVariant::Pool:
    case ProcVariant::SharedCounter:
    case ProcVariant::Semaphore:
        base = "worker";
        break;
    case ProcVariant::Pipe:
    case ProcVariant::BrokenPipe:
        base = "reader";
        break;
    case ProcVariant::PipeNoClose:
        base = "writer";
        break;
    default:
        break;
    }
    if (index == 0) base = "main";
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
    default:
        runIpcVariant(plan);
        break;
    }
    exitNow(0, kLineCount);
}

} // namespace lockstep
