#pragma once
// Steps every process Lockstep forks takes first. All async-signal-safe: they run in a child of a
// multithreaded parent, where only such calls are allowed until _exit.

#include <sys/types.h>

namespace lockstep {

// Closes every fd from 3 up except `keep` (and `alsoKeep`, if >= 0): the parent's other fds
// (sockets and pipes of this or other runs) must not be held open by the child, or their peers
// would miss EOF.
void closeFdsExcept(int keep, int alsoKeep = -1);

// The front ends block SIGINT/SIGTERM in every thread and take them on a watcher thread; a child
// has no watcher, so it unblocks every signal, and default dispositions let Ctrl-C or kill end it.
void unblockAllSignals();

// pidfd_open(2): an fd that polls readable once `pid` has exited; -1 (errno set) if the kernel has
// none. Also async-signal-safe (one system call).
int openPidFd(pid_t pid);

} // namespace lockstep
