#pragma once
// What the processes lesson's forked programs need to know, and what they report. The plan is a
// plain struct filled in before the first fork: the children read their copy of it (fork copies
// the parent's memory), so they never allocate or parse anything.

#include <pthread.h>
#include <semaphore.h>
#include <sys/types.h>

#include <atomic>
#include <cstdint>

namespace lockstep {

enum class ProcVariant : std::uint8_t {
    ForkBasics,
    States,
    Zombie,
    Orphan,
    Wait,
    Sigchld,
    Pool, // engine "processes"
    Pipe,
    PipeNoClose,
    BrokenPipe,
    SharedCounter,
    Semaphore,
    Queue, // engine "ipc"
};
[[nodiscard]] constexpr bool isIpc(ProcVariant v)
{
    return v >= ProcVariant::Pipe;
}

// The kernel objects of the ipc lesson, as ObjectId in the reports.
// The queue variant: its pipe is kObjPipe, its slots semaphore (maxsize) kObjSemaphore, and the
// feeder's buffer in the putting process kObjBuffer.
enum ProcObject : int { kObjPipe = 0, kObjCounter = 1, kObjSemaphore = 2, kObjBuffer = 3, kObjCount };
// Roles a process has on an object (ObjectAttach / ObjectDetach values).
enum ProcRole : int { kRoleRead = 1, kRoleWrite = 2, kRoleWait = 4 };

// A MAP_SHARED page Lockstep maps before forking main, so every process of the tree shares it
// (as multiprocessing's heap for Value and Semaphore) and Lockstep reads it as it samples.
struct IpcShared {
    volatile long counter = 0; // multiprocessing.Value('i')
    pthread_mutex_t mutex; // its lock (PTHREAD_PROCESS_SHARED)
    sem_t semaphore; // multiprocessing.Semaphore(permits), pshared
    std::atomic<int> inside { 0 }; // processes between acquire and release now
    std::atomic<int> maxInside { 0 }; // the most at once, as the processes saw it
    // shared-counter: the workers start counting together, once the last one is forked. A fork
    // costs far more in some builds (ASan copies its shadow mappings) than a worker's whole loop,
    // and workers that never overlap lose no update, which is not what the lesson is about.
    std::atomic<int> go { 0 };
};
static_assert(std::atomic<int>::is_always_lock_free, "atomics in a page shared by processes must be lock-free");

// Lines of the lesson's Python snippet the programs' reports point at (0 = not in the snippet).
enum ProcLine : int {
    kLineFork, // os.fork()
    kLineChildSide, // if pid == 0:
    kLineChange, // value += 1 in the child
    kLineChildExit, // os._exit() in a child
    kLineParentExit, // the orphan's parent exits
    kLineWait, // os.waitpid / os.wait in the parent
    kLinePrint, // the parent prints what it saw
    kLineWork, // CPU work (R)
    kLineSleep, // time.sleep (S)
    kLineLinger, // the zombie's parent sleeps instead of waiting
    kLineGetppid, // the orphan asks for its parent
    kLineHandler, // the SIGCHLD handler's waitpid(-1, WNOHANG)
    kLineBlock, // pthread_sigmask(SIG_BLOCK, {SIGCHLD})
    kLineUnblock, // pthread_sigmask(SIG_UNBLOCK, ...)
    kLinePeek, // waitid(..., WNOWAIT): every child has exited
    kLineTaskGet, // a pool worker takes a task
    kLineTaskDone, // it sends the result back
    kLineMap, // pool.map
    kLineClose, // pool.close()
    kLineJoin, // pool.join()
    kLinePipe, // os.pipe()
    kLineCloseRead, // os.close(r) where the process does not read
    kLineCloseWrite, // os.close(w) where it does not write (or, once done, to send EOF)
    kLineSendEof, // the writer closes the last write end
    kLineWrite, // os.write(w, ...)
    kLineRead, // os.read(r, ...)
    kLineEof, // read returned b'': EOF
    kLineEpipe, // BrokenPipeError
    kLineIncrement, // v.value += 1
    kLineAcquire, // sem.acquire()
    kLineInside, // the section at most `permits` processes are in
    kLineRelease, // sem.release()
    kLineQueue, // q = Queue(maxsize)
    kLinePut, // q.put(...)
    kLinePutNone, // q.put(None)
    kLineGet, // q.get() in the consumer
    kLineCount
};

struct ProcPlan {
    ProcVariant variant = ProcVariant::ForkBasics;
    int children = 1; // children (or pool workers) main forks, 1..Limits::kMaxProcesses - 1
    int rounds = 3; // states: work/sleep rounds per child
    int workMs = 40; // states: CPU work per round; wait: child i sleeps (i + 1) * workMs
    int sleepMs = 40; // states: sleep per round
    int lingerMs = 300; // zombie / sigchld: how long the parent leaves its zombies unreaped
    int orphanMs = 300; // orphan: how long the child outlives its parent
    int parentMs = 100; // orphan: how long the parent lives after the fork
    int tasks = 8; // pool: tasks mapped
    int taskMs = 20; // pool: CPU work per task
    bool loopInHandler = true; // sigchld: the handler loops with WNOHANG (false: one waitpid)
    int exitCode = 7; // zombie: the child's exit status
    long value = 1; // fork-basics: the variable both sides look at
    pid_t observer = 0; // Lockstep's pid (the subreaper)
    int lifelineFd = -1; // read end of a pipe only Lockstep writes to: it hangs up when Lockstep is gone
    // ipc
    int totalBytes = 256 * 1024; // pipe: what the writer sends
    int chunkBytes = 4096; // pipe: per os.write / os.read
    int readerDelayMs = 300; // pipe: the reader starts late, so the writer fills the pipe
    int readMs = 2; // pipe: the reader's work per chunk read
    int hangMs = 1000; // pipe-no-close: how long main waits for the EOF that cannot come
    long increments = 100'000; // shared-counter: per worker
    bool useLock = false; // shared-counter: with the Value's lock
    int permits = 2; // semaphore: Semaphore(permits)
    int holdMs = 60; // semaphore: time inside the section per round
    int items = 12; // queue: items main puts (then None)
    int itemBytes = 16 * 1024; // queue: bytes per item (its pickle)
    int maxsize = 0; // queue: Queue(maxsize); 0 = unbounded
    int getMs = 40; // queue: the consumer's work per item
    IpcShared* shared = nullptr; // set by Lockstep before the fork

