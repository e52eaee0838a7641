#include "render/ProcessTreeModel.h"

#include <algorithm>

namespace lockstep::ui {

void ProcessTreeModel::reset(const Trace&)
{
    m_nodes.clear();
    m_index.clear();
    m_waits.clear();
    m_objects.clear();
}

ProcessTreeModel::Object* ProcessTreeModel::object(const Trace& trace, ActorId id)
{
    for (Object& o : m_objects)
        if (o.id == id) return &o;
    const ActorInfo* info = trace.actor(id);
    if (!info) return nullptr;
    m_objects.push_back({ id, info->kind, -1, -1, {} });
    return &m_objects.back();
}

ProcessTreeModel::Node* ProcessTreeModel::slot(const Trace& trace, ActorId id)
{
    if (!id.valid()) return nullptr;
    const std::size_t i = id.value;
    if (i < m_index.size() && m_index[i] >= 0) return &m_nodes[static_cast<std::size_t>(m_index[i])];
    const ActorInfo* info = trace.actor(id);
    if (!info || info->kind != ActorKind::Process) return nullptr;
    if (m_index.size() <= i) m_index.resize(i + 1, -1);
    Node n;
    n.id = id;
    const ActorInfo* parent = trace.actor(info->parent);
    if (parent && parent->kind == ActorKind::Process) n.parent = info->parent;
    n.createdTs = info->createdTs;
    m_index[i] = static_cast<int>(m_nodes.size());
    m_nodes.push_back(n);
    return &m_nodes.back();
}

const ProcessTreeModel::Node* ProcessTreeModel::node(ActorId id) const
{
    const std::size_t i = id.value;
    if (!id.valid() || i >= m_index.size() || m_index[i] < 0) return nullptr;
    return &m_nodes[static_cast<std::size_t>(m_index[i])];
}

int ProcessTreeModel::zombies() const
{
    return static_cast<int>(
        std::count_if(m_nodes.begin(), m_nodes.end(), [](const Node& n) { return n.exitTs >= 0 && !n.reaped; }));
}

void ProcessTreeModel::apply(const Trace& trace, const Event& e)
{
    switch (e.kind) {
    case EventKind::Fork:
        if (Node* child = slot(trace, e.target)) {
            child->pid = e.value;
            if (const Node* parent = slot(trace, e.actor)) {
                child->parent = parent->id;
                child->ppid = parent->pid;
            }
        }
        break;
    case EventKind::Counter:
        if (trace.text(e) == "pid")
            if (Node* n = slot(trace, e.actor)) n->pid = e.value;
        break;
    case EventKind::ProcStat:
        if (Node* n = slot(trace, e.actor)) n->letter = static_cast<char>(e.value);
        break;
    case EventKind::StateChange:
        if (Node* n = slot(trace, e.actor)) {
            if (n->state != e.state) n->stateSince = e.ts;
            n->state = e.state;
            n->stateTarget = e.target;
        }
        break;
    case EventKind::Exit:
        if (Node* n = slot(trace, e.actor)) {
            n->exitCode = e.value;
            n->exitTs = e.ts;
        }
        break;
    case EventKind::Reap:
        if (Node* n = slot(trace, e.target)) {
            n->reaped = true;
            n->reaper = e.actor;
        }
        break;
    case EventKind::Reparent:
        if (Node* n = slot(trace, e.actor)) {
            n->previousParent = n->parent;
            n->parent = slot(trace, e.target) ? e.target : ActorId {};
            n->ppid = e.value;
            n->reparentTs = e.ts;
        }
        break;
    case EventKind::WaitEdgeAdded:
        if (slot(trace, e.actor) && slot(trace, e.target)) m_waits.push_back({ e.actor, e.target });
        break;
    case EventKind::WaitEdgeRemoved:
        m_waits.erase(std::remove_if(m_waits.begin(), m_waits.end(),
                          [&](const Wait& w) { return w.waiter == e.actor && w.child == e.target; }),
            m_waits.end());
        break;
    case EventKind::ObjectCapacity:
        if (Object* o = object(trace, e.actor)) o->capacity = e.value;
        break;
    case EventKind::ObjectLevel:
        if (Object* o = object(trace, e.actor)) o->level = e.value;
        break;
    case EventKind::ObjectAttach:
    case EventKind::ObjectDetach:
        if (Object* o = object(trace, e.actor)) {
            auto it
                = std::find_if(o->users.begin(), o->users.end(), [&](const auto& u) { return u.first == e.target; });
            if (it == o->users.end()) it = o->users.insert(o->users.end(), { e.target, 0 });
            it->second = e.kind == EventKind::ObjectAttach ? it->second | static_cast<int>(e.value)
                                                           : it->second & ~static_cast<int>(e.value);
            if (it->second == 0) o->users.erase(it);
        }
        break;
    default:
        break;
    }
}

} // namespace lockstep::ui
