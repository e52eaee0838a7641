#pragma once

#include "lockstep/trace/Event.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace lockstep {

class Trace;

// Coffman's four necessary conditions for a deadlock. The engine's wait-for graph decides their
// state as it changes and records each change as a Coffman event (see EventKind::Coffman); views
// and summaries read those events back and never decide for themselves.
enum class CoffmanCondition : std::uint8_t { MutualExclusion, HoldAndWait, NoPreemption, CircularWait };
inline constexpr std::size_t kCoffmanCount = 4;

// Unmet: does not hold now. Met: holds now. Broken: the program itself made it impossible for the
// rest of the run (a thread gave a lock back after failing to get the next one: no preemption).
enum class CoffmanStatus : std::uint8_t { Unmet, Met, Broken };

[[nodiscard]] std::string_view coffmanConditionName(CoffmanCondition c); // "mutual_exclusion", ...
[[nodiscard]] std::string_view coffmanStatusName(CoffmanStatus s); // "unmet", "met", "broken"

// The Coffman event's value: which condition and its new status, in one integer that the Chrome
// trace export shows as it is (condition * 16 + status).
[[nodiscard]] constexpr std::int64_t coffmanEventValue(CoffmanCondition c, CoffmanStatus s)
{
    return static_cast<std::int64_t>(c) * 16 + static_cast<std::int64_t>(s);
}

struct CoffmanChange {
    CoffmanCondition condition = CoffmanCondition::MutualExclusion;
    CoffmanStatus status = CoffmanStatus::Unmet;
};
// The change a Coffman event records; nullopt for other events or a value out of range.
[[nodiscard]] std::optional<CoffmanChange> coffmanChange(const Event& e);

// What a whole run showed, folded from its Coffman events: a condition counts when it was met at
// some recorded moment and not broken for good by the end. This is the summary's `coffman`.
struct CoffmanVerdict {
    std::array<bool, kCoffmanCount> met {};
    [[nodiscard]] bool operator[](CoffmanCondition c) const { return met[static_cast<std::size_t>(c)]; }
};
[[nodiscard]] CoffmanVerdict coffmanVerdict(const Trace& trace);

} // namespace lockstep
