#pragma once

#include "lockstep/trace/Trace.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace lockstep::ui {

// The process tree at a moment of the trace, folded from what the engine recorded: Fork (who
// created whom, the PID), ProcStat (the `ps` STAT letter /proc showed), StateChange, Exit (the
// status, the start of a zombie), Reap (who collected it), Reparent (an orphan's new parent) and the
// wait-for edges of waitpid. The view only draws these facts.
class ProcessTreeModel {
public:
    struct Node {
        ActorId id;
        ActorId parent; // the current parent (invalid for the tree's root)
        ActorId previousParent; // before the last Reparent
        std::int64_t reparentTs = -1;
        std::int64_t pid = 0;
        std::int64_t ppid = 0; // from Reparent, else the parent's pid
        char letter = 0; // last STAT letter seen, 0 = none yet
        State state = State::New;
        ActorId stateTarget; // what it is blocked on (a pipe, a semaphore), from its StateChange
        std::int64_t stateSince = 0;
        std::optional<std::int64_t> exitCode;
        std::int64_t exitTs = -1;
        bool reaped = false;
        ActorId reaper;
        std::int64_t createdTs = 0;
    };
    // A kernel object between processes (a pipe, a shared page, a semaphore) from ObjectCapacity,
    // ObjectLevel, ObjectAttach and ObjectDetach: what it holds and who has it open.
    struct Object {
        ActorId id;
        ActorKind kind = ActorKind::Pipe;
        std::int64_t capacity = -1;
        std::int64_t level = -1;
        std::vector<std::pair<ActorId, int>> users; // process, role bits (1 reads, 2 writes, 4 waits/posts)
    };
    struct Wait {
        ActorId waiter;
        ActorId child;
    };

    void reset(const Trace& trace);
    void apply(const Trace& trace, const Event& e);

    // Every process, in order of creation.
    [[nodiscard]] const std::vector<Node>& nodes() const { return m_nodes; }
    [[nodiscard]] const Node* node(ActorId id) const;
    [[nodiscard]] const std::vector<Wait>& waits() const { return m_waits; }
    [[nodiscard]] const std::vector<Object>& objects() const { return m_objects; }
    // Zombies now: exited, not reaped yet.
    [[nodiscard]] int zombies() const;

private:
    Node* slot(const Trace& trace, ActorId id);

    std::vector<Node> m_nodes;
    std::vector<int> m_index; // actor id -> index in m_nodes, -1 = not a process
    std::vector<Wait> m_waits;
    std::vector<Object> m_objects;
    Object* object(const Trace& trace, ActorId id);
};

} // namespace lockstep::ui
