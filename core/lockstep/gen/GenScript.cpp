#include "lockstep/gen/GenScript.h"

#include "lockstep/engine/Cancelled.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace lockstep::gen {

namespace {

constexpr std::string_view kAllowedOps = "next, send:<JSON value>, throw:<ExceptionName>, close";

std::string_view trim(std::string_view s)
{
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && space(s.front())) s.remove_prefix(1);
    while (!s.empty() && space(s.back())) s.remove_suffix(1);
    return s;
}

std::string shown(std::string_view s, std::size_t max = 60)
{
    std::string out(s.substr(0, max));
    if (s.size() > max) out += "...";
    return "'" + out + "'";
}

std::string joined(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// Splits at ';' outside JSON strings.
std::vector<std::string_view> splitOps(std::string_view script)
{
    std::vector<std::string_view> ops;
    bool inString = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < script.size(); ++i) {
        const char c = script[i];
        if (inString) {
            if (c == '\\') ++i;
            else if (c == '"') inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == ';') {
            ops.push_back(script.substr(start, i - start));
            start = i + 1;
        }
    }
    ops.push_back(script.substr(start));
    return ops;
}

// Integer tokens outside strings, checked on the text: a JSON integer too big for 64 bits would be
// parsed as a float by nlohmann but as an int by Python.
std::string checkIntegerTokens(std::string_view json)
{
    bool inString = false;
    for (std::size_t i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (inString) {
            if (c == '\\') ++i;
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
            continue;
        }
        if (c != '-' && (c < '0' || c > '9')) continue;
        std::size_t end = i;
        bool integral = true;
        while (end < json.size() &&
               (json[end] == '-' || json[end] == '+' || json[end] == '.' || json[end] == 'e' || json[end] == 'E' ||
                (json[end] >= '0' && json[end] <= '9'))) {
            if (json[end] == '.' || json[end] == 'e' || json[end] == 'E') integral = false;
            ++end;
        }
        const std::string_view token = json.substr(i, end - i);
        if (integral) {
            std::int64_t v = 0;
            const auto res = std::from_chars(token.data(), token.data() + token.size(), v);
            const bool parsed = res.ec == std::errc() && res.ptr == token.data() + token.size();
            if (token != "-" && (!parsed || v > ScriptLimits::kMaxInt || v < -ScriptLimits::kMaxInt))
                return "integer " + std::string(token) + " is out of range (allowed: -10^12..10^12)";
        }
        i = end - 1;
    }
    return {};
}

std::string checkValue(const PyValue& v, int depth)
{
    if (depth > ScriptLimits::kMaxDepth)
        return "lists nested deeper than " + std::to_string(ScriptLimits::kMaxDepth) + " levels";
    if (v.is_object()) return "JSON objects are not supported (allowed: null, true, false, numbers, strings, lists)";
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (!std::isfinite(d) || std::abs(d) > ScriptLimits::kMaxFloat)
            return "number " + v.dump() + " is out of range (allowed: floats within ±1e300)";
    }
    if (v.is_array())
        for (const auto& x : v)
            if (auto e = checkValue(x, depth + 1); !e.empty()) return e;
    return {};
}

} // namespace

std::string_view opName(ScriptOp::Kind kind)
{
    switch (kind) {
    case ScriptOp::Kind::Next: return "next";
    case ScriptOp::Kind::Send: return "send";
    case ScriptOp::Kind::Throw: return "throw";
    case ScriptOp::Kind::Close: return "close";
    }
    return "next";
}

const std::vector<std::string>& scriptExceptionNames()
{
    static const std::vector<std::string> s_names = {"ValueError",   "KeyError",     "TypeError",
                                                     "RuntimeError", "StopIteration", "GeneratorExit"};
    return s_names;
}

std::string checkScriptValue(std::string_view json, PyValue& out)
{
    json = trim(json);
    if (json.empty()) return "no value (allowed: a JSON value such as 5, 2.5, \"text\", null or [1, 2])";
    if (auto e = checkIntegerTokens(json); !e.empty()) return e;
    try {
        out = PyValue::parse(json);
    } catch (const nlohmann::json::exception&) {
        return shown(json) + " is not a JSON value (allowed: null, true, false, numbers, \"strings\", [lists])";
    }
    return checkValue(out, 1);
}

std::vector<ScriptOp> parseScript(std::string_view script, const std::string& what)
{
    if (script.size() > ScriptLimits::kMaxBytes)
        throw InputError(what + ": the script has " + std::to_string(script.size()) + " bytes (allowed: at most " +
                         std::to_string(ScriptLimits::kMaxBytes) + ")");
    if (trim(script).empty())
        throw InputError(what + ": the script is empty (allowed: operations separated by ';': " +
                         std::string(kAllowedOps) + ")");
    const auto parts = splitOps(script);
    if (parts.size() > ScriptLimits::kMaxOps)
        throw InputError(what + ": the script has " + std::to_string(parts.size()) + " operations (allowed: at most " +
                         std::to_string(ScriptLimits::kMaxOps) + ")");
    std::vector<ScriptOp> ops;
    ops.reserve(parts.size());
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string_view text = trim(parts[i]);
        const std::string where = what + ": operation " + std::to_string(i + 1) + " of " +
                                  std::to_string(parts.size()) + (text.empty() ? "" : " (" + shown(text) + ")") + ": ";
        if (text.empty())
            throw InputError(where + "empty operation (two ';' in a row, or a ';' at the end?) (allowed: " +
                             std::string(kAllowedOps) + ")");
        const std::size_t colon = text.find(':');
        const std::string_view name = trim(text.substr(0, colon));
        const bool hasArg = colon != std::string_view::npos;
        const std::string_view arg = hasArg ? trim(text.substr(colon + 1)) : std::string_view();
        ScriptOp op;
        op.text = std::string(text);
        if (name == "next" || name == "close") {
            op.kind = name == "next" ? ScriptOp::Kind::Next : ScriptOp::Kind::Close;
            if (hasArg)
                throw InputError(where + std::string(name) + " takes no argument (allowed: " + std::string(name) + ")");
        } else if (name == "send") {
            op.kind = ScriptOp::Kind::Send;
            if (!hasArg)
                throw InputError(where + "send needs a value (allowed: send:<JSON value>, e.g. send:5, send:\"hi\", "
                                         "send:null, send:[1, 2.5])");
            if (auto e = checkScriptValue(arg, op.value); !e.empty()) throw InputError(where + "send: " + e);
        } else if (name == "throw") {
            op.kind = ScriptOp::Kind::Throw;
            const auto& names = scriptExceptionNames();
            if (!hasArg || arg.empty())
                throw InputError(where + "throw needs an exception class (allowed: throw:<ExceptionName>, one of " +
                                 joined(names) + ")");
            if (std::find(names.begin(), names.end(), arg) == names.end())
                throw InputError(where + "unknown exception class " + shown(arg) + " (allowed: " + joined(names) + ")");
            op.exception = std::string(arg);
        } else {
            throw InputError(where + "unknown operation " + shown(name) + " (allowed: " + std::string(kAllowedOps) + ")");
        }
        ops.push_back(std::move(op));
    }
    return ops;
}

} // namespace lockstep::gen
