#include "lockstep/proc/ProcessesConfig.h"

#include <string>
#include <vector>

namespace lockstep {

namespace {

struct VariantInfo {
    const char* name;
    ProcVariant variant;
    std::vector<std::string> keys;
    ProcEngine engine = ProcEngine::Processes;
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
        { "pipe", ProcVariant::Pipe, { "total_kb", "chunk", "reader_delay_ms", "read_ms" }, ProcEngine::Ipc },
        { "pipe-no-close", ProcVariant::PipeNoClose, { "total_kb", "hang_ms" }, ProcEngine::Ipc },
        { "broken-pipe", ProcVariant::BrokenPipe, {}, ProcEngine::Ipc },
        { "shared-counter", ProcVariant::SharedCounter, { "workers", "increments", "lock" }, ProcEngine::Ipc },
        { "semaphore", ProcVariant::Semaphore, { "workers", "permits", "rounds", "hold_ms" }, ProcEngine::Ipc },
        { "queue", ProcVariant::Queue, { "items", "item_kb", "maxsize", "get_ms" }, ProcEngine::Ipc },
    };
    return table;
}

} // namespace

ProcPlan parseProcessesConfig(const nlohmann::json& config, const ConfigReader::Where& where, ProcEngine engine)
{
    const ConfigReader r(where, config);
    std::vector<std::string> names;
    std::vector<const VariantInfo*> mine;
    for (const auto& v : variants()) {
        if (v.engine != engine) continue;
        names.emplace_back(v.name);
        mine.push_back(&v);
    }
    const VariantInfo& info = *mine[static_cast<std::size_t>(r.choice("variant", names))];
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
    case ProcVariant::Pipe:
        plan.totalBytes = r.integer("total_kb", 256, 1, 4096) * 1024;
        plan.chunkBytes = r.integer("chunk", 4096, 1, 65536);
        plan.readerDelayMs = r.integer("reader_delay_ms", 300, 0, 10'000);
        plan.readMs = r.integer("read_ms", 2, 0, 1000);
        break;
    case ProcVariant::PipeNoClose:
        plan.totalBytes = r.integer("total_kb", 16, 1, 4096) * 1024;
        plan.hangMs = r.integer("hang_ms", 1000, 100, 10'000);
        break;
    case ProcVariant::BrokenPipe:
        break;
    case ProcVariant::SharedCounter:
        plan.children = r.integer("workers", 2, 1, kMaxChildren);
        plan.increments = static_cast<long>(
            r.integer("increments", std::int64_t { 200'000 }, std::int64_t { 1 }, std::int64_t { 10'000'000 }));
        plan.useLock = r.boolean("lock", false);
        break;
    case ProcVariant::Semaphore:
        plan.children = r.integer("workers", 5, 1, kMaxChildren);
        plan.permits = r.integer("permits", 2, 1, kMaxChildren);
        plan.rounds = r.integer("rounds", 2, 1, 100);
        plan.holdMs = r.integer("hold_ms", 60, 1, 2000);
        break;
    case ProcVariant::Queue:
        plan.children = 1;
        plan.items = r.integer("items", 12, 1, 64);
        plan.itemBytes = r.integer("item_kb", 16, 1, 256) * 1024;
        plan.maxsize = r.integer("maxsize", 0, 0, 64);
        plan.getMs = r.integer("get_ms", 40, 0, 2000);
        break;
    }
    return plan;
}

} // namespace lockstep
