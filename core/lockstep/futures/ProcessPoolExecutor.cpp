#include "lockstep/futures/ProcessPoolExecutor.h"

#include "lockstep/engine/PyError.h"
#include "lockstep/gil/PyThreadState.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace lockstep {

namespace {

// A _CallItem on the call queue: small and fixed-size, so each write(2) puts a whole item in the
// pipe atomically (<= PIPE_BUF) and each read(2) of that size takes exactly one.
struct CallItem {
    std::int32_t workId = -1; // -1: None, the shutdown sentinel
    std::int32_t ms = 0;
    std::int32_t flags = 0;
};
constexpr std::int32_t kRaises = 1;
constexpr std::int32_t kCpu = 2;

// What a worker reports on its ChildChannel (a = work id where there is one).
enum WorkerReport : std::int32_t {
    kWaitCall = 1, // call_queue.get(block=True): blocked until an item comes
    kTookCall, // a = work id
    kResult, // a = work id, b = CPU ns the task used
    kRaised, // the same, the task raised
    kSentinel, // got None: result_queue.put(os.getpid()), then the worker returns
};

std::int64_t processCpuNs()
{
    timespec t {};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

void sleepNs(std::int64_t ns)
{
    timespec left { static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000) };
    while (::nanosleep(&left, &left) != 0 && errno == EINTR) { }
}

// _process_worker, in a forked child: async-signal-safe calls only.
int workerProgram(const ChildChannel& channel, const void* arg)
{
    const int fd = *static_cast<const int*>(arg);
    for (;;) {
        if (!channel.report(kWaitCall)) return 0;
        CallItem item;
        std::size_t got = 0;
        while (got < sizeof item) {
            const ssize_t n = ::read(fd, reinterpret_cast<char*>(&item) + got, sizeof item - got);
            if (n > 0) got += static_cast<std::size_t>(n);
            else if (n < 0 && errno == EINTR) continue;
            else return 0; // EOF: the executor closed the call queue
        }
        if (item.workId < 0) {
            channel.report(kSentinel, ::getpid());
            return 0;
        }
        channel.report(kTookCall, item.workId);
        const std::int64_t cpu0 = processCpuNs();
        const std::int64_t ns = std::int64_t { item.ms } * 1'000'000;
        if ((item.flags & kCpu) != 0) {
            // `while process_time() < end: pass`: this process's own interpreter, its own GIL.
            volatile std::uint64_t spin = 0;
            while (processCpuNs() - cpu0 < ns)
                for (int k = 0; k < 256; ++k)
                    spin = spin + 1;
        } else {
            sleepNs(ns);
        }
        if (!channel.report((item.flags & kRaises) != 0 ? kRaised : kResult, item.workId, processCpuNs() - cpu0))
            return 0;
    }
}

void makePipe(RunContext& ctx, int fds[2])
{
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    ctx.trackFd(fds[0]);
    ctx.trackFd(fds[1]);
}

} // namespace

ProcessPoolExecutor::ProcessPoolExecutor(
    RunContext& ctx, int maxWorkers, ActorId caller, Gil* gil, const PacedLoop* loop, std::string prefix)
    : m_ctx(ctx), m_maxWorkers(maxWorkers), m_caller(caller), m_gil(gil), m_loop(loop), m_prefix(std::move(prefix)),
      m_shutdownLock(ctx, m_prefix + "._shutdown_lock"), m_workIds(ctx, m_prefix + "._work_ids"),
      m_callQueue(ctx.addActor(ActorKind::Queue, m_prefix + "._call_queue")), m_procs(ctx, caller),
      m_managerStarted(ctx, "ExecutorManagerThread._started"), m_latch(ctx, 1)
{
    TraceRecorder& rec = ctx.recorder();
    rec.record(EventKind::ObjectCapacity, m_callQueue, {}, maxWorkers + kExtraQueuedCalls,
        rec.intern("multiprocessing.Queue"));
    rec.record(EventKind::ObjectLevel, m_callQueue, {}, 0, rec.intern("[]"));
    makePipe(ctx, m_callFds);
    makePipe(ctx, m_wakeFds);
    ::fcntl(m_wakeFds[0], F_SETFL, ::fcntl(m_wakeFds[0], F_GETFL) | O_NONBLOCK);
    m_procs.setRecordHandler([this](std::size_t worker, const ChildRecord& r) { onRecord(worker, r); });
}

