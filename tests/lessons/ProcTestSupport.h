#pragma once
// Helpers for the process lessons' tests (processes, ipc): runs checked for leftovers, and the
// summary's processes and the trace's process actors by name.

#include "../core/LeakProbe.h"
#include "LessonTestSupport.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <cerrno>
#include <map>
#include <stdexcept>
#include <string>

namespace lockstep::test {

// Runs a variant of a process lesson and checks that nothing of its tree is left: no child (not
// even a zombie), no fd, no thread, and no member of main's process group anywhere (an orphan
// would be one).
inline RunResult runLeakChecked(
    const std::string& lesson, const std::string& variant, std::map<std::string, std::string> params = {})
{
    const LeakProbe before = LeakProbe::now();
    RunResult r = runLesson(lesson, variant, std::move(params));
    const LeakProbe after = LeakProbe::settledTo(before);
    EXPECT_EQ(after.fds, before.fds) << variant;
    EXPECT_EQ(after.threads, before.threads) << variant;
    EXPECT_FALSE(after.hasChildren) << variant;
    const auto& procs = r.summary.value("processes", nlohmann::json::array());
    if (!procs.empty()) {
        const pid_t group = procs.at(0).at("pid").get<pid_t>();
        errno = 0;
        EXPECT_EQ(::kill(-group, 0), -1) << variant << ": process group " << group << " still has members";
        EXPECT_EQ(errno, ESRCH) << variant;
    }
    return r;
}

inline const nlohmann::json& proc(const RunResult& r, const std::string& name)
{
    for (const auto& p : r.summary.at("processes"))
        if (p.at("name") == name) return p;
    throw std::runtime_error("no process " + name + " in " + r.summary.dump());
}

inline std::string letters(const nlohmann::json& p)
{
    std::string s;
    for (const auto& l : p.at("states_seen"))
        s += l.get<std::string>();
    return s;
}

inline ActorId actorNamed(const Trace& t, const std::string& name)
{
    for (const ActorInfo& a : t.actors())
        if (a.name == name && a.kind == ActorKind::Process) return a.id;
    return {};
}

// Time spent in `state` by `actor`, from its StateChange events.
inline double msIn(const Trace& t, ActorId actor, State state)
{
    double total = 0;
    std::int64_t since = -1;
    for (const Event& e : t.events()) {
        if (e.kind != EventKind::StateChange || e.actor != actor) continue;
        if (since >= 0) total += static_cast<double>(e.ts - since) / 1e6;
        since = e.state == state ? e.ts : -1;
    }
    return total;
}

} // namespace lockstep::test
