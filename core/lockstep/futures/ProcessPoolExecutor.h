#pragma once
// concurrent.futures.ProcessPoolExecutor as CPython 3.11 writes it (Lib/concurrent/futures/
// process.py) with the fork start method, on real processes:
//
//  - the first submit() forks all max_workers worker processes ("ForkProcess-1", ...), then starts
//    the executor manager thread;
//  - submit() puts a work id on _work_ids (a queue.Queue) and wakes the manager through a pipe;
//  - the manager moves work items into the call queue (a real pipe the workers read) while it
//    holds fewer than max_workers + EXTRA_QUEUED_CALLS items, calling set_running_or_notify_cancel
//    on each: a future is RUNNING once it is in the call queue, before any worker has it, and can
//    no longer be cancelled;
//  - each worker takes a call item, runs the task in its own process (its own interpreter: no GIL
//    shared with anyone) and sends the result back; the manager sets the future's result, so done
//    callbacks run in the manager thread;
//  - shutdown() wakes the manager, which cancels what has not started (cancel_futures=True), sends
//    one None per worker once nothing is pending, and joins the processes; shutdown(wait=True)
//    joins the manager thread.
//
// The workers run only async-signal-safe code (read, write, nanosleep, clock_gettime): they are
// forked from a multithreaded process. Nothing outlives a run: the processes are tracked, killed
// and reaped on cancel, and die with Lockstep (PR_SET_PDEATHSIG).

#include "lockstep/futures/Future.h"
#include "lockstep/gil/Gil.h"
#include "lockstep/gil/JoinLatch.h"
#include "lockstep/gil/PacedLoop.h"
#include "lockstep/proc/ProcessPool.h"
#include "lockstep/sync/Lock.h"
#include "lockstep/sync/Queue.h"
#include "lockstep/sync/SyncEvent.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace lockstep {

// What a worker process runs for one call item.
struct ProcessTask {
    std::int32_t ms = 0; // sleep (or, with cpu, burn this much of the process's CPU time)
    bool raises = false; // raise ValueError(f"task {i}") at the end
    bool cpu = false;
};

class ProcessPoolExecutor {
public:
    static constexpr int kExtraQueuedCalls = 1; // EXTRA_QUEUED_CALLS

    // With a `gil`, the caller and the manager thread are Python threads of that interpreter.
    ProcessPoolExecutor(RunContext& ctx, int maxWorkers, ActorId caller, Gil* gil = nullptr,
        const PacedLoop* loop = nullptr, std::string prefix = "ProcessPoolExecutor-0");
    ~ProcessPoolExecutor();
    ProcessPoolExecutor(const ProcessPoolExecutor&) = delete;
    ProcessPoolExecutor& operator=(const ProcessPoolExecutor&) = delete;

    // executor.submit(task, index): task `index` returns index * 10, or raises.
    Future& submit(int index, ProcessTask task);
    // shutdown(wait, cancel_futures).
    void shutdown(bool wait = true, bool cancelFutures = false);

    [[nodiscard]] int workersStarted() const { return static_cast<int>(m_procs.size()); }
    // The worker process that ran future `index` ("" if none took it).
    [[nodiscard]] std::string workerOf(int index) const;
    // CPU time task `index` used in its process (-1: it did not run).
    [[nodiscard]] std::int64_t cpuNsOf(int index) const;
    [[nodiscard]] std::vector<std::unique_ptr<Future>>& futures() { return m_futures; }

private:
    struct WorkItem {
        Future* future = nullptr;
        ProcessTask task;
    };
    struct ResultItem {
        int workId = 0;
        bool raised = false;
        std::int64_t cpuNs = 0;
    };

    void startManager();
    void wakeup();
    void managerMain();
    void managerLoop();
    void addCallItemsToQueue();
    bool callQueueFull() const;
    void sendCallItem(int workId, const ProcessTask& task);
    void onRecord(std::size_t worker, const ChildRecord& record);
    void processResult(const ResultItem& r);
    void flagShuttingDown();
    void joinInternals();
    void recordCallQueue(ActorId by);
    bool pendingEmpty() const;

    RunContext& m_ctx;
    int m_maxWorkers;
    ActorId m_caller;
    Gil* m_gil;
    const PacedLoop* m_loop;
    std::string m_prefix;
    Lock m_shutdownLock; // _shutdown_lock
    Queue m_workIds; // _work_ids = queue.Queue()
    ActorId m_callQueue; // the call queue's actor (the pipe the workers read)
    int m_callFds[2] = { -1, -1 };
    int m_wakeFds[2] = { -1, -1 }; // _ThreadWakeup's pipe
    ProcessPool m_procs;
    SyncEvent m_managerStarted; // the manager Thread's _started
    JoinLatch m_latch;
    ActorId m_manager;
    bool m_managerSpawned = false;
    std::atomic<bool> m_shutdownThread { false }; // _shutdown_thread
    std::atomic<bool> m_cancelPending { false }; // _cancel_pending_futures
    int m_queueCount = 0; // _queue_count: the next work id
    int m_childFd = -1; // what the forked workers read from (their copy of m_callFds[0])

    std::vector<std::unique_ptr<Future>> m_futures;
    mutable std::mutex m_mutex; // guards what both threads touch below (the GIL does in CPython)
    std::map<int, WorkItem> m_pending; // _pending_work_items
    std::deque<int> m_inCallQueue; // work ids in the pipe, for the view
    std::deque<ResultItem> m_results; // results read, not processed yet (one per loop, as CPython)
    std::vector<std::string> m_ranBy;
    std::vector<std::int64_t> m_cpuNs;
};

} // namespace lockstep
