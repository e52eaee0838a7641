#include "lockstep/proc/ProcessPool.h"

#include "lockstep/proc/ForkSafe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace lockstep {

namespace {

// The child side, right after fork(). Only async-signal-safe calls until _exit.
[[noreturn]] void childEntry(int reportFd, int inheritFd, ProcessPool::ChildMain main, const void* arg,
    std::chrono::steady_clock::time_point runStart, pid_t parent)
{
    unblockAllSignals();
    // Die with the parent, so a crashed run cannot leave counting children behind.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    closeFdsExcept(reportFd, inheritFd); // stdio, the report pipe and what the program shares
    int status = 125;
    try {
        const ChildChannel channel(reportFd, runStart);
        status = main(channel, arg);
    } catch (...) {
        status = 126;
    }
    ::_exit(status);
}

} // namespace

ProcessPool::ProcessPool(RunContext& ctx, ActorId parentThread) : m_ctx(ctx), m_parent(parentThread)
{
}

ProcessPool::~ProcessPool()
{
    killAll();
    for (Child& c : m_children)
        closeFds(c);
}

std::size_t ProcessPool::add(std::string name)
{
    Child c;
    c.name = name;
    c.actor = m_ctx.addActor(ActorKind::Process, std::move(name), m_parent);
    m_ctx.recorder().recordState(c.actor, State::New, m_parent);
    m_children.push_back(std::move(c));
    return m_children.size() - 1;
}

void ProcessPool::start(std::size_t child, ChildMain main, const void* arg, std::int32_t line, int inheritFd)
{
    Child& c = m_children.at(child);
    if (c.pid > 0) throw std::logic_error("ProcessPool::start: " + c.name + " already started");
    m_ctx.gate().pass(m_parent);
    m_ctx.throwIfCancelled();

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    c.pipeFd = m_ctx.trackFd(fds[0]);
    const auto runStart = m_ctx.recorder().startTime();
    const pid_t parent = ::getpid();

    const pid_t pid = ::fork();
    if (pid == 0) childEntry(fds[1], inheritFd, main, arg, runStart, parent);
    const int forkErrno = errno;
    ::close(fds[1]);
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(forkErrno));
    c.pid = pid;
    m_ctx.trackChild(pid);
    ::fcntl(c.pipeFd, F_SETFL, ::fcntl(c.pipeFd, F_GETFL) | O_NONBLOCK);
    const int pidFd = openPidFd(pid);
    if (pidFd >= 0) c.pidFd = m_ctx.trackFd(pidFd);

    m_ctx.recorder().record(EventKind::Fork, m_parent, c.actor, pid, {}, line);
    m_ctx.recorder().recordState(c.actor, State::Running, {}, line);
}

void ProcessPool::closeFds(Child& c)
{
    if (c.pipeFd >= 0) m_ctx.closeFd(c.pipeFd);
    if (c.pidFd >= 0) m_ctx.closeFd(c.pidFd);
    c.pipeFd = -1;
    c.pidFd = -1;
}

