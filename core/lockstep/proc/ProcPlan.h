#pragma once
// What the processes lesson's forked programs need to know, and what they report. The plan is a
// plain struct filled in before the first fork: the children read their copy of it (fork copies
// the parent's memory), so they never allocate or parse anything.

#include <sys/types.h>

#include <cstdint>

namespace lockstep {

enum class ProcVariant : std::uint8_t { ForkBasics, States, Zombie, Orphan, Wait, Sigchld, Pool };

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
