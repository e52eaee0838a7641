#include "lockstep/proc/ProcChildKit.h"

#include "lockstep/proc/ForkSafe.h"
#include "lockstep/proc/ProcPrograms.h"

#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

namespace lockstep::childkit {

Self g_self;

void report(ProcReport kind, std::int64_t b, ProcLine line)
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

} // namespace lockstep::childkit
