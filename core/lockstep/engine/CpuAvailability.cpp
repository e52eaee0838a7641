#include "lockstep/engine/CpuAvailability.h"

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace lockstep {

CpuAvailability::CpuAvailability() : m_start(take())
{
}

CpuAvailability::Sample CpuAvailability::take()
{
    Sample s;
    s.wallNs = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
                   .count();
    // Only the cores this process may run on: in a container /proc/stat may list the host's.
    cpu_set_t set;
    CPU_ZERO(&set);
    const bool masked = ::sched_getaffinity(0, sizeof set, &set) == 0;
    if (std::FILE* f = std::fopen("/proc/stat", "re")) {
        const long hz = ::sysconf(_SC_CLK_TCK);
        std::int64_t busyTicks = 0;
        bool any = false;
        char line[512];
        while (std::fgets(line, sizeof line, f) != nullptr) {
            // cpuN user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
            unsigned cpu = 0;
            unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
            if (std::sscanf(line, "cpu%u %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &user, &nice, &system, &idle,
                    &iowait, &irq, &softirq, &steal)
                != 9)
                continue;
            if (masked && (cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &set))) continue;
            busyTicks += static_cast<std::int64_t>(user + nice + system + irq + softirq + steal);
            any = true;
        }
        if (any) s.machineBusyNs = busyTicks * (1'000'000'000 / (hz > 0 ? hz : 100));
        std::fclose(f);
    }
    if (std::FILE* f = std::fopen("/proc/pressure/cpu", "re")) {
        unsigned long long total = 0;
        double a10 = 0, a60 = 0, a300 = 0;
        if (std::fscanf(f, "some avg10=%lf avg60=%lf avg300=%lf total=%llu", &a10, &a60, &a300, &total) == 4)
            s.pressureUs = static_cast<std::int64_t>(total);
        std::fclose(f);
    }
    rusage ru {};
    if (::getrusage(RUSAGE_SELF, &ru) == 0) {
        auto ns = [](const timeval& t) {
            return std::int64_t { t.tv_sec } * 1'000'000'000 + std::int64_t { t.tv_usec } * 1000;
        };
        s.selfCpuNs = ns(ru.ru_utime) + ns(ru.ru_stime);
    }
    return s;
}

CpuAvailability::Reading CpuAvailability::read() const
{
    const Sample now = take();
    Reading r;
    cpu_set_t set;
    CPU_ZERO(&set);
    r.cores = ::sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
                                                            : static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
    const std::int64_t wall = now.wallNs - m_start.wallNs;
    if (m_start.pressureUs >= 0 && now.pressureUs >= 0 && wall > 0)
        r.pressure = std::min(
            1.0, static_cast<double>(now.pressureUs - m_start.pressureUs) * 1000.0 / static_cast<double>(wall));
    // Below a few ticks the kernel's counts say nothing.
    if (m_start.machineBusyNs < 0 || now.machineBusyNs < 0 || wall < 50'000'000) return r;
    const std::int64_t others = (now.machineBusyNs - m_start.machineBusyNs) - (now.selfCpuNs - m_start.selfCpuNs);
    r.valid = true;
    r.othersCores = others > 0 ? static_cast<double>(others) / static_cast<double>(wall) : 0.0;
    r.freeCores = static_cast<double>(r.cores) - r.othersCores;
    return r;
}

} // namespace lockstep
