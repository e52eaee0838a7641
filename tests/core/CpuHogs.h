#pragma once
// Processes that keep every core busy while a test runs, for tests of what the engine says about
// a busy machine. Lowest priority (nice 19): they fill idle cores, which is all such a test needs,
// and leave the tests running beside it the CPU they ask for. Killed and reaped when the object
// goes, and each ends by itself after 30 s whatever happens to the test.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

namespace lockstep::testing {

class CpuHogs {
public:
    explicit CpuHogs(int count)
    {
        for (int i = 0; i < count; ++i) {
            const pid_t pid = ::fork();
            if (pid < 0) continue;
            if (pid == 0) {
                ::alarm(30);
                (void)::nice(19);
                for (;;) { }
            }
            m_pids.push_back(pid);
        }
    }
    ~CpuHogs() { stop(); }
    CpuHogs(const CpuHogs&) = delete;
    CpuHogs& operator=(const CpuHogs&) = delete;

    [[nodiscard]] int started() const { return static_cast<int>(m_pids.size()); }
    void stop()
    {
        for (const pid_t pid : m_pids) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
        m_pids.clear();
    }

private:
    std::vector<pid_t> m_pids;
};

} // namespace lockstep::testing
