#include "lockstep/sync/Queue.h"

#include "lockstep/engine/PyError.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace lockstep {

namespace {
using nlohmann::json;

const char* pyTypeName(const json& v)
{
    switch (v.type()) {
    case json::value_t::null:
        return "NoneType";
    case json::value_t::boolean:
        return "bool";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return "int";
    case json::value_t::number_float:
        return "float";
    case json::value_t::string:
        return "str";
    case json::value_t::array:
        return "list";
    default:
        return "dict";
    }
}

bool numeric(const json& v)
{
    return v.is_number() || v.is_boolean();
}
double asDouble(const json& v)
{
    return v.is_boolean() ? (v.get<bool>() ? 1.0 : 0.0) : v.get<double>();
}

// heapq's _siftdown / _siftup (Lib/heapq.py, the C module swaps the same way): the positions an
// item takes, and so the order of ties, are CPython's.
void siftDown(std::deque<json>& heap, std::size_t start, std::size_t pos)
{
    while (pos > start) {
        const std::size_t parent = (pos - 1) >> 1;
        if (!pyLess(heap[pos], heap[parent])) break;
        std::swap(heap[pos], heap[parent]);
        pos = parent;
    }
}

void siftUp(std::deque<json>& heap, std::size_t pos)
{
    const std::size_t end = heap.size(), start = pos;
    std::size_t child = 2 * pos + 1;
    while (child < end) {
        const std::size_t right = child + 1;
        if (right < end && !pyLess(heap[child], heap[right])) child = right;
        std::swap(heap[pos], heap[child]);
        pos = child;
        child = 2 * pos + 1;
    }
    siftDown(heap, start, pos);
}

// queue.get/put: block=false ignores the timeout; timeout 0 (or NaN, on which CPython would spin)
// gives up at once; < 0 is None.
Timeout queueTimeout(bool block, double seconds)
{
    if (!block || std::isnan(seconds)) return Timeout::nonBlocking();
    return Timeout::waitSeconds(seconds);
}
} // namespace

bool pyEquals(const json& a, const json& b)
{
    if (numeric(a) && numeric(b)) {
        if (a.is_number_float() || b.is_number_float()) return asDouble(a) == asDouble(b);
        if (a.is_boolean() || b.is_boolean()) return asDouble(a) == asDouble(b);
        return a == b;
    }
    if (a.type() != b.type()) return false;
    if (a.is_array()) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!pyEquals(a[i], b[i])) return false;
        return true;
    }
    if (a.is_object()) {
        if (a.size() != b.size()) return false;
        for (const auto& [k, v] : a.items())
            if (!b.contains(k) || !pyEquals(v, b[k])) return false;
        return true;
    }
    return a == b;
}

bool pyLess(const json& a, const json& b)
{
    if (numeric(a) && numeric(b)) {
        if (a.is_number_integer() && b.is_number_integer()) return a.get<std::int64_t>() < b.get<std::int64_t>();
        return asDouble(a) < asDouble(b);
    }
    if (a.is_string() && b.is_string()) return a.get_ref<const std::string&>() < b.get_ref<const std::string&>();
    if (a.is_array() && b.is_array()) {
        // Tuples and lists: the first unequal element decides, else the shorter is smaller.
        for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
            if (!pyEquals(a[i], b[i])) return pyLess(a[i], b[i]);
        return a.size() < b.size();
    }
    throw PyError("TypeError",
        std::string("'<' not supported between instances of '") + pyTypeName(a) + "' and '" + pyTypeName(b) + "'");
}

std::string pyStr(const json& v, bool nested)
{
    switch (v.type()) {
    case json::value_t::null:
        return "None";
    case json::value_t::boolean:
        return v.get<bool>() ? "True" : "False";
    case json::value_t::string: {
        if (!nested) return v.get<std::string>();
        // repr(): single quotes unless the text has one and no double quote.
        const std::string& s = v.get_ref<const std::string&>();
        const char q = s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
        std::string out(1, q);
        for (char c : s) {
            if (c == q || c == '\\') out += '\\';
            out += c;
        }
        return out + q;
    }
    case json::value_t::array: {
        std::string out = "[";
        for (std::size_t i = 0; i < v.size(); ++i)
            out += (i ? ", " : "") + pyStr(v[i], true);
        return out + "]";
    }
    case json::value_t::object: {
        std::string out = "{";
        bool first = true;
        for (const auto& [k, x] : v.items()) {
            out += (first ? "" : ", ") + pyStr(json(k), true) + ": " + pyStr(x, true);
            first = false;
        }
        return out + "}";
    }
    default:
        return v.dump(); // numbers: 3, 2.5, 1e+20 as Python prints them
    }
}

