#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace lockstep {

// SIGINT/SIGTERM for a front end that runs lessons. A signal handler may call almost nothing
// (no locks, no allocation, no condition variables), yet stopping a run means cancelling it,
// joining threads and writing files. So the signals are never delivered to a handler: the front
// end blocks them in main() before any thread exists (every later thread, the engine's included,
// inherits the mask) and one watcher thread reads them from a signalfd, where it may do anything.
//
// The first signal calls onFirst(signo) on the watcher thread; the caller cancels the run and
// exits with exitCode(signo) once it has cleaned up. A second signal means "now": the watcher
// calls _exit(exitCode(first signal)) without cleaning up.
//
// A blocked mask survives fork and exec: whatever forks must unblock the signals in the child
// (ProcessPool's children do), or the child would ignore Ctrl-C and kill.
class SignalWatcher {
public:
    // Blocks SIGINT and SIGTERM in the calling thread. Call first thing in main().
    static void blockTerminationSignals();
    // 130 for SIGINT, 143 for SIGTERM: what a shell reports for a process the signal killed.
    [[nodiscard]] static int exitCode(int signo) { return 128 + signo; }

    explicit SignalWatcher(std::function<void(int signo)> onFirst);
    ~SignalWatcher(); // stops the watcher thread (a signal after this stays pending, blocked)
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    // The first signal received, or 0.
    [[nodiscard]] int received() const { return m_first.load(std::memory_order_acquire); }

private:
    void watch();

    std::function<void(int)> m_onFirst;
    std::atomic<int> m_first { 0 };
    int m_signalFd = -1;
    int m_stopFd = -1;
    std::thread m_thread;
};

} // namespace lockstep
