// Cost of one generator round trip (caller -> generator stack -> caller: send(v), the body's
// `x = yield x`) against a plain, non-inlined function call doing the same work. A round trip is
// two Boost.Context stack switches plus the protocol's bookkeeping (state checks, value hand-over,
// swapping the C++ exception-handling state); no trace recording (no RunContext).
#include "lockstep/gen/Generator.h"

#include <benchmark/benchmark.h>

#include <boost/context/fiber.hpp>

using namespace lockstep::gen;

namespace {

__attribute__((noinline)) PyValue plainEcho(PyValue v)
{
    benchmark::DoNotOptimize(v);
    return v;
}

__attribute__((noinline)) long plainIncrement(long v)
{
    benchmark::DoNotOptimize(v);
    return v + 1;
}

PyValue echoBody(Coroutine& co)
{
    PyValue x = nullptr;
    for (;;) x = co.yield_(std::move(x));
}

} // namespace

// Generator.send(v): the Python-level API (value in, yielded value out).
static void BM_GeneratorSendRoundTrip(benchmark::State& state)
{
    GenHost host;
    Generator g(host, "echo", &echoBody);
    g.next();
    long i = 0;
    for (auto _ : state) {
        PyValue r = g.send(PyValue(i++));
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GeneratorSendRoundTrip);

// The same through the non-throwing Coroutine API (what the engine's drivers use).
static void BM_CoroutineSendRoundTrip(benchmark::State& state)
{
    GenHost host;
    Generator g(host, "echo", &echoBody);
    g.next();
    Coroutine& co = g.coroutine();
    long i = 0;
    for (auto _ : state) {
        Outcome r = co.send(PyValue(i++));
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CoroutineSendRoundTrip);

// Bare Boost.Context: resume a fiber that resumes us straight back (the switch cost alone).
static void BM_BareFiberRoundTrip(benchmark::State& state)
{
    namespace ctx = boost::context;
    ctx::fiber f{[](ctx::fiber&& caller) {
        for (;;) caller = std::move(caller).resume();
        return std::move(caller);
    }};
    for (auto _ : state) {
        f = std::move(f).resume();
        benchmark::ClobberMemory();
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BareFiberRoundTrip);

// A plain call passing the same Python value in and out.
static void BM_PlainCallPyValue(benchmark::State& state)
{
    long i = 0;
    for (auto _ : state) {
        PyValue r = plainEcho(PyValue(i++));
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PlainCallPyValue);

// A plain call with a machine integer: the floor.
static void BM_PlainCallLong(benchmark::State& state)
{
    long i = 0;
    for (auto _ : state) {
        long r = plainIncrement(i++);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PlainCallLong);

BENCHMARK_MAIN();
