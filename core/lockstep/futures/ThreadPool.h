#pragma once
// concurrent.futures.ThreadPoolExecutor as CPython 3.11 writes it (Lib/concurrent/futures/
// thread.py), on the engine's instrumented primitives: a work queue (queue.SimpleQueue; here the
// engine's Queue) of work items, workers started lazily by submit() up to max_workers unless one is
// idle (the _idle_semaphore), each worker taking items until the None sentinel, shutdown() putting
// the sentinel and joining. Plus as_completed() and wait(FIRST_COMPLETED) from _base.py.

#include "lockstep/futures/Future.h"
#include "lockstep/gil/Gil.h"
#include "lockstep/gil/JoinLatch.h"
#include "lockstep/gil/PacedLoop.h"
#include "lockstep/sync/Lock.h"
#include "lockstep/sync/Queue.h"
#include "lockstep/sync/Semaphore.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lockstep {

class ThreadPool {
public:
    // fn(index) is the task: it returns the result or throws PyError (a Python exception).
    using Task = std::function<std::int64_t(int index)>;

    // With a `gil`, every worker is a Python thread of that interpreter (PyThreadState): it runs
    // Python code only while it holds the GIL, and the engine's blocking calls release it.
    ThreadPool(RunContext& ctx, int maxWorkers, ActorId caller, std::string prefix = "ThreadPoolExecutor-0",
        Gil* gil = nullptr, const PacedLoop* loop = nullptr);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    // executor.submit(fn, index): the future of task `index`.
    Future& submit(int index, Task task);
    // shutdown(wait=True, cancel_futures=False).
    void shutdown(bool wait = true, bool cancelFutures = false);

    [[nodiscard]] int workersStarted() const { return static_cast<int>(m_workers.size()); }
    // The worker that ran future `index` ("" if none took it).
    [[nodiscard]] std::string workerOf(int index) const;
    [[nodiscard]] std::vector<std::unique_ptr<Future>>& futures() { return m_futures; }

private:
    struct WorkItem {
        Future* future;
        Task task;
    };
    void adjustThreadCount();
    void workerMain(std::size_t worker);
    void workerLoop(std::size_t worker);

    RunContext& m_ctx;
    int m_maxWorkers;
    ActorId m_caller;
    std::string m_prefix;
    Gil* m_gil;
    const PacedLoop* m_loop;
    Queue m_queue; // items are indices into m_items, null = the sentinel
    Semaphore m_idle; // _idle_semaphore = threading.Semaphore(0)
    Lock m_shutdownLock; // _shutdown_lock
    bool m_shutdown = false;
    JoinLatch m_latch;
    std::vector<std::string> m_workers;
    std::vector<ActorId> m_workerActors;
    // Thread.start() waits for the new thread's _started event, and under the GIL the new worker
    // then runs until it first blocks: it has taken the item that made it start (and is RUNNING
    // it) before submit() returns. Set once the worker got that far.
    std::vector<std::unique_ptr<SyncEvent>> m_started;
    std::vector<std::unique_ptr<Future>> m_futures;
    std::vector<WorkItem> m_items;
    std::vector<std::string> m_ranBy;
    mutable std::mutex m_mutex; // guards m_items, m_ranBy (engine bookkeeping, not Python's)
};

// as_completed(fs): calls `yielded` for each future in the order CPython's generator yields them.
void asCompleted(RunContext& ctx, const std::vector<Future*>& fs, const std::function<void(Future&)>& yielded);
// wait(fs, return_when=FIRST_COMPLETED): the done futures (in submission order) and how many not done.
std::pair<std::vector<Future*>, std::size_t> waitFirstCompleted(RunContext& ctx, const std::vector<Future*>& fs);

} // namespace lockstep