    std::int32_t lines[kLineCount] = {};
};

// ChildRecord kinds the programs send (ChildRecord::a is always the sender's pid). Packed pairs
// put the second value in the high 32 bits of b.
enum ProcReport : std::int32_t {
    kReportHello = 1, // b = ppid | index << 32 (0 = main, 1.. = the children, in fork order)
    kReportForkReturned, // b = what fork() returned to the sender (the child's pid, 0 in the child) | child index << 32
    kReportValue, // b = the value the sender sees (fork-basics: value; orphan: getppid())
    kReportWaitBegin, // b = pid waited for (-1 = any child)
    kReportReaped, // b = reaped pid | exit code << 32 (-signal if killed)
    kReportWaitEmpty, // WNOHANG found nothing to reap (b = 0), or no children at all (b = -1)
    kReportPhase, // b = a ProcPhase
    kReportSignal, // a SIGCHLD handler call began (b = how many calls so far)
    kReportTask, // a pool worker took task b
    kReportResult, // main got a result: b = task | result << 32
    kReportDone, // main's program is over; it exits next (b = exit code)
    kReportExiting, // a child is about to _exit (b = exit code)
    kReportAttach, // b = object | roles << 32: the sender now has these ends / uses it
    kReportDetach, // b = object | roles << 32: it closed them
    kReportCapacity, // b = object | capacity << 32 (a pipe: F_GETPIPE_SZ bytes)
    kReportLevel, // b = object | level << 32 (a pipe: bytes in it, FIONREAD)
    kReportIoBegin, // b = object | role << 32: about to block in read / write / sem_wait on it
    kReportIoEnd, // b = object: that call returned
    kReportEof, // os.read returned b''
    kReportEpipe, // os.write failed with EPIPE (BrokenPipeError)
    kReportHang, // b = ms main waited for an EOF that cannot come
    kReportWriteNs, // b = ns the writer spent in os.write in all
    kReportFeeder, // from the queue's feeder thread: b = FeederPhase | item << 32
    kReportPutNs, // b = ns one q.put() took
    kReportGot, // b = item | ns the q.get() took << 32 (ms clipped to 32 bits of us: see ProcTree)
};

// What the feeder thread of a multiprocessing.Queue is doing (kReportFeeder).
enum class FeederPhase : std::int32_t {
    Started = 1, // the first put() started it
    WaitBuffer, // the buffer is empty: waits on the queue's _notempty condition
    Writing, // send_bytes(item): blocks while the pipe is full
    Wrote, // the item is in the pipe (b's high half: ns the write took)
    Exiting, // it took the sentinel close() appends and ends
};

enum class ProcPhase : std::int32_t { Work = 1, Sleep, Linger, Blocked, Unblocked, Close, Join };

[[nodiscard]] constexpr std::int64_t packPair(std::int64_t low, std::int64_t high)
{
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(static_cast<std::uint32_t>(low))
        | (static_cast<std::uint64_t>(static_cast<std::uint32_t>(high)) << 32));
}
[[nodiscard]] constexpr std::int32_t pairLow(std::int64_t v)
{
    return static_cast<std::int32_t>(v & 0xffffffff);
}
[[nodiscard]] constexpr std::int32_t pairHigh(std::int64_t v)
{
    return static_cast<std::int32_t>(static_cast<std::uint64_t>(v) >> 32);
}

} // namespace lockstep
