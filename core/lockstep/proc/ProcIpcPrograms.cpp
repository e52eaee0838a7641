#include "lockstep/proc/ProcIpcPrograms.h"

#include "lockstep/proc/ProcChildKit.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

namespace lockstep {

namespace {

using namespace childkit;

int g_pipe[2] = { -1, -1 }; // r, w: inherited by the child, as os.pipe() before os.fork()

void reportPair(ProcReport kind, int object, std::int64_t value, ProcLine line = kLineCount)
{
    report(kind, packPair(object, value), line);
}

// Bytes in the pipe now (FIONREAD works on either end).
int pipeLevel(int fd)
{
    int n = 0;
    return ::ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
}

void closeEnd(int& fd, int role, ProcLine line)
{
    ::close(fd);
    fd = -1;
    reportPair(kReportDetach, kObjPipe, role, line);
}

void makePipe()
{
    if (::pipe(g_pipe) != 0) exitNow(121, kLinePipe);
    reportPair(kReportAttach, kObjPipe, kRoleRead | kRoleWrite, kLinePipe);
    reportPair(kReportCapacity, kObjPipe, ::fcntl(g_pipe[1], F_GETPIPE_SZ), kLinePipe);
}

// --- pipe: main writes, the child reads ----------------------------------------------------------

int pipeReader(int /*index*/)
{
    reportPair(kReportAttach, kObjPipe, kRoleRead | kRoleWrite, kLineChildSide); // fork copied both ends
    closeEnd(g_pipe[1], kRoleWrite, kLineCloseWrite);
    sleepMs(g_self.plan->readerDelayMs);
    char buf[65536];
    std::int64_t total = 0;
    for (;;) {
        reportPair(kReportIoBegin, kObjPipe, kRoleRead, kLineRead);
        ssize_t n;
        do {
            n = ::read(g_pipe[0], buf, static_cast<std::size_t>(g_self.plan->chunkBytes));
        } while (n < 0 && errno == EINTR);
        report(kReportIoEnd, kObjPipe);
        if (n <= 0) break;
        total += n;
        reportPair(kReportLevel, kObjPipe, pipeLevel(g_pipe[0]), kLineRead);
        sleepMs(g_self.plan->readMs);
    }
    report(kReportEof, 0, kLineEof); // only the last write end closing makes read return b''
    report(kReportValue, total, kLineEof);
    return 0;
}

void pipeVariant(const ProcPlan& plan)
{
    makePipe();
    const pid_t child = forkChild(1, &pipeReader);
    closeEnd(g_pipe[0], kRoleRead, kLineCloseRead);
    static char chunk[65536];
    std::int64_t sent = 0, writingNs = 0;
    while (sent < plan.totalBytes) {
        const std::size_t n = static_cast<std::size_t>(
            plan.totalBytes - sent < plan.chunkBytes ? plan.totalBytes - sent : plan.chunkBytes);
        reportPair(kReportIoBegin, kObjPipe, kRoleWrite, kLineWrite);
        const std::int64_t t0 = monotonicNs();
        const bool ok = writeFull(g_pipe[1], chunk, n); // blocks while the pipe is full
        writingNs += monotonicNs() - t0;
        report(kReportIoEnd, kObjPipe);
        if (!ok) break;
        sent += static_cast<std::int64_t>(n);
        reportPair(kReportLevel, kObjPipe, pipeLevel(g_pipe[1]), kLineWrite);
    }
    report(kReportWriteNs, writingNs, kLineWrite);
    closeEnd(g_pipe[1], kRoleWrite, kLineSendEof); // the last write end: the reader gets EOF
    waitFor(child, kLineWait);
}

// --- pipe-no-close: the child writes, main reads but keeps its own write end --------------------

int pipeWriter(int /*index*/)
{
    reportPair(kReportAttach, kObjPipe, kRoleRead | kRoleWrite, kLineChildSide);
    closeEnd(g_pipe[0], kRoleRead, kLineCloseRead);
    static char chunk[65536];
    for (std::int64_t sent = 0; sent < g_self.plan->totalBytes; sent += g_self.plan->chunkBytes) {
        reportPair(kReportIoBegin, kObjPipe, kRoleWrite, kLineWrite);
        const bool ok = writeFull(g_pipe[1], chunk, static_cast<std::size_t>(g_self.plan->chunkBytes));
        report(kReportIoEnd, kObjPipe);
        if (!ok) return 1;
        reportPair(kReportLevel, kObjPipe, pipeLevel(g_pipe[1]), kLineWrite);
    }
    closeEnd(g_pipe[1], kRoleWrite, kLineCloseWrite);
    return 0;
}

void pipeNoClose(const ProcPlan& plan)
{
    makePipe();
    const pid_t child = forkChild(1, &pipeWriter);
    // The mistake: main never closes its copy of the write end, so the pipe always has a writer.
    char buf[65536];
    std::int64_t total = 0;
    for (;;) {
        reportPair(kReportIoBegin, kObjPipe, kRoleRead, kLineRead);
        // Python blocks here for ever; the lesson waits hang_ms, says so, and stops waiting.
        const bool readable = waitReadable(g_pipe[0], total >= plan.totalBytes ? plan.hangMs : -1);
        if (!readable) {
            report(kReportIoEnd, kObjPipe);
            report(kReportHang, plan.hangMs, kLineRead);
            break;
        }
        const ssize_t n = ::read(g_pipe[0], buf, sizeof buf);
        report(kReportIoEnd, kObjPipe);
        if (n == 0) {
            report(kReportEof, 0, kLineEof);
            break;
        }
        if (n > 0) {
            total += n;
            reportPair(kReportLevel, kObjPipe, pipeLevel(g_pipe[0]), kLineRead);
        }
    }
    report(kReportValue, total, kLineRead);
    closeEnd(g_pipe[1], kRoleWrite, kLineCloseWrite);
    closeEnd(g_pipe[0], kRoleRead, kLineCloseRead);
    waitFor(child, kLineWait);
}

// --- broken-pipe: nobody reads any more ----------------------------------------------------------

int goneReader(int /*index*/)
{
    reportPair(kReportAttach, kObjPipe, kRoleRead | kRoleWrite, kLineChildSide);
    closeEnd(g_pipe[1], kRoleWrite, kLineCloseWrite);
    closeEnd(g_pipe[0], kRoleRead, kLineCloseRead); // and exits without reading
    return 0;
}

void brokenPipe(const ProcPlan& /*plan*/)
{
    // CPython ignores SIGPIPE at start-up, so a write without readers fails with EPIPE, which
    // Python raises as BrokenPipeError, instead of killing the process.
    ::signal(SIGPIPE, SIG_IGN);
    makePipe();
    const pid_t child = forkChild(1, &goneReader);
    closeEnd(g_pipe[0], kRoleRead, kLineCloseRead);
    waitFor(child, kLineWait); // the last reader is gone
    static const char byte = 'x';
    reportPair(kReportIoBegin, kObjPipe, kRoleWrite, kLineWrite);
    const ssize_t n = ::write(g_pipe[1], &byte, 1);
    const int err = errno;
    report(kReportIoEnd, kObjPipe);
    if (n < 0 && err == EPIPE) report(kReportEpipe, 0, kLineEpipe);
    closeEnd(g_pipe[1], kRoleWrite, kLineCloseWrite);
}

// --- shared-counter ----------------------------------------------------------------------------

int counterWorker(int /*index*/)
{
    IpcShared& sh = *g_self.plan->shared;
    reportPair(kReportAttach, kObjCounter, kRoleRead | kRoleWrite, kLineIncrement);
    for (unsigned spins = 1; sh.go.load(std::memory_order_acquire) == 0; ++spins) {
        ::sched_yield();
        if ((spins & 0x3ff) == 0) exitIfAbandoned();
    }
    report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Work), kLineIncrement);
    volatile int pace = 0;
    for (long i = 0; i < g_self.plan->increments; ++i) {
        if (g_self.plan->useLock) ::pthread_mutex_lock(&sh.mutex);
        // v.value += 1 is a load, an add and a store, with bytecodes in between: another
        // process can store in the gap, and one of the two increments is lost.
        const long v = sh.counter;
        // The bytecodes between the load and the store (and around them) take CPython on the order
        // of 100 ns; the same stretch here keeps the window as wide as Python's.
        for (int k = 0; k < 64; ++k)
            pace = pace + k;
        sh.counter = v + 1;
        if (g_self.plan->useLock) ::pthread_mutex_unlock(&sh.mutex);
        if ((i & 0x3fff) == 0) exitIfAbandoned();
    }
    return 0;
}

