#include "lockstep/futures/ThreadPool.h"

#include "lockstep/engine/PyError.h"
#include "lockstep/engine/ThreadScope.h"
#include "lockstep/gil/PyThreadState.h"
#include "lockstep/sync/ScopedAcquire.h"

#include <algorithm>
#include <exception>
#include <set>

namespace lockstep {

ThreadPool::ThreadPool(
    RunContext& ctx, int maxWorkers, ActorId caller, std::string prefix, Gil* gil, const PacedLoop* loop)
    : m_ctx(ctx), m_maxWorkers(maxWorkers), m_caller(caller), m_prefix(std::move(prefix)), m_gil(gil),
      m_loop(loop), m_queue(ctx, m_prefix + "._work_queue"), m_idle(ctx, m_prefix + "._idle_semaphore", 0),
      m_shutdownLock(ctx, m_prefix + "._shutdown_lock"), m_latch(ctx, static_cast<std::size_t>(maxWorkers))
{
    // Workers read their own entries while submit() appends: never reallocate.
    m_workers.reserve(static_cast<std::size_t>(maxWorkers));
    m_workerActors.reserve(static_cast<std::size_t>(maxWorkers));
    m_started.reserve(static_cast<std::size_t>(maxWorkers));
}

ThreadPool::~ThreadPool() = default;

std::string ThreadPool::workerOf(int index) const
{
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(index) < m_ranBy.size() ? m_ranBy[static_cast<std::size_t>(index)] : std::string();
}

Future& ThreadPool::submit(int index, Task task)
{
    m_shutdownLock.acquire();
    if (m_shutdown) {
        m_shutdownLock.release();
        throw PyError("RuntimeError", "cannot schedule new futures after shutdown");
    }
    m_futures.push_back(std::make_unique<Future>(m_ctx, index, "Future-" + std::to_string(index)));
    Future& f = *m_futures.back();
    std::size_t item;
    {
        std::lock_guard lock(m_mutex);
        m_items.push_back({ &f, std::move(task) });
        item = m_items.size() - 1;
        if (m_ranBy.size() <= static_cast<std::size_t>(index)) m_ranBy.resize(static_cast<std::size_t>(index) + 1);
    }
    m_queue.put(static_cast<std::int64_t>(item));
    adjustThreadCount();
    m_shutdownLock.release();
    return f;
}

void ThreadPool::adjustThreadCount()
{
    // An idle worker will take the item: no new thread (_adjust_thread_count).
    if (m_idle.acquire(true, 0.0)) return;
    const std::size_t n = m_workers.size();
    if (static_cast<int>(n) >= m_maxWorkers) return;
    m_workers.push_back(m_prefix + "_" + std::to_string(n));
    m_started.push_back(std::make_unique<SyncEvent>(m_ctx, m_workers.back() + "._started"));
    m_workerActors.push_back(m_ctx.spawn(
        m_workers.back(), [this, n] { workerMain(n); }, m_caller));
    m_started.back()->wait();
}

void ThreadPool::workerMain(std::size_t worker)
{
    const JoinLatch::Guard finished(m_latch, worker);
    if (m_gil == nullptr) {
        workerLoop(worker);
        return;
    }
    // A Python thread: it takes the GIL before running any Python code and lets go of it in every
    // blocking call and when it ends, however it ends.
    PyThreadState ts(m_ctx, RunContext::currentActor(), *m_gil, *m_loop);
    const RunContext::BlockingHookScope hook(ts);
    ts.runThread([&](PyThreadState&) { workerLoop(worker); });
}

void ThreadPool::workerLoop(std::size_t worker)
{
    for (;;) {
        const nlohmann::json item = m_queue.get(true);
        if (!item.is_null()) {
            WorkItem w;
            {
                std::lock_guard lock(m_mutex);
                w = m_items[item.get<std::size_t>()];
            }
            // _WorkItem.run
            const bool runs = w.future->setRunningOrNotifyCancel();
            m_started[worker]->set(); // see m_started: with the GIL, start() returns about now
            if (runs) {
                {
                    std::lock_guard lock(m_mutex);
                    m_ranBy[static_cast<std::size_t>(w.future->index())] = m_workers[worker];
                }
                std::int64_t result = 0;
                bool raised = false;
                try {
                    result = w.task(w.future->index());
                } catch (const PyError& e) {
                    raised = true;
                    w.future->setException(e.type(), e.what());
                }
                if (!raised) w.future->setResult(result);
            }
            m_idle.release();
            continue;
        }
        // The sentinel: the executor is shutting down; pass it on to the next worker.
        if (m_shutdown) {
            m_queue.put(nullptr);
            return;
        }
    }
}

void ThreadPool::shutdown(bool wait, bool cancelFutures)
{
    m_shutdownLock.acquire();
    m_shutdown = true;
    if (cancelFutures) {
        while (!m_queue.empty()) {
            const nlohmann::json item = m_queue.get(false);
            if (item.is_null()) continue;
            Future* f;
            {
                std::lock_guard lock(m_mutex);
                f = m_items[item.get<std::size_t>()].future;
            }
            f->cancel();
        }
    }
    m_queue.put(nullptr);
    m_shutdownLock.release();
    if (!wait) return;
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        if (m_latch.finished(i)) continue;
        // t.join(): blocked on the worker (with a GIL, released while it waits).
        const RunContext::BlockScope joining(m_ctx, State::Blocked, m_workerActors[i], false);
        m_latch.waitFinished(i);
    }
}

