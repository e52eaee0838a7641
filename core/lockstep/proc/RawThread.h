#pragma once
// A second thread inside a process Lockstep forked, for the one program that needs it: the feeder
// thread of multiprocessing.Queue. Such a process is a child of a multithreaded process, where
// pthread_create (which allocates and takes glibc's and the sanitizers' locks) is not safe. So
// the thread is made with clone(2) on a static stack, shares the creator's TLS, and runs code that
// makes system calls directly (no libc call, no errno, nothing a sanitizer intercepts) and touches
// memory only through atomics. Linux on x86-64 and AArch64; elsewhere supported() is false.

#include <atomic>
#include <cstddef>
#include <cstdint>

// Marks code that runs on a raw thread: no sanitizer instrumentation (it would use the creating
// thread's per-thread state), and not inlined into code that has it.
#define LOCKSTEP_RAW_THREAD_CODE __attribute__((no_sanitize("address", "thread", "undefined"), noinline))

namespace lockstep::rawthread {

[[nodiscard]] bool supported();

// The system call `n` with up to four arguments; returns -errno on failure, as the kernel does.
long syscall4(long n, long a = 0, long b = 0, long c = 0, long d = 0);

// Blocks while `*word == expected` (FUTEX_WAIT, process-private); returns at once otherwise. The
// word is read and written with __atomic builtins on both sides.
void futexWait(std::uint32_t* word, std::uint32_t expected);
void futexWakeAll(std::uint32_t* word);
// CLOCK_MONOTONIC in ns, through the system call (the vDSO is a libc path).
std::int64_t monotonicNs();

// A thread running fn(arg) on `stack` (16-byte aligned, `size` bytes, owned by the caller and
// untouched until the thread ended). `exited` becomes 0 when the thread has ended (the kernel's
// CLONE_CHILD_CLEARTID). Returns the thread's tid, or -1.
int start(int (*fn)(void*), void* arg, void* stack, std::size_t size, std::atomic<std::int32_t>& exited);
// Waits until a thread start() made has ended.
void join(std::atomic<std::int32_t>& exited);

} // namespace lockstep::rawthread
