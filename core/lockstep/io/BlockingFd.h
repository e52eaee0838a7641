#pragma once
// Blocking reads and writes, as Python's os.read/os.write and socket.recv/send on a blocking fd
// do them, that a cancelled run can interrupt: the fds are non-blocking underneath and every wait
// is a poll() that also watches the run's cancel fd (throws Cancelled).

#include <cstddef>

namespace lockstep {

class RunContext;

// Waits until `fd` is ready for `events` or the run is cancelled. timeoutMs < 0: no timeout.
// Returns false on timeout.
bool waitFd(RunContext& ctx, int fd, short events, int timeoutMs = -1);

// Up to `size` bytes; 0 = end of file. The syscall is tried first and poll() only used when it
// would block, so a read that does not block costs one system call, as in CPython.
std::size_t readSome(RunContext& ctx, int fd, void* buf, std::size_t size);

// All `size` bytes. A peer that has gone is PyError("BrokenPipeError", ...), as Python sees it
// (CPython ignores SIGPIPE): sockets are written with MSG_NOSIGNAL, so no signal kills the process
// whatever SIGPIPE's disposition; on pipes the programs' SIG_IGN does the same.
void writeAll(RunContext& ctx, int fd, const void* buf, std::size_t size);

void setNonBlocking(int fd);

} // namespace lockstep
