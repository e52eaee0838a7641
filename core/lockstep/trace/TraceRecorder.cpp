#include "lockstep/trace/TraceRecorder.h"

#include "lockstep/trace/TraceBuilder.h"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace lockstep {

namespace {
constexpr std::size_t kChunkEvents = 4096;
std::atomic<std::uint64_t> g_nextSerial{1};
} // namespace

// One recording thread's events: a singly linked list of fixed chunks. Only the owning thread
// writes; it publishes with a release-store of `published`, and the consumer reads up to an
// acquire-load of it. A chunk the consumer has read to the end goes onto a free stack that the
// writer takes its next chunk from, so a long run recycles a few chunks instead of touching new
// memory (and taking page faults) on the hot path. The stack has one pusher (the consumer) and
// one popper (the writer): a node leaves it only by the popper's own hand, so there is no ABA.
struct TraceRecorder::ThreadBuffer {
    struct Chunk {
        std::array<Event, kChunkEvents> events;
        std::atomic<Chunk*> next{nullptr}; // the list while in use, the free stack once retired
    };
    ThreadBuffer() : tail(new Chunk), head(tail), readChunk(tail) { }
    ~ThreadBuffer()
    {
        for (Chunk* list : {head, freeTop.load(std::memory_order_acquire)})
            for (Chunk* c = list; c;) {
                Chunk* n = c->next.load(std::memory_order_relaxed);
                delete c;
                c = n;
            }
    }
    ThreadBuffer(const ThreadBuffer&) = delete;
    ThreadBuffer& operator=(const ThreadBuffer&) = delete;

    // Returns 0, or on starting a new chunk 1 (a recycled one) or 2 (a newly allocated one), so
    // that the recorder does its budget accounting once per chunk, not once per event.
    int push(const Event& e)
    {
        std::size_t slot = written % kChunkEvents;
        int started = 0;
        if (slot == 0 && written != 0) {
            Chunk* c = takeFree();
            started = 1;
            if (!c) {
                c = new Chunk;
                allocated.fetch_add(1, std::memory_order_relaxed);
                started = 2;
            }
            c->next.store(nullptr, std::memory_order_relaxed);
            tail->next.store(c, std::memory_order_release);
            tail = c;
        }
        tail->events[slot] = e;
        ++written;
        published.store(written, std::memory_order_release);
        return started;
    }

    // Writer: a retired chunk, or null.
    Chunk* takeFree()
    {
        Chunk* top = freeTop.load(std::memory_order_acquire);
        while (top && !freeTop.compare_exchange_weak(top, top->next.load(std::memory_order_relaxed),
                                                     std::memory_order_acquire, std::memory_order_acquire)) {
        }
        if (top) spare.fetch_sub(1, std::memory_order_relaxed);
        return top;
    }

    // Consumer (only while consumed < published): the next event to read, moving on to the next
    // chunk (and retiring the one it leaves, which the writer is done with: it has published
    // events past it) when needed. pop() then consumes it.
    const Event& peek()
    {
        const std::size_t slot = consumed % kChunkEvents;
        if (slot == 0 && consumed != 0 && !advanced) {
            Chunk* done = readChunk;
            readChunk = readChunk->next.load(std::memory_order_acquire);
            head = readChunk;
            advanced = true;
            // A few spare chunks are enough for a writer the consumer keeps up with; the rest of a
            // backlog goes back to the system (each chunk is its own mapping), so that a burst
            // does not keep its peak memory for the rest of the run.
            if (spare.load(std::memory_order_relaxed) >= kSpareChunks) {
                delete done;
                allocated.fetch_sub(1, std::memory_order_relaxed);
                freed = true;
            } else {
                spare.fetch_add(1, std::memory_order_relaxed);
                Chunk* top = freeTop.load(std::memory_order_relaxed);
                do {
                    done->next.store(top, std::memory_order_relaxed);
                } while (!freeTop.compare_exchange_weak(top, done, std::memory_order_release, std::memory_order_relaxed));
            }
        }
        return readChunk->events[slot];
    }
    void pop()
    {
        ++consumed;
        advanced = false;
    }

