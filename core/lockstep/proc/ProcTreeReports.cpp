// What the processes of the tree said (their reports: fork returned, waitpid began, reaped...)
// turned into trace events, and the run's summary. The sampling and reaping are in ProcTree.cpp.
#include "lockstep/proc/ProcTree.h"

#include "lockstep/proc/ForkSafe.h"

#include <algorithm>
#include <string>

namespace lockstep {

ProcTree::Proc& ProcTree::addChild(pid_t pid, int index, pid_t parentPid)
{
    auto p = std::make_unique<Proc>();
    p->index = index;
    p->pid = pid;
    p->name = nameOf(index);
    p->ppidInitial = p->ppidNow = parentPid;
    p->actor = m_ctx.addActor(ActorKind::Process, p->name, actorOfPid(parentPid));
    p->inPoolRead = m_plan.variant == ProcVariant::Pool;
    const int pidFd = openPidFd(pid);
    if (pidFd >= 0) p->pidFd = m_ctx.trackFd(pidFd);
    m_procs.push_back(std::move(p));
    return *m_procs.back();
}

void ProcTree::onRecord(const ChildRecord& r)
{
    const auto sender = static_cast<pid_t>(r.a);
    Event line;
    line.ts = r.ts;
    line.line = r.line;
    line.kind = EventKind::LineReached;
    const auto say = [&](Proc& p, const std::string& text) {
        Event e = line;
        e.kind = EventKind::Say;
        e.actor = p.actor;
        e.text = m_ctx.recorder().intern(text);
        record(e);
    };

    if (r.kind == kReportForkReturned && pairLow(r.b) > 0) {
        // The parent's side of fork(): the child exists from now on (its own reports may have
        // come first: then its Hello made it known already).
        Proc& parent = procFor(sender, r.ts);
        const pid_t child = pairLow(r.b);
        if (!find(child)) addChild(child, pairHigh(r.b), sender);
        Proc& c = *find(child);
        Event e = line;
        e.kind = EventKind::Fork;
        e.actor = parent.actor;
        e.target = c.actor;
        e.value = child;
        record(e);
        if (c.state == State::New) setState(c, State::Running, {}, r.ts);
        if (m_plan.variant == ProcVariant::ForkBasics) m_parentSaw = child;
        say(parent, "fork() = " + std::to_string(child));
        return;
    }
    Proc* found = find(sender);
    // A child can run and report before its parent's fork() has returned: its Hello (always its
    // first record, with its parent and index) makes it known.
    if (!found && r.kind == kReportHello && find(pairLow(r.b))) found = &addChild(sender, pairHigh(r.b), pairLow(r.b));
    if (!found) return; // not a process of this tree
    Proc& p = *found;
    switch (r.kind) {
    case kReportHello: {
        if (p.state == State::New) setState(p, State::Running, {}, r.ts);
        break;
    }
    case kReportForkReturned:
        if (m_plan.variant == ProcVariant::ForkBasics) m_childSaw = pairLow(r.b);
        say(p, "fork() = 0");
        break;
    case kReportValue:
        if (m_plan.variant == ProcVariant::Orphan) {
            m_orphanSawPpid = r.b;
            say(p, "getppid() = " + std::to_string(r.b));
        } else if (m_plan.variant == ProcVariant::SharedCounter) {
            m_finalValue = r.b;
            say(p, "v.value = " + std::to_string(r.b));
        } else if (isIpc(m_plan.variant)) {
            m_bytesTransferred = r.b;
            say(p, std::to_string(r.b) + " bytes read");
        } else {
            (p.index == 0 ? m_valueInParent : m_valueInChild) = r.b;
            say(p, "value = " + std::to_string(r.b));
        }
        break;
    case kReportWaitBegin: {
        p.waitingFor = static_cast<pid_t>(r.b);
        Event e = line;
        e.actor = p.actor;
        record(e);
        if (r.b > 0) {
            if (Proc* child = find(static_cast<pid_t>(r.b))) {
                e.kind = EventKind::WaitEdgeAdded;
                e.target = child->actor;
                record(e);
                p.waitEdge = child->actor;
            }
        }
        break;
    }
    case kReportReaped: {
        const pid_t child = pairLow(r.b);
        if (m_plan.variant == ProcVariant::Sigchld) ++m_reapedInHandler;
        if (Proc* c = find(child)) noteReaped(*c, p.name, p.actor, pairHigh(r.b), r.ts, r.line);
        endWait(p, r.ts);
        break;
    }
    case kReportWaitEmpty:
        endWait(p, r.ts);
        say(p, r.b == 0 ? "waitpid() = (0, 0)" : "ChildProcessError");
        break;
    case kReportPhase: {
        const auto phase = static_cast<ProcPhase>(r.b);
        if (m_plan.variant == ProcVariant::Pool) {
            // Between tasks a worker blocks in read(2) on the task pipe; main, in map(), on the results.
            if (p.index > 0 && phase == ProcPhase::Sleep) p.inPoolRead = true;
            if (p.index == 0) p.inPoolRead = phase == ProcPhase::Work;
        }
        Event e = line;
        e.actor = p.actor;
        e.value = r.b;
        record(e);
        break;
    }
    case kReportSignal:
        m_handlerCalls = static_cast<int>(r.b);
        say(p, "SIGCHLD");
        break;
    case kReportTask:
        p.inPoolRead = false;
        ++p.tasksDone;
        say(p, "square(" + std::to_string(r.b) + ")");
        break;
    case kReportResult: {
        const auto task = static_cast<std::size_t>(pairLow(r.b));
        if (task < m_results.size()) m_results[task] = pairHigh(r.b);
        break;
    }
    case kReportDone:
        // The program is over: what it left unreaped is what a leak leaves behind.
        sample(stamp(r.ts));
        m_zombiesLeft = countZombies();
        m_done = true;
        break;
    case kReportAttach:
    case kReportDetach: {
        const int id = pairLow(r.b);
        if (id < 0 || id >= kObjCount) break;
        const bool attach = r.kind == kReportAttach;
        p.roles[id] = attach ? p.roles[id] | pairHigh(r.b) : p.roles[id] & ~pairHigh(r.b);
        recordObject(
            attach ? EventKind::ObjectAttach : EventKind::ObjectDetach, id, pairHigh(r.b), p.actor, r.ts, r.line);
        break;
    }

    case kReportCapacity:
        recordObject(EventKind::ObjectCapacity, pairLow(r.b), pairHigh(r.b), {}, r.ts, r.line);
        break;
    case kReportLevel:
        recordObject(EventKind::ObjectLevel, pairLow(r.b), pairHigh(r.b), p.actor, r.ts, r.line);
        break;
    case kReportIoBegin: {
        p.ioTarget = object(pairLow(r.b)).actor;
        Event e = line;
        e.actor = p.actor;
        e.target = p.ioTarget;
        record(e);
        break;
    }
    case kReportIoEnd:
        p.ioTarget = {};
        break;
    case kReportEof:
        m_eofSeen = true;
        say(p, "os.read() = b''");
        break;
    case kReportEpipe:
        m_brokenPipe = true;
        say(p, "BrokenPipeError: [Errno 32] Broken pipe");
        break;
    case kReportHang:
        m_hangMs = r.b;
        say(p, "no EOF after " + std::to_string(r.b) + " ms: main still holds a write end");
        break;
    case kReportWriteNs:
        m_writerNs = r.b;
        break;
    case kReportFeeder:
        onFeeder(p, static_cast<FeederPhase>(pairLow(r.b)), pairHigh(r.b), r.ts, r.line);
        break;
    case kReportPutNs: {
        m_putNs += r.b;
        m_maxPutNs = std::max(m_maxPutNs, r.b);
        p.ioTarget = {};
        Event e = line;
        e.actor = p.actor;
        record(e);
        break;
    }
    case kReportGot: {
        m_getUs += pairHigh(r.b);
        if (pairLow(r.b) >= 0) m_gotOrder.push_back(pairLow(r.b));
        say(p, pairLow(r.b) >= 0 ? "q.get() -> item " + std::to_string(pairLow(r.b)) : std::string("q.get() -> None"));
        break;
    }
    case kReportExiting:
    default: {
        Event e = line;
        e.actor = p.actor;
        record(e);
        break;
    }
    }
}

void ProcTree::onFeeder(Proc& main, FeederPhase phase, std::int64_t value, std::int64_t ts, std::int32_t line)
{
    if (!m_feeder.valid()) m_feeder = m_ctx.addActor(ActorKind::Thread, "QueueFeederThread", main.actor);
    const auto enter = [&](State s, ActorId target) {
        if (s == m_feederState) return;
        m_feederState = s;
        recordState(m_feeder, s, target, ts, line);
    };
    switch (phase) {
    case FeederPhase::Started:
        enter(State::Running, {});
        break;
    case FeederPhase::WaitBuffer: // self._notempty.wait(): nothing buffered
        enter(State::Waiting, object(kObjBuffer).actor);
        break;
    case FeederPhase::Writing: {
        // send_bytes(): blocked while the pipe has no room for the item.
        const bool waits = (value & 0x10000) != 0;
        enter(waits ? State::BlockedIo : State::Running, waits ? object(kObjPipe).actor : ActorId {});
        break;
    }
    case FeederPhase::Wrote:
        m_feederWriteUs += value;
        enter(State::Running, {});
        break;
    case FeederPhase::Exiting:
        enter(State::Terminated, {});
        break;
    }
}

void ProcTree::fillSummary(nlohmann::json& summary) const
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : m_procs) {
        nlohmann::json states = nlohmann::json::array();
        for (char c : p->lettersSeen)
            states.push_back(std::string(1, c));
        nlohmann::json entry = {
            { "name", p->name },
            { "pid", p->pid },
            { "ppid_initial", p->ppidInitial },
            { "ppid_final", p->ppidNow },
            { "states_seen", states },
            { "exit_code", p->exitCode ? nlohmann::json(*p->exitCode) : nlohmann::json() },
            { "reaped_by", p->reapedBy.empty() ? nlohmann::json() : nlohmann::json(p->reapedBy) },
        };
        if (m_plan.variant == ProcVariant::Pool && p->index > 0) entry["tasks_done"] = p->tasksDone;
        list.push_back(std::move(entry));
    }
    summary["processes"] = std::move(list);
    summary["lockstep_pid"] = m_self;
    summary["zombies_left"] = m_zombiesLeft.value_or(countZombies());
    summary["max_zombies"] = m_maxZombies;
    const auto opt = [](const std::optional<std::int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
    switch (m_plan.variant) {
    case ProcVariant::ForkBasics:
        summary["child_saw"] = opt(m_childSaw);
        summary["parent_saw"] = opt(m_parentSaw);
        summary["value_in_child"] = opt(m_valueInChild);
        summary["value_in_parent"] = opt(m_valueInParent);
        break;
    case ProcVariant::Orphan:
        summary["orphan_saw_ppid"] = opt(m_orphanSawPpid);
        break;
    case ProcVariant::Sigchld:
        summary["handler_calls"] = m_handlerCalls;
        summary["reaped_in_handler"] = m_reapedInHandler;
        break;
    case ProcVariant::Pool: {
        nlohmann::json results = nlohmann::json::array();
        for (const auto& r : m_results)
            results.push_back(opt(r));
        summary["results"] = std::move(results);
        break;
    }
    case ProcVariant::Pipe:
    case ProcVariant::PipeNoClose:
    case ProcVariant::BrokenPipe:
        summary["pipe_capacity"] = m_objects[kObjPipe].capacity;
        summary["pipe_max_level"] = m_objects[kObjPipe].maxLevel;
        summary["bytes_transferred"] = m_bytesTransferred.value_or(0);
        summary["writer_blocked_ms"] = static_cast<double>(m_writerNs) / 1e6;
        summary["eof_seen"] = m_eofSeen;
        summary["broken_pipe"] = m_brokenPipe;
        if (m_plan.variant == ProcVariant::PipeNoClose) summary["hung_ms"] = m_hangMs;
        break;
    case ProcVariant::SharedCounter: {
        const std::int64_t expected = static_cast<std::int64_t>(m_plan.children) * m_plan.increments;
        summary["lock"] = m_plan.useLock;
        summary["expected_value"] = expected;
        summary["final_value"] = opt(m_finalValue);
        summary["lost_updates"] = m_finalValue ? nlohmann::json(expected - *m_finalValue) : nlohmann::json();
        break;
    }
    case ProcVariant::Semaphore:
        summary["permits"] = m_plan.permits;
        summary["max_inside"] = m_shared ? m_shared->maxInside.load() : 0;
        break;
    case ProcVariant::Queue: {
        bool inOrder = true;
        for (std::size_t i = 0; i < m_gotOrder.size(); ++i)
            inOrder = inOrder && m_gotOrder[i] == static_cast<int>(i);
        summary["maxsize"] = m_plan.maxsize;
        summary["items_put"] = m_plan.items;
        summary["items_got"] = m_gotOrder.size();
        summary["order"] = m_gotOrder;
        summary["in_order"] = inOrder;
        summary["put_total_ms"] = static_cast<double>(m_putNs) / 1e6;
        summary["max_put_ms"] = static_cast<double>(m_maxPutNs) / 1e6;
        summary["feeder_write_ms"] = static_cast<double>(m_feederWriteUs) / 1e3;
        summary["consumer_blocked_ms"] = static_cast<double>(m_getUs) / 1e3;
        summary["pipe_capacity"] = m_objects[kObjPipe].capacity;
        summary["pipe_max_level"] = m_objects[kObjPipe].maxLevel;
        summary["buffer_max"] = m_objects[kObjBuffer].maxLevel;
        break;
    }
    default:
        break;
    }
}

} // namespace lockstep
