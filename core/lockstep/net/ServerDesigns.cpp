#include "lockstep/net/ServerDesigns.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/gil/PacedLoop.h"
#include "lockstep/net/Loopback.h"
#include "lockstep/proc/ForkSafe.h"
#include "lockstep/sync/Queue.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <stdexcept>
#include <vector>

namespace lockstep {

namespace {

// What a forked child adds to the machine's memory: its private pages. The rest of its resident
// set it shares with the parent under copy-on-write, and summing children's RSS would count the
// parent's memory once per child. 0 once the child is gone.
std::uint64_t childPrivateBytes(pid_t pid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/smaps_rollup", static_cast<int>(pid));
    std::FILE* f = std::fopen(path, "re");
    if (!f) return 0;
    std::uint64_t kb = 0;
    char line[256];
    while (std::fgets(line, sizeof line, f)) {
        unsigned long long v = 0;
        if (std::sscanf(line, "Private_Clean: %llu kB", &v) == 1
            || std::sscanf(line, "Private_Dirty: %llu kB", &v) == 1)
            kb += v;
    }
    std::fclose(f);
    return kb * 1024;
}

// Reads exactly n bytes, or returns false at EOF / error (a connection shut down on cancel).
bool readFull(int fd, char* buf, int n)
{
    int got = 0;
    while (got < n) {
        const ssize_t r = ::recv(fd, buf + got, static_cast<std::size_t>(n - got), 0);
        if (r > 0) got += static_cast<int>(r);
        else if (r < 0 && errno == EINTR) continue;
        else return false;
    }
    return true;
}

bool writeFull(int fd, const char* buf, int n)
{
    int sent = 0;
    while (sent < n) {
        const ssize_t r = ::send(fd, buf + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
        if (r > 0) sent += static_cast<int>(r);
        else if (r < 0 && errno == EINTR) continue;
        else return false;
    }
    return true;
}

int acceptOne(ServerRig& rig, int flags = 0)
{
    for (;;) {
        const int fd = ::accept4(rig.listenFd(), nullptr, nullptr, SOCK_CLOEXEC | flags);
        if (fd >= 0) {
            rig.opened(fd);
            return fd;
        }
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return -1; // EAGAIN (non-blocking), or EINVAL once stop() shut the socket down
    }
}

// --- the designs ---------------------------------------------------------------------------------

void iterative(ServerRig& rig)
{
    // One client at a time: the next waits in the listen backlog until this one has gone.
    while (!rig.stopping()) {
        int fd;
        {
            const RunContext::BlockScope accepting(rig.ctx(), State::BlockedIo, {}, true);
            fd = acceptOne(rig);
        }
        if (fd < 0) break;
        rig.serveConnection(fd);
    }
}

void threadPerClient(ServerRig& rig)
{
    int n = 0;
    while (!rig.stopping()) {
        int fd;
        {
            const RunContext::BlockScope accepting(rig.ctx(), State::BlockedIo, {}, true);
            fd = acceptOne(rig);
        }
        if (fd < 0) break;
        rig.threads(+1);
        rig.ctx().spawn("conn-" + std::to_string(++n), [&rig, fd] {
            rig.serveConnection(fd);
            rig.threads(-1);
        });
    }
}

void threadPool(ServerRig& rig)
{
    // The main thread accepts; pool_size threads, started up front, take connections from a queue
    // (the rig's: it outlives every thread of the run).
    Queue& connections = rig.connections();
    const int workers = rig.config().poolSize;
    for (int i = 0; i < workers; ++i) {
        rig.threads(+1);
        rig.ctx().spawn("pool-" + std::to_string(i + 1), [&rig, &connections] {
            for (;;) {
                const int fd = connections.get().get<int>();
                if (fd < 0) break;
                rig.serveConnection(fd);
            }
            rig.threads(-1);
        });
    }
    while (!rig.stopping()) {
        int fd;
        {
            const RunContext::BlockScope accepting(rig.ctx(), State::BlockedIo, {}, true);
            fd = acceptOne(rig);
        }
        if (fd < 0) break;
        connections.put(fd);
    }
    for (int i = 0; i < workers; ++i)
        connections.put(-1); // one sentinel per worker
}

void threadingTcpServer(ServerRig& rig)
{
    // socketserver.ThreadingTCPServer.serve_forever(): a selector with poll_interval = 0.5 s;
    // process_request starts a thread per connection.
    int n = 0;
    while (!rig.stopping()) {
        pollfd fds[2] = { { rig.listenFd(), POLLIN, 0 }, { rig.stopFd(), POLLIN, 0 } };
        int rc;
        {
            const RunContext::BlockScope selecting(rig.ctx(), State::BlockedIo, {}, true);
            rc = ::poll(fds, 2, 500);
        }
        if (rc <= 0 || fds[1].revents != 0) continue;
        const int fd = acceptOne(rig);
        if (fd < 0) continue;
        rig.threads(+1);
        rig.ctx().spawn("Thread-" + std::to_string(++n) + " (process_request_thread)", [&rig, fd] {
            rig.serveConnection(fd);
            rig.threads(-1);
        });
    }
}

// The forked child: serves one connection with system calls only, then _exit.
[[noreturn]] void childServe(int fd, int workUs)
{
    unblockAllSignals();
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // Only this connection: the clients live in this very process, and a copy of another
    // client's socket (or of another connection) held here would keep its peer from seeing EOF.
    closeFdsExcept(fd);
    char buf[kMessageBytes];
    while (readFull(fd, buf, kMessageBytes)) {
        burnMicros(workUs);
        if (!writeFull(fd, buf, kMessageBytes)) break;
    }
    ::_exit(0);
}

void forkPerClient(ServerRig& rig)
{
    std::set<pid_t> children;
    const auto reap = [&](bool block) {
        for (auto it = children.begin(); it != children.end();) {
            errno = 0;
            const int status = rig.ctx().reapChild(*it, block); // waitpid, and untracked once reaped
            if (status >= 0 || errno == ECHILD) {
                rig.reaped(*it);
                rig.processes(-1);
                it = children.erase(it);
            } else {
                ++it;
            }
        }
    };
    while (!rig.stopping()) {
        pollfd fds[2] = { { rig.listenFd(), POLLIN, 0 }, { rig.stopFd(), POLLIN, 0 } };
        int rc;
        {
            const RunContext::BlockScope accepting(rig.ctx(), State::BlockedIo, {}, true);
            rc = ::poll(fds, 2, 20); // wakes now and then to reap (os.waitpid(-1, WNOHANG))
        }
        reap(false);
        if (rc <= 0 || fds[1].revents != 0) continue;
        const int fd = acceptOne(rig);
        if (fd < 0) continue;
        const pid_t pid = ::fork();
        if (pid == 0) childServe(fd, rig.config().workUs);
        if (pid < 0) {
            rig.closed(fd);
            throw sysError("fork");
        }
        rig.ctx().trackChild(pid);
        rig.forked(pid);
        if (rig.ctx().cancelled()) ::kill(pid, SIGKILL); // forked as a cancel came in
        children.insert(pid);
        rig.processes(+1);
        rig.closed(fd); // the child has its own copy; the parent's goes
    }
    {
        const RunContext::BlockScope joining(rig.ctx(), State::Waiting, {}, true);
        reap(true);
    }
}

// Per-connection state of the one-thread designs.
struct Conn {
    char buf[kMessageBytes] = {};
    int got = 0;
};

// Reads what is there; serves a whole request. Returns false once the connection is over.
bool pump(ServerRig& rig, int fd, Conn& c, std::int64_t& eagain)
{
    for (;;) {
        const ssize_t r = ::recv(fd, c.buf + c.got, static_cast<std::size_t>(kMessageBytes - c.got), MSG_DONTWAIT);
        if (r > 0) {
            c.got += static_cast<int>(r);
            if (c.got < kMessageBytes) continue;
            burnMicros(rig.config().workUs);
            if (!writeFull(fd, c.buf, kMessageBytes)) return false;
            c.got = 0;
            continue;
        }
        if (r < 0 && errno == EINTR) continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            ++eagain;
            return true;
        }
        return false; // EOF or error
    }
}

void nonBlocking(ServerRig& rig)
{
    // Nothing ever blocks: the loop asks the listening socket and every connection in turn.
    ::fcntl(rig.listenFd(), F_SETFL, ::fcntl(rig.listenFd(), F_GETFL) | O_NONBLOCK);
    std::map<int, Conn> conns;
    std::int64_t eagain = 0;
    while (!rig.stopping()) {
        for (int fd; (fd = acceptOne(rig, SOCK_NONBLOCK)) >= 0;)
            conns[fd];
        for (auto it = conns.begin(); it != conns.end();) {
            if (pump(rig, it->first, it->second, eagain)) {
                ++it;
            } else {
                rig.closed(it->first);
                it = conns.erase(it);
            }
        }
        if ((++eagain & 0x3ff) == 0) rig.ctx().throwIfCancelled();
    }
    for (auto& [fd, c] : conns)
        rig.closed(fd);
}

void selectLoop(ServerRig& rig)
{
    std::map<int, Conn> conns;
    std::int64_t eagain = 0;
    while (!rig.stopping()) {
        fd_set set;
        FD_ZERO(&set);
        FD_SET(rig.listenFd(), &set);
        FD_SET(rig.stopFd(), &set);
        int top = std::max(rig.listenFd(), rig.stopFd());
        for (const auto& [fd, c] : conns) {
            FD_SET(fd, &set);
            top = std::max(top, fd);
        }
        int rc;
        {
            const RunContext::BlockScope selecting(rig.ctx(), State::BlockedIo, {}, true);
            rc = ::select(top + 1, &set, nullptr, nullptr, nullptr);
        }
        if (rc < 0 && errno != EINTR) throw sysError("select");
        if (rc <= 0) continue;
        if (FD_ISSET(rig.listenFd(), &set))
            if (const int fd = acceptOne(rig, SOCK_NONBLOCK); fd >= 0) conns[fd];
        for (auto it = conns.begin(); it != conns.end();) {
            if (!FD_ISSET(it->first, &set) || pump(rig, it->first, it->second, eagain)) {
                ++it;
            } else {
                rig.closed(it->first);
                it = conns.erase(it);
            }
        }
    }
    for (auto& [fd, c] : conns)
        rig.closed(fd);
}

void epollLoop(ServerRig& rig)
{
    const int ep = ::epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) throw sysError("epoll_create1");
    rig.ctx().trackFd(ep);
    const auto add = [&](int fd) {
        epoll_event ev {};
        ev.events = EPOLLIN;
        ev.data.fd = fd;
        ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    };
    add(rig.listenFd());
    add(rig.stopFd());
    std::map<int, Conn> conns;
    std::int64_t eagain = 0;
    epoll_event ready[64];
    while (!rig.stopping()) {
        int n;
        {
            const RunContext::BlockScope waiting(rig.ctx(), State::BlockedIo, {}, true);
            n = ::epoll_wait(ep, ready, 64, -1);
        }
        if (n < 0 && errno != EINTR) break;
        for (int i = 0; i < n; ++i) {
            const int fd = ready[i].data.fd;
            if (fd == rig.stopFd()) continue;
            if (fd == rig.listenFd()) {
                if (const int c = acceptOne(rig, SOCK_NONBLOCK); c >= 0) {
                    conns[c];
                    add(c);
                }
                continue;
            }
            const auto it = conns.find(fd);
            if (it != conns.end() && !pump(rig, fd, it->second, eagain)) {
                ::epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
                rig.closed(fd);
                conns.erase(it);
            }
        }
    }
    for (auto& [fd, c] : conns)
        rig.closed(fd);
    rig.ctx().closeFd(ep);
}

} // namespace

