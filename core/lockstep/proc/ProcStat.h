#pragma once

#include <sys/types.h>

#include <cstdint>

namespace lockstep {

// What /proc says about one process right now: the `ps` STAT letter, the parent, the exit status
// of a zombie, and the scheduler's run and run-queue wait times (to tell running from ready).
struct ProcSample {
    char state = '?'; // R running or runnable, S sleeping, D disk sleep, T stopped, Z zombie
    pid_t ppid = 0;
    int exitStatus = -1; // raw wait status (field 52), meaningful once Z; -1 = unknown
    std::uint64_t runNs = 0; // /proc/<pid>/schedstat: time on a CPU
    std::uint64_t waitNs = 0; // time runnable but waiting for a CPU
    bool hasSchedstat = false;
};

// Parses a /proc/<pid>/stat line ("pid (comm) S ppid ..."): comm may hold spaces and parentheses,
// so fields are counted from the last ')'. Returns false if the text is not such a line.
bool parseProcStat(const char* text, std::size_t size, ProcSample& out);

// Reads one process's /proc entries, keeping the files open: a read is one pread(2), and an fd
// opened on the process keeps naming that process even if its pid is reused after it is reaped.
class ProcStatReader {
public:
    ProcStatReader() = default;
    ~ProcStatReader();
    ProcStatReader(const ProcStatReader&) = delete;
    ProcStatReader& operator=(const ProcStatReader&) = delete;
    ProcStatReader(ProcStatReader&& other) noexcept;
    ProcStatReader& operator=(ProcStatReader&& other) noexcept;

    // Opens /proc/<pid>/stat (and schedstat where the kernel has it). False if the process is gone.
    bool open(pid_t pid);
    // False once the process has been reaped (or was never opened).
    bool read(ProcSample& out) const;
    void close();
    [[nodiscard]] bool isOpen() const { return m_stat >= 0; }

private:
    int m_stat = -1;
    int m_sched = -1;
};

} // namespace lockstep
