// The ipc lesson's `queue` variant: multiprocessing.Queue as CPython 3.11 builds it
// (Lib/multiprocessing/queues.py), between main (the putter) and one consumer process:
//
//  - a pipe carries the items, each as send_bytes() frames it: a 4-byte length, then the pickle;
//  - a BoundedSemaphore(maxsize) in shared memory counts free slots: put() takes one (blocking
//    when the queue is full), get() gives one back after reading an item;
//  - in the putting process, put() only appends to a buffer and wakes the feeder thread, which the
//    first put() starts; the feeder writes the buffer into the pipe, blocking while the pipe is
//    full. So put() returns at once however slow the consumer is, and the process's exit waits
//    for the feeder to flush what is left (Queue._finalize_join).
//
// Both processes are children of Lockstep's multithreaded process: everything here is a system
// call, and the feeder is a RawThread running code no sanitizer instruments.

#include "lockstep/proc/ProcIpcPrograms.h"

#include "lockstep/proc/ProcChildKit.h"
#include "lockstep/proc/RawThread.h"

#include <fcntl.h>
#include <semaphore.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace lockstep {

namespace {

using namespace childkit;

constexpr std::int32_t kNone = -1; // q.put(None): the consumer's stop signal
constexpr std::int32_t kClose = -2; // the sentinel close() appends: the feeder ends
constexpr std::uint32_t kRing = 256; // more than the most items plus None and the sentinel
constexpr std::size_t kHeader = 4;
constexpr std::size_t kNoneBytes = 4; // pickle.dumps(None) is b'\x80\x04N.'

// The putting process's side of the queue, shared by main and its feeder thread. Written and read
// with __atomic builtins only (the feeder is invisible to ThreadSanitizer).
struct Feeder {
    std::uint32_t notEmpty = 0; // futex word: bumped on every append (the _notempty condition)
    std::uint32_t head = 0; // next slot the feeder takes
    std::uint32_t tail = 0; // next slot put() fills
    std::int32_t ring[kRing] = {};
    // Read-only once the feeder runs.
    int pipeFd = -1;
    int channelFd = -1;
    std::int64_t runStartNs = 0;
    std::int64_t pid = 0;
    std::int32_t itemBytes = 0;
    std::int32_t capacity = 0;
    std::int32_t linePut = 0;
    std::atomic<std::int32_t> exited { 0 };
    bool started = false;
};
Feeder g_feeder;
int g_queuePipe[2] = { -1, -1 }; // Queue._reader, Queue._writer: inherited by the consumer
alignas(64) char g_feederStack[64 * 1024];
alignas(8) unsigned char g_frame[kHeader + 256 * 1024]; // the feeder's message: length, then the pickle
alignas(8) unsigned char g_received[256 * 1024]; // the consumer's copy of one item

void reportPair(ProcReport kind, int object, std::int64_t value, ProcLine line = kLineCount)
{
    report(kind, packPair(object, value), line);
}

int pipeLevel(int fd)
{
    int n = 0;
    return ::ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
}

// --- the feeder thread (raw: system calls and __atomic builtins only) ----------------------------

LOCKSTEP_RAW_THREAD_CODE void feederReport(ProcReport kind, std::int64_t b)
{
    ChildRecord r;
    r.ts = rawthread::monotonicNs() - g_feeder.runStartNs;
    r.a = g_feeder.pid;
    r.b = b;
    r.kind = kind;
    r.line = g_feeder.linePut;
    rawthread::syscall4(SYS_write, g_feeder.channelFd, reinterpret_cast<long>(&r), sizeof r);
}

LOCKSTEP_RAW_THREAD_CODE void feederPhase(FeederPhase phase, std::int64_t high = 0)
{
    feederReport(kReportFeeder, packPair(static_cast<std::int32_t>(phase), high));
}

LOCKSTEP_RAW_THREAD_CODE int rawPipeLevel()
{
    int n = 0;
    rawthread::syscall4(SYS_ioctl, g_feeder.pipeFd, FIONREAD, reinterpret_cast<long>(&n));
    return n;
}

// Queue._feed: wait for the buffer to hold something, then send each item, until the sentinel.
LOCKSTEP_RAW_THREAD_CODE int feederMain(void*)
{
    feederPhase(FeederPhase::Started);
    for (;;) {
        const std::uint32_t seen = __atomic_load_n(&g_feeder.notEmpty, __ATOMIC_ACQUIRE);
        const std::uint32_t head = __atomic_load_n(&g_feeder.head, __ATOMIC_RELAXED);
        if (head == __atomic_load_n(&g_feeder.tail, __ATOMIC_ACQUIRE)) {
            feederPhase(FeederPhase::WaitBuffer); // with self._notempty: self._notempty.wait()
            rawthread::futexWait(&g_feeder.notEmpty, seen);
            continue;
        }
        const std::int32_t item = g_feeder.ring[head % kRing];
        __atomic_store_n(&g_feeder.head, head + 1, __ATOMIC_RELEASE);
        const std::uint32_t left = __atomic_load_n(&g_feeder.tail, __ATOMIC_ACQUIRE) - (head + 1);
        feederReport(kReportLevel, packPair(kObjBuffer, static_cast<std::int64_t>(left)));
        if (item == kClose) {
            feederPhase(FeederPhase::Exiting);
            return 0;
        }
        const std::size_t body = item == kNone ? kNoneBytes : static_cast<std::size_t>(g_feeder.itemBytes);
        const std::size_t size = kHeader + body;
        g_frame[0] = static_cast<unsigned char>(body >> 24);
        g_frame[1] = static_cast<unsigned char>(body >> 16);
        g_frame[2] = static_cast<unsigned char>(body >> 8);
        g_frame[3] = static_cast<unsigned char>(body);
        g_frame[4] = static_cast<unsigned char>(item);
        g_frame[5] = static_cast<unsigned char>(item >> 8);
        g_frame[6] = static_cast<unsigned char>(item >> 16);
        g_frame[7] = static_cast<unsigned char>(item >> 24);
        // Whether the write will have to wait for the consumer: the pipe lacks room for it.
        const bool waits = g_feeder.capacity - rawPipeLevel() < static_cast<int>(size);
        feederPhase(FeederPhase::Writing, item | (waits ? 0x10000 : 0));
        const std::int64_t t0 = rawthread::monotonicNs();
        std::size_t done = 0;
        while (done < size) {
            const long n = rawthread::syscall4(SYS_write, g_feeder.pipeFd, reinterpret_cast<long>(g_frame + done),
                static_cast<long>(size - done));
            if (n > 0) done += static_cast<std::size_t>(n);
            else if (n != -EINTR) return 1; // the reader is gone (EPIPE): nothing more to send
        }
        feederReport(kReportLevel, packPair(kObjPipe, rawPipeLevel()));
        feederPhase(FeederPhase::Wrote, (rawthread::monotonicNs() - t0) / 1000);
    }
}

// --- main: the putter ----------------------------------------------------------------------------

void append(std::int32_t item)
{
    const std::uint32_t tail = __atomic_load_n(&g_feeder.tail, __ATOMIC_RELAXED);
    g_feeder.ring[tail % kRing] = item;
    __atomic_store_n(&g_feeder.tail, tail + 1, __ATOMIC_RELEASE);
    __atomic_add_fetch(&g_feeder.notEmpty, 1, __ATOMIC_RELEASE);
    rawthread::futexWakeAll(&g_feeder.notEmpty);
    const std::uint32_t head = __atomic_load_n(&g_feeder.head, __ATOMIC_ACQUIRE);
    reportPair(kReportLevel, kObjBuffer, static_cast<std::int64_t>(tail + 1 - head));
}

void put(const ProcPlan& plan, std::int32_t item)
{
    const ProcLine line = item == kNone ? kLinePutNone : kLinePut;
    const std::int64_t t0 = monotonicNs();
    if (plan.maxsize > 0) { // self._sem.acquire(): blocks while maxsize items are in the queue
        reportPair(kReportIoBegin, kObjSemaphore, kRoleWait, line);
        while (::sem_wait(&plan.shared->semaphore) != 0 && errno == EINTR) { }
        report(kReportIoEnd, kObjSemaphore);
    }
    if (!g_feeder.started) { // self._start_thread()
        g_feeder.started = true;
        if (rawthread::start(&feederMain, nullptr, g_feederStack, sizeof g_feederStack, g_feeder.exited) < 0)
            exitNow(122, line);
    }
    append(item); // self._buffer.append(obj); self._notempty.notify()
    report(kReportPutNs, monotonicNs() - t0, line);
}

// --- the consumer --------------------------------------------------------------------------------

int consumer(int /*index*/)
{
    const int* fds = g_queuePipe;
    reportPair(kReportAttach, kObjPipe, kRoleRead | kRoleWrite, kLineChildSide); // fork copied both ends
    for (;;) {
        const std::int64_t t0 = monotonicNs();
        reportPair(kReportIoBegin, kObjPipe, kRoleRead, kLineGet); // with self._rlock: recv_bytes()
        unsigned char header[kHeader];
        if (!readFull(fds[0], header, sizeof header)) return 3;
        const std::size_t body = (std::size_t { header[0] } << 24) | (std::size_t { header[1] } << 16)
            | (std::size_t { header[2] } << 8) | header[3];
        if (body > sizeof g_received || !readFull(fds[0], g_received, body)) return 4;
        report(kReportIoEnd, kObjPipe);
        if (g_self.plan->maxsize > 0) ::sem_post(&g_self.plan->shared->semaphore); // self._sem.release()
        const std::int32_t item = body == kNoneBytes
            ? kNone
            : static_cast<std::int32_t>(g_received[0] | (g_received[1] << 8) | (g_received[2] << 16)
                  | (static_cast<std::uint32_t>(g_received[3]) << 24));
        reportPair(kReportLevel, kObjPipe, pipeLevel(fds[0]), kLineGet);
        report(kReportGot, packPair(item, (monotonicNs() - t0) / 1000), kLineGet);
        if (item == kNone) return 0;
        sleepMs(g_self.plan->getMs);
    }
}

} // namespace

