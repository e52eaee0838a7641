#include "lockstep/net/Servers.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/engine/ThreadScope.h"
#include "lockstep/gil/JoinLatch.h"
#include "lockstep/lesson/Lesson.h"
#include "lockstep/net/Loopback.h"
#include "lockstep/net/ServerDesigns.h"
#include "lockstep/engine/Wakeable.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cmath>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace lockstep {

namespace {

const char* const kNames[] = { "iterative", "fork-per-client", "thread-per-client", "thread-pool",
    "threading-tcp-server", "non-blocking", "select", "epoll" };
constexpr int kDesigns = 8;

} // namespace

const char* serverDesignName(ServerDesign d)
{
    return kNames[static_cast<int>(d)];
}

ServersConfig ServersConfig::parse(const nlohmann::json& config, const ConfigReader::Where& where)
{
    const ConfigReader r(where, config);
    r.allowOnly({ "server", "clients", "requests", "slow_client", "work_us", "pool_size" });
    ServersConfig c;
    std::vector<std::string> names(std::begin(kNames), std::end(kNames));
    names.emplace_back("race");
    const int s = r.choice("server", names, kDesigns);
    for (int d = 0; d < kDesigns; ++d)
        if (s == kDesigns || s == d) c.designs.push_back(static_cast<ServerDesign>(d));
    // A thread per client on the server and one per client here: within the run's 64 threads.
    c.clients = r.integer("clients", c.clients, 1, 30);
    c.requests = r.integer("requests", c.requests, 1, 200);
    c.slowClient = r.boolean("slow_client", false);
    c.workUs = r.integer("work_us", c.workUs, 0, 10'000);
    c.poolSize = r.integer("pool_size", c.poolSize, 1, 16);
    const bool forks = std::find(c.designs.begin(), c.designs.end(), ServerDesign::ForkPerClient) != c.designs.end();
    const int connections = c.clients + (c.slowClient ? 1 : 0);
    if (forks && connections > Limits::kMaxProcesses - 1)
        r.fail("clients",
            "wrong value: " + std::to_string(connections) + " connections for fork-per-client (allowed: at most "
                + std::to_string(Limits::kMaxProcesses - 1)
                + ", one process each within the run's 16, the slow client included)");
    return c;
}

ServersProgram::ServersProgram(RunContext& ctx, ServersConfig config) : m_ctx(ctx), m_cfg(std::move(config)) { }

namespace {

// One request and its response; false if the server closed the connection (a cancel).
bool exchange(int fd, const char* request, std::size_t bytes)
{
    char reply[kMessageBytes];
    if (::send(fd, request, bytes, MSG_NOSIGNAL) != static_cast<ssize_t>(bytes)) return false;
    std::size_t got = 0;
    while (got < sizeof reply) {
        const ssize_t n = ::recv(fd, reply + got, sizeof reply - got, 0);
        if (n > 0) got += static_cast<std::size_t>(n);
        else if (n < 0 && errno == EINTR) continue;
        else return false;
    }
    return true;
}

double percentile(std::vector<double> v, double q)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1;
    return v[std::min(i, v.size() - 1)];
}

double round2(double v)
{
    return std::round(v * 100) / 100;
}

// A one-shot start signal for the load's own threads: plumbing of the experiment, not one of the
// lesson's objects, so it records nothing (an engine SyncEvent would show in the lesson's views).
class StartGate final : public Wakeable {
public:
    explicit StartGate(RunContext& ctx) : m_ctx(ctx) { m_ctx.addWakeable(this); }
    ~StartGate() override { m_ctx.removeWakeable(this); }
    StartGate(const StartGate&) = delete;
    StartGate& operator=(const StartGate&) = delete;

    void open()
    {
        {
            std::lock_guard lock(m_mutex);
            m_open = true;
        }
        m_cv.notify_all();
    }
    void wait() // throws Cancelled
    {
        std::unique_lock lock(m_mutex);
        m_ctx.wait(m_cv, lock, [&] { return m_open; });
    }
    void wakeAll() override
    {
        { std::lock_guard lock(m_mutex); }
        m_cv.notify_all();
    }

private:
    RunContext& m_ctx;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_open = false;
};

} // namespace

