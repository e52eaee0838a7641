#pragma once

#include <cstdint>

namespace lockstep {

// Whether the machine had a free core over an interval, found passively (nothing spins to find
// out), so a lesson can tell while it runs whether an effect that needs a free core (the GIL
// convoy) could show at all. Two readings:
// - CPU pressure (PSI, /proc/pressure/cpu "some"): the share of the interval in which some
//   runnable task waited for a CPU, in microseconds, so it also judges runs of a few ms. Any
//   waiting means no core was free at that moment.
// - Free cores: every core's busy time from /proc/stat minus this process's own CPU time
//   (getrusage), per wall second; kernel ticks (10 ms), so only for intervals of 50 ms or more.
class CpuAvailability {
public:
    CpuAvailability(); // the interval starts now

    struct Reading {
        bool valid = false; // /proc/stat was readable and the interval long enough
        int cores = 0; // cores this process may run on (its affinity mask)
        double othersCores = 0; // CPU seconds per wall second used by everything else
        double freeCores = 0; // cores minus what the others used
        double pressure = -1; // 0..1: share of the time some task waited for a CPU; -1: no PSI
    };
    // Since construction.
    [[nodiscard]] Reading read() const;

private:
    struct Sample {
        std::int64_t wallNs = 0;
        std::int64_t machineBusyNs = -1; // -1: unreadable
        std::int64_t selfCpuNs = 0;
        std::int64_t pressureUs = -1; // PSI cpu "some" total; -1: unreadable
    };
    static Sample take();

    Sample m_start;
};

} // namespace lockstep
