#include "lockstep/sync/Queue.h"

#include "lockstep/engine/PyError.h"

#include <cmath>
#include <optional>

namespace lockstep {

namespace {
// queue.get/put: block=false ignores the timeout; timeout 0 (or NaN, on which CPython would spin)
// gives up at once; < 0 is None.
Timeout queueTimeout(bool block, double seconds)
{
    if (!block || std::isnan(seconds)) return Timeout::nonBlocking();
    return Timeout::waitSeconds(seconds);
}
} // namespace

Queue::Queue(RunContext& ctx, std::string name, int maxsize)
    : m_ctx(ctx), m_id(ctx.addActor(ActorKind::Queue, std::move(name))), m_maxsize(maxsize)
{
    ctx.recorder().recordState(m_id, State::Free);
    ctx.addWakeable(this);
}

Queue::~Queue() { m_ctx.removeWakeable(this); }

TextId Queue::itemText(const nlohmann::json& item)
{
    std::string text = item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return m_ctx.recorder().intern(text);
}

void Queue::put(nlohmann::json item, bool block, double timeoutSeconds)
{
    const ActorId me = RunContext::currentActor();
    m_ctx.gate().pass(me);
    const Timeout timeout = queueTimeout(block, timeoutSeconds);
    const TextId text = itemText(item);

    std::optional<RunContext::BlockScope> blocked; // ends after `lock` is unlocked
    std::unique_lock lock(m_mutex);
    if (m_maxsize > 0) {
        while (m_items.size() >= static_cast<std::size_t>(m_maxsize)) {
            if (timeout.isNonBlocking() || timeout.expired()) throw PyError("Full", "");
            if (!blocked) {
                lock.unlock();
                blocked.emplace(m_ctx, State::Blocked, m_id, timeout.isTimed());
                lock.lock();
                continue;
            }
            m_notFull.wait(m_ctx, lock, timeout);
        }
    }
    m_items.push_back(std::move(item));
    ++m_unfinished;
    m_ctx.recorder().record(EventKind::Put, me, m_id, static_cast<std::int64_t>(m_items.size()), text);
    m_notEmpty.notify(1);
}

nlohmann::json Queue::get(bool block, double timeoutSeconds)
{
    const ActorId me = RunContext::currentActor();
    m_ctx.gate().pass(me);
    const Timeout timeout = queueTimeout(block, timeoutSeconds);

    std::optional<RunContext::BlockScope> blocked; // ends after `lock` is unlocked
    std::unique_lock lock(m_mutex);
    while (m_items.empty()) {
        if (timeout.isNonBlocking() || timeout.expired()) throw PyError("Empty", "");
        if (!blocked) {
            lock.unlock();
            blocked.emplace(m_ctx, State::Blocked, m_id, timeout.isTimed());
            lock.lock();
            continue;
        }
        m_notEmpty.wait(m_ctx, lock, timeout);
    }
    nlohmann::json item = std::move(m_items.front());
    m_items.pop_front();
    m_ctx.recorder().record(EventKind::Get, me, m_id, static_cast<std::int64_t>(m_items.size()), itemText(item));
    m_notFull.notify(1);
    return item;
}

std::size_t Queue::qsize() const
{
    std::lock_guard lock(m_mutex);
    return m_items.size();
}

bool Queue::empty() const
{
    std::lock_guard lock(m_mutex);
    return m_items.empty();
}

bool Queue::full() const
{
    std::lock_guard lock(m_mutex);
    return m_maxsize > 0 && m_items.size() >= static_cast<std::size_t>(m_maxsize);
}

void Queue::taskDone()
{
    const ActorId me = RunContext::currentActor();
    m_ctx.gate().pass(me);
    std::lock_guard lock(m_mutex);
    const int unfinished = m_unfinished - 1;
    if (unfinished <= 0) {
        if (unfinished < 0) throw PyError("ValueError", "task_done() called too many times");
        const std::size_t woken = m_allDone.notifyAll();
        m_ctx.recorder().record(EventKind::Notify, me, m_id, static_cast<std::int64_t>(woken));
    }
    m_unfinished = unfinished;
}

void Queue::join()
{
    const ActorId me = RunContext::currentActor();
    m_ctx.gate().pass(me);
    TraceRecorder& rec = m_ctx.recorder();
    rec.record(EventKind::WaitBegin, me, m_id, -1);
    std::optional<RunContext::BlockScope> waiting; // ends after `lock` is unlocked
    std::unique_lock lock(m_mutex);
    while (m_unfinished > 0) {
        if (!waiting) {
            lock.unlock();
            waiting.emplace(m_ctx, State::Waiting, m_id, false);
            lock.lock();
            continue;
        }
        m_allDone.wait(m_ctx, lock, Timeout::forever());
    }
    rec.record(EventKind::WaitEnd, me, m_id, 1);
}

int Queue::unfinishedTasks() const
{
    std::lock_guard lock(m_mutex);
    return m_unfinished;
}

std::size_t Queue::waitingGetters() const
{
    std::lock_guard lock(m_mutex);
    return m_notEmpty.size();
}

std::size_t Queue::waitingPutters() const
{
    std::lock_guard lock(m_mutex);
    return m_notFull.size();
}

std::size_t Queue::waitingJoiners() const
{
    std::lock_guard lock(m_mutex);
    return m_allDone.size();
}

void Queue::wakeAll()
{
    std::lock_guard lock(m_mutex);
    m_notEmpty.wakeAll();
    m_notFull.wakeAll();
    m_allDone.wakeAll();
}

} // namespace lockstep
