#include "lockstep/trace/Coffman.h"

#include "lockstep/trace/Trace.h"

namespace lockstep {

namespace {
// By enum value, as in Names.cpp.
constexpr std::array<std::string_view, kCoffmanCount> kConditionNames { "mutual_exclusion", "hold_and_wait",
    "no_preemption", "circular_wait" };
constexpr std::array<std::string_view, 3> kStatusNames { "unmet", "met", "broken" };
} // namespace

std::string_view coffmanConditionName(CoffmanCondition c)
{
    return kConditionNames[static_cast<std::size_t>(c)];
}

std::string_view coffmanStatusName(CoffmanStatus s)
{
    return kStatusNames[static_cast<std::size_t>(s)];
}

std::optional<CoffmanChange> coffmanChange(const Event& e)
{
    if (e.kind != EventKind::Coffman || e.value < 0) return std::nullopt;
    const std::int64_t condition = e.value / 16;
    const std::int64_t status = e.value % 16;
    if (condition >= static_cast<std::int64_t>(kCoffmanCount)
        || status > static_cast<std::int64_t>(CoffmanStatus::Broken))
        return std::nullopt;
    return CoffmanChange { static_cast<CoffmanCondition>(condition), static_cast<CoffmanStatus>(status) };
}

CoffmanVerdict coffmanVerdict(const Trace& trace)
{
    CoffmanVerdict v;
    std::array<bool, kCoffmanCount> broken {};
    for (const Event& e : trace.events()) {
        const auto change = coffmanChange(e);
        if (!change) continue;
        const auto i = static_cast<std::size_t>(change->condition);
        if (change->status == CoffmanStatus::Met) v.met[i] = true;
        broken[i] = change->status == CoffmanStatus::Broken;
    }
    for (std::size_t i = 0; i < kCoffmanCount; ++i)
        v.met[i] = v.met[i] && !broken[i];
    return v;
}

} // namespace lockstep
