#pragma once

#include "lockstep/lesson/Lesson.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace lockstep {

// Judges parameter values against their ParamSpec and the hard caps in Limits, and parses the
// text form used on the command line. Messages read "what is wrong (allowed: ...)"; the caller
// prefixes where the value came from (file:line:column: key, or --param k=v).
class ParamChecker {
public:
    // File: the caps every lesson file must respect. Run: also the ones of this machine right now
    // (fds within RLIMIT_NOFILE), checked when a run's values are resolved.
    enum class Mode : std::uint8_t { File, Run };

    // Empty when `value` is acceptable.
    [[nodiscard]] static std::string check(const ParamSpec& spec, const nlohmann::json& value, Mode mode);
    // Text -> value of the spec's type ("4", "0.5", "true", "fifo", "100,1000,4000"); range is not
    // checked here. On failure returns nullopt and sets `error`.
    [[nodiscard]] static std::optional<nlohmann::json> parseText(const ParamSpec& spec, std::string_view text,
                                                                 std::string& error);
    // What the value may be: "1..64", "at least 0.5", "true, false, 1, 0", "fifo, lifo", ...
    [[nodiscard]] static std::string allowed(const ParamSpec& spec, Mode mode);
    [[nodiscard]] static std::optional<double> effectiveMin(const ParamSpec& spec);
    [[nodiscard]] static std::optional<double> effectiveMax(const ParamSpec& spec, Mode mode);
    [[nodiscard]] static std::string formatNumber(double value, bool integral);
    [[nodiscard]] static bool isIntegral(ParamType type)
    {
        return type == ParamType::Int || type == ParamType::IntList;
    }
    // "an integer 12", "a string \"abc\"", "an array", ... for "found ..." messages.
    [[nodiscard]] static std::string describe(const nlohmann::json& value);

private:
    [[nodiscard]] static std::string checkNumber(const ParamSpec& spec, const nlohmann::json& value, Mode mode);
};

} // namespace lockstep