    // The writer's fields and the consumer's live on separate cache lines: the consumer counts
    // `consumed` up once per event it reads, and sharing a line with `written` would bounce that
    // line between the two cores on every event (measured: 49 ns an event instead of 15).
    // writer side
    alignas(64) Chunk* tail;
    std::size_t written = 0;
    std::atomic<std::size_t> published{0};
    // consumer side
    alignas(64) Chunk* head; // the first chunk still in the list (for the destructor)
    Chunk* readChunk;
    std::size_t consumed = 0;
    std::int64_t lastNs = INT64_MIN; // the stamp the last event read got
    bool advanced = false; // peek() already moved to the chunk holding slot `consumed`
    bool freed = false;    // peek() freed a chunk: the recorder's byte count goes down
    static constexpr std::size_t kSpareChunks = 16;
    // both, once per chunk
    alignas(64) std::atomic<std::size_t> spare { 0 }; // chunks on the free stack
    std::atomic<Chunk*> freeTop{nullptr};
    std::atomic<std::size_t> allocated{1};
};

namespace {
struct LocalCache {
    std::uint64_t serial = 0;
    TraceRecorder::ThreadBuffer* buffer = nullptr;
};
thread_local LocalCache t_cache;

// The last text this thread interned, per recorder: a thread saying the same line in a loop
// finds it here without the recorder's mutex.
struct TextCache {
    std::uint64_t serial = 0;
    std::string text;
    TextId id;
};
thread_local TextCache t_text;
thread_local std::int32_t t_line = 0;
} // namespace

const char* budgetLimitName(BudgetLimit limit)
{
    switch (limit) {
    case BudgetLimit::None: return "";
    case BudgetLimit::Events: return "events";
    case BudgetLimit::Memory: return "memory";
    }
    return "";
}

TraceRecorder::TraceRecorder() : m_serial(g_nextSerial.fetch_add(1))
{
    m_clock.anchor();
    m_texts.emplace_back(); // TextId 0 is the empty string; invalid TextIds also read as empty
    m_textIds.emplace(std::string_view(m_texts.front()), TextId(0));
}

void TraceRecorder::restartClock()
{
    m_clock.anchor();
}

TraceRecorder::~TraceRecorder() = default;

TraceRecorder::ThreadBuffer& TraceRecorder::localBuffer()
{
    if (t_cache.serial == m_serial) [[likely]]
        return *t_cache.buffer;
    return newLocalBuffer();
}

TraceRecorder::ThreadBuffer& TraceRecorder::newLocalBuffer()
{
    // A thread records into one recorder at a time (a run's engine threads belong to that run).
    // If it switches recorders, it gets a fresh buffer in the new one.
    std::lock_guard lock(m_mutex);
    m_buffers.push_back(std::make_unique<ThreadBuffer>());
    m_ownBytes.fetch_add(sizeof(ThreadBuffer::Chunk), std::memory_order_relaxed);
    t_cache.serial = m_serial;
    t_cache.buffer = m_buffers.back().get();
    return *t_cache.buffer;
}

ActorId TraceRecorder::registerActor(ActorKind kind, std::string name, ActorId parent)
{
    const std::int64_t ts = now();
    ActorId id;
    {
        std::lock_guard lock(m_mutex);
        id = ActorId(static_cast<std::uint32_t>(m_actors.size()));
        m_actors.push_back(ActorInfo{id, kind, std::move(name), parent, ts});
    }
    record(EventKind::ActorCreated, id, parent);
    return id;
}

TextId TraceRecorder::intern(std::string_view text)
{
    if (text.empty()) return TextId(0);
    if (t_text.serial == m_serial && t_text.text == text) return t_text.id;
    TextId id;
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_textIds.find(text); it != m_textIds.end()) {
            id = it->second;
        } else {
            m_texts.emplace_back(text);
            id = TextId(static_cast<std::uint32_t>(m_texts.size() - 1));
            m_textIds.emplace(std::string_view(m_texts.back()), id);
            // The string, its map entry and bucket, roughly.
            m_ownBytes.fetch_add(text.size() + sizeof(std::string) + 4 * sizeof(void*), std::memory_order_relaxed);
        }
    }
    if (m_maxBytes && m_ownBytes.load(std::memory_order_relaxed) >= m_maxBytes) reachLimit(BudgetLimit::Memory);
    t_text.serial = m_serial;
    t_text.text.assign(text);
    t_text.id = id;
    return id;
}

std::string TraceRecorder::actorName(ActorId id) const
{
    std::lock_guard lock(m_mutex);
    return id.valid() && id.value < m_actors.size() ? m_actors[id.value].name : std::string();
}

void TraceRecorder::recordNow(Event& e)
{
    e.ts = traceclock::ticks();
    if (keepsTicks(e.ts)) push(e);
}

std::int64_t TraceRecorder::recordBatch(Event* events, std::size_t count, std::int64_t floorTicks)
{
    const std::int64_t ts = std::max(traceclock::ticksUnordered(), floorTicks);
    if (!keepsTicks(ts)) return ts;
    for (std::size_t i = 0; i < count; ++i) {
        events[i].ts = ts;
        push(events[i]);
    }
    return ts;
}