void ProcessPool::drainPipe(std::size_t child)
{
    Child& c = m_children[child];
    while (c.pipeFd >= 0) {
        const ssize_t n = ::read(c.pipeFd, c.partial + c.partialBytes, sizeof(ChildRecord) - c.partialBytes);
        if (n > 0) {
            c.partialBytes += static_cast<std::size_t>(n);
            if (c.partialBytes == sizeof(ChildRecord)) {
                ChildRecord record;
                std::memcpy(&record, c.partial, sizeof record);
                c.partialBytes = 0;
                if (m_handler) m_handler(child, record);
            }
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        // EOF (every write end closed: the child is exiting) or an error: no more records.
        m_ctx.closeFd(c.pipeFd);
        c.pipeFd = -1;
        return;
    }
}

bool ProcessPool::checkExited(std::size_t child)
{
    Child& c = m_children[child];
    siginfo_t info;
    std::memset(&info, 0, sizeof info);
    // WNOWAIT: look, but leave the child waitable; it stays a zombie until join() reaps it.
    if (::waitid(P_PID, static_cast<id_t>(c.pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return false;
    if (info.si_pid != c.pid) return false;
    noteExit(child, info.si_code == CLD_EXITED ? info.si_status : -info.si_status);
    return true;
}

void ProcessPool::noteExit(std::size_t child, int exitCode)
{
    Child& c = m_children[child];
    if (c.exited) return;
    drainPipe(child); // whatever it wrote comes before its exit
    c.exited = true;
    c.exitCode = exitCode;
    c.exitTs = m_ctx.recorder().now();
    m_ctx.recorder().record(EventKind::Exit, c.actor, m_parent, exitCode);
    m_ctx.recorder().recordState(c.actor, State::Zombie, m_parent);
    if (c.pidFd >= 0) {
        m_ctx.closeFd(c.pidFd);
        c.pidFd = -1;
    }
}

bool ProcessPool::pumpOnce(int extraFd, bool blocked)
{
    std::vector<pollfd> fds;
    std::vector<std::size_t> owner; // child index per fd (SIZE_MAX for the cancel and extra fds)
    fds.push_back({ m_ctx.cancelFd(), POLLIN, 0 });
    owner.push_back(SIZE_MAX);
    if (extraFd >= 0) {
        fds.push_back({ extraFd, POLLIN, 0 });
        owner.push_back(SIZE_MAX);
    }
    bool needsTimeout = false;
    for (std::size_t i = 0; i < m_children.size(); ++i) {
        const Child& c = m_children[i];
        if (c.pid <= 0 || c.exited) continue;
        if (c.pipeFd >= 0) {
            fds.push_back({ c.pipeFd, POLLIN, 0 });
            owner.push_back(i);
        }
        if (c.pidFd >= 0) {
            fds.push_back({ c.pidFd, POLLIN, 0 });
            owner.push_back(i);
        } else {
            needsTimeout = true; // no pidfd: look for the exit now and then
        }
    }
    // The cancel fd covers cancellation; the timeout only serves kernels without pidfd.
    int rc;
    int err = 0;
    {
        std::optional<RunContext::BlockScope> waiting;
        // Counted as a timed wait: the children it waits for are processes, which the run's stall
        // detection does not see making progress.
        if (blocked) waiting.emplace(m_ctx, State::BlockedIo, ActorId {}, true);
        rc = ::poll(fds.data(), fds.size(), needsTimeout ? 10 : -1);
        err = errno;
    }
    if (rc < 0 && err != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(err));
    m_ctx.throwIfCancelled();
    const bool extraReady = extraFd >= 0 && fds[1].revents != 0;
    for (std::size_t k = extraFd >= 0 ? 2 : 1; k < fds.size(); ++k) {
        const std::size_t i = owner[k];
        if (fds[k].revents == 0 || m_children[i].exited) continue;
        if (fds[k].fd == m_children[i].pipeFd)
            drainPipe(i);
        else
            checkExited(i); // pidfd readable: the child has exited
    }
    if (needsTimeout) {
        for (std::size_t i = 0; i < m_children.size(); ++i) {
            const Child& c = m_children[i];
            if (c.pid > 0 && !c.exited && c.pidFd < 0) checkExited(i);
        }
    }
    return extraReady;
}

void ProcessPool::reap(std::size_t child)
{
    Child& c = m_children[child];
    const int status = m_ctx.reapChild(c.pid, true);
    int exitCode = c.exitCode;
    if (status >= 0) exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    if (!c.exited) noteExit(child, exitCode);
    c.reaped = true;
    c.exitCode = exitCode;
    c.reapTs = m_ctx.recorder().now();
    m_ctx.recorder().record(EventKind::Reap, m_parent, c.actor, exitCode);
    m_ctx.recorder().recordState(c.actor, State::Terminated, m_parent);
    closeFds(c);
}

int ProcessPool::join(std::size_t child, std::int32_t line)
{
    Child& c = m_children.at(child);
    if (c.pid <= 0) throw std::logic_error("ProcessPool::join: " + c.name + " was never started");
    m_ctx.gate().pass(m_parent);
    if (line > 0) m_ctx.recorder().record(EventKind::LineReached, m_parent, c.actor, 0, {}, line);
    while (!m_children[child].exited)
        pump();
    if (!m_children[child].reaped) reap(child);
    return m_children[child].exitCode;
}

void ProcessPool::killAll()
{
    for (std::size_t i = 0; i < m_children.size(); ++i) {
        Child& c = m_children[i];
        if (c.pid <= 0 || c.reaped) continue;
        if (!c.exited) ::kill(c.pid, SIGKILL);
        reap(i);
    }
}

} // namespace lockstep
