#include "lockstep/proc/ProcessesConfig.h"

#include <string>
#include <vector>

namespace lockstep {

namespace {

struct VariantInfo {
    const char* name;
    ProcVariant variant;
    std::vector<std::string> keys;
};

const std::vector<VariantInfo>& variants()
{
    static const std::vector<VariantInfo> table = {
        { "fork-basics", ProcVariant::ForkBasics, { "value" } },
        { "states", ProcVariant::States, { "children", "rounds", "work_ms", "sleep_ms" } },
        { "zombie", ProcVariant::Zombie, { "linger_ms", "exit_code" } },
        { "orphan", ProcVariant::Orphan, { "parent_ms", "orphan_ms" } },
        { "wait", ProcVariant::Wait, { "children", "work_ms" } },
        { "sigchld", ProcVariant::Sigchld, { "children", "loop", "linger_ms" } },
        { "pool", ProcVariant::Pool, { "workers", "tasks", "task_ms" } },
    };
    return table;
}

} // namespace

ProcPlan parseProcessesConfig(const nlohmann::json& config, const ConfigReader::Where& where)
{
    const ConfigReader r(where, config);
    std::vector<std::string> names;
    for (const auto& v : variants())
        names.emplace_back(v.name);
    const VariantInfo& info = variants()[static_cast<std::size_t>(r.choice("variant", names))];
    std::vector<std::string> allowed = { "variant" };
    allowed.insert(allowed.end(), info.keys.begin(), info.keys.end());
    r.allowOnly(allowed, std::string("for variant '") + info.name + "'");

    ProcPlan plan;
    plan.variant = info.variant;
    constexpr int kMaxChildren = Limits::kMaxProcesses - 1; // main is one of the run's processes
    switch (info.variant) {
    case ProcVariant::ForkBasics:
        plan.children = 1;
        plan.value = static_cast<long>(
            r.integer("value", std::int64_t { 1 }, std::int64_t { -1'000'000'000 }, std::int64_t { 1'000'000'000 }));
        break;
    case ProcVariant::States:
        plan.children = r.integer("children", 3, 1, kMaxChildren);
        plan.rounds = r.integer("rounds", 3, 1, 50);
        plan.workMs = r.integer("work_ms", 60, 10, 2000);
        plan.sleepMs = r.integer("sleep_ms", 60, 10, 2000);
        break;
    case ProcVariant::Zombie:
        plan.children = 1;
        plan.lingerMs = r.integer("linger_ms", 400, 50, 10'000);
        plan.exitCode = r.integer("exit_code", 7, 0, 255);
        break;
    case ProcVariant::Orphan:
        plan.children = 1;
        plan.parentMs = r.integer("parent_ms", 100, 10, 5000);
        plan.orphanMs = r.integer("orphan_ms", 300, 50, 10'000);
        break;
    case ProcVariant::Wait:
        plan.children = r.integer("children", 3, 1, kMaxChildren);
        plan.workMs = r.integer("work_ms", 100, 10, 2000);
        break;
    case ProcVariant::Sigchld:
        plan.children = r.integer("children", 4, 1, kMaxChildren);
        plan.loopInHandler = r.boolean("loop", true);
        plan.lingerMs = r.integer("linger_ms", 300, 50, 10'000);
        break;
    case ProcVariant::Pool:
        plan.children = r.integer("workers", 3, 1, kMaxChildren);
        plan.tasks = r.integer("tasks", 12, 1, 64);
        plan.taskMs = r.integer("task_ms", 40, 1, 2000);
        break;
    }
    return plan;
}

} // namespace lockstep
