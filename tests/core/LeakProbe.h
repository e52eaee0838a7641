#pragma once

#include <chrono>

#include <dirent.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstddef>
#include <string>
#include <thread>

namespace lockstep::test {

// What this process holds right now, read from /proc/self: threads, open fds, unreaped children.
struct LeakProbe {
    std::size_t threads = 0;
    std::size_t fds = 0;
    bool hasChildren = false;

    static std::size_t countEntries(const char* dir)
    {
        std::size_t n = 0;
        if (DIR* d = ::opendir(dir)) {
            while (dirent* e = ::readdir(d))
                if (e->d_name[0] != '.') ++n;
            ::closedir(d);
        }
        return n;
    }

    static LeakProbe now()
    {
        // ThreadSanitizer starts a background thread of its own at the first pthread_create and
        // keeps it: start (and join) one thread before the first count so that it is in every count.
        // That thread, joined, still shows in /proc/self/task for a moment (see settledTo): wait
        // until it is gone, or until the count has stood still for 50 ms (TSan's own thread stays),
        // so that the first count, usually a test's baseline, does not include it.
        [[maybe_unused]] static const bool runtimeSettled = [] {
            const std::size_t before = countEntries("/proc/self/task");
            std::thread([] {}).join();
            const auto start = std::chrono::steady_clock::now();
            auto lastChange = start;
            std::size_t last = countEntries("/proc/self/task");
            while (last > before && std::chrono::steady_clock::now() - lastChange < std::chrono::milliseconds(50)
                   && std::chrono::steady_clock::now() - start < std::chrono::seconds(2)) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
                const std::size_t n = countEntries("/proc/self/task");
                if (n != last) lastChange = std::chrono::steady_clock::now();
                last = n;
            }
            return true;
        }();
        LeakProbe p;
        p.threads = countEntries("/proc/self/task");
        p.fds = countEntries("/proc/self/fd") - 1; // minus the DIR's own fd
        siginfo_t info{};
        // WNOWAIT: look without reaping. ECHILD = no children at all.
        p.hasChildren = ::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 || errno != ECHILD;
        return p;
    }

    // now(), read again for up to `patience` until it matches `baseline`. pthread_join returns
    // once the kernel clears the thread's tid, a moment before the task leaves /proc/self/task,
    // so a thread joined just now may still be listed briefly; a real leak stays and is reported.
    static LeakProbe settledTo(const LeakProbe& baseline,
                               std::chrono::milliseconds patience = std::chrono::milliseconds(2000))
    {
        const auto deadline = std::chrono::steady_clock::now() + patience;
        LeakProbe p = now();
        while ((p.threads != baseline.threads || p.fds != baseline.fds || p.hasChildren != baseline.hasChildren)
               && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            p = now();
        }
        return p;
    }
};

} // namespace lockstep::test
