// The I/O-bound modes of the gil engine: `io` (threads that compute, then wait on a device, with
// the GIL released while they wait) and `convoy` (an I/O thread beside a CPU-bound one: each
// answer waits for the switch interval, the convoy effect).

#include "lockstep/gil/GilProgram.h"
#include "lockstep/io/BlockingFd.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <stdexcept>

namespace lockstep {

namespace {

// What the rest of client()'s loop body (for, two perf_counter() calls, latency.append) costs
// CPython, in turns of the countdown: about 0.3 µs measured in situ on the reference machine.
constexpr std::int64_t kClientLoopTurns = 15;

// The first two cores the run may use; empty with fewer.
std::vector<int> twoCores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) != 0) return {};
    std::vector<int> cores;
    for (int c = 0; c < CPU_SETSIZE && cores.size() < 2; ++c)
        if (CPU_ISSET(c, &set)) cores.push_back(c);
    return cores.size() == 2 ? cores : std::vector<int> {};
}

// os.sched_setaffinity(0, {core}): on Linux, pid 0 is the calling thread. The thread is the
// run's own and ends with it, so the pin goes with it.
void pinThisThread(int core)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(core, &set);
    ::sched_setaffinity(0, sizeof set, &set);
}

} // namespace

void GilProgram::runIo()
{
    const auto n = static_cast<std::size_t>(m_cfg.threads);
    // One request pipe and one response pipe per thread; the device answers each request
    // io_ms later, like a disk or a remote service would.
    m_reqRead.resize(n);
    m_reqWrite.resize(n);
    m_respRead.resize(n);
    m_respWrite.resize(n);
    m_respFdActors.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        int req[2];
        int resp[2];
        if (::pipe2(req, O_CLOEXEC) != 0 || ::pipe2(resp, O_CLOEXEC) != 0)
            throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
        m_reqRead[i] = m_ctx.trackFd(req[0]);
        m_reqWrite[i] = m_ctx.trackFd(req[1]);
        m_respRead[i] = m_ctx.trackFd(resp[0]);
        m_respWrite[i] = m_ctx.trackFd(resp[1]);
        for (int fd : { req[0], req[1], resp[0], resp[1] })
            setNonBlocking(fd);
        m_respFdActors[i] = m_ctx.addActor(ActorKind::Fd, "pipe-" + std::to_string(i + 1));
        m_ctx.recorder().recordState(m_respFdActors[i], State::FdIdle);
    }
    m_deviceActor = m_ctx.spawn("device", [this] { deviceLoop(); });

    const std::int32_t work = m_lines.find("count(work)");
    const std::int32_t write = m_lines.find("os.write(req");
    const std::int32_t read = m_lines.find("os.read(resp");
    const std::int32_t start = m_lines.find("t.start()");
    prepareThreads(n);
    for (std::size_t i = 0; i < n; ++i) {
        m_ctx.recorder().record(EventKind::LineReached, m_mainActor, {}, 0, {}, start);
        startThread(
            i, "Thread-" + std::to_string(i + 1),
            [this, i, work, write, read](PyThreadState& ts) {
                for (int r = 0; r < m_cfg.rounds; ++r) {
                    ts.count(m_cfg.work, work);
                    const char request = '?';
                    ts.allowThreads(
                        State::BlockedIo, m_respFdActors[i], [&] { writeAll(m_ctx, m_reqWrite[i], &request, 1); },
                        write);
                    char answer = 0;
                    const std::size_t got = ts.allowThreads(
                        State::BlockedIo, m_respFdActors[i], [&] { return readSome(m_ctx, m_respRead[i], &answer, 1); },
                        read);
                    if (got == 0) throw std::runtime_error("device closed the pipe");
                    m_ctx.recorder().record(EventKind::IoRead, ts.actor(), m_respFdActors[i], 1, {}, read);
                }
                // Closing our request pipe tells the device this thread is done.
                m_ctx.closeFd(m_reqWrite[i]);
            },
            work);
    }
    joinThreads(m_lines.find("t.join()"));
    m_ctx.joinAll(); // the device ends once every request pipe is closed
}

// Not Python: a device that answers every request byte after io_ms. Serves all pipes.
void GilProgram::deviceLoop()
{
    const auto n = m_reqRead.size();
    const auto latency = std::chrono::nanoseconds(static_cast<std::int64_t>(m_cfg.ioMs * 1e6));
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::size_t>> due;
    std::vector<bool> open(n, true);
    std::size_t openCount = n;
    const ActorId me = RunContext::currentActor();
    while (openCount > 0 || !due.empty()) {
        m_ctx.gate().pass(me);
        const auto now = std::chrono::steady_clock::now();
        while (!due.empty() && due.front().first <= now) {
            const std::size_t i = due.front().second;
            due.pop_front();
            const char answer = '!';
            writeAll(m_ctx, m_respWrite[i], &answer, 1);
            m_ctx.recorder().record(EventKind::FdReady, m_respFdActors[i], {}, 1);
        }
        std::vector<pollfd> fds;
        std::vector<std::size_t> who;
        fds.push_back({ m_ctx.cancelFd(), POLLIN, 0 });
        who.push_back(n);
        for (std::size_t i = 0; i < n; ++i) {
            if (!open[i]) continue;
            fds.push_back({ m_reqRead[i], POLLIN, 0 });
            who.push_back(i);
        }
        int timeoutMs = -1;
        if (!due.empty()) {
            const auto wait = std::chrono::ceil<std::chrono::milliseconds>(due.front().first - now).count();
            timeoutMs = static_cast<int>(std::max<std::int64_t>(wait, 0));
        }
        m_ctx.setState(me, State::BlockedIo, {}, timeoutMs >= 0);
        const int rc = ::poll(fds.data(), fds.size(), timeoutMs);
        m_ctx.setState(me, State::Running);
        m_ctx.throwIfCancelled();
        if (rc < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        if (rc <= 0) continue;
        for (std::size_t k = 1; k < fds.size(); ++k) {
            if (fds[k].revents == 0) continue;
            const std::size_t i = who[k];
            char buf[64];
            const ssize_t got = ::read(m_reqRead[i], buf, sizeof buf);
            if (got > 0) {
                for (ssize_t b = 0; b < got; ++b)
                    due.emplace_back(std::chrono::steady_clock::now() + latency, i);
            } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                open[i] = false;
                --openCount;
            }
        }
    }
}

