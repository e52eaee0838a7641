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
// Order::Lifo is queue.LifoQueue (a stack) and Order::Priority queue.PriorityQueue (heapq's exact
// sift steps, so even ties come out in CPython's order; items compared with Python's `<`, see
// pyLess, raising TypeError where Python would): like CPython's subclasses they change only which
// item _put/_get store and take, so blocking, task_done/join and the events are the same.
// put/get(block=True, timeout=None): timeout in seconds, < 0 = None; with block=false the timeout
// is ignored. They raise PyError("Full", "") / PyError("Empty", "") like queue.Full / queue.Empty.
// task_done() too often raises ValueError "task_done() called too many times"; join() waits until
// every put item has been marked done.
//
// Events (actor = thread, target = queue): Put / Get (value = qsize afterwards, text = the item's
// repr(), cut to 60 characters), each followed by ObjectLevel (actor = queue, target = the
// thread, value = qsize, text = a JSON array of the first 16 items' texts in the order get() will
// return them); Notify (value = joiners woken) when the last task is done; WaitBegin / WaitEnd
// around join() (no text) and around the part of a put/get that blocks (text "put" / "get",
// WaitBegin value = the timeout in ns, WaitEnd value 1 = it went on, 0 = Full / Empty). A thread
// blocked in put/get is Blocked on the queue (timed with a timeout); a thread in join() is Waiting
// on it. At construction: ObjectCapacity (actor = queue, value = maxsize, text = the class name:
// Queue, LifoQueue, PriorityQueue) and an empty ObjectLevel.
// Python's `a < b` on JSON values as json.loads gives them (None, bool, int/float, str, list, dict):
// numbers (and bools) numerically, strings by code point, lists element by element like tuples;
// other pairs raise PyError TypeError "'<' not supported between instances of 'X' and 'Y'".
[[nodiscard]] bool pyLess(const nlohmann::json& a, const nlohmann::json& b);
// Python's `a == b` on the same values (1 == 1.0 == True).
[[nodiscard]] bool pyEquals(const nlohmann::json& a, const nlohmann::json& b);
// Python's str() of such a value (repr() inside lists and dicts, and for the top level with
// `nested`): None, True, 'a', [1, 'a'].
[[nodiscard]] std::string pyStr(const nlohmann::json& value, bool nested = false);

class Queue final : public Wakeable {
public:
    enum class Order { Fifo, Lifo, Priority };

    Queue(RunContext& ctx, std::string name, int maxsize = 0, Order order = Order::Fifo);
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
    [[nodiscard]] Order order() const { return m_order; }
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
    // ObjectLevel with the contents in get() order (m_mutex held).
    void recordContents(ActorId by);
    static constexpr std::size_t kContentsShown = 16;
    // CPython's _put / _get for the queue's order (m_mutex held).
    void store(nlohmann::json item);
    nlohmann::json take();

    RunContext& m_ctx;
    ActorId m_id;
    mutable std::mutex m_mutex;
    WaitQueue m_notEmpty, m_notFull, m_allDone;
    std::deque<nlohmann::json> m_items;
    int m_maxsize;
    Order m_order;
    int m_unfinished = 0;
    TextId m_putText, m_getText;
};

} // namespace lockstep
