#pragma once

#include "lockstep/engine/WaitForGraph.h"

namespace lockstep {

// RAII wait edge in the wait-for graph: add() before blocking, removed when the wait ends (also when
// it ends with Cancelled). add() may find a deadlock and run the graph's callback, which cancels the
// run and wakes every primitive, so it must be called without any primitive mutex held.
class GraphWait {
public:
    explicit GraphWait(WaitForGraph& graph) : m_graph(graph) {}
    ~GraphWait() { remove(); }
    GraphWait(const GraphWait&) = delete;
    GraphWait& operator=(const GraphWait&) = delete;

    // `holder`: see WaitForGraph::addWait.
    void add(ActorId thread, ActorId resource, bool timed, ActorId holder = {})
    {
        m_thread = thread;
        m_graph.addWait(thread, resource, timed, holder);
    }
    void remove()
    {
        if (!m_thread) return;
        m_graph.removeWait(m_thread);
        m_thread = ActorId{};
    }

private:
    WaitForGraph& m_graph;
    ActorId m_thread;
};

} // namespace lockstep
