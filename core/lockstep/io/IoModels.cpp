#include "lockstep/io/IoModels.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/engine/ThreadScope.h"
#include "lockstep/engine/Wakeable.h"
#include "lockstep/gil/PacedLoop.h"
#include "lockstep/net/Loopback.h"

#include <fcntl.h>
#include <liburing.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace lockstep {

const char* ioModelName(IoModel m)
{
    switch (m) {
    case IoModel::Blocking:
        return "blocking";
    case IoModel::NonBlocking:
        return "non-blocking";
    case IoModel::Multiplexing:
        return "multiplexing";
    case IoModel::SignalDriven:
        return "signal-driven";
    case IoModel::Asynchronous:
        return "asynchronous";
    }
    return "?";
}

IoModelsConfig IoModelsConfig::parse(const nlohmann::json& config, const ConfigReader::Where& where)
{
    const ConfigReader r(where, config);
    r.allowOnly({ "model", "delay_ms", "bytes" });
    IoModelsConfig c;
    const int m = r.choice("model", { "blocking", "non-blocking", "multiplexing", "signal-driven", "asynchronous", "all" }, 5);
    if (m == 5)
        c.models = { IoModel::Blocking, IoModel::NonBlocking, IoModel::Multiplexing, IoModel::SignalDriven,
            IoModel::Asynchronous };
    else
        c.models = { static_cast<IoModel>(m) };
    c.delayMs = r.integer("delay_ms", c.delayMs, 10, 5000);
    c.bytes = r.integer("bytes", c.bytes, 1, 256 * 1024);
    return c;
}

IoModelsProgram::IoModelsProgram(RunContext& ctx, IoModelsConfig config) : m_ctx(ctx), m_cfg(std::move(config)) { }

