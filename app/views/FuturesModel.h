#pragma once

#include "lockstep/trace/Trace.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lockstep::ui {

// A ThreadPoolExecutor or ProcessPoolExecutor at the cursor, folded from what the futures engine
// recorded: each Future's state (the Marks naming PENDING, RUNNING, ... on the future, by the
// thread that changed it), the work queue's size and items (Put / Get on the "..._work_queue"
// Queue, or on a process pool's "..._call_queue", and the contents it records after each, in the
// order get() returns them), the worker threads' or processes' states, and
// what MainThread printed (Say: "3: 30", "cancel 2: True", ...), in order.
class FuturesModel {
public:
    struct FutureCard {
        ActorId id;
        std::string state = "PENDING";
        ActorId worker; // the thread that ran it (RUNNING was set by it)
        std::string result; // what MainThread printed for it ("30", "ValueError", "cancelled")
        int resultOrder = 0; // 1 = printed first, 0 = not printed yet
    };
    struct Worker {
        ActorId id;
        State state = State::New;
        int task = -1; // index of the future it is running, -1 idle
    };

    void reset(const Trace&) { }
    void apply(const Trace& trace, const Event& e);

    [[nodiscard]] const std::vector<FutureCard>& futures() const { return m_futures; }
    [[nodiscard]] const std::vector<Worker>& workers() const { return m_workers; }
    [[nodiscard]] std::int64_t queued() const { return m_queued; }
    // The queue shown is a ProcessPoolExecutor's call queue (its items are already RUNNING).
    [[nodiscard]] bool callQueue() const { return m_callQueue; }
    // The work queue's items, first out first: a work item's index ("3", its future's index) or
    // "None" for the shutdown sentinel (at most the 16 the queue records).
    [[nodiscard]] const std::vector<std::string>& queueItems() const { return m_queueItems; }
    [[nodiscard]] const std::vector<std::string>& printed() const { return m_printed; }

private:
    FutureCard* future(ActorId id);
    Worker* worker(const Trace& trace, ActorId id);

    std::vector<FutureCard> m_futures;
    std::vector<Worker> m_workers;
    ActorId m_queue;
    bool m_callQueue = false;
    std::int64_t m_queued = 0;
    std::vector<std::string> m_queueItems;
    std::vector<std::string> m_printed;
};

} // namespace lockstep::ui