ProcessPoolExecutor::~ProcessPoolExecutor()
{
    m_procs.killAll();
    for (int fd : { m_callFds[0], m_callFds[1], m_wakeFds[0], m_wakeFds[1] })
        if (fd >= 0) m_ctx.closeFd(fd);
}

std::string ProcessPoolExecutor::workerOf(int index) const
{
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(index) < m_ranBy.size() ? m_ranBy[static_cast<std::size_t>(index)] : std::string();
}

std::int64_t ProcessPoolExecutor::cpuNsOf(int index) const
{
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(index) < m_cpuNs.size() ? m_cpuNs[static_cast<std::size_t>(index)] : -1;
}

Future& ProcessPoolExecutor::submit(int index, ProcessTask task)
{
    m_shutdownLock.acquire();
    if (m_shutdownThread.load()) {
        m_shutdownLock.release();
        throw PyError("RuntimeError", "cannot schedule new futures after shutdown");
    }
    m_futures.push_back(std::make_unique<Future>(m_ctx, index, "Future-" + std::to_string(index)));
    Future& f = *m_futures.back();
    const int workId = m_queueCount++;
    {
        std::lock_guard lock(m_mutex);
        m_pending[workId] = { &f, task };
        if (m_ranBy.size() <= static_cast<std::size_t>(index)) {
            m_ranBy.resize(static_cast<std::size_t>(index) + 1);
            m_cpuNs.resize(static_cast<std::size_t>(index) + 1, -1);
        }
    }
    m_workIds.put(workId);
    wakeup();
    startManager();
    m_shutdownLock.release();
    return f;
}

void ProcessPoolExecutor::wakeup()
{
    // _ThreadWakeup.wakeup(): send_bytes(b"") on a pipe; os.write lets go of the GIL meanwhile.
    const RunContext::BlockScope writing(m_ctx, State::BlockedIo, {}, false);
    const char byte = 0;
    while (::write(m_wakeFds[1], &byte, 1) < 0 && errno == EINTR) { }
}

void ProcessPoolExecutor::startManager()
{
    if (m_managerSpawned) return;
    // _launch_processes: with fork, every worker exists before the manager thread does (a fork
    // after it started could copy its locks mid-use, cpython#90622).
    m_childFd = m_callFds[0];
    for (int i = 0; i < m_maxWorkers; ++i) {
        const std::size_t child = m_procs.add("ForkProcess-" + std::to_string(i + 1));
        m_procs.start(child, &workerProgram, &m_childFd, 0, m_childFd);
    }
    m_managerSpawned = true;
    m_manager = m_ctx.spawn(
        "ExecutorManagerThread", [this] { managerMain(); }, m_caller);
    m_managerStarted.wait(); // Thread.start() waits for the thread's _started event
}

void ProcessPoolExecutor::managerMain()
{
    const JoinLatch::Guard finished(m_latch, 0);
    if (m_gil == nullptr) {
        m_managerStarted.set();
        managerLoop();
        return;
    }
    PyThreadState ts(m_ctx, RunContext::currentActor(), *m_gil, *m_loop);
    const RunContext::BlockingHookScope hook(ts);
    ts.runThread([&](PyThreadState&) {
        m_managerStarted.set();
        managerLoop();
    });
}