void burnMicros(int us)
{
    // clock_gettime is async-signal-safe: fork-per-client's children burn with this too.
    const std::int64_t end = PacedLoop::threadCpuNs() + std::int64_t { us } * 1000;
    volatile std::uint64_t sink = 0;
    while (PacedLoop::threadCpuNs() < end)
        for (int k = 0; k < 64; ++k)
            sink = sink + 1;
}

ServerRig::ServerRig(RunContext& ctx, const ServersConfig& cfg) : m_ctx(ctx), m_cfg(cfg)
{
    m_baseRss = processRssBytes(); // what the process held before this server started
    m_listen = m_ctx.trackFd(listenLoopback(128, m_port));
    m_stopFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_stopFd < 0) throw sysError("eventfd");
    m_ctx.trackFd(m_stopFd);
    m_ctx.addWakeable(this);
}

ServerRig::~ServerRig()
{
    m_ctx.removeWakeable(this);
    std::lock_guard lock(m_mutex);
    for (int fd : m_open)
        m_ctx.closeFd(fd);
    m_ctx.closeFd(m_stopFd);
    m_ctx.closeFd(m_listen);
}

Queue& ServerRig::connections()
{
    if (!m_connections) m_connections = std::make_unique<Queue>(m_ctx, "connections");
    return *m_connections;
}