nlohmann::json ServersProgram::runOne(ServerDesign design)
{
    ServerRig rig(m_ctx, m_cfg);
    const std::string name = serverDesignName(design);
    const int clients = m_cfg.clients;
    std::mutex resultMutex;
    std::vector<double> latencies;
    double slowMs = -1;
    std::int64_t firstStart = -1, lastEnd = 0;
    JoinLatch done(m_ctx, static_cast<std::size_t>(clients + 1));
    // Every client connects before any sends, so the server holds them all at once; the slow client
    // connects first, so an iterative server takes it first.
    StartGate slowConnected(m_ctx);
    StartGate allConnected(m_ctx);
    std::atomic<int> connected { 0 };
    // Clients of a server that serves them all at once stay connected until every client is done,
    // so the server holds them all at the end whatever its speed (a fork under ASan takes longer
    // than a client's whole exchange). An iterative server serves the next client only once this
    // one has closed, and a pool smaller than the clients only once a pool thread is free: their
    // clients close at once.
    StartGate allDone(m_ctx);
    std::atomic<int> finished { 0 };
    const int everyone = clients + (m_cfg.slowClient ? 1 : 0);
    const bool servesAllAtOnce = design != ServerDesign::Iterative
        && !(design == ServerDesign::ThreadPool && everyone > m_cfg.poolSize);
    const auto finish = [&] {
        if (!servesAllAtOnce) return;
        if (finished.fetch_add(1) + 1 == everyone) allDone.open();
        allDone.wait();
    };
    std::vector<int> clientFds(static_cast<std::size_t>(clients + 1), -1);
    const ThreadScope threads(m_ctx); // the threads use this frame's locals

    rig.threads(+1); // the server's main thread
    rig.setLane(m_ctx.spawn("server (" + name + ")", [&] {
        runServerDesign(design, rig);
        rig.threads(-1);
    }));
    const auto connectClient = [&](std::size_t i) {
        const int fd = connectLoopback(rig.port());
        {
            std::lock_guard lock(resultMutex);
            clientFds[i] = m_ctx.trackFd(fd);
        }
        if (connected.fetch_add(1) + 1 == clients + (m_cfg.slowClient ? 1 : 0)) allConnected.open();
        allConnected.wait();
        return fd;
    };
    if (m_cfg.slowClient) {
        m_ctx.spawn("slow client", [&] {
            const JoinLatch::Guard finished(done, static_cast<std::size_t>(clients));
            const int fd = connectLoopback(rig.port());
            {
                std::lock_guard lock(resultMutex);
                clientFds[static_cast<std::size_t>(clients)] = m_ctx.trackFd(fd);
            }
            slowConnected.open();
            if (connected.fetch_add(1) + 1 == clients + 1) allConnected.open();
            allConnected.wait();
            const std::int64_t t0 = m_ctx.recorder().now();
            // Its request trickles in, a byte every 10 ms.
            char request[kMessageBytes] = {};
            // A failed send or exchange fails the run (which shuts every connection down): a
            // client that just left would leave its connection open and its server waiting.
            const auto lost = [&] {
                m_ctx.throwIfCancelled();
                throw std::runtime_error("the server closed the slow client's connection");
            };
            for (int b = 0; b < kMessageBytes - 1; ++b) {
                if (::send(fd, request + b, 1, MSG_NOSIGNAL) != 1) lost();
                m_ctx.sleepFor(std::chrono::milliseconds(10));
            }
            if (!exchange(fd, request + kMessageBytes - 1, 1)) lost();
            {
                std::lock_guard lock(resultMutex);
                slowMs = static_cast<double>(m_ctx.recorder().now() - t0) / 1e6;
            }
            finish();
            std::lock_guard lock(resultMutex);
            m_ctx.closeFd(fd); // done: the server sees EOF
            clientFds[static_cast<std::size_t>(clients)] = -1;
        });
    } else {
        slowConnected.open();
    }
    for (int c = 0; c < clients; ++c) {
        m_ctx.spawn("client-" + std::to_string(c + 1), [&, c] {
            const JoinLatch::Guard finished(done, static_cast<std::size_t>(c));
            slowConnected.wait();
            const int fd = connectClient(static_cast<std::size_t>(c));
            char request[kMessageBytes] = {};
            std::vector<double> mine;
            const std::int64_t start = m_ctx.recorder().now();
            for (int r = 0; r < m_cfg.requests; ++r) {
                const std::int64_t t0 = m_ctx.recorder().now();
                bool ok;
                {
                    const RunContext::BlockScope waiting(m_ctx, State::BlockedIo, {}, true);
                    ok = exchange(fd, request, sizeof request);
                }
                if (!ok) {
                    m_ctx.throwIfCancelled();
                    throw std::runtime_error("the server closed the connection");
                }
                const std::int64_t ns = m_ctx.recorder().now() - t0;
                mine.push_back(static_cast<double>(ns) / 1e6);
                TraceRecorder& rec = m_ctx.recorder(); // for the view's live latencies
                rec.record(EventKind::Counter, RunContext::currentActor(), {}, ns / 1000, rec.intern("latency_us"));
            }
            {
                std::lock_guard lock(resultMutex);
                latencies.insert(latencies.end(), mine.begin(), mine.end());
                if (firstStart < 0 || start < firstStart) firstStart = start;
                lastEnd = std::max(lastEnd, m_ctx.recorder().now());
            }
            finish();
            std::lock_guard lock(resultMutex);
            m_ctx.closeFd(fd); // done: the server sees EOF (an iterative one takes the next client)
            clientFds[static_cast<std::size_t>(c)] = -1;
        });
    }
    // Once every client is done (each closed its connection), the server stops.
    for (int c = 0; c < clients + (m_cfg.slowClient ? 1 : 0); ++c)
        done.waitFinished(static_cast<std::size_t>(c));
    rig.stop();
    m_ctx.joinAll();
    m_ctx.throwIfCancelled();
    rig.showPeakMemory(); // the children are reaped: the peak is final

    nlohmann::json entry;
    entry["server"] = name;
    entry["requests"] = latencies.size();
    const double seconds = static_cast<double>(lastEnd - std::max<std::int64_t>(firstStart, 0)) / 1e9;
    entry["throughput_rps"] = seconds > 0 ? std::round(static_cast<double>(latencies.size()) / seconds) : 0.0;
    entry["latency_ms"] = { { "p50", round2(percentile(latencies, 0.5)) }, { "p99", round2(percentile(latencies, 0.99)) } };
    entry["max_threads"] = rig.maxThreads();
    entry["max_processes"] = rig.maxProcesses();
    entry["max_fds"] = rig.maxFds();
    entry["rss_kb"] = rig.maxRssBytes() / 1024;
    entry["rss_added_kb"] = rig.addedRssBytes() / 1024;
    if (m_cfg.slowClient) entry["slow_client_ms"] = round2(slowMs);
    return entry;
}

void ServersProgram::run(nlohmann::json& summary)
{
    nlohmann::json race = nlohmann::json::array();
    for (const ServerDesign d : m_cfg.designs)
        race.push_back(runOne(d));
    if (race.size() == 1) {
        for (const auto& [k, v] : race.at(0).items())
            summary[k] = v;
    } else {
        summary["race"] = race;
    }
    summary["clients"] = m_cfg.clients;
    summary["requests_per_client"] = m_cfg.requests;
    summary["slow_client"] = m_cfg.slowClient;
    summary["work_us"] = m_cfg.workUs;
}

} // namespace lockstep