void ProcessPoolExecutor::managerLoop()
{
    for (;;) {
        addCallItemsToQueue();
        // wait_result_broken_or_wakeup: a result, a wake-up or a worker's exit. A result already
        // read stands for a ready result reader.
        bool haveResult;
        {
            std::lock_guard lock(m_mutex);
            haveResult = !m_results.empty();
        }
        if (!haveResult) m_procs.pumpOnce(m_wakeFds[0], true);
        char drain[64];
        while (::read(m_wakeFds[0], drain, sizeof drain) > 0) { } // thread_wakeup.clear()
        std::optional<ResultItem> result;
        {
            std::lock_guard lock(m_mutex);
            if (!m_results.empty()) {
                result = m_results.front();
                m_results.pop_front();
            }
        }
        if (result) processResult(*result);
        if (m_shutdownThread.load()) {
            flagShuttingDown();
            addCallItemsToQueue();
            if (pendingEmpty()) {
                joinInternals();
                return;
            }
        }
    }
}

bool ProcessPoolExecutor::callQueueFull() const
{
    // The kernel's count of what no worker has taken yet: the queue's semaphore, as a worker's
    // get() releases it.
    int bytes = 0;
    if (::ioctl(m_callFds[1], FIONREAD, &bytes) != 0) bytes = 0;
    return bytes / static_cast<int>(sizeof(CallItem)) >= m_maxWorkers + kExtraQueuedCalls;
}

void ProcessPoolExecutor::addCallItemsToQueue()
{
    for (;;) {
        if (callQueueFull()) return;
        if (m_workIds.empty()) return;
        const int workId = m_workIds.get(false).get<int>();
        WorkItem w;
        {
            std::lock_guard lock(m_mutex);
            const auto it = m_pending.find(workId);
            if (it == m_pending.end()) continue;
            w = it->second;
        }
        if (w.future->setRunningOrNotifyCancel()) {
            sendCallItem(workId, w.task);
        } else {
            std::lock_guard lock(m_mutex);
            m_pending.erase(workId);
        }
    }
}

void ProcessPoolExecutor::sendCallItem(int workId, const ProcessTask& task)
{
    CallItem item;
    item.workId = workId;
    item.ms = task.ms;
    item.flags = (task.raises ? kRaises : 0) | (task.cpu ? kCpu : 0);
    const ActorId me = RunContext::currentActor();
    std::size_t size;
    std::string label = "None";
    {
        std::lock_guard lock(m_mutex);
        m_inCallQueue.push_back(workId);
        size = m_inCallQueue.size();
        if (workId >= 0) label = std::to_string(m_pending.at(workId).future->index());
    }
    // Never blocks: the manager keeps at most max_workers + 1 items (and the sentinels) in a pipe
    // of 64 KiB.
    while (::write(m_callFds[1], &item, sizeof item) < 0 && errno == EINTR) { }
    TraceRecorder& rec = m_ctx.recorder();
    rec.record(EventKind::Put, me, m_callQueue, static_cast<std::int64_t>(size), rec.intern(label));
    recordCallQueue(me);
}

void ProcessPoolExecutor::recordCallQueue(ActorId by)
{
    nlohmann::json items = nlohmann::json::array();
    std::size_t size;
    {
        std::lock_guard lock(m_mutex);
        size = m_inCallQueue.size();
        for (int id : m_inCallQueue) {
            const auto it = m_pending.find(id);
            items.push_back(it == m_pending.end() ? std::string("None") : std::to_string(it->second.future->index()));
            if (items.size() >= 16) break;
        }
    }
    TraceRecorder& rec = m_ctx.recorder();
    rec.record(EventKind::ObjectLevel, m_callQueue, by, static_cast<std::int64_t>(size), rec.intern(items.dump()));
}