Queue::Queue(RunContext& ctx, std::string name, int maxsize, Order order)
    : m_ctx(ctx), m_id(ctx.addActor(ActorKind::Queue, std::move(name))), m_maxsize(maxsize), m_order(order)
{
    TraceRecorder& rec = ctx.recorder();
    rec.recordState(m_id, State::Free);
    static constexpr const char* kClass[] = { "Queue", "LifoQueue", "PriorityQueue" };
    rec.record(EventKind::ObjectCapacity, m_id, {}, std::max(maxsize, 0), rec.intern(kClass[static_cast<int>(order)]));
    rec.record(EventKind::ObjectLevel, m_id, {}, 0, rec.intern("[]"));
    m_putText = rec.intern("put");
    m_getText = rec.intern("get");
    ctx.addWakeable(this);
}

Queue::~Queue() { m_ctx.removeWakeable(this); }

namespace {
std::string shortText(const json& item)
{
    std::string text = pyStr(item, true);
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
}
} // namespace

TextId Queue::itemText(const nlohmann::json& item)
{
    return m_ctx.recorder().intern(shortText(item));
}

void Queue::recordContents(ActorId by)
{
    // The order get() will hand the items out in: front first (Queue), newest first (LifoQueue),
    // smallest first (PriorityQueue: heap order sorted, or heap order where items do not compare).
    std::vector<const json*> order;
    for (const json& item : m_items)
        order.push_back(&item);
    if (m_order == Order::Lifo) std::reverse(order.begin(), order.end());
    if (m_order == Order::Priority) {
        try {
            std::stable_sort(order.begin(), order.end(), [](const json* a, const json* b) { return pyLess(*a, *b); });
        } catch (const PyError&) {
        }
    }
    json texts = json::array();
    for (std::size_t i = 0; i < order.size() && i < kContentsShown; ++i)
        texts.push_back(shortText(*order[i]));
    TraceRecorder& rec = m_ctx.recorder();
    rec.record(EventKind::ObjectLevel, m_id, by, static_cast<std::int64_t>(m_items.size()), rec.intern(texts.dump()));
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
            if (timeout.isNonBlocking() || timeout.expired()) {
                if (blocked) m_ctx.recorder().record(EventKind::WaitEnd, me, m_id, 0, m_putText);
                throw PyError("Full", "");
            }
            if (!blocked) {
                lock.unlock();
                m_ctx.recorder().record(EventKind::WaitBegin, me, m_id, timeout.ns(), m_putText);
                blocked.emplace(m_ctx, State::Blocked, m_id, timeout.isTimed());
                lock.lock();
                continue;
            }
            m_notFull.wait(m_ctx, lock, timeout);
        }
    }
    if (blocked) m_ctx.recorder().record(EventKind::WaitEnd, me, m_id, 1, m_putText);
    store(std::move(item));
    ++m_unfinished;
    m_ctx.recorder().record(EventKind::Put, me, m_id, static_cast<std::int64_t>(m_items.size()), text);
    recordContents(me);
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
        if (timeout.isNonBlocking() || timeout.expired()) {
            if (blocked) m_ctx.recorder().record(EventKind::WaitEnd, me, m_id, 0, m_getText);
            throw PyError("Empty", "");
        }
        if (!blocked) {
            lock.unlock();
            m_ctx.recorder().record(EventKind::WaitBegin, me, m_id, timeout.ns(), m_getText);
            blocked.emplace(m_ctx, State::Blocked, m_id, timeout.isTimed());
            lock.lock();
            continue;
        }
        m_notEmpty.wait(m_ctx, lock, timeout);
    }
    if (blocked) m_ctx.recorder().record(EventKind::WaitEnd, me, m_id, 1, m_getText);
    nlohmann::json item = take();
    m_ctx.recorder().record(EventKind::Get, me, m_id, static_cast<std::int64_t>(m_items.size()), itemText(item));
    recordContents(me);
    m_notFull.notify(1);
    return item;
}

void Queue::store(json item)
{
    m_items.push_back(std::move(item));
    // heappush: a comparison that raises leaves the item in the list, as CPython's does.
    if (m_order == Order::Priority) siftDown(m_items, 0, m_items.size() - 1);
}

json Queue::take()
{
    if (m_order == Order::Fifo) {
        json item = std::move(m_items.front());
        m_items.pop_front();
        return item;
    }
    json last = std::move(m_items.back());
    m_items.pop_back();
    if (m_order == Order::Lifo || m_items.empty()) return last;
    // heappop: the smallest leaves, the last item moves to the root and sifts down.
    json smallest = std::move(m_items.front());
    m_items.front() = std::move(last);
    siftUp(m_items, 0);
    return smallest;
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
