#include "lockstep/lesson/Lesson.h"

#include "lockstep/lesson/JsonPath.h"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <limits>

namespace lockstep {

namespace {

constexpr std::array<std::pair<ParamType, std::string_view>, 6> kTypeNames{{
    {ParamType::Int, "int"},
    {ParamType::Float, "float"},
    {ParamType::Bool, "bool"},
    {ParamType::Choice, "choice"},
    {ParamType::String, "string"},
    {ParamType::IntList, "int-list"},
}};

constexpr std::array<std::pair<ParamLimit, std::string_view>, 4> kLimitNames{{
    {ParamLimit::Threads, "threads"},
    {ParamLimit::Processes, "processes"},
    {ParamLimit::Fds, "fds"},
    {ParamLimit::Seconds, "seconds"},
}};

} // namespace

std::optional<Lang> langFromName(std::string_view name)
{
    if (name == "en")
        return Lang::En;
    if (name == "zh")
        return Lang::Zh;
    return std::nullopt;
}

std::string_view paramTypeName(ParamType t)
{
    for (const auto& [type, name] : kTypeNames) {
        if (type == t)
            return name;
    }
    return "unknown";
}

std::optional<ParamType> paramTypeFromName(std::string_view name)
{
    for (const auto& [type, typeName] : kTypeNames) {
        if (typeName == name)
            return type;
    }
    return std::nullopt;
}

std::string_view paramLimitName(ParamLimit l)
{
    for (const auto& [limit, name] : kLimitNames) {
        if (limit == l)
            return name;
    }
    return {};
}

std::optional<ParamLimit> paramLimitFromName(std::string_view name)
{
    for (const auto& [limit, limitName] : kLimitNames) {
        if (limitName == name)
            return limit;
    }
    return std::nullopt;
}

double Limits::cap(ParamLimit limit)
{
    switch (limit) {
    case ParamLimit::Threads: return kMaxThreads;
    case ParamLimit::Processes: return kMaxProcesses;
    case ParamLimit::Fds: return kMaxFds;
    case ParamLimit::Seconds: return kMaxRunSeconds;
    case ParamLimit::None: break;
    }
    return std::numeric_limits<double>::infinity();
}

std::int64_t Limits::openFileLimit()
{
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return std::numeric_limits<std::int32_t>::max();
    return static_cast<std::int64_t>(std::min<rlim_t>(rl.rlim_cur, std::numeric_limits<std::int32_t>::max()));
}

std::int64_t Limits::usableFds()
{
    return std::clamp<std::int64_t>(openFileLimit() - kFdReserve, 0, kMaxFds);
}

const Variant* Lesson::variant(std::string_view variantId) const
{
    for (const auto& v : variants) {
        if (v.id == variantId)
            return &v;
    }
    return nullptr;
}

const ParamSpec* Lesson::param(std::string_view name) const
{
    for (const auto& p : params) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

std::string Lesson::locate(const std::string& pointer) const
{
    const std::string& source = path.empty() ? (id.empty() ? std::string("<lesson>") : id) : path;
    std::string p = pointer;
    for (;;) {
        if (const auto* at = locations ? locations->find(p) : nullptr)
            return source + ":" + std::to_string(at->first) + ":" + std::to_string(at->second);
        if (p.empty())
            return source;
        p = JsonPath::parent(p);
    }
}

std::string Lesson::locateKey(const std::string& pointer) const
{
    const auto* at = locations ? locations->findKey(pointer) : nullptr;
    if (at == nullptr)
        return locate(pointer);
    const std::string& source = path.empty() ? (id.empty() ? std::string("<lesson>") : id) : path;
    return source + ":" + std::to_string(at->first) + ":" + std::to_string(at->second);
}

} // namespace lockstep
