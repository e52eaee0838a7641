#include "views/FuturesModel.h"

#include "views/SyncObjectsModel.h"

#include <cstdlib>
#include <string_view>

namespace lockstep::ui {

FuturesModel::FutureCard* FuturesModel::future(ActorId id)
{
    for (FutureCard& f : m_futures)
        if (f.id == id) return &f;
    m_futures.push_back({});
    m_futures.back().id = id;
    return &m_futures.back();
}

FuturesModel::Worker* FuturesModel::worker(const Trace& trace, ActorId id)
{
    for (Worker& w : m_workers)
        if (w.id == id) return &w;
    const ActorInfo* info = trace.actor(id);
    const bool thread = info && info->kind == ActorKind::Thread && info->name.find("ThreadPoolExecutor") != std::string::npos;
    const bool process = info && info->kind == ActorKind::Process && info->name.rfind("ForkProcess-", 0) == 0;
    if (!thread && !process) return nullptr;
    m_workers.push_back({});
    m_workers.back().id = id;
    return &m_workers.back();
}

void FuturesModel::apply(const Trace& trace, const Event& e)
{
    const ActorInfo* actor = trace.actor(e.actor);
    if (!actor) return;
    switch (e.kind) {
    case EventKind::Mark:
        if (actor->kind == ActorKind::Future) {
            FutureCard* f = future(e.actor);
            f->state = std::string(trace.text(e));
            const int index = static_cast<int>(f - m_futures.data());
            if (f->state == "RUNNING") {
                f->worker = e.target;
                if (Worker* w = worker(trace, e.target)) w->task = index;
            } else if (f->state == "FINISHED") {
                for (Worker& w : m_workers)
                    if (w.task == index) w.task = -1;
            }
        }
        break;
    case EventKind::Put:
    case EventKind::Get:
        if (!m_queue.valid()) {
            // A thread pool's work queue, or a process pool's call queue (the pipe its workers read).
            const ActorInfo* q = trace.actor(e.target);
            const auto endsWith = [&](const char* tail) {
                const std::string_view t(tail);
                return q && q->name.size() > t.size() && q->name.compare(q->name.size() - t.size(), t.size(), t) == 0;
            };
            if (endsWith("._work_queue")) m_queue = e.target;
            if (endsWith("._call_queue")) {
                m_queue = e.target;
                m_callQueue = true;
            }
        }
        if (e.target == m_queue) m_queued = e.value;
        // A worker process took a call item: it runs that future now.
        if (e.kind == EventKind::Get && e.target == m_queue && m_callQueue) {
            const std::string item(trace.text(e));
            if (Worker* w = worker(trace, e.actor)) w->task = item == "None" ? -1 : std::atoi(item.c_str());
            const auto i = static_cast<std::size_t>(std::atoi(item.c_str()));
            if (item != "None" && i < m_futures.size()) m_futures[i].worker = e.actor;
        }
        break;
    case EventKind::ObjectLevel:
        if (e.actor == m_queue) m_queueItems = SyncObjectsModel::queueItems(trace.text(e));
        break;
    case EventKind::StateChange:
        if (Worker* w = worker(trace, e.actor)) w->state = e.state;
        break;
    case EventKind::Say:
        if (actor->name == "MainThread") {
            const std::string line(trace.text(e));
            m_printed.push_back(line);
            // "<i>: <result>" names a future by its index.
            const auto colon = line.find(": ");
            if (colon != std::string::npos && colon > 0 && line.find_first_not_of("0123456789") == colon) {
                const auto i = static_cast<std::size_t>(std::atoi(line.c_str()));
                if (i < m_futures.size() && m_futures[i].resultOrder == 0) {
                    m_futures[i].result = line.substr(colon + 2);
                    int order = 0;
                    for (const FutureCard& f : m_futures)
                        order += f.resultOrder > 0;
                    m_futures[i].resultOrder = order + 1;
                }
            }
        }
        break;
    default:
        break;
    }
}

} // namespace lockstep::ui
