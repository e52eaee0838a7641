#pragma once
// What every program of the process lessons is built from, in the processes Lockstep forks: the
// reports, sleeping and CPU work that end once Lockstep is gone, os.fork and os.waitpid. All of it
// async-signal-safe (the processes are children of a multithreaded process): system calls only.

#include "lockstep/proc/ChildChannel.h"
#include "lockstep/proc/ProcPlan.h"

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

namespace lockstep::childkit {

// The process's own view, set again in every child right after fork(): each process of the tree
// has its copy. A global because signal handlers need it too.
struct Self {
    const ProcPlan* plan = nullptr;
    const ChildChannel* channel = nullptr;
    pid_t pid = 0;
    pid_t parentAtFork = 0;
    int index = 0;
};
extern Self g_self;

// Sends one report stamped now, pointing at the plan's `line` (kLineCount: none).
void report(ProcReport kind, std::int64_t b = 0, ProcLine line = kLineCount);
// main reports Done, a child Exiting; then _exit(code).
[[noreturn]] void exitNow(int code, ProcLine line);
std::int64_t monotonicNs();
// Waits up to `ms` (-1: for ever) for `fd` to be readable; ends the process if Lockstep is gone.
bool waitReadable(int fd, int ms);
void exitIfAbandoned();
void sleepMs(int ms); // time.sleep: one sleep in the kernel (S)
void burnMs(int ms); // CPU work: runnable (R) for `ms`
// os.fork(): the child becomes process `index` of the tree, runs `body` and exits with its result.
pid_t forkChild(int index, int (*body)(int index));
int exitCodeOf(int status);
// os.waitpid(pid, 0) (-1: os.wait()), reported before and after. Returns the pid reaped.
pid_t waitFor(pid_t pid, ProcLine line);
bool readFull(int fd, void* buf, std::size_t size);
bool writeFull(int fd, const void* buf, std::size_t size);

} // namespace lockstep::childkit
