#pragma once

#include "lockstep/trace/Trace.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep::ui {

// threading.Event, Semaphore / BoundedSemaphore and queue.Queue (and its Lifo / Priority kinds) at
// the cursor, folded from what the primitives recorded (see core/lockstep/sync/*.h for each one's
// events): an event's flag and who set or cleared it, a semaphore's count out of its initial value,
// a queue's items in the order get() will return them (the queue's own ObjectLevel text), and for
// each object the threads inside a blocking call on it, in the order they came, with the call.
class SyncObjectsModel {
public:
    enum class Kind { Event, Semaphore, Queue };
    struct Waiter {
        ActorId thread;
        std::string call; // "wait()", "acquire()", "put()", "get()", "join()"
    };
    // A completed call, in Python's notation ("wait() → False", "put(3)", "get() → 3", "set()"),
    // so it needs no translation; `woke` is how many waiters it woke (-1: not a waking call).
    struct Outcome {
        ActorId thread;
        std::string text;
        std::int64_t woke = -1;
    };
    struct Object {
        ActorId id;
        Kind kind = Kind::Event;
        std::string className; // "Event", "Semaphore", "BoundedSemaphore", "Queue", "LifoQueue", ...
        // Event: the flag and the thread that last changed it.
        bool flag = false;
        ActorId flagBy;
        // Semaphore: the count (-1 until known) out of the initial value; Queue: qsize out of maxsize
        // (0 = unbounded).
        std::int64_t level = -1;
        std::int64_t capacity = -1;
        std::vector<std::string> items; // Queue: repr() of each item, the next to come out first
        std::vector<Waiter> waiters;
        std::vector<Outcome> recent; // the last few completed calls, newest last
    };

    static constexpr std::size_t kRecent = 6;

    void reset(const Trace&) { }
    void apply(const Trace& trace, const Event& e);

    [[nodiscard]] const std::vector<Object>& objects() const { return m_objects; }
    // A queue's contents as its ObjectLevel event records them (a JSON array of the items' repr(), the
    // next to come out first); empty when the text is not such an array.
    [[nodiscard]] static std::vector<std::string> queueItems(std::string_view recorded);
    // Whether the trace has an object this model shows.
    [[nodiscard]] static bool shows(ActorKind kind);

private:
    Object* object(const Trace& trace, ActorId id);
    static void addWaiter(Object& o, ActorId thread, std::string call);
    // Ends `thread`'s blocking call on `o`; returns the call ("" when none was recorded).
    static std::string takeWaiter(Object& o, ActorId thread);
    static void note(Object& o, ActorId thread, std::string what);

    std::vector<Object> m_objects;
};

} // namespace lockstep::ui