void ServerRig::stop()
{
    m_stop = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(m_stopFd, &one, sizeof one);
    ::shutdown(m_listen, SHUT_RDWR); // a blocking accept() returns
}

void ServerRig::wakeAll()
{
    stop();
    std::lock_guard lock(m_mutex);
    for (int fd : m_open)
        ::shutdown(fd, SHUT_RDWR);
    for (pid_t pid : m_children)
        ::kill(pid, SIGKILL); // reaped by the fork server's loop, or by the run's end
}

void ServerRig::forked(pid_t pid)
{
    {
        std::lock_guard lock(m_mutex);
        m_children.insert(pid);
    }
    sampleChildren();
}

void ServerRig::reaped(pid_t pid)
{
    sampleChildren(); // the others' memory, before this one's count goes
    std::lock_guard lock(m_mutex);
    m_children.erase(pid);
}

void ServerRig::sampleChildren()
{
    std::vector<pid_t> children;
    {
        std::lock_guard lock(m_mutex);
        children.assign(m_children.begin(), m_children.end());
    }
    std::uint64_t bytes = 0;
    for (const pid_t pid : children)
        bytes += childPrivateBytes(pid);
    m_childrenBytes.store(bytes);
    sampleMemory();
}

void ServerRig::sampleMemory()
{
    const std::uint64_t total = processRssBytes() + m_childrenBytes.load();
    std::uint64_t seen = m_maxRss.load();
    while (total > seen && !m_maxRss.compare_exchange_weak(seen, total)) { }
    // A new peak, shown when it has grown by 1/32 since the last one shown: a few Counters per run.
    if (total <= seen) return;
    const std::uint64_t shown = m_shownRss.load();
    if (total >= shown + shown / 32) showPeakMemory();
}

