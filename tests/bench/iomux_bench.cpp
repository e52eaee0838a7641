// ns per wait of each multiplexer at 100 / 1000 / 10000 watched sockets, 10 of them ready: the
// writers write first, then the timed wait finds them. Only the wait call is timed (building its
// arguments, the system call, the user-space scan), as in the iomux lesson's ns_per_wait.
//
// To watch 10000 sockets under a 20000 open-file limit, both ends of every AF_UNIX socket pair are
// watched: a writer writes on the peer of a watched end, which is itself watched but stays
// unreadable (the server reads and does not answer). select stops at FD_SETSIZE (1024). Read the
// median of the repetitions: on a shared machine the mean carries every preemption.
#include "lockstep/engine/Cancelled.h"
#include "lockstep/io/FdBudget.h"
#include "lockstep/io/Multiplexer.h"

#include <benchmark/benchmark.h>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

using namespace lockstep;

namespace {

constexpr int kActive = 10;

class WatchedSockets {
public:
    explicit WatchedSockets(int count)
    {
        for (int i = 0; i < count; i += 2) {
            int sv[2];
            if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0) return;
            m_fds.push_back(sv[0]);
            m_fds.push_back(sv[1]);
        }
    }
    ~WatchedSockets()
    {
        for (const int fd : m_fds) ::close(fd);
    }
    WatchedSockets(const WatchedSockets&) = delete;
    WatchedSockets& operator=(const WatchedSockets&) = delete;

    [[nodiscard]] const std::vector<int>& fds() const { return m_fds; }
    // The other end of the pair of fds()[i].
    [[nodiscard]] int peer(std::size_t i) const { return m_fds[i ^ 1u]; }

private:
    std::vector<int> m_fds;
};

void waitCost(benchmark::State& state, MuxKind kind)
{
    const int n = static_cast<int>(state.range(0));
    FdBudget budget(n / 2); // n fds: half as many "connections" of two fds each
    budget.raiseSoftLimit();
    if (static_cast<std::uint64_t>(n + budget.openFds() + FdBudget::kSlack) > budget.softLimit()) {
        state.SkipWithError(("needs " + std::to_string(n + budget.openFds() + FdBudget::kSlack) +
                             " open files; raise the limit with ulimit -n")
                                .c_str());
        return;
    }
    WatchedSockets sockets(n);
    if (static_cast<int>(sockets.fds().size()) != n) {
        state.SkipWithError("socketpair failed");
        return;
    }
    std::unique_ptr<Multiplexer> mux = makeMultiplexer(kind, -1);
    try {
        for (const int fd : sockets.fds()) mux->add(fd);
    } catch (const InputError& e) {
        state.SkipWithError(e.what());
        return;
    }
    // A fixed set of ready sockets spread evenly over the set (as libevent's bench does).
    std::vector<std::size_t> active;
    for (int j = 0; j < kActive; ++j) active.push_back(static_cast<std::size_t>(j * (n / kActive)));
    std::vector<int> ready;
    char buf[256];
    std::int64_t readyTotal = 0;
    for (auto _ : state) {
        for (const std::size_t i : active)
            if (::write(sockets.peer(i), "ping", 4) != 4) state.SkipWithError("write failed");
        const MuxWaitResult r = mux->wait(1000, ready);
        state.SetIterationTime(static_cast<double>(r.ns) * 1e-9);
        readyTotal += r.ready;
        for (const int fd : ready)
            if (::read(fd, buf, sizeof buf) <= 0) state.SkipWithError("read failed");
    }
    state.counters["ready"] = benchmark::Counter(static_cast<double>(readyTotal), benchmark::Counter::kAvgIterations);
}

void BM_Select(benchmark::State& state) { waitCost(state, MuxKind::Select); }
void BM_Poll(benchmark::State& state) { waitCost(state, MuxKind::Poll); }
void BM_EpollLT(benchmark::State& state) { waitCost(state, MuxKind::EpollLT); }
void BM_EpollET(benchmark::State& state) { waitCost(state, MuxKind::EpollET); }

} // namespace

BENCHMARK(BM_Select)->Arg(100)->Arg(1000)->Arg(10000)->UseManualTime()->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_Poll)->Arg(100)->Arg(1000)->Arg(10000)->UseManualTime()->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_EpollLT)->Arg(100)->Arg(1000)->Arg(10000)->UseManualTime()->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_EpollET)->Arg(100)->Arg(1000)->Arg(10000)->UseManualTime()->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);

BENCHMARK_MAIN();