void GilProgram::runConvoy()
{
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
    m_clientFd = m_ctx.trackFd(sv[0]);
    m_serverFd = m_ctx.trackFd(sv[1]);
    setNonBlocking(m_clientFd);
    setNonBlocking(m_serverFd);
    m_sockActor = m_ctx.addActor(ActorKind::Fd, "sock");
    m_ctx.recorder().recordState(m_sockActor, State::FdIdle);
    m_echoActor = m_ctx.spawn("echo-server", [this] { echoLoop(); });

    // The same client code, first alone (the main thread, nobody else wants the GIL)...
    std::vector<std::int64_t> alone = clientRounds(*m_main, m_cfg.baselineRounds);
    m_baseline = std::move(alone);

    // ...then beside a CPU-bound thread.
    prepareThreads(2);
    const std::int32_t spinLine = m_lines.find("while not done");
    const std::int32_t start = m_lines.find("t.start()");
    if (m_cfg.pinCores) m_pinnedCores = twoCores();
    const auto pin = [this](std::size_t which) {
        if (which < m_pinnedCores.size()) pinThisThread(m_pinnedCores[which]);
    };
    m_ctx.recorder().record(EventKind::LineReached, m_mainActor, {}, 0, {}, start);
    startThread(
        0, "Thread-1 (spin)",
        [this, spinLine, pin](PyThreadState& ts) {
            pin(0);
            ts.countUntil(m_done, spinLine);
        },
        spinLine);
    m_ctx.recorder().record(EventKind::LineReached, m_mainActor, {}, 0, {}, start);
    startThread(
        1, "Thread-2 (client)",
        [this, pin](PyThreadState& ts) {
            pin(1);
            m_latencies = clientRounds(ts, m_cfg.rounds);
            m_done.store(true, std::memory_order_relaxed); // done = True
        },
        m_lines.find("def client"));
    joinThreads(m_lines.find("t.join()"));
    ::shutdown(m_clientFd, SHUT_WR); // EOF: the echo server ends
    m_ctx.joinAll();
}

// client(sock, rounds): send one byte, wait for the echo; latency as time.perf_counter() sees it.
std::vector<std::int64_t> GilProgram::clientRounds(PyThreadState& ts, int rounds)
{
    const std::int32_t t0Line = m_lines.find("t0 = time.perf_counter()");
    const std::int32_t sendLine = m_lines.find("sock.send(");
    const std::int32_t recvLine = m_lines.find("sock.recv(");
    std::vector<std::int64_t> latencies;
    latencies.reserve(static_cast<std::size_t>(rounds));
    for (int r = 0; r < rounds; ++r) {
        // The loop's own bytecode (the for loop, perf_counter calls, latency.append), at
        // CPython's pace, with the eval-breaker check of its backward jump.
        ts.count(kClientLoopTurns, t0Line);
        const std::int64_t t0 = m_ctx.recorder().now();
        const char ping = 'x';
        ts.allowThreads(
            State::BlockedIo, m_sockActor, [&] { writeAll(m_ctx, m_clientFd, &ping, 1); }, sendLine);
        m_ctx.recorder().record(EventKind::IoWrite, ts.actor(), m_sockActor, 1, {}, sendLine);
        char pong = 0;
        const std::size_t got = ts.allowThreads(
            State::BlockedIo, m_sockActor, [&] { return readSome(m_ctx, m_clientFd, &pong, 1); }, recvLine);
        if (got == 0) throw std::runtime_error("echo server closed the socket");
        // Python code runs again only now: the GIL is back.
        latencies.push_back(m_ctx.recorder().now() - t0);
        m_ctx.recorder().record(EventKind::IoRead, ts.actor(), m_sockActor, 1, {}, recvLine);
    }
    return latencies;
}

// Not Python (another process in the Python version): echoes every byte back at once.
void GilProgram::echoLoop()
{
    const ActorId me = RunContext::currentActor();
    char buf[256];
    for (;;) {
        m_ctx.gate().pass(me);
        m_ctx.setState(me, State::BlockedIo, m_sockActor, false);
        const std::size_t got = readSome(m_ctx, m_serverFd, buf, sizeof buf);
        m_ctx.setState(me, State::Running);
        if (got == 0) return;
        m_ctx.recorder().record(EventKind::FdReady, m_sockActor, {}, 1);
        writeAll(m_ctx, m_serverFd, buf, got);
    }
}

} // namespace lockstep
