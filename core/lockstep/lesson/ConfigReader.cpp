#include "lockstep/lesson/ConfigReader.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/JsonPath.h"
#include "lockstep/lesson/ParamChecker.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace lockstep {

namespace {

std::string quoted(const std::string& s)
{
    return "'" + JsonPath::printable(s) + "'";
}

std::string integerRange(std::int64_t lo, std::int64_t hi)
{
    return "an integer " + std::to_string(lo) + ".." + std::to_string(hi);
}

std::string numberRange(double lo, double hi)
{
    return "a number " + ConfigReader::formatNumber(lo) + ".." + ConfigReader::formatNumber(hi);
}

} // namespace

ConfigReader::ConfigReader(Where where, const nlohmann::json& object, std::string pointer, std::string what)
    : m_where(std::move(where)), m_object(object), m_pointer(std::move(pointer)), m_what(std::move(what))
{
    if (!m_object.is_object())
        throw InputError(
            m_where(m_pointer) + ": " + m_what + ": wrong type: found " + describe(m_object) + " (allowed: an object)");
}

void ConfigReader::fail(const std::string& key, const std::string& what) const
{
    // A missing key has no place of its own: point at the object that lacks it.
    const std::string at = has(key) ? pointer(key) : m_pointer;
    throw InputError(m_where(at) + ": " + key + ": " + what);
}

void ConfigReader::failAt(const std::string& relative, const std::string& key, const std::string& what) const
{
    throw InputError(m_where(m_pointer + relative) + ": " + key + ": " + what);
}

void ConfigReader::allowOnly(const std::vector<std::string>& keys, const std::string& context) const
{
    for (const auto& [key, value] : m_object.items()) {
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            fail(key,
                "unknown key " + (context.empty() ? "in " + m_what : context) + " (allowed: " + joinNames(keys) + ")");
    }
}

bool ConfigReader::has(const std::string& key) const
{
    return m_object.contains(key);
}

const nlohmann::json* ConfigReader::find(const std::string& key) const
{
    const auto it = m_object.find(key);
    return it == m_object.end() ? nullptr : &*it;
}

const nlohmann::json& ConfigReader::required(const std::string& key) const
{
    const nlohmann::json* v = find(key);
    if (v == nullptr) fail(key, "required key is missing in " + m_what);
    return *v;
}

ConfigReader ConfigReader::object(const std::string& key) const
{
    return ConfigReader(m_where, required(key), pointer(key), key);
}

std::string ConfigReader::string(const std::string& key, const std::string& fallback) const
{
    const nlohmann::json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_string()) fail(key, "wrong type: found " + describe(*v) + " (allowed: a string)");
    return v->get<std::string>();
}

std::string ConfigReader::requiredString(const std::string& key) const
{
    if (!has(key)) fail(key, "required key is missing in " + m_what + " (allowed: a string)");
    return string(key, {});
}

int ConfigReader::choice(const std::string& key, const std::vector<std::string>& names, int fallback) const
{
    const std::string allowed = " (allowed: " + joinNames(names) + ")";
    const nlohmann::json* v = find(key);
    if (v == nullptr) {
        if (fallback < 0) fail(key, "required key is missing in " + m_what + allowed);
        return fallback;
    }
    if (!v->is_string()) fail(key, "wrong type: found " + describe(*v) + allowed);
    const auto it = std::find(names.begin(), names.end(), v->get<std::string>());
    if (it == names.end()) fail(key, "unknown " + key + " " + quoted(v->get<std::string>()) + allowed);
    return static_cast<int>(it - names.begin());
}

std::int64_t ConfigReader::readInteger(
    const nlohmann::json& v, const std::string& key, std::int64_t lo, std::int64_t hi) const
{
    const std::string allowed = " (allowed: " + integerRange(lo, hi) + ")";
    // Only a JSON integer: 2.0 is a float in Python, and a typo like 2.5 must not become 2.
    if (!v.is_number_integer()) fail(key, "wrong type: found " + describe(v) + allowed);
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(hi))
        fail(key, v.dump() + " is out of range" + allowed);
    const auto x = v.get<std::int64_t>();
    if (x < lo || x > hi) fail(key, std::to_string(x) + " is out of range" + allowed);
    return x;
}

