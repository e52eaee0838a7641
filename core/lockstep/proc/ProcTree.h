#pragma once

#include "lockstep/engine/RunContext.h"
#include "lockstep/proc/ChildRecord.h"
#include "lockstep/proc/ProcPlan.h"
#include "lockstep/proc/ProcStat.h"

#include <nlohmann/json.hpp>

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lockstep {

// Lockstep's side of the processes lesson: it forks `main` (the lesson's program, ProcPrograms),
// then watches the whole tree until every process of it is gone. Each process reports what its
// code did (fork returned, waitpid began, reaped); the tree's states come from /proc: every
// process's STAT letter, PPID and scheduler times are sampled each millisecond and at once when
// a report arrives or a process exits (pidfd). Lockstep is the tree's child subreaper, so an
// orphan is reparented to it, and it reaps main and every orphan as init would.
//
// Nothing is left behind: the tree has its own process group, and on cancel, failure or any
// exception the destructor SIGKILLs the group and reaps until no member is left.
class ProcTree {
public:
    ProcTree(RunContext& ctx, const ProcPlan& plan);
    ~ProcTree();
    ProcTree(const ProcTree&) = delete;
    ProcTree& operator=(const ProcTree&) = delete;

    // Forks main and watches until the tree is gone. Throws Cancelled (after cleaning up).
    void run();
    // Kills and reaps whatever is still there, recording it (idempotent).
    void abandon();
    void fillSummary(nlohmann::json& summary) const;

private:
    struct Proc {
        int index = -1; // 0 main, 1.. children in fork order (-1 until known)
        pid_t pid = 0;
        std::string name;
        ActorId actor;
        pid_t ppidInitial = 0;
        pid_t ppidNow = 0;
        std::string lettersSeen; // STAT letters in order, no repeats in a row
        char letter = 0;
        State state = State::New;
        ActorId stateTarget;
        ProcStatReader stat;
        int pidFd = -1;
        std::uint64_t runNs = 0, waitNs = 0;
        bool hasSched = false;
        bool exited = false, reaped = false;
        std::optional<int> exitCode;
        std::string reapedBy;
        pid_t waitingFor = 0; // in waitpid: 0 none, -1 any child, else that pid
        ActorId waitEdge; // the wait-for edge recorded (target), if any
        bool inPoolRead = false; // a pool worker between tasks: blocked in read(2)
        int tasksDone = 0;
        ActorId ioTarget; // blocked (or about to block) in read / write / sem_wait on this object
        int roles[kObjCount] = {}; // ProcRole bits it has on each object (pipe ends open)
    };

    Proc& procFor(pid_t pid, std::int64_t ts);
    Proc* find(pid_t pid);
    Proc& addChild(pid_t pid, int index, pid_t parentPid);
    ActorId actorOfPid(pid_t pid); // Lockstep's actor, a process of the tree, or invalid
    void forkMain();
    void onRecord(const ChildRecord& r);
    void sample(std::int64_t ts);
    void sampleOne(Proc& p, std::int64_t ts);
    void setState(Proc& p, State s, ActorId target, std::int64_t ts, std::int32_t line = 0);
    void noteExit(Proc& p, int code, std::int64_t ts);
    void noteReaped(Proc& p, const std::string& by, ActorId reaper, int code, std::int64_t ts, std::int32_t line);
    void endWait(Proc& waiter, std::int64_t ts);
    void reapOurs(std::int64_t ts); // reaps every zombie whose parent is Lockstep
    bool drainReports(); // false once the report pipe is at EOF
    int countZombies() const; // zombies among main's children (not main itself)
    void killAndReapAll();
    [[nodiscard]] std::int64_t stamp(std::int64_t ts); // keeps this thread's events in time order
    void record(Event e);
    [[nodiscard]] std::string nameOf(int index) const;

    RunContext& m_ctx;
    ProcPlan m_plan;
    pid_t m_self = 0;
    ActorId m_lockstep;
    pid_t m_mainPid = 0;
    int m_reportFd = -1;
    int m_lifelineFd = -1; // write end, never written: closing it tells the tree Lockstep is gone
    bool m_reportEof = false;
    bool m_done = false; // main reported the end of its program
    bool m_abandoned = false;
    bool m_subreaper = false;
    std::int64_t m_lastTs = 0;
    std::size_t m_partialBytes = 0;
    alignas(ChildRecord) unsigned char m_partial[sizeof(ChildRecord)] = {};
    std::vector<std::unique_ptr<Proc>> m_procs;

    // The ipc lesson's kernel objects (ProcObject ids) and the page the tree shares.
    struct Object {
        ActorId actor;
        std::int64_t capacity = -1;
        std::int64_t level = -1;
        std::int64_t maxLevel = 0;
    };
    Object& object(int id);
    void recordObject(
        EventKind kind, int id, std::int64_t value, ActorId target, std::int64_t ts, std::int32_t line = 0);
    void sampleShared(std::int64_t ts);
    void mapShared();
    void unmapShared();
    Object m_objects[kObjCount];
    IpcShared* m_shared = nullptr;
    bool m_eofSeen = false, m_brokenPipe = false;
    std::int64_t m_hangMs = 0, m_writerNs = 0;
    // The queue variant: the feeder thread of main's Queue, and what put / get / the feeder took.
    void recordState(ActorId actor, State s, ActorId target, std::int64_t ts, std::int32_t line);
    void onFeeder(Proc& main, FeederPhase phase, std::int64_t value, std::int64_t ts, std::int32_t line);
    ActorId m_feeder;
    State m_feederState = State::New;
    std::int64_t m_putNs = 0, m_maxPutNs = 0, m_feederWriteUs = 0, m_getUs = 0;
    std::vector<int> m_gotOrder;
    std::optional<std::int64_t> m_bytesTransferred, m_finalValue;

    // What the summary reports besides the processes.
    int m_maxZombies = 0;
    std::optional<int> m_zombiesLeft;
    std::optional<std::int64_t> m_childSaw, m_parentSaw, m_valueInChild, m_valueInParent, m_orphanSawPpid;
    int m_handlerCalls = 0;
    int m_reapedInHandler = 0;
    std::vector<std::optional<std::int64_t>> m_results;
};

} // namespace lockstep
