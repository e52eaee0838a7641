#pragma once
// The futures lesson's program, run by MainThread (the runner's controller thread) on a real
// ThreadPool (CPython's ThreadPoolExecutor algorithm):
//
//     with ThreadPoolExecutor(max_workers=workers) as ex:
//         fs = [ex.submit(task, i) for i in range(len(tasks))]
//         if cancel >= 0: print(f"cancel {cancel}: {fs[cancel].cancel()}")
//         as_completed: for f in as_completed(fs): print(f"{i}: {outcome}")
//         map:          results in submission order, stopping after the first exception
//         wait_first:   done, pending = wait(fs, return_when=FIRST_COMPLETED)
//
// Task i sleeps its duration (work = "cpu": burns that much CPU time) and returns i * 10, or raises
// ValueError(f"task {i}") when its duration ends in "!". The transcript is what those prints say;
// tests/python/futures_oracle.py prints CPython's for the same case. With executor = "processes"
// the pool is a ProcessPoolExecutor of real worker processes. Every thread of the modelled
// interpreter (MainThread, the pool's threads) runs under one GIL, released by blocking calls.

#include "lockstep/engine/RunContext.h"
#include "lockstep/lesson/ConfigReader.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace lockstep {

struct FuturesConfig {
    enum class Mode { AsCompleted, Map, WaitFirst, Shutdown };
    enum class Executor { Threads, Processes };
    enum class Work { Sleep, Cpu };
    struct Task {
        int ms = 0;
        bool raises = false;
    };
    std::vector<Task> tasks;
    int workers = 5;
    Mode mode = Mode::AsCompleted;
    int cancel = -1;
    bool callbacks = false; // add_done_callback on every future (prints which thread ran it)
    Executor executor = Executor::Threads; // ThreadPoolExecutor or ProcessPoolExecutor
    Work work = Work::Sleep; // a task sleeps, or burns its duration of CPU time (CPU-bound)

    // Throws InputError located with `where`. `tasks` is "100,200!,50" (at most 64, 0..10000 ms).
    static FuturesConfig parse(const nlohmann::json& config, const ConfigReader::Where& where);
};

class FuturesProgram {
public:
    FuturesProgram(RunContext& ctx, FuturesConfig config);
    // Runs the program to its end (shutdown(wait=True) included) and fills the summary.
    void run(nlohmann::json& summary);
    // After a cancel or failure: stops every thread (they use this program's pool).
    void abandon(RunOutcome why);

private:
    RunContext& m_ctx;
    FuturesConfig m_cfg;
};

} // namespace lockstep
