#include "lockstep/lesson/ParamChecker.h"

#include "lockstep/lesson/JsonPath.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace lockstep {

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::optional<std::int64_t> parseInt(std::string_view text)
{
    text = trim(text);
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    std::int64_t value = 0;
    const char* last = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), last, value);
    if (text.empty() || ec != std::errc() || ptr != last)
        return std::nullopt;
    return value;
}

} // namespace

std::string ParamChecker::formatNumber(double value, bool integral)
{
    if (integral && std::abs(value) <= 9.0e15)
        return std::to_string(static_cast<std::int64_t>(value));
    // nlohmann's shortest round-trip form keeps small numbers readable ("0.0001", not "1e-04").
    std::string text = nlohmann::json(value).dump();
    if (text.size() > 2 && text.compare(text.size() - 2, 2, ".0") == 0)
        text.resize(text.size() - 2);
    return text;
}

std::string ParamChecker::describe(const nlohmann::json& value)
{
    switch (value.type()) {
    case nlohmann::json::value_t::string:
        return "a string \"" + JsonPath::printable(value.get_ref<const std::string&>(), 30) + "\"";
    case nlohmann::json::value_t::number_integer: return "an integer " + std::to_string(value.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: return "an integer " + std::to_string(value.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float: return "a number " + formatNumber(value.get<double>(), false);
    case nlohmann::json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::object: return "an object";
    default: return "a binary value";
    }
}

std::optional<double> ParamChecker::effectiveMin(const ParamSpec& spec)
{
    std::optional<double> min = spec.min;
    // Resource counts are never negative, whatever the file says.
    if (spec.limit != ParamLimit::None)
        min = std::max(min.value_or(0.0), 0.0);
    return min;
}

std::optional<double> ParamChecker::effectiveMax(const ParamSpec& spec, Mode mode)
{
    std::optional<double> max = spec.max;
    if (spec.limit != ParamLimit::None) {
        double cap = Limits::cap(spec.limit);
        if (spec.limit == ParamLimit::Fds && mode == Mode::Run)
            cap = std::min(cap, static_cast<double>(Limits::usableFds()));
        max = std::min(max.value_or(cap), cap);
    }
    return max;
}

std::string ParamChecker::allowed(const ParamSpec& spec, Mode mode)
{
    switch (spec.type) {
    case ParamType::Bool: return "true, false, 1, 0";
    case ParamType::String: return "any text";
    case ParamType::Choice: {
        std::string out;
        for (const auto& c : spec.choices)
            out += (out.empty() ? "" : ", ") + JsonPath::printable(c, 40);
        return out.empty() ? "no choices defined" : out;
    }
    case ParamType::Int:
    case ParamType::Float:
    case ParamType::IntList: break;
    }
    const bool integral = isIntegral(spec.type);
    const auto min = effectiveMin(spec);
    const auto max = effectiveMax(spec, mode);
    std::string range;
    if (min && max)
        range = formatNumber(*min, integral) + ".." + formatNumber(*max, integral);
    else if (min)
        range = "at least " + formatNumber(*min, integral);
    else if (max)
        range = "at most " + formatNumber(*max, integral);
    else
        range = integral ? "any integer within ±2^53" : "any finite number";
    if (spec.type == ParamType::IntList)
        return "a comma-separated list of 1.." + std::to_string(Limits::kMaxListLength) + " integers, each " + range;
    return range;
}

std::string ParamChecker::checkNumber(const ParamSpec& spec, const nlohmann::json& value, Mode mode)
{
    const bool integral = isIntegral(spec.type);
    const std::string allowedText = " (allowed: " + allowed(spec, mode) + ")";
    double v = 0;
    if (integral) {
        if (value.is_number_unsigned()) {
            const auto u = value.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(Limits::kMaxSafeInt))
                return std::to_string(u) + " is beyond ±2^53" + allowedText;
            v = static_cast<double>(u);
        } else if (value.is_number_integer()) {
            const auto i = value.get<std::int64_t>();
            if (i > Limits::kMaxSafeInt || i < -Limits::kMaxSafeInt)
                return std::to_string(i) + " is beyond ±2^53" + allowedText;
            v = static_cast<double>(i);
        } else if (value.is_number_float()) {
            const double d = value.get<double>();
            if (std::isfinite(d) && std::trunc(d) == d && std::abs(d) > static_cast<double>(Limits::kMaxSafeInt))
                return formatNumber(d, false) + " is beyond ±2^53" + allowedText;
            return "wrong type: found " + describe(value) + ", expected an integer" + allowedText;
        } else {
            return "wrong type: found " + describe(value) + ", expected an integer" + allowedText;
        }
    } else {
        if (!value.is_number())
            return "wrong type: found " + describe(value) + ", expected a number" + allowedText;
        v = value.get<double>();
        if (!std::isfinite(v))
            return "not a finite number" + allowedText;
    }
    const auto min = effectiveMin(spec);
    if (min && v < *min)
        return formatNumber(v, integral) + " is below the minimum " + formatNumber(*min, integral) + allowedText;
    const auto fileMax = effectiveMax(spec, Mode::File);
    const auto max = effectiveMax(spec, mode);
    if (max && v > *max) {
        if (spec.limit == ParamLimit::Fds && mode == Mode::Run && (!fileMax || v <= *fileMax)) {
            // Only this machine's open-file limit is in the way: say how to raise it.
            const auto limit = Limits::openFileLimit();
            return formatNumber(v, true) + " is above the maximum " + formatNumber(*max, true) +
                   " that this process's open-file limit allows (RLIMIT_NOFILE is " + std::to_string(limit) + ", and " +
                   std::to_string(Limits::kFdReserve) +
                   " fds are kept for the engine); raise it in the shell that starts lockstep, e.g. `ulimit -n " +
                   std::to_string(static_cast<std::int64_t>(v) + Limits::kFdReserve) + "`" + allowedText;
        }
        return formatNumber(v, integral) + " is above the maximum " + formatNumber(*max, integral) + allowedText;
    }
    return {};
}

std::string ParamChecker::check(const ParamSpec& spec, const nlohmann::json& value, Mode mode)
{
    switch (spec.type) {
    case ParamType::Int:
    case ParamType::Float: return checkNumber(spec, value, mode);
    case ParamType::Bool:
        if (!value.is_boolean())
            return "wrong type: found " + describe(value) + ", expected true or false (allowed: true, false)";
        return {};
    case ParamType::String:
        if (!value.is_string())
            return "wrong type: found " + describe(value) + ", expected a string (allowed: any text)";
        return {};
    case ParamType::Choice:
        if (!value.is_string())
            return "wrong type: found " + describe(value) + ", expected a string (allowed: " + allowed(spec, mode) +
                   ")";
        if (std::find(spec.choices.begin(), spec.choices.end(), value.get_ref<const std::string&>()) ==
            spec.choices.end()) {
            return "unknown choice '" + JsonPath::printable(value.get_ref<const std::string&>()) +
                   "' (allowed: " + allowed(spec, mode) + ")";
        }
        return {};
    case ParamType::IntList: {
        if (!value.is_array())
            return "wrong type: found " + describe(value) +
                   ", expected an array of integers (allowed: " + allowed(spec, mode) + ")";
        if (value.empty() || value.size() > static_cast<std::size_t>(Limits::kMaxListLength)) {
            return "the list has " + std::to_string(value.size()) + " elements (allowed: " + allowed(spec, mode) + ")";
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
            std::string error = checkNumber(spec, value[i], mode);
            if (!error.empty())
                return "element " + std::to_string(i) + ": " + error;
        }
        return {};
    }
    }
    return "unknown parameter type";
}

std::optional<nlohmann::json> ParamChecker::parseText(const ParamSpec& spec, std::string_view text, std::string& error)
{
    const std::string shown = "'" + JsonPath::printable(text, 40) + "'";
    switch (spec.type) {
    case ParamType::Int: {
        if (const auto v = parseInt(text))
            return nlohmann::json(*v);
        error = shown + " is not an integer (allowed: " + allowed(spec, Mode::Run) + ")";
        return std::nullopt;
    }
    case ParamType::Float: {
        std::string_view t = trim(text);
        if (!t.empty() && t.front() == '+')
            t.remove_prefix(1);
        double v = 0;
        const char* last = t.data() + t.size();
        const auto [ptr, ec] = std::from_chars(t.data(), last, v);
        if (t.empty() || ec != std::errc() || ptr != last || !std::isfinite(v)) {
            error = shown + " is not a finite number (allowed: " + allowed(spec, Mode::Run) + ")";
            return std::nullopt;
        }
        return nlohmann::json(v);
    }
    case ParamType::Bool: {
        std::string lower(trim(text));
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
        if (lower == "true" || lower == "1")
            return nlohmann::json(true);
        if (lower == "false" || lower == "0")
            return nlohmann::json(false);
        error = shown + " is not a boolean (allowed: " + allowed(spec, Mode::Run) + ")";
        return std::nullopt;
    }
    case ParamType::Choice:
    case ParamType::String: return nlohmann::json(std::string(text));
    case ParamType::IntList: {
        nlohmann::json list = nlohmann::json::array();
        std::size_t start = 0;
        for (;;) {
            const std::size_t comma = text.find(',', start);
            const std::string_view item =
                text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
            const auto v = parseInt(item);
            if (!v) {
                error = shown + " is not a comma-separated list of integers (element " + std::to_string(list.size()) +
                        " '" + JsonPath::printable(trim(item), 30) + "'; allowed: " + allowed(spec, Mode::Run) + ")";
                return std::nullopt;
            }
            list.push_back(*v);
            if (list.size() > static_cast<std::size_t>(Limits::kMaxListLength)) {
                error = shown + " has more than " + std::to_string(Limits::kMaxListLength) +
                        " elements (allowed: " + allowed(spec, Mode::Run) + ")";
                return std::nullopt;
            }
            if (comma == std::string_view::npos)
                break;
            start = comma + 1;
        }
        return list;
    }
    }
    error = "unknown parameter type";
    return std::nullopt;
}

} // namespace lockstep