double ConfigReader::readNumber(const nlohmann::json& v, const std::string& key, double lo, double hi) const
{
    const std::string allowed = " (allowed: " + numberRange(lo, hi) + ")";
    if (!v.is_number()) fail(key, "wrong type: found " + describe(v) + allowed);
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < lo || d > hi) fail(key, formatNumber(d) + " is out of range" + allowed);
    return d;
}

std::int64_t ConfigReader::integer(
    const std::string& key, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const
{
    const nlohmann::json* v = find(key);
    return v == nullptr ? fallback : readInteger(*v, key, lo, hi);
}

int ConfigReader::integer(const std::string& key, int fallback, int lo, int hi) const
{
    return static_cast<int>(integer(key, std::int64_t { fallback }, std::int64_t { lo }, std::int64_t { hi }));
}

std::int64_t ConfigReader::requiredInteger(const std::string& key, std::int64_t lo, std::int64_t hi) const
{
    if (!has(key)) fail(key, "required key is missing in " + m_what + " (allowed: " + integerRange(lo, hi) + ")");
    return readInteger(*find(key), key, lo, hi);
}

double ConfigReader::number(const std::string& key, double fallback, double lo, double hi) const
{
    const nlohmann::json* v = find(key);
    return v == nullptr ? fallback : readNumber(*v, key, lo, hi);
}

double ConfigReader::requiredNumber(const std::string& key, double lo, double hi) const
{
    if (!has(key)) fail(key, "required key is missing in " + m_what + " (allowed: " + numberRange(lo, hi) + ")");
    return readNumber(*find(key), key, lo, hi);
}

bool ConfigReader::boolean(const std::string& key, bool fallback) const
{
    const nlohmann::json* v = find(key);
    if (v == nullptr) return fallback;
    if (!v->is_boolean()) fail(key, "wrong type: found " + describe(*v) + " (allowed: true, false)");
    return v->get<bool>();
}

std::vector<int> ConfigReader::intList(const std::string& key, int lo, int hi) const
{
    std::vector<int> out;
    const nlohmann::json* v = find(key);
    if (v == nullptr) return out;
    const std::string allowed = " (allowed: a list of at most " + std::to_string(Limits::kMaxListLength) + " integers "
        + std::to_string(lo) + ".." + std::to_string(hi) + ")";
    if (!v->is_array()) fail(key, "wrong type: found " + describe(*v) + allowed);
    if (v->size() > static_cast<std::size_t>(Limits::kMaxListLength))
        fail(key, std::to_string(v->size()) + " elements is too many" + allowed);
    for (std::size_t i = 0; i < v->size(); ++i) {
        const nlohmann::json& e = (*v)[i];
        const std::string at = "/" + key + "/" + std::to_string(i);
        const std::string name = key + "[" + std::to_string(i) + "]";
        if (!e.is_number_integer()) failAt(at, name, "wrong type: found " + describe(e) + allowed);
        const auto x = e.get<std::int64_t>();
        if (x < lo || x > hi) failAt(at, name, std::to_string(x) + " is out of range" + allowed);
        out.push_back(static_cast<int>(x));
    }
    return out;
}

LocalizedText ConfigReader::text(const std::string& key, bool requiredKey) const
{
    LocalizedText t;
    const nlohmann::json* v = find(key);
    if (v == nullptr) {
        if (requiredKey) fail(key, "required key is missing in " + m_what + " (allowed: a string or {\"en\", \"zh\"})");
        return t;
    }
    if (v->is_string()) {
        t.en = v->get<std::string>();
        return t;
    }
    const ConfigReader inner(m_where, *v, pointer(key), key);
    inner.allowOnly({ "en", "zh" });
    t.en = inner.requiredString("en");
    t.zh = inner.string("zh", {});
    return t;
}

std::string ConfigReader::joinNames(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

std::string ConfigReader::formatNumber(double v)
{
    std::ostringstream os;
    os << v;
    return os.str();
}

std::string ConfigReader::describe(const nlohmann::json& v)
{
    return ParamChecker::describe(v);
}

} // namespace lockstep
