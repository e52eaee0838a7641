#pragma once
// The servers lesson's eight designs (see Servers.h), each a function run on the server's main
// engine thread until ServerRig::stopping(). They share the rig: the listening socket, the stop
// signal, and the counters of what the server holds (threads, processes, fds) with their peaks.

#include "lockstep/engine/RunContext.h"
#include "lockstep/engine/Wakeable.h"
#include "lockstep/net/Servers.h"
#include "lockstep/sync/Queue.h"

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace lockstep {

inline constexpr int kMessageBytes = 32; // a request and a response

class ServerRig final : public Wakeable {
public:
    ServerRig(RunContext& ctx, const ServersConfig& cfg);
    ~ServerRig() override;
    ServerRig(const ServerRig&) = delete;
    ServerRig& operator=(const ServerRig&) = delete;

    [[nodiscard]] int listenFd() const { return m_listen; }
    [[nodiscard]] int stopFd() const { return m_stopFd; }
    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] bool stopping() const { return m_stop.load(); }
    [[nodiscard]] const ServersConfig& config() const { return m_cfg; }
    [[nodiscard]] RunContext& ctx() { return m_ctx; }
    // Ends the server: its loop sees the flag, the stop eventfd or the listening socket shut down.
    void stop();
    void wakeAll() override; // cancel: stop, and wake every thread blocked on a connection

    // What the server holds, recorded as Counters on `lane` when it changes.
    // The server's main thread: its lane carries the counters (recorded now, and on every change).
    void setLane(ActorId lane);
    void threads(int delta) { change(m_threads, m_maxThreads, delta, "threads"); }
    void processes(int delta) { change(m_processes, m_maxProcesses, delta, "processes"); }
    // A connection accepted (tracked, so that a cancel can shut it down) or closed.
    void opened(int fd);
    void closed(int fd);
    // fork-per-client's children: killed on cancel (a child waits for a client that may be gone).
    void forked(pid_t pid);
    void reaped(pid_t pid);
    [[nodiscard]] int maxThreads() const { return m_maxThreads.load(); }
    [[nodiscard]] int maxProcesses() const { return m_maxProcesses.load(); }
    [[nodiscard]] int maxFds() const { return m_maxFds.load(); }
    // Peak memory: the process's resident set, plus the private pages of fork-per-client's
    // children (sampled as they come and go). Shown as "rss_kb" Counters on the lane as it grows.
    [[nodiscard]] std::uint64_t maxRssBytes() const { return m_maxRss.load(); }
    // Records the peak as it stands (the view then shows what the summary says).
    void showPeakMemory();
    // The peak less what the process held when this server started: what serving cost.
    [[nodiscard]] std::uint64_t addedRssBytes() const
    {
        return m_maxRss.load() > m_baseRss ? m_maxRss.load() - m_baseRss : 0;
    }

    // The thread pool's queue of accepted connections (made on first use).
    Queue& connections();

    // One request: read kMessageBytes, work_us of CPU, write the response. False at EOF.
    bool serveOne(int fd);
    // A connection to its end (EOF), then closed.
    void serveConnection(int fd);

private:
    void change(std::atomic<int>& now, std::atomic<int>& peak, int delta, const char* name);
    void sampleChildren();
    void sampleMemory();

    RunContext& m_ctx;
    ServersConfig m_cfg;
    int m_listen = -1;
    int m_stopFd = -1;
    int m_port = 0;
    std::atomic<bool> m_stop { false };
    std::atomic<ActorId> m_lane { ActorId {} }; // set by the controller while the server runs
    std::atomic<int> m_threads { 0 }, m_processes { 0 }, m_fds { 1 }; // fds: the listening socket
    std::atomic<int> m_maxThreads { 0 }, m_maxProcesses { 0 }, m_maxFds { 1 };
    std::atomic<std::uint64_t> m_maxRss { 0 };
    std::uint64_t m_baseRss = 0;
    std::atomic<std::uint64_t> m_shownRss { 0 }; // the last peak recorded as a Counter
    std::atomic<std::uint64_t> m_childrenBytes { 0 }; // the children's private pages, last sampled
    std::mutex m_mutex;
    std::set<int> m_open; // connections open now
    std::set<pid_t> m_children; // forked servers alive now
    std::unique_ptr<Queue> m_connections;
};

// Burns `us` microseconds of this thread's CPU (the server's work for one request).
void burnMicros(int us);

// The design's main loop, on the server's main thread.
void runServerDesign(ServerDesign design, ServerRig& rig);

} // namespace lockstep