void TraceRecorder::record(EventKind kind, ActorId actor, ActorId target, std::int64_t value, TextId text,
                           std::int32_t line)
{
    Event e;
    e.value = value;
    e.actor = actor;
    e.target = target;
    e.text = text;
    e.line = line;
    e.kind = kind;
    recordNow(e);
}

void TraceRecorder::recordState(ActorId actor, State state, ActorId target, std::int32_t line)
{
    Event e;
    e.actor = actor;
    e.target = target;
    e.line = line;
    e.kind = EventKind::StateChange;
    e.state = state;
    recordNow(e);
}

void TraceRecorder::recordText(EventKind kind, ActorId actor, std::string_view text, ActorId target,
                               std::int64_t value, std::int32_t line)
{
    record(kind, actor, target, value, intern(text), line);
}

void TraceRecorder::recordEvent(const Event& e)
{
    if (!keeps(e.ts)) return;
    // The buffers hold ticks: the drain converts them back with the calibration of its time.
    Event copy = e;
    copy.ts = m_clock.toTicks(e.ts);
    push(copy);
}

std::int32_t TraceRecorder::threadLine() { return t_line; }

void TraceRecorder::resetThreadLine() { t_line = 0; }

void TraceRecorder::push(const Event& e)
{
    if (e.line > 0) t_line = e.line;
    if (const int started = localBuffer().push(e)) [[unlikely]]
        onChunk(started == 2);
}

void TraceRecorder::onChunk(bool allocated)
{
    // The writer just filled a chunk: its events count towards the event budget. Counting whole
    // chunks keeps a shared atomic off the per-event path; the watchdog's checkEventBudget() and
    // the drain's cap make the count exact.
    const std::uint64_t full = m_fullEvents.fetch_add(kChunkEvents, std::memory_order_relaxed) + kChunkEvents;
    if (m_maxEvents && full >= m_maxEvents) reachLimit(BudgetLimit::Events);
    if (allocated) {
        // The writers outrunning the consumer show up here first: a new chunk means a backlog.
        const std::size_t bytes =
            m_ownBytes.fetch_add(sizeof(ThreadBuffer::Chunk), std::memory_order_relaxed) + sizeof(ThreadBuffer::Chunk);
        if (m_maxBytes && bytes >= m_maxBytes) reachLimit(BudgetLimit::Memory);
    }
    if (m_maxBytes && projectedBytes() >= m_maxBytes) reachLimit(BudgetLimit::Memory);
}

void TraceRecorder::stopAt(std::int64_t ts)
{
    const std::int64_t ticks = m_clock.toTicks(ts);
    std::int64_t curTicks = m_stopTicks.load(std::memory_order_acquire);
    while (ticks < curTicks && !m_stopTicks.compare_exchange_weak(curTicks, ticks, std::memory_order_acq_rel)) { }
    std::int64_t cur = m_stopAt.load(std::memory_order_acquire);
    while (ts < cur && !m_stopAt.compare_exchange_weak(cur, ts, std::memory_order_acq_rel)) {
    }
}

void TraceRecorder::setBudget(std::uint64_t maxEvents, std::uint64_t maxBytes)
{
    m_maxEvents = maxEvents;
    m_maxBytes = maxBytes;
}

bool TraceRecorder::reachLimit(BudgetLimit limit)
{
    BudgetLimit none = BudgetLimit::None;
    if (!m_limit.compare_exchange_strong(none, limit, std::memory_order_acq_rel)) return false;
    m_projectedAtLimit.store(projectedBytes(), std::memory_order_release);
    stopAt(now());
    return true;
}

bool TraceRecorder::checkEventBudget()
{
    if (!m_maxEvents || limit() != BudgetLimit::None) return false;
    return recordedCount() >= m_maxEvents && reachLimit(BudgetLimit::Events);
}