void ServerRig::showPeakMemory()
{
    const ActorId lane = m_lane.load();
    if (!lane.valid()) return; // before the server's lane exists: setLane shows it
    const std::uint64_t peak = m_maxRss.load();
    if (m_shownRss.exchange(peak) == peak) return;
    TraceRecorder& rec = m_ctx.recorder();
    rec.record(EventKind::Counter, lane, {}, static_cast<std::int64_t>(peak / 1024), rec.intern("rss_kb"));
}

void ServerRig::setLane(ActorId lane)
{
    m_lane.store(lane);
    TraceRecorder& rec = m_ctx.recorder();
    rec.record(EventKind::Counter, lane, {}, m_threads.load(), rec.intern("threads"));
    rec.record(EventKind::Counter, lane, {}, m_processes.load(), rec.intern("processes"));
    rec.record(EventKind::Counter, lane, {}, m_fds.load(), rec.intern("fds"));
    // The memory as the server starts: the view's "+" is what serving added to it.
    m_shownRss.store(0);
    sampleMemory();
    showPeakMemory();
}

void ServerRig::change(std::atomic<int>& now, std::atomic<int>& peak, int delta, const char* name)
{
    const int v = now.fetch_add(delta) + delta;
    for (int seen = peak.load(); v > seen && !peak.compare_exchange_weak(seen, v);) { }
    TraceRecorder& rec = m_ctx.recorder();
    if (const ActorId lane = m_lane.load(); lane.valid()) rec.record(EventKind::Counter, lane, {}, v, rec.intern(name));
    sampleMemory();
}

void ServerRig::opened(int fd)
{
    {
        std::lock_guard lock(m_mutex);
        m_ctx.trackFd(fd);
        m_open.insert(fd);
    }
    if (m_stop.load()) ::shutdown(fd, SHUT_RDWR); // accepted as a cancel came in
    change(m_fds, m_maxFds, +1, "fds");
}

void ServerRig::closed(int fd)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_open.erase(fd) == 0) return;
        m_ctx.closeFd(fd);
    }
    change(m_fds, m_maxFds, -1, "fds");
}

bool ServerRig::serveOne(int fd)
{
    char buf[kMessageBytes];
    bool ok;
    {
        const RunContext::BlockScope reading(m_ctx, State::BlockedIo, {}, true);
        ok = readFull(fd, buf, kMessageBytes);
    }
    if (!ok) return false;
    burnMicros(m_cfg.workUs);
    return writeFull(fd, buf, kMessageBytes);
}

void ServerRig::serveConnection(int fd)
{
    while (!m_ctx.cancelled() && serveOne(fd)) { }
    closed(fd);
}

void runServerDesign(ServerDesign design, ServerRig& rig)
{
    switch (design) {
    case ServerDesign::Iterative:
        iterative(rig);
        break;
    case ServerDesign::ForkPerClient:
        forkPerClient(rig);
        break;
    case ServerDesign::ThreadPerClient:
        threadPerClient(rig);
        break;
    case ServerDesign::ThreadPool:
        threadPool(rig);
        break;
    case ServerDesign::ThreadingTcpServer:
        threadingTcpServer(rig);
        break;
    case ServerDesign::NonBlocking:
        nonBlocking(rig);
        break;
    case ServerDesign::Select:
        selectLoop(rig);
        break;
    case ServerDesign::Epoll:
        epollLoop(rig);
        break;
    }
}

} // namespace lockstep
