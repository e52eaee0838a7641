#pragma once
// One run of the gil engine: CPython's GIL model (Gil, PyThreadState) driving the lesson's Python
// program in one of six modes. GilProgram.cpp has the CPU-bound modes (sequential, threads,
// nogil, processes) and the summary; GilIoModes.cpp the I/O-bound ones (io with its device,
// convoy with its echo server). Engine threads refer to the members, so the program lives until
// every thread has been joined.

#include "lockstep/engine/CpuAvailability.h"
#include "lockstep/engine/RunContext.h"
#include "lockstep/gil/CountChild.h"
#include "lockstep/gil/Gil.h"
#include "lockstep/gil/GilConfig.h"
#include "lockstep/gil/JoinLatch.h"
#include "lockstep/gil/PacedLoop.h"
#include "lockstep/gil/PyThreadState.h"
#include "lockstep/lesson/SnippetLines.h"
#include "lockstep/proc/ProcessPool.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace lockstep {

class GilProgram {
public:
    using json = nlohmann::json;
    using Mode = GilConfig::Mode;
    using ThreadBody = std::function<void(PyThreadState&)>;

    // `python` is the lesson's snippet: events point at its lines. `loop` is calibrated to
    // config.nsPerTurn (before the run's time zero: see GilScenario::prepare).
    GilProgram(RunContext& ctx, const std::string& python, GilConfig config, const PacedLoop& loop);

    void run(json& summary);

    // Called when run() is left by an exception: stop everything that may still run.
    void abandon(RunOutcome why);

    void fillPartialSummary(json& summary) const;

private:
    std::chrono::nanoseconds intervalNs() const;

    // t.start() for a Python thread running `body(state)`, which owns a PyThreadState in
    // m_threads; returns when the starter has the GIL again, as in CPython.
    void startThread(std::size_t index, const std::string& name, ThreadBody body, std::int32_t line);

    void prepareThreads(std::size_t n);

    // t.join() for every thread, in order, with the GIL released while waiting. The wait is
    // passed to the stall detector as timed: a joiner can only be stuck if the threads it joins
    // are, and those are watched themselves.
    void joinThreads(std::int32_t line);

    void runSequential();

    void runThreads();

    void runProcesses();

    // Replays what a child reported, at the time it happened there.
    void onChildRecord(std::size_t child, const ChildRecord& r);

    void runIo();

    // Not Python: a device that answers every request byte after io_ms. Serves all pipes.
    void deviceLoop();

    void runConvoy();

    // client(sock, rounds): send one byte, wait for the echo; latency as time.perf_counter() sees it.
    std::vector<std::int64_t> clientRounds(PyThreadState& ts, int rounds);

    // Not Python (another process in the Python version): echoes every byte back at once.
    void echoLoop();

    void fillSummary(json& summary) const;
    // What one turn of count() really cost during this run, in CPU ns, over every thread or
    // process that counted (null if none did).
    [[nodiscard]] json cpuNsPerTurn() const;
    // Cores the mode's effect needs to show, and what the run found.
    [[nodiscard]] int coresNeeded() const;
    void noteMachine(const CpuAvailability::Reading& cpu);

    RunContext& m_ctx;
    GilConfig m_cfg;
    SnippetLines m_lines;
    PacedLoop m_loop;
    std::unique_ptr<Gil> m_gil;
    ActorId m_mainActor;
    std::unique_ptr<PyThreadState> m_main;
    std::int64_t m_t0 = 0;
    std::int64_t m_t1 = 0;
    double m_freeCores = -1; // -1: unknown
    double m_cpuPressure = -1; // -1: unknown
    bool m_machineBusy = false;

    // Python threads
    std::unique_ptr<JoinLatch> m_latch; // Thread.join(): each thread's end
    std::unique_ptr<JoinLatch> m_started; // each thread's _started event, set as it begins
    std::mutex m_threadsMutex;
    std::vector<std::unique_ptr<PyThreadState>> m_threads;
    std::vector<std::string> m_threadNames;
    std::vector<ActorId> m_threadActors;

    // processes
    std::unique_ptr<ProcessPool> m_pool;
    CountJob m_job;
    std::vector<ActorId> m_childThreads;
    std::vector<ActorId> m_childGils;
    std::vector<PyThreadState::Times> m_childTimes;
    std::vector<std::int64_t> m_childTaken;

    // io
    std::vector<int> m_reqRead, m_reqWrite, m_respRead, m_respWrite;
    std::vector<ActorId> m_respFdActors;
    ActorId m_deviceActor;

    // convoy
    int m_clientFd = -1;
    int m_serverFd = -1;
    ActorId m_sockActor;
    ActorId m_echoActor;
    std::atomic<bool> m_done { false };
    std::vector<std::int64_t> m_latencies;
    std::vector<std::int64_t> m_baseline;
    std::vector<int> m_pinnedCores; // spin's core, then the client's (pin_cores)
};

} // namespace lockstep