namespace {

// _AcquireFutures: every future's condition, in a fixed order (CPython sorts by id()).
class AcquireFutures {
public:
    explicit AcquireFutures(std::vector<Future*> fs) : m_fs(std::move(fs))
    {
        std::sort(m_fs.begin(), m_fs.end(), [](Future* a, Future* b) { return a->index() < b->index(); });
        for (Future* f : m_fs)
            f->condition().acquire();
    }
    // As ScopedAcquire: while an exception (Cancelled) unwinds, a failing release is ignored.
    ~AcquireFutures() noexcept(false)
    {
        const bool unwinding = std::uncaught_exceptions() > m_uncaught;
        for (Future* f : m_fs)
            releaseAtScopeEnd(f->condition(), unwinding);
    }
    AcquireFutures(const AcquireFutures&) = delete;
    AcquireFutures& operator=(const AcquireFutures&) = delete;

private:
    std::vector<Future*> m_fs;
    int m_uncaught = std::uncaught_exceptions();
};

bool finishedOrNotified(FutureState s)
{
    return s == FutureState::Finished || s == FutureState::CancelledAndNotified;
}

} // namespace

void asCompleted(RunContext& ctx, const std::vector<Future*>& fs, const std::function<void(Future&)>& yielded)
{
    std::vector<Future*> finished;
    std::set<Future*> pending;
    FutureWaiter waiter(ctx, FutureWaiter::Kind::AsCompleted, "as_completed waiter");
    // A cancelled wait leaves the waiter in the futures' lists (CPython's finally needs their
    // conditions, which a cancelled run no longer grants): no worker may reach it after it is gone.
    const ThreadScope waiterOutlivesTheWorkers(ctx, ThreadScope::Join::OnlyIfUnwinding);
    {
        const AcquireFutures all(fs);
        for (Future* f : fs) {
            if (finishedOrNotified(f->stateLocked()))
                finished.push_back(f);
            else
                pending.insert(f);
        }
        for (Future* f : fs)
            f->addWaiterLocked(&waiter);
    }
    const auto yieldAll = [&](std::vector<Future*>& list) {
        // _yield_finished_futures: pops from the back (the batches are reversed first, so they
        // come out in the order they finished).
        while (!list.empty()) {
            Future* f = list.back();
            pending.erase(f);
            f->condition().acquire();
            f->removeWaiterLocked(&waiter);
            f->condition().release();
            list.pop_back();
            yielded(*f);
        }
    };
    yieldAll(finished); // CPython: list(set(...)), from the back; at most one here when finishing times differ
    while (!pending.empty()) {
        waiter.event().wait();
        std::vector<Future*> batch = waiter.takeFinished();
        std::reverse(batch.begin(), batch.end());
        yieldAll(batch);
    }
}

std::pair<std::vector<Future*>, std::size_t> waitFirstCompleted(RunContext& ctx, const std::vector<Future*>& fs)
{
    std::set<Future*> done;
    FutureWaiter waiter(ctx, FutureWaiter::Kind::FirstCompleted, "wait waiter");
    const ThreadScope waiterOutlivesTheWorkers(ctx, ThreadScope::Join::OnlyIfUnwinding); // as in asCompleted
    bool installed = false;
    {
        const AcquireFutures all(fs);
        for (Future* f : fs)
            if (finishedOrNotified(f->stateLocked())) done.insert(f);
        if (done.empty()) {
            for (Future* f : fs)
                f->addWaiterLocked(&waiter);
            installed = true;
        }
    }
    if (installed) {
        waiter.event().wait();
        for (Future* f : fs) {
            f->condition().acquire();
            f->removeWaiterLocked(&waiter);
            f->condition().release();
        }
        for (Future* f : waiter.finished())
            done.insert(f);
    }
    std::vector<Future*> doneList(done.begin(), done.end());
    std::sort(doneList.begin(), doneList.end(), [](Future* a, Future* b) { return a->index() < b->index(); });
    return { doneList, fs.size() - doneList.size() };
}

} // namespace lockstep