namespace {

// One loopback TCP connection: the client's end and the server's (the receiver's).
struct Connection {
    int client = -1;
    int server = -1;
};

Connection connectPair(RunContext& ctx)
{
    int port = 0;
    const int listener = ctx.trackFd(listenLoopback(1, port));
    Connection c;
    try {
        c.client = ctx.trackFd(connectLoopback(port));
    } catch (...) {
        ctx.closeFd(listener);
        throw;
    }
    c.server = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    const int acceptErrno = errno;
    ctx.closeFd(listener);
    errno = acceptErrno;
    if (c.server < 0) throw sysError("accept");
    ctx.trackFd(c.server);
    return c;
}

// On cancel, a receiver blocked in recv() must come back: shutting the socket down does that.
class SocketWaker final : public Wakeable {
public:
    SocketWaker(RunContext& ctx, int fd) : m_ctx(ctx), m_fd(fd)
    {
        m_ctx.addWakeable(this);
        // A cancel that came before we registered never reaches us: its shutdown is done here
        // (seen under TSan: the blocking model's recv() waited forever in a cancelled run).
        if (m_ctx.cancelled()) wakeAll();
    }
    ~SocketWaker() override { m_ctx.removeWakeable(this); }
    SocketWaker(const SocketWaker&) = delete;
    SocketWaker& operator=(const SocketWaker&) = delete;
    void wakeAll() override { ::shutdown(m_fd, SHUT_RDWR); }

private:
    RunContext& m_ctx;
    int m_fd;
};

// The signal-driven model's SIGIO: one receiver at a time in this process may own it.
std::mutex g_sigioOwner;
std::atomic<std::int64_t> g_sigioAt { -1 }; // CLOCK_MONOTONIC ns of the first SIGIO (-1: none yet)
std::atomic<int> g_sigioCount { 0 };

void onSigio(int)
{
    timespec t {};
    ::clock_gettime(CLOCK_MONOTONIC, &t); // async-signal-safe
    std::int64_t none = -1;
    g_sigioAt.compare_exchange_strong(none, std::int64_t { t.tv_sec } * 1'000'000'000 + t.tv_nsec);
    g_sigioCount.fetch_add(1);
}

std::int64_t monoNs()
{
    timespec t {};
    ::clock_gettime(CLOCK_MONOTONIC, &t);
    return std::int64_t { t.tv_sec } * 1'000'000'000 + t.tv_nsec;
}

// What one receive cost.
struct Measure {
    IoModel model = IoModel::Blocking;
    std::int64_t syscalls = 0;
    std::int64_t eagain = 0;
    std::int64_t cpuNs = 0;
    std::int64_t waitNs = 0;
    std::int64_t copyNs = 0;
    bool copiedByKernel = false;
    bool threadBlocked = false;
    std::int64_t otherWork = 0; // turns of the thread's own work done while the data was on its way
    std::int64_t bytes = 0;
    bool available = true;
    std::string reason;
};

// The receiver's side: one model, one message of `size` bytes on `fd`.
class Receiver {
public:
    Receiver(RunContext& ctx, int fd, int size, IoModel model) : m_ctx(ctx), m_fd(fd), m_size(size), m_buf(static_cast<std::size_t>(size))
    {
        m_m.model = model;
    }

    Measure run()
    {
        m_me = RunContext::currentActor();
        const std::int64_t cpu0 = PacedLoop::threadCpuNs();
        m_start = monoNs();
        mark("waiting for data");
        switch (m_m.model) {
        case IoModel::Blocking:
            blocking();
            break;
        case IoModel::NonBlocking:
            nonBlocking();
            break;
        case IoModel::Multiplexing:
            multiplexing();
            break;
        case IoModel::SignalDriven:
            signalDriven();
            break;
        case IoModel::Asynchronous:
            asynchronous();
            break;
        }
        m_m.cpuNs = PacedLoop::threadCpuNs() - cpu0;
        if (m_m.available) recordMeasures();
        return m_m;
    }

    // The client is about to send (CLOCK_MONOTONIC ns).
    void setSentAt(std::int64_t ns) { m_sentAt.store(ns); }

private:
    void mark(const std::string& text) { m_ctx.recorder().recordText(EventKind::Mark, m_me, text); }
    // The view reads what the receive cost from these (the summary is not part of the trace).
    void counter(const char* name, std::int64_t value)
    {
        TraceRecorder& rec = m_ctx.recorder();
        rec.record(EventKind::Counter, m_me, {}, value, rec.intern(name));
    }

    // Records the measures as Counters on the receiver's lane, once the receive is over.
    void recordMeasures()
    {
        counter("syscalls", m_m.syscalls);
        counter("eagain", m_m.eagain);
        counter("cpu_us", m_m.cpuNs / 1000);
        counter("wait_us", m_m.waitNs / 1000);
        counter("copy_ns", m_m.copyNs);
        counter("other_work", m_m.otherWork);
        counter("copied_by_kernel", m_m.copiedByKernel ? 1 : 0);
        counter("thread_blocked", m_m.threadBlocked ? 1 : 0);
    }


    // Phase one ends: the data is in the socket's buffer.
    void ready(std::int64_t at)
    {
        m_m.waitNs = std::max<std::int64_t>(0, at - m_start);
        mark("data ready");
    }

    // Phase two: recv() copies from the kernel's buffer into ours, until the whole message is here.
    void copy(int flags)
    {
        mark("copying");
        const std::int64_t t0 = monoNs();
        while (m_m.bytes < m_size) {
            ++m_m.syscalls;
            const ssize_t n = ::recv(m_fd, m_buf.data() + m_m.bytes, static_cast<std::size_t>(m_size - m_m.bytes), flags);
            if (n > 0) {
                m_m.bytes += n;
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) { // the rest is still on its way
                waitReadable();
                continue;
            }
            m_ctx.throwIfCancelled();
            throw std::runtime_error(n == 0 ? "the client closed before the message was whole" : std::strerror(errno));
        }
        m_m.copyNs += monoNs() - t0;
        mark("copied " + std::to_string(m_m.bytes) + " bytes");
    }

    bool waitReadable()
    {
        const RunContext::BlockScope blocked(m_ctx, State::BlockedIo, {}, true);
        fd_set set;
        FD_ZERO(&set);
        FD_SET(m_fd, &set);
        FD_SET(m_ctx.cancelFd(), &set);
        ++m_m.syscalls;
        const int rc = ::select(std::max(m_fd, m_ctx.cancelFd()) + 1, &set, nullptr, nullptr, nullptr);
        m_ctx.throwIfCancelled();
        return rc > 0 && FD_ISSET(m_fd, &set);
    }

    void blocking()
    {
        // One recv() through both phases: the thread sleeps in the kernel until the data is there
        // and copied. The phases are told apart by when the client's send() returned.
        m_m.threadBlocked = true;
        const SocketWaker waker(m_ctx, m_fd);
        const std::int64_t t0 = monoNs();
        {
            const RunContext::BlockScope blocked(m_ctx, State::BlockedIo, {}, true);
            while (m_m.bytes < m_size) {
                ++m_m.syscalls;
                const ssize_t n = ::recv(m_fd, m_buf.data() + m_m.bytes, static_cast<std::size_t>(m_size - m_m.bytes), 0);
                if (n > 0) m_m.bytes += n;
                else if (n < 0 && errno == EINTR) continue;
                else break;
            }
        }
        m_ctx.throwIfCancelled();
        if (m_m.bytes < m_size) throw std::runtime_error("recv ended before the message was whole");
        const std::int64_t t1 = monoNs();
        const std::int64_t sent = std::clamp(m_sentAt.load(), t0, t1);
        m_m.waitNs = sent - m_start;
        m_m.copyNs = t1 - sent;
        mark("copied " + std::to_string(m_m.bytes) + " bytes");
    }

    void nonBlocking()
    {
        // The thread asks again and again: each EAGAIN is a system call, and the CPU is busy.
        for (;;) {
            const std::int64_t t = monoNs();
            ++m_m.syscalls;
            const ssize_t n = ::recv(m_fd, m_buf.data(), static_cast<std::size_t>(m_size), MSG_DONTWAIT);
            if (n > 0) {
                ready(t);
                m_m.bytes = n;
                m_m.copyNs = monoNs() - t;
                break;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                if ((++m_m.eagain & 0x3ff) == 0) m_ctx.throwIfCancelled();
                if ((m_m.eagain & 0x3fff) == 0) counter("eagain", m_m.eagain); // live, a few dozen times
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            throw std::runtime_error(n == 0 ? "the client closed" : std::strerror(errno));
        }
        copy(MSG_DONTWAIT);
    }

    void multiplexing()
    {
        // select() blocks until the socket is readable; then recv() copies.
        m_m.threadBlocked = true;
        while (!waitReadable()) { }
        ready(monoNs());
        copy(MSG_DONTWAIT);
    }

    // The thread's own work while it is not waiting: counting, a millisecond at a time.
    void doOtherWork()
    {
        const std::int64_t end = PacedLoop::threadCpuNs() + 1'000'000;
        volatile std::uint64_t sink = 0;
        while (PacedLoop::threadCpuNs() < end) {
            for (int k = 0; k < 256; ++k)
                sink = sink + 1;
            ++m_m.otherWork;
        }
        m_ctx.throwIfCancelled();
    }

    void signalDriven()
    {
        std::unique_lock owner(g_sigioOwner, std::try_to_lock);
        if (!owner.owns_lock()) throw std::runtime_error("another run in this process is using SIGIO");
        g_sigioAt = -1;
        g_sigioCount = 0;
        struct sigaction sa {}, old {};
        sa.sa_handler = &onSigio;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        ++m_m.syscalls;
        if (::sigaction(SIGIO, &sa, &old) != 0) throw sysError("sigaction(SIGIO)");
        // SIGIO to this thread (not to whichever thread the kernel picks), when the socket has data.
        f_owner_ex owner_ex {};
        owner_ex.type = F_OWNER_TID;
        owner_ex.pid = static_cast<pid_t>(::syscall(SYS_gettid));
        const int flags = ::fcntl(m_fd, F_GETFL);
        m_m.syscalls += 3;
        const bool armed = ::fcntl(m_fd, F_SETOWN_EX, &owner_ex) == 0
            && ::fcntl(m_fd, F_SETFL, flags | O_ASYNC | O_NONBLOCK) == 0;
        const auto disarm = [&] {
            // O_ASYNC off first: after that no SIGIO can come, and the old handler goes back.
            ::fcntl(m_fd, F_SETFL, flags);
            ::sigaction(SIGIO, &old, nullptr);
        };
        if (!armed) {
            const auto e = sysError("fcntl(O_ASYNC)");
            disarm();
            throw e;
        }
        try {
            // The data may have come before O_ASYNC was set: the kernel signals edges only.
            while (g_sigioAt.load() < 0) {
                doOtherWork();
                if (m_sentAt.load() > 0 && monoNs() - m_sentAt.load() > 50'000'000) break; // a missed edge
            }
            const std::int64_t at = g_sigioAt.load();
            mark("SIGIO");
            ready(at > 0 ? at : monoNs());
            copy(MSG_DONTWAIT);
        } catch (...) {
            disarm();
            throw;
        }
        disarm();
        m_m.syscalls += 2;
    }

    static constexpr std::uint64_t kRecv = 1; // the read's user_data

    void asynchronous()
    {
        io_uring ring {};
        ++m_m.syscalls;
        const int rc = ::io_uring_queue_init(4, &ring, 0);
        if (rc < 0) {
            m_m.available = false;
            m_m.reason = std::string("io_uring is not permitted here: ") + std::strerror(-rc);
            mark(m_m.reason);
            return;
        }
        struct RingGuard {
            io_uring* r;
            ~RingGuard() { ::io_uring_queue_exit(r); }
        } guard { &ring };
        // One read is handed to the kernel at once; it completes when the data has arrived AND been
        // copied into our buffer. Meanwhile the thread does its own work and looks at the completion
        // queue, shared memory, without a system call.
        io_uring_sqe* sqe = ::io_uring_get_sqe(&ring);
        ::io_uring_prep_recv(sqe, m_fd, m_buf.data(), static_cast<std::size_t>(m_size), MSG_WAITALL);
        ::io_uring_sqe_set_data64(sqe, kRecv);
        ++m_m.syscalls;
        if (::io_uring_submit(&ring) != 1) throw std::runtime_error("io_uring_submit failed");
        io_uring_cqe* cqe = nullptr;
        while (::io_uring_peek_cqe(&ring, &cqe) != 0 || cqe == nullptr) {
            if (m_ctx.cancelled()) {
                // The pending read must not outlive the buffer: cancel it and wait for its end.
                io_uring_sqe* c = ::io_uring_get_sqe(&ring);
                ::io_uring_prep_cancel64(c, kRecv, 0);
                ::io_uring_sqe_set_data64(c, kRecv + 1);
                ::io_uring_submit(&ring);
                ::shutdown(m_fd, SHUT_RDWR);
                for (bool done = false; !done;) {
                    if (::io_uring_wait_cqe(&ring, &cqe) != 0) break;
                    done = ::io_uring_cqe_get_data64(cqe) == kRecv;
                    ::io_uring_cqe_seen(&ring, cqe);
                }
                m_ctx.throwIfCancelled();
            }
            doOtherWork();
        }
        const std::int64_t at = monoNs();
        const int res = cqe->res;
        ::io_uring_cqe_seen(&ring, cqe);
        if (res < 0) throw std::runtime_error(std::string("io_uring recv: ") + std::strerror(-res));
        m_m.bytes = res;
        m_m.copiedByKernel = true;
        mark("completion: " + std::to_string(res) + " bytes already copied");
        ready(at);
        m_m.copyNs = 0;
    }

    RunContext& m_ctx;
    int m_fd;
    int m_size;
    std::vector<char> m_buf;
    ActorId m_me;
    std::int64_t m_start = 0;
    std::atomic<std::int64_t> m_sentAt { -1 };
    Measure m_m;
};

double ms(std::int64_t ns, int digits)
{
    const double f = std::pow(10.0, digits);
    return std::round(static_cast<double>(ns) / 1e6 * f) / f;
}

} // namespace

void IoModelsProgram::run(nlohmann::json& summary)
{
    nlohmann::json models = nlohmann::json::array();
    for (const IoModel model : m_cfg.models) {
        m_ctx.throwIfCancelled();
        const Connection conn = connectPair(m_ctx);
        Receiver receiver(m_ctx, conn.server, m_cfg.bytes, model);
        Measure result;
        const std::string name = ioModelName(model);
        const ThreadScope threads(m_ctx); // the threads use this iteration's locals
        m_ctx.spawn("recv (" + name + ")", [&] { result = receiver.run(); });
        m_ctx.spawn("client (" + name + ")", [&] {
            m_ctx.sleepFor(std::chrono::milliseconds(m_cfg.delayMs));
            std::vector<char> message(static_cast<std::size_t>(m_cfg.bytes), 'x');
            std::size_t sent = 0;
            receiver.setSentAt(monoNs()); // the data cannot be in the receiver's socket before this
            while (sent < message.size()) {
                const ssize_t n = ::send(conn.client, message.data() + sent, message.size() - sent, MSG_NOSIGNAL);
                if (n > 0) sent += static_cast<std::size_t>(n);
                else if (n < 0 && errno == EINTR) continue;
                else throw std::runtime_error(std::string("send: ") + std::strerror(errno));
            }
            m_ctx.recorder().recordText(EventKind::Say, RunContext::currentActor(), "sent " + std::to_string(sent) + " bytes");
        });
        m_ctx.joinAll();
        m_ctx.closeFd(conn.client);
        m_ctx.closeFd(conn.server);
        m_ctx.throwIfCancelled();
        nlohmann::json entry = { { "model", name }, { "available", result.available } };
        if (!result.available) {
            entry["reason"] = result.reason;
        } else {
            entry["syscalls"] = result.syscalls;
            entry["eagain"] = result.eagain;
            entry["cpu_ms"] = ms(result.cpuNs, 2);
            entry["wait_ms"] = ms(result.waitNs, 2);
            entry["copy_us"] = std::round(static_cast<double>(result.copyNs) / 100.0) / 10.0;
            entry["copied_by"] = result.copiedByKernel ? "kernel" : "process";
            entry["thread_blocked"] = result.threadBlocked;
            entry["other_work"] = result.otherWork;
            entry["bytes"] = result.bytes;
        }
        models.push_back(entry);
    }
    summary["models"] = models;
    summary["delay_ms"] = m_cfg.delayMs;
    summary["bytes"] = m_cfg.bytes;
}

} // namespace lockstep
