#pragma once

#include "lockstep/engine/RunContext.h"
#include "lockstep/sync/WaitQueue.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>

namespace lockstep {

// queue.Queue(maxsize): a FIFO of JSON values, bounded when maxsize > 0, with CPython's semantics
// (Lib/queue.py 3.11: one mutex, conditions not_empty / not_full / all_tasks_done, FIFO wakeups).
// put/get(block=True, timeout=None): timeout in seconds, < 0 = None; with block=false the timeout
// is ignored. They raise PyError("Full", "") / PyError("Empty", "") like queue.Full / queue.Empty.
// task_done() too often raises ValueError "task_done() called too many times"; join() waits until
// every put item has been marked done.
//
// Events (actor = thread, target = queue): Put / Get (value = qsize afterwards, text = the item as
// compact JSON, cut to 60 characters); Notify (value = joiners woken) when the last task is done;
// WaitBegin / WaitEnd around join(). A thread blocked in put/get is Blocked on the queue (timed
// with a timeout); a thread in join() is Waiting on it.
class Queue final : public Wakeable {
public:
    Queue(RunContext& ctx, std::string name, int maxsize = 0);
    ~Queue() override;
    Queue(const Queue&) = delete;
    Queue& operator=(const Queue&) = delete;

    void put(nlohmann::json item, bool block = true, double timeoutSeconds = -1);
    nlohmann::json get(bool block = true, double timeoutSeconds = -1);
    [[nodiscard]] std::size_t qsize() const;
    [[nodiscard]] bool empty() const;
    [[nodiscard]] bool full() const;
    void taskDone();
    void join();
    [[nodiscard]] int maxsize() const { return m_maxsize; }
    [[nodiscard]] int unfinishedTasks() const;
    // Threads blocked now in get() / put() / join().
    [[nodiscard]] std::size_t waitingGetters() const;
    [[nodiscard]] std::size_t waitingPutters() const;
    [[nodiscard]] std::size_t waitingJoiners() const;
    [[nodiscard]] ActorId id() const { return m_id; }
    [[nodiscard]] RunContext& context() const { return m_ctx; }
    void wakeAll() override;

private:
    TextId itemText(const nlohmann::json& item);

    RunContext& m_ctx;
    ActorId m_id;
    mutable std::mutex m_mutex;
    WaitQueue m_notEmpty, m_notFull, m_allDone;
    std::deque<nlohmann::json> m_items;
    int m_maxsize;
    int m_unfinished = 0;
};

} // namespace lockstep