void sharedCounter(const ProcPlan& plan)
{
    reportPair(kReportAttach, kObjCounter, kRoleRead | kRoleWrite, kLineFork);
    pid_t pids[32] = {};
    for (int i = 1; i <= plan.children; ++i)
        pids[i] = forkChild(i, &counterWorker);
    plan.shared->go.store(1, std::memory_order_release);
    for (int i = 1; i <= plan.children; ++i)
        waitFor(pids[i], kLineJoin);
    report(kReportValue, plan.shared->counter, kLinePrint);
}

// --- semaphore ---------------------------------------------------------------------------------

int semaphoreWorker(int /*index*/)
{
    IpcShared& sh = *g_self.plan->shared;
    reportPair(kReportAttach, kObjSemaphore, kRoleWait, kLineAcquire);
    for (int r = 0; r < g_self.plan->rounds; ++r) {
        reportPair(kReportIoBegin, kObjSemaphore, kRoleWait, kLineAcquire);
        while (::sem_wait(&sh.semaphore) != 0 && errno == EINTR) { }
        report(kReportIoEnd, kObjSemaphore);
        const int now = sh.inside.fetch_add(1) + 1;
        for (int seen = sh.maxInside.load(); now > seen && !sh.maxInside.compare_exchange_weak(seen, now);) { }
        report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Sleep), kLineInside);
        sleepMs(g_self.plan->holdMs);
        sh.inside.fetch_sub(1);
        report(kReportPhase, static_cast<std::int64_t>(ProcPhase::Work), kLineRelease);
        ::sem_post(&sh.semaphore);
    }
    return 0;
}

void semaphoreVariant(const ProcPlan& plan)
{
    reportPair(kReportCapacity, kObjSemaphore, plan.permits, kLineFork);
    pid_t pids[32] = {};
    for (int i = 1; i <= plan.children; ++i)
        pids[i] = forkChild(i, &semaphoreWorker);
    for (int i = 1; i <= plan.children; ++i)
        waitFor(pids[i], kLineJoin);
}

} // namespace

void runIpcVariant(const ProcPlan& plan)
{
    switch (plan.variant) {
    case ProcVariant::Pipe:
        pipeVariant(plan);
        break;
    case ProcVariant::PipeNoClose:
        pipeNoClose(plan);
        break;
    case ProcVariant::BrokenPipe:
        brokenPipe(plan);
        break;
    case ProcVariant::SharedCounter:
        sharedCounter(plan);
        break;
    case ProcVariant::Semaphore:
        semaphoreVariant(plan);
        break;
    case ProcVariant::Queue:
        runQueueVariant(plan);
        break;
    default:
        break;
    }
}

} // namespace lockstep