std::size_t TraceRecorder::drainInto(TraceBuilder& builder, bool all, std::int64_t holdbackNs)
{
    // The rate of ticks against CLOCK_MONOTONIC, over the whole run so far.
    m_clock.measure();
    // Texts and actors first: events may refer to them.
    std::vector<ThreadBuffer*> buffers;
    {
        std::lock_guard lock(m_mutex);
        for (; m_textsDrained < m_texts.size(); ++m_textsDrained) builder.addText(m_texts[m_textsDrained]);
        for (; m_actorsDrained < m_actors.size(); ++m_actorsDrained) builder.setActor(m_actors[m_actorsDrained]);
        buffers.reserve(m_buffers.size());
        for (auto& b : m_buffers) buffers.push_back(b.get());
    }

    // A k-way merge of the per-thread buffers (each already in time order), straight into the
    // builder: no copy of the backlog, no sort, no allocation, however far behind the consumer is.
    // Equal stamps keep buffer order. Once the event budget's worth has been handed on the rest is
    // still read (so the writers' chunks are recycled) but dropped.
    const std::size_t cap = m_maxEvents ? static_cast<std::size_t>(m_maxEvents - 1) : SIZE_MAX;
    const std::int64_t horizon = all ? INT64_MAX : now() - holdbackNs;
    struct Head {
        std::int64_t ts;
        std::size_t order;
        ThreadBuffer* buffer;
        std::size_t published;
    };
    const auto later = [](const Head& a, const Head& b) { return a.ts != b.ts ? a.ts > b.ts : a.order > b.order; };
    // The next event's stamp in ns. A later calibration may map a tick a little earlier than the
    // one before did: a thread's events never go back in time.
    const auto stamp = [this](ThreadBuffer* b) { return std::max(m_clock.toNs(b->peek().ts), b->lastNs); };
    std::vector<Head> heap;
    heap.reserve(buffers.size());
    for (std::size_t i = 0; i < buffers.size(); ++i) {
        ThreadBuffer* b = buffers[i];
        const std::size_t published = b->published.load(std::memory_order_acquire);
        if (b->consumed < published) heap.push_back(Head { stamp(b), i, b, published });
    }
    std::make_heap(heap.begin(), heap.end(), later);
    std::size_t take = 0;
    // A live drain hands on at most a batch, so that its caller (the runner's watchdog) looks at
    // the budgets again before the builder has grown by a whole backlog.
    constexpr std::size_t kLiveBatch = std::size_t{1} << 20;
    std::size_t read = 0;
    while (!heap.empty() && heap.front().ts < horizon && (all || read++ < kLiveBatch)) {
        std::pop_heap(heap.begin(), heap.end(), later);
        Head& h = heap.back();
        h.buffer->lastNs = h.ts;
        if (m_drained < cap) {
            Event e = h.buffer->peek();
            e.ts = h.ts;
            builder.append(e);
            ++m_drained;
            ++take;
        }
        h.buffer->pop();
        if (h.buffer->freed) {
            h.buffer->freed = false;
            m_ownBytes.fetch_sub(sizeof(ThreadBuffer::Chunk), std::memory_order_relaxed);
        }
        m_drainedTotal.fetch_add(1, std::memory_order_relaxed);
        if (h.buffer->consumed < h.published) {
            h.ts = stamp(h.buffer);
            std::push_heap(heap.begin(), heap.end(), later);
        } else {
            heap.pop_back();
        }
    }
    // A stopped run's trace ends at the stop, not when the teardown after it was drained.
    const std::int64_t end = std::min(now(), m_stopAt.load(std::memory_order_acquire));
    builder.setEndTs(all ? std::max(end, builder.lastTs()) : std::max<std::int64_t>(builder.lastTs(), end - holdbackNs));
    return take;
}

} // namespace lockstep

namespace lockstep {

void TraceRecorder::setMemoryEstimate(std::size_t baseBytes, std::size_t bytesPerEvent)
{
    m_baseBytes.store(baseBytes, std::memory_order_relaxed);
    m_bytesPerEvent.store(bytesPerEvent, std::memory_order_relaxed);
}

std::size_t TraceRecorder::projectedBytes() const
{
    const std::uint64_t full = m_fullEvents.load(std::memory_order_relaxed);
    const std::uint64_t drained = m_drainedTotal.load(std::memory_order_relaxed);
    const std::uint64_t backlog = full > drained ? full - drained : 0;
    return m_baseBytes.load(std::memory_order_relaxed) +
           static_cast<std::size_t>(backlog) * m_bytesPerEvent.load(std::memory_order_relaxed);
}

std::uint64_t TraceRecorder::backlog() const { return recordedCount() - m_drainedTotal.load(std::memory_order_relaxed); }

std::size_t TraceRecorder::chunksAllocated() const
{
    std::lock_guard lock(m_mutex);
    std::size_t n = 0;
    for (const auto& b : m_buffers) n += b->allocated.load(std::memory_order_relaxed);
    return n;
}

std::uint64_t TraceRecorder::recordedCount() const
{
    // Summed on demand (once per GUI frame at most) rather than counted on the hot path, where a
    // shared atomic counter would bounce one cache line between every recording thread.
    std::lock_guard lock(m_mutex);
    std::uint64_t n = 0;
    for (const auto& b : m_buffers) n += b->published.load(std::memory_order_relaxed);
    return n;
}

} // namespace lockstep
