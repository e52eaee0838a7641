#pragma once

#include "lockstep/engine/RunContext.h"
#include "lockstep/proc/ChildChannel.h"
#include "lockstep/proc/ChildRecord.h"

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lockstep {

// Real child processes for a run, as multiprocessing.Process does on Linux with the fork start
// method: start() forks a child that runs a plain function (its own interpreter model) and reports
// back through a pipe in fixed-size records; join() waits for one child while relaying every
// child's records and noticing every exit, then reaps it with waitpid. A child that exited before
// its parent joins it stays a zombie until then, and the trace shows it: each child is a Process
// actor going New -> Running (Fork) -> Zombie (Exit) -> Terminated (Reap).
//
// Nothing leaks: children are tracked with RunContext::trackChild, fds with trackFd; on cancel
// (join throws Cancelled) and in the destructor every child still there is SIGKILLed and reaped.
// A child also dies with its parent (PR_SET_PDEATHSIG).
class ProcessPool {
public:
    // Runs in the child after fork(). Only async-signal-safe work: no allocation, no locks another
    // thread of the parent may have held (build any mutex the child needs on its own stack).
    // Returns the exit status.
    using ChildMain = int (*)(const ChildChannel& channel, const void* arg);
    // Called on the joining thread for each record a child sends, in the order it was sent.
    using RecordHandler = std::function<void(std::size_t child, const ChildRecord& record)>;

    ProcessPool(RunContext& ctx, ActorId parentThread);
    ~ProcessPool();
    ProcessPool(const ProcessPool&) = delete;
    ProcessPool& operator=(const ProcessPool&) = delete;

    void setRecordHandler(RecordHandler handler) { m_handler = std::move(handler); }

    // multiprocessing.Process(...): a Process actor in state New, not started yet.
    std::size_t add(std::string name);
    // Process.start(): fork. The child runs main(channel, arg) and _exit()s with its result; `arg`
    // must stay valid until then (the child sees the parent's memory as it was at fork time). The
    // child keeps stdio, its report pipe and `inheritFd` (if >= 0: a pipe end it shares, as a
    // multiprocessing.Queue's); every other fd is closed.
    void start(std::size_t child, ChildMain main, const void* arg, std::int32_t line = 0, int inheritFd = -1);
    // Process.join(): blocks until the child exited, then reaps it. Returns its exit code (or
    // -signal if it was killed). Throws Cancelled (the caller's unwinding kills the rest).
    int join(std::size_t child, std::int32_t line = 0);
    // SIGKILL every child that has not been reaped yet, and reap it.
    void killAll();
    // One round of waiting for any child's records or exit, or for `extraFd` (if >= 0) to be
    // readable; handles what is ready. With `blocked`, the calling thread is in State::BlockedIo
    // while it waits (a RunContext::BlockScope: a Python thread lets go of its GIL). Returns true
    // if `extraFd` is readable. Throws Cancelled.
    bool pumpOnce(int extraFd, bool blocked);

    [[nodiscard]] std::size_t size() const { return m_children.size(); }
    [[nodiscard]] ActorId actor(std::size_t child) const { return m_children.at(child).actor; }
    [[nodiscard]] pid_t pid(std::size_t child) const { return m_children.at(child).pid; }
    [[nodiscard]] bool exited(std::size_t child) const { return m_children.at(child).exited; }
    [[nodiscard]] bool reaped(std::size_t child) const { return m_children.at(child).reaped; }
    // ts of the child's exit as the parent saw it, and of its reaping (-1 = not yet).
    [[nodiscard]] std::int64_t exitTs(std::size_t child) const { return m_children.at(child).exitTs; }
    [[nodiscard]] std::int64_t reapTs(std::size_t child) const { return m_children.at(child).reapTs; }

private:
    struct Child {
        std::string name;
        ActorId actor;
        pid_t pid = -1;
        int pipeFd = -1; // read end of the report pipe (non-blocking)
        int pidFd = -1; // pidfd: readable once the child exited (-1 if the kernel has none)
        bool exited = false;
        bool reaped = false;
        int exitCode = 0;
        std::int64_t exitTs = -1;
        std::int64_t reapTs = -1;
        std::size_t partialBytes = 0;
        alignas(ChildRecord) unsigned char partial[sizeof(ChildRecord)] = {};
    };

    // Waits (poll) for records, exits or cancel; handles whatever is ready. Throws Cancelled.
    void pump() { pumpOnce(-1, false); }
    void drainPipe(std::size_t child);
    void noteExit(std::size_t child, int exitCode);
    bool checkExited(std::size_t child); // waitid(WNOWAIT): has it exited? (does not reap)
    void reap(std::size_t child);
    void closeFds(Child& c);

    RunContext& m_ctx;
    ActorId m_parent;
    RecordHandler m_handler;
    std::vector<Child> m_children;
};

} // namespace lockstep
