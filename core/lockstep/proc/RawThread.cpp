#include "lockstep/proc/RawThread.h"

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>

#include <cstdint>

namespace lockstep::rawthread {

#if defined(__x86_64__) || defined(__aarch64__)
bool supported()
{
    return true;
}

#define LOCKSTEP_RAW LOCKSTEP_RAW_THREAD_CODE

LOCKSTEP_RAW long syscall4(long n, long a, long b, long c, long d)
{
#if defined(__x86_64__)
    long ret;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return ret;
#else
    register long x8 __asm__("x8") = n;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    register long x3 __asm__("x3") = d;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
    return x0;
#endif
}

LOCKSTEP_RAW void futexWait(std::uint32_t* word, std::uint32_t expected)
{
    syscall4(SYS_futex, reinterpret_cast<long>(word), FUTEX_WAIT_PRIVATE, expected, 0);
}

LOCKSTEP_RAW void futexWakeAll(std::uint32_t* word)
{
    syscall4(SYS_futex, reinterpret_cast<long>(word), FUTEX_WAKE_PRIVATE, 0x7fffffff, 0);
}

LOCKSTEP_RAW std::int64_t monotonicNs()
{
    timespec t;
    t.tv_sec = 0;
    t.tv_nsec = 0;
    syscall4(SYS_clock_gettime, CLOCK_MONOTONIC, reinterpret_cast<long>(&t));
    return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

namespace {

#if defined(__x86_64__)
// clone(2) itself, not glibc's wrapper: ThreadSanitizer intercepts clone() and runs its own code in
// the child. The child starts on `top` with fn and arg on it, calls fn(arg) and leaves with
// exit(2) (this thread only), never returning into the parent's frame.
LOCKSTEP_RAW long cloneThread(long flags, char* top, std::int32_t* ctid, int (*fn)(void*), void* arg)
{
    auto* sp = reinterpret_cast<void**>(reinterpret_cast<std::uintptr_t>(top) & ~std::uintptr_t { 15 });
    *--sp = arg;
    *--sp = reinterpret_cast<void*>(fn);
    long ret;
    register long r10 __asm__("r10") = reinterpret_cast<long>(ctid); // child_tid
    register long r8 __asm__("r8") = 0; // tls: none
    __asm__ volatile("syscall\n\t"
                     "testq %%rax, %%rax\n\t"
                     "jnz 1f\n\t"
                     "xorl %%ebp, %%ebp\n\t" // the child: no frame to return to
                     "popq %%rax\n\t" // fn
                     "popq %%rdi\n\t" // arg
                     "andq $-16, %%rsp\n\t"
                     "call *%%rax\n\t"
                     "movl %%eax, %%edi\n\t"
                     "movl $60, %%eax\n\t" // SYS_exit
                     "syscall\n\t"
                     "hlt\n\t"
                     "1:\n\t"
                     : "=a"(ret)
                     : "a"(static_cast<long>(SYS_clone)), "D"(flags), "S"(sp), "d"(0L), "r"(r10), "r"(r8)
                     : "rcx", "r11", "memory");
    return ret;
}
#else
long cloneThread(long flags, char* top, std::int32_t* ctid, int (*fn)(void*), void* arg)
{
    return ::clone(fn, top, static_cast<int>(flags), arg, nullptr, nullptr, reinterpret_cast<pid_t*>(ctid));
}
#endif

} // namespace

int start(int (*fn)(void*), void* arg, void* stack, std::size_t size, std::atomic<std::int32_t>& exited)
{
    exited.store(1);
    // A thread of this process sharing everything, its TLS included (no CLONE_SETTLS: fn must not
    // use it). The kernel zeroes `exited` and wakes its futex when the thread ends.
    const long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM
        | CLONE_CHILD_CLEARTID;
    char* top = static_cast<char*>(stack) + size;
    const long tid = cloneThread(flags, top, reinterpret_cast<std::int32_t*>(&exited), fn, arg);
    if (tid < 0) {
        exited.store(0);
        return -1;
    }
    return static_cast<int>(tid);
}

void join(std::atomic<std::int32_t>& exited)
{
    for (std::int32_t v = exited.load(); v != 0; v = exited.load())
        ::syscall(SYS_futex, reinterpret_cast<std::int32_t*>(&exited), FUTEX_WAIT, v, nullptr, nullptr, 0);
}

#else
bool supported()
{
    return false;
}
long syscall4(long, long, long, long, long)
{
    return -38; // ENOSYS
}
void futexWait(std::uint32_t*, std::uint32_t) { }
void futexWakeAll(std::uint32_t*) { }
std::int64_t monotonicNs()
{
    return 0;
}
int start(int (*)(void*), void*, void*, std::size_t, std::atomic<std::int32_t>& exited)
{
    exited.store(0);
    return -1;
}
void join(std::atomic<std::int32_t>&) { }
#endif

} // namespace lockstep::rawthread