void runQueueVariant(const ProcPlan& plan)
{
    int* fds = g_queuePipe;
    if (!rawthread::supported()) exitNow(123, kLineQueue); // no feeder thread on this architecture
    if (::pipe(fds) != 0) exitNow(121, kLineQueue);
    reportPair(kReportAttach, kObjPipe, kRoleRead | kRoleWrite, kLineQueue);
    reportPair(kReportCapacity, kObjPipe, ::fcntl(fds[1], F_GETPIPE_SZ), kLineQueue);
    if (plan.maxsize > 0) reportPair(kReportCapacity, kObjSemaphore, plan.maxsize, kLineQueue);
    // Process.start() comes before the first put: the consumer is forked while main has one thread.
    const pid_t child = forkChild(1, &consumer);
    g_feeder.pipeFd = fds[1];
    g_feeder.channelFd = g_self.channel->fd();
    g_feeder.runStartNs = g_self.channel->startNs();
    g_feeder.pid = g_self.pid;
    g_feeder.itemBytes = plan.itemBytes;
    g_feeder.capacity = ::fcntl(fds[1], F_GETPIPE_SZ);
    g_feeder.linePut = plan.lines[kLinePut];
    reportPair(kReportAttach, kObjBuffer, kRoleWrite, kLinePut); // main's own buffer: its puts fill it
    for (int i = 0; i < plan.items; ++i)
        put(plan, i);
    put(plan, kNone);
    waitFor(child, kLineJoin);
    // Leaving the process: Queue._finalize_close appends the sentinel, _finalize_join joins the feeder.
    if (g_feeder.started) {
        append(kClose);
        rawthread::join(g_feeder.exited);
    }
}

} // namespace lockstep