void ProcessPoolExecutor::onRecord(std::size_t worker, const ChildRecord& r)
{
    TraceRecorder& rec = m_ctx.recorder();
    const ActorId proc = m_procs.actor(worker);
    switch (r.kind) {
    case kWaitCall:
        rec.recordState(proc, State::BlockedIo, m_callQueue);
        break;
    case kTookCall: {
        const int workId = static_cast<int>(r.a);
        int index = -1;
        std::size_t size;
        {
            std::lock_guard lock(m_mutex);
            for (auto it = m_inCallQueue.begin(); it != m_inCallQueue.end(); ++it)
                if (*it == workId) {
                    m_inCallQueue.erase(it);
                    break;
                }
            size = m_inCallQueue.size();
            const auto w = m_pending.find(workId);
            if (w != m_pending.end()) {
                index = w->second.future->index();
                m_ranBy[static_cast<std::size_t>(index)] = rec.actorName(proc);
            }
        }
        rec.record(EventKind::Get, proc, m_callQueue, static_cast<std::int64_t>(size), rec.intern(std::to_string(index)));
        recordCallQueue(proc);
        rec.recordState(proc, State::Running);
        break;
    }
    case kSentinel: {
        {
            std::lock_guard lock(m_mutex);
            for (auto it = m_inCallQueue.begin(); it != m_inCallQueue.end(); ++it)
                if (*it < 0) {
                    m_inCallQueue.erase(it);
                    break;
                }
        }
        rec.record(EventKind::Get, proc, m_callQueue, 0, rec.intern("None"));
        recordCallQueue(proc);
        break;
    }
    case kResult:
    case kRaised: {
        std::lock_guard lock(m_mutex);
        m_results.push_back({ static_cast<int>(r.a), r.kind == kRaised, r.b });
        break;
    }
    default:
        break;
    }
}

void ProcessPoolExecutor::processResult(const ResultItem& r)
{
    // process_result_item: the future gets its outcome here, in the manager thread.
    WorkItem w;
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_pending.find(r.workId);
        if (it == m_pending.end()) return;
        w = it->second;
        m_pending.erase(it);
        m_cpuNs[static_cast<std::size_t>(w.future->index())] = r.cpuNs;
    }
    const int i = w.future->index();
    if (r.raised) w.future->setException("ValueError", "task " + std::to_string(i));
    else w.future->setResult(std::int64_t { i } * 10);
}

bool ProcessPoolExecutor::pendingEmpty() const
{
    std::lock_guard lock(m_mutex);
    return m_pending.empty();
}

void ProcessPoolExecutor::flagShuttingDown()
{
    // flag_executor_shutting_down: with cancel_futures, cancel every pending item a worker has not
    // been given (cancel() fails for those already RUNNING in the call queue) and drop the rest.
    if (!m_cancelPending.exchange(false)) return;
    std::vector<std::pair<int, Future*>> items;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& [id, w] : m_pending)
            items.emplace_back(id, w.future);
    }
    for (const auto& [id, f] : items)
        if (f->cancel()) {
            std::lock_guard lock(m_mutex);
            m_pending.erase(id);
        }
    while (!m_workIds.empty())
        m_workIds.get(false);
}

void ProcessPoolExecutor::joinInternals()
{
    // shutdown_workers: one None per worker still alive, then join each.
    for (std::size_t i = 0; i < m_procs.size(); ++i)
        if (!m_procs.exited(i)) sendCallItem(-1, {});
    for (std::size_t i = 0; i < m_procs.size(); ++i) {
        if (m_procs.reaped(i)) continue;
        // p.join(); timed for the stall detection, which cannot see a process making progress.
        const RunContext::BlockScope joining(m_ctx, State::Blocked, m_procs.actor(i), true);
        m_procs.join(i);
    }
}

void ProcessPoolExecutor::shutdown(bool wait, bool cancelFutures)
{
    m_shutdownLock.acquire();
    m_cancelPending = cancelFutures;
    m_shutdownThread = true;
    if (m_managerSpawned) wakeup();
    m_shutdownLock.release();
    if (!m_managerSpawned || !wait || m_latch.finished(0)) return;
    const RunContext::BlockScope joining(m_ctx, State::Blocked, m_manager, false); // manager_thread.join()
    m_latch.waitFinished(0);
}

} // namespace lockstep
