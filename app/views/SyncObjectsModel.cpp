#include "views/SyncObjectsModel.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace lockstep::ui {

bool SyncObjectsModel::shows(ActorKind kind)
{
    return kind == ActorKind::SyncEvent || kind == ActorKind::Semaphore || kind == ActorKind::Queue;
}

std::vector<std::string> SyncObjectsModel::queueItems(std::string_view recorded)
{
    std::vector<std::string> out;
    const nlohmann::json items = nlohmann::json::parse(recorded, nullptr, false);
    if (items.is_array())
        for (const auto& item : items)
            if (item.is_string()) out.push_back(item.get<std::string>());
    return out;
}

SyncObjectsModel::Object* SyncObjectsModel::object(const Trace& trace, ActorId id)
{
    for (Object& o : m_objects)
        if (o.id == id) return &o;
    const ActorInfo* info = trace.actor(id);
    if (!info || !shows(info->kind)) return nullptr;
    Object o;
    o.id = id;
    switch (info->kind) {
    case ActorKind::SyncEvent:
        o.kind = Kind::Event;
        o.className = "Event";
        break;
    case ActorKind::Semaphore:
        o.kind = Kind::Semaphore;
        o.className = "Semaphore";
        break;
    default:
        o.kind = Kind::Queue;
        o.className = "Queue";
        o.level = 0;
        o.capacity = 0;
        break;
    }
    m_objects.push_back(std::move(o));
    return &m_objects.back();
}

void SyncObjectsModel::addWaiter(Object& o, ActorId thread, std::string call)
{
    o.waiters.push_back({ thread, std::move(call) });
}

std::string SyncObjectsModel::takeWaiter(Object& o, ActorId thread)
{
    const auto it = std::find_if(o.waiters.begin(), o.waiters.end(), [&](const Waiter& w) { return w.thread == thread; });
    if (it == o.waiters.end()) return {};
    std::string call = std::move(it->call);
    o.waiters.erase(it);
    return call;
}

void SyncObjectsModel::note(Object& o, ActorId thread, std::string what)
{
    o.recent.push_back({ thread, std::move(what) });
    if (o.recent.size() > kRecent) o.recent.erase(o.recent.begin());
}

void SyncObjectsModel::apply(const Trace& trace, const Event& e)
{
    switch (e.kind) {
    case EventKind::StateChange:
        // An event's flag is its own state: Held = set, Free = clear (target = who changed it).
        if (Object* o = object(trace, e.actor); o && o->kind == Kind::Event) {
            const bool set = e.state == State::Held;
            if (e.target.valid()) note(*o, e.target, set ? "set()" : "clear()");
            o->flag = set;
            o->flagBy = e.target;
        }
        break;
    case EventKind::ObjectCapacity:
        if (Object* o = object(trace, e.actor)) {
            o->capacity = e.value;
            if (!trace.text(e).empty()) o->className = std::string(trace.text(e));
        }
        break;
    case EventKind::ObjectLevel:
        if (Object* o = object(trace, e.actor)) {
            o->level = e.value;
            if (o->kind == Kind::Queue) {
                o->items = queueItems(trace.text(e));
            }
        }
        break;
    case EventKind::WaitBegin:
        if (Object* o = object(trace, e.target)) {
            const std::string_view call = trace.text(e);
            addWaiter(*o, e.actor,
                o->kind == Kind::Event ? "wait()" : call.empty() ? "join()" : std::string(call) + "()");
        }
        break;
    case EventKind::WaitEnd:
        if (Object* o = object(trace, e.target)) {
            const std::string call = takeWaiter(*o, e.actor);
            if (o->kind == Kind::Event) note(*o, e.actor, std::string("wait() → ") + (e.value ? "True" : "False"));
            else if (call == "join()") note(*o, e.actor, "join() → None");
            else if (e.value == 0) note(*o, e.actor, call + (call == "put()" ? " → Full" : " → Empty")); // queue.Full / Empty
            // else: the Put / Get that follows says what went in or came out.
        }
        break;
    case EventKind::AcquireRequest:
        if (Object* o = object(trace, e.target)) addWaiter(*o, e.actor, "acquire()");
        break;
    case EventKind::Acquired:
        if (Object* o = object(trace, e.target)) {
            o->level = e.value;
            takeWaiter(*o, e.actor);
            note(*o, e.actor, "acquire() → True");
        }
        break;
    case EventKind::AcquireTimedOut:
        if (Object* o = object(trace, e.target)) {
            takeWaiter(*o, e.actor);
            note(*o, e.actor, "acquire() → False");
        }
        break;
    case EventKind::Released:
        if (Object* o = object(trace, e.target)) {
            o->level = e.value;
            note(*o, e.actor, "release()");
        }
        break;
    case EventKind::Notify:
        if (Object* o = object(trace, e.target)) {
            // Event.set() records the flag, then how many waiters it woke; task_done() records
            // a Notify only when the last unfinished task is done (join() may return).
            if (o->kind == Kind::Event && !o->recent.empty() && o->recent.back().thread == e.actor
                && o->recent.back().text == "set()")
                o->recent.back().woke = e.value;
            else if (o->kind == Kind::Queue) {
                note(*o, e.actor, "task_done()");
                o->recent.back().woke = e.value;
            }
        }
        break;
    case EventKind::Put:
    case EventKind::Get:
        if (Object* o = object(trace, e.target)) {
            o->level = e.value;
            note(*o, e.actor,
                e.kind == EventKind::Put ? "put(" + std::string(trace.text(e)) + ")" : "get() → " + std::string(trace.text(e)));
        }
        break;
    default:
        break;
    }
}

} // namespace lockstep::ui
