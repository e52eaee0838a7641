#include "lockstep/proc/ProcStat.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace lockstep {

bool parseProcStat(const char* text, std::size_t size, ProcSample& out)
{
    const char* end = text + size;
    const char* close = nullptr;
    for (const char* p = text; p < end; ++p)
        if (*p == ')') close = p;
    if (!close || close + 2 >= end || close[1] != ' ') return false;
    // Fields from 3 (state) on, space separated, numbered as in proc(5).
    const char* p = close + 2;
    int field = 3;
    while (p < end) {
        const char* q = p;
        while (q < end && *q != ' ' && *q != '\n')
            ++q;
        if (field == 3) {
            if (q - p != 1) return false;
            out.state = *p;
        } else if (field == 4) {
            out.ppid = static_cast<pid_t>(std::strtol(p, nullptr, 10));
        } else if (field == 52) {
            out.exitStatus = static_cast<int>(std::strtol(p, nullptr, 10));
            break;
        }
        ++field;
        p = q + 1;
    }
    return field >= 4;
}

ProcStatReader::~ProcStatReader()
{
    close();
}

ProcStatReader::ProcStatReader(ProcStatReader&& other) noexcept
    : m_stat(std::exchange(other.m_stat, -1)), m_sched(std::exchange(other.m_sched, -1))
{
}

ProcStatReader& ProcStatReader::operator=(ProcStatReader&& other) noexcept
{
    if (this != &other) {
        close();
        m_stat = std::exchange(other.m_stat, -1);
        m_sched = std::exchange(other.m_sched, -1);
    }
    return *this;
}

bool ProcStatReader::open(pid_t pid)
{
    close();
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
    m_stat = ::open(path, O_RDONLY | O_CLOEXEC);
    if (m_stat < 0) return false;
    std::snprintf(path, sizeof path, "/proc/%d/schedstat", static_cast<int>(pid));
    m_sched = ::open(path, O_RDONLY | O_CLOEXEC);
    return true;
}

bool ProcStatReader::read(ProcSample& out) const
{
    if (m_stat < 0) return false;
    char buf[1024];
    const ssize_t n = ::pread(m_stat, buf, sizeof buf - 1, 0);
    if (n <= 0) return false; // ESRCH: reaped
    buf[n] = '\0';
    ProcSample s;
    if (!parseProcStat(buf, static_cast<std::size_t>(n), s)) return false;
    if (m_sched >= 0) {
        const ssize_t m = ::pread(m_sched, buf, sizeof buf - 1, 0);
        if (m > 0) {
            buf[m] = '\0';
            char* rest = nullptr;
            s.runNs = std::strtoull(buf, &rest, 10);
            s.waitNs = std::strtoull(rest, nullptr, 10);
            s.hasSchedstat = true;
        }
    }
    out = s;
    return true;
}

void ProcStatReader::close()
{
    if (m_stat >= 0) ::close(m_stat);
    if (m_sched >= 0) ::close(m_sched);
    m_stat = -1;
    m_sched = -1;
}

} // namespace lockstep
