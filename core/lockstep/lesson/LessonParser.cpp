#include "lockstep/lesson/LessonParser.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/JsonPath.h"
#include "lockstep/lesson/ParamChecker.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace lockstep {

namespace {

std::string joined(const std::vector<std::string>& items, std::string_view prefix = {})
{
    std::string out;
    for (const auto& item : items) {
        if (!out.empty())
            out += ", ";
        out += prefix;
        out += JsonPath::printable(item, 40);
    }
    return out;
}

std::string joined(std::initializer_list<std::string_view> items)
{
    std::string out;
    for (const auto item : items) {
        if (!out.empty())
            out += ", ";
        out += item;
    }
    return out;
}

int lineCount(const std::string& text)
{
    if (text.empty())
        return 0;
    const auto newlines = std::count(text.begin(), text.end(), '\n');
    return static_cast<int>(newlines) + (text.back() == '\n' ? 0 : 1);
}

std::string quoteName(const std::string& s)
{
    return "'" + JsonPath::printable(s) + "'";
}

} // namespace

LessonParser::LessonParser(const JsonDocument& doc, std::string source) : m_doc(doc), m_source(std::move(source))
{
}

std::string LessonParser::where(const std::string& pointer, bool key) const
{
    std::pair<int, int> position{1, 1};
    bool found = false;
    if (key) {
        if (const auto* at = m_doc.locations->findKey(pointer)) {
            position = *at;
            found = true;
        }
    }
    // A missing key is reported at the object that lacks it: walk up to the nearest value we have.
    for (std::string p = pointer; !found;) {
        if (const auto* at = m_doc.locations->find(p)) {
            position = *at;
            found = true;
        } else if (p.empty()) {
            break;
        } else {
            p = JsonPath::parent(p);
        }
    }
    return m_source + ":" + std::to_string(position.first) + ":" + std::to_string(position.second) + ": " +
           JsonPath::display(m_doc.value, pointer);
}

std::string LessonParser::firstSeen(const std::string& pointer) const
{
    const std::string w = where(pointer, false);
    return w.substr(0, w.rfind(": "));
}

void LessonParser::fail(const std::string& pointer, const std::string& what) const
{
    throw InputError(where(pointer, false) + ": " + what);
}

void LessonParser::failKey(const std::string& pointer, const std::string& what) const
{
    throw InputError(where(pointer, true) + ": " + what);
}

std::vector<std::string> LessonParser::keysInFileOrder(const std::string& pointer, const nlohmann::json& object) const
{
    std::vector<std::pair<std::pair<int, int>, std::string>> keyed;
    keyed.reserve(object.size());
    for (const auto& item : object.items()) {
        const auto* at = m_doc.locations->findKey(JsonPath::child(pointer, item.key()));
        keyed.emplace_back(at != nullptr ? *at : std::pair<int, int>{0, 0}, item.key());
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::string> keys;
    keys.reserve(keyed.size());
    for (auto& [position, key] : keyed)
        keys.push_back(std::move(key));
    return keys;
}

void LessonParser::checkKeys(const std::string& pointer, const nlohmann::json& object,
                             std::initializer_list<std::string_view> allowed) const
{
    for (const auto& key : keysInFileOrder(pointer, object)) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            failKey(JsonPath::child(pointer, key),
                    "unknown key " + quoteName(key) + " (allowed: " + joined(allowed) + ")");
    }
}

namespace {

std::string_view kindText(std::uint8_t kind)
{
    static constexpr std::string_view kTexts[] = {"a string",      "an integer", "a number",
                                                  "true or false", "an array",   "an object"};
    return kTexts[kind];
}

} // namespace

void LessonParser::expect(const std::string& pointer, const nlohmann::json& value, Kind kind,
                          std::string_view allowed) const
{
    bool ok = false;
    switch (kind) {
    case Kind::String: ok = value.is_string(); break;
    case Kind::Integer: ok = value.is_number_integer(); break;
    case Kind::Number: ok = value.is_number(); break;
    case Kind::Boolean: ok = value.is_boolean(); break;
    case Kind::Array: ok = value.is_array(); break;
    case Kind::Object: ok = value.is_object(); break;
    }
    if (!ok) {
        fail(pointer, "wrong type: found " + ParamChecker::describe(value) + " (allowed: " +
                          std::string(allowed.empty() ? kindText(static_cast<std::uint8_t>(kind)) : allowed) + ")");
    }
}

const nlohmann::json* LessonParser::member(const std::string& pointer, const nlohmann::json& object,
                                           std::string_view key, Kind kind, bool required,
                                           std::string_view allowed) const
{
    const std::string child = JsonPath::child(pointer, key);
    const auto it = object.find(key);
    if (it == object.end()) {
        if (required) {
            fail(child, "required key is missing (allowed: " +
                            std::string(allowed.empty() ? kindText(static_cast<std::uint8_t>(kind)) : allowed) + ")");
        }
        return nullptr;
    }
    expect(child, *it, kind, allowed);
    return &*it;
}

std::string LessonParser::readName(const std::string& pointer, const nlohmann::json& value, NameRule rule) const
{
    expect(pointer, value, Kind::String);
    const auto& name = value.get_ref<const std::string&>();
    std::string_view allowed;
    bool ok = !name.empty() && name.size() <= static_cast<std::size_t>(Limits::kMaxNameLength);
    for (std::size_t i = 0; ok && i < name.size(); ++i) {
        const char c = name[i];
        const bool lowerOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        switch (rule) {
        case NameRule::LessonId: ok = lowerOrDigit || c == '-'; break;
        case NameRule::VariantId:
        case NameRule::Engine: ok = lowerOrDigit || c == '-' || c == '_'; break;
        case NameRule::ParamName:
            ok = lowerOrDigit || c == '_';
            if (i == 0 && c >= '0' && c <= '9')
                ok = false;
            break;
        }
    }
    switch (rule) {
    case NameRule::LessonId: allowed = "1 to 64 characters of a-z, 0-9 and '-'"; break;
    case NameRule::VariantId:
    case NameRule::Engine: allowed = "1 to 64 characters of a-z, 0-9, '_' and '-'"; break;
    case NameRule::ParamName: allowed = "1 to 64 characters of a-z, 0-9 and '_', not starting with a digit"; break;
    }
    if (!ok)
        fail(pointer, "invalid name " + quoteName(name) + " (allowed: " + std::string(allowed) + ")");
    return name;
}

LocalizedText LessonParser::readText(const std::string& pointer, const nlohmann::json& value, bool required) const
{
    static constexpr std::string_view kAllowed = "a string, or an object {\"en\": \"...\", \"zh\": \"...\"}";
    LocalizedText text;
    if (value.is_string()) {
        text.en = value.get<std::string>();
    } else if (value.is_object()) {
        checkKeys(pointer, value, {"en", "zh"});
        text.en = member(pointer, value, "en", Kind::String, true, "the English text, a string")->get<std::string>();
        if (const auto* zh = member(pointer, value, "zh", Kind::String, false))
            text.zh = zh->get<std::string>();
    } else {
        fail(pointer,
             "wrong type: found " + ParamChecker::describe(value) + " (allowed: " + std::string(kAllowed) + ")");
    }
    if (required && text.en.empty()) {
        fail(value.is_object() ? JsonPath::child(pointer, "en") : pointer,
             "the English text is empty (allowed: a non-empty string)");
    }
    return text;
}

std::int64_t LessonParser::readInt(const std::string& pointer, const nlohmann::json& value, std::int64_t lo,
                                   std::int64_t hi) const
{
    const std::string range = std::to_string(lo) + ".." + std::to_string(hi);
    expect(pointer, value, Kind::Integer, "an integer in " + range);
    const bool negative = value.is_number_integer() && !value.is_number_unsigned() && value.get<std::int64_t>() < 0;
    if (!negative && value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(hi))
        fail(pointer, std::to_string(value.get<std::uint64_t>()) + " is out of range (allowed: " + range + ")");
    const auto v = value.get<std::int64_t>();
    if (v < lo || v > hi)
        fail(pointer, std::to_string(v) + " is out of range (allowed: " + range + ")");
    return v;
}

Lesson LessonParser::parse()
{
    const nlohmann::json& root = m_doc.value;
    expect("", root, Kind::Object, "a JSON object with the lesson's keys: id, title, variants, ...");
    checkKeys("", root,
              {"id", "topic", "engine", "order", "title", "summary", "python", "timeout_s", "narration", "parameters",
               "variants"});
    parseHeader(root);
    parseParams(root);
    parseVariants(root);
    parseNarration(root);
    for (std::size_t i = 0; i < m_lesson.variants.size(); ++i) {
        const std::string pointer = "/variants/" + std::to_string(i) + "/config";
        checkReferences(pointer, m_lesson.variants[i].config);
    }
    m_lesson.path = m_source;
    m_lesson.locations = m_doc.locations; // shared: copying a Lesson copies no positions
    return std::move(m_lesson);
}

void LessonParser::parseHeader(const nlohmann::json& root)
{
    m_lesson.id = readName("/id", *member("", root, "id", Kind::String, true, "1 to 64 characters of a-z, 0-9 and '-'"),
                           NameRule::LessonId);
    m_lesson.topic = member("", root, "topic", Kind::String, true)->get<std::string>();
    if (m_lesson.topic.empty())
        fail("/topic", "empty topic (allowed: a non-empty string such as \"threads\" or \"gil\")");
    m_lesson.engine = readName(
        "/engine", *member("", root, "engine", Kind::String, true, "the name of a lesson engine"), NameRule::Engine);
    if (const auto* order = member("", root, "order", Kind::Integer, false))
        m_lesson.order = static_cast<int>(readInt("/order", *order, -1'000'000, 1'000'000));
    const auto titleIt = root.find("title");
    if (titleIt == root.end())
        fail("/title", "required key is missing (allowed: a string, or an object {\"en\": ..., \"zh\": ...})");
    m_lesson.title = readText("/title", *titleIt, true);
    if (const auto it = root.find("summary"); it != root.end())
        m_lesson.summary = readText("/summary", *it, false);
    m_lesson.python =
        member("", root, "python", Kind::String, true, "the Python snippet the lesson models")->get<std::string>();
    if (m_lesson.python.empty())
        fail("/python", "empty snippet (allowed: the Python code the lesson models)");
    m_lesson.timeoutSeconds = Limits::kDefaultRunSeconds;
    if (const auto* timeout = member("", root, "timeout_s", Kind::Number, false)) {
        const double t = timeout->get<double>();
        if (!(t > 0 && t <= Limits::kMaxRunSeconds)) {
            fail("/timeout_s", ParamChecker::formatNumber(t, false) +
                                   " seconds is out of range (allowed: more than 0, at most " +
                                   std::to_string(Limits::kMaxRunSeconds) + ")");
        }
        m_lesson.timeoutSeconds = t;
    }
}

void LessonParser::parseParams(const nlohmann::json& root)
{
    const auto* params = member("", root, "parameters", Kind::Array, false, "an array of parameter objects");
    if (params == nullptr)
        return;
    for (std::size_t i = 0; i < params->size(); ++i) {
        const std::string pointer = "/parameters/" + std::to_string(i);
        ParamSpec spec = parseParam(pointer, (*params)[i]);
        for (std::size_t j = 0; j < m_lesson.params.size(); ++j) {
            if (m_lesson.params[j].name == spec.name) {
                fail(pointer + "/name", "duplicate parameter " + quoteName(spec.name) + ", first defined at " +
                                            firstSeen("/parameters/" + std::to_string(j) + "/name") +
                                            " (allowed: a name no other parameter has)");
            }
        }
        m_lesson.params.push_back(std::move(spec));
    }
}

ParamSpec LessonParser::parseParam(const std::string& pointer, const nlohmann::json& value)
{
    expect(pointer, value, Kind::Object, "a parameter object {\"name\": ..., \"type\": ..., \"default\": ...}");
    checkKeys(pointer, value, {"name", "type", "default", "min", "max", "choices", "unit", "label", "help", "limit"});
    ParamSpec spec;
    static constexpr std::string_view kTypes = "int, float, bool, choice, string, int-list";
    spec.name = readName(pointer + "/name", *member(pointer, value, "name", Kind::String, true, "a parameter name"),
                         NameRule::ParamName);
    const auto& typeName = member(pointer, value, "type", Kind::String, true, kTypes)->get_ref<const std::string&>();
    const auto type = paramTypeFromName(typeName);
    if (!type)
        fail(pointer + "/type", "unknown type " + quoteName(typeName) + " (allowed: " + std::string(kTypes) + ")");
    spec.type = *type;
    const std::string typeText(paramTypeName(spec.type));
    const bool numeric =
        spec.type == ParamType::Int || spec.type == ParamType::Float || spec.type == ParamType::IntList;
    const bool integral = ParamChecker::isIntegral(spec.type);

    for (const std::string_view bound : {"min", "max"}) {
        const std::string child = JsonPath::child(pointer, bound);
        const auto it = value.find(bound);
        if (it == value.end())
            continue;
        if (!numeric) {
            failKey(child, std::string(bound) + " does not apply to a " + typeText +
                               " parameter (allowed: min and max on int, float and int-list parameters)");
        }
        expect(child, *it, integral ? Kind::Integer : Kind::Number, integral ? "an integer" : "a number");
        const double v = it->get<double>();
        // Judge integers exactly: 2^53 + 1 would round to 2^53 as a double.
        const bool tooBig =
            it->is_number_unsigned() ? it->get<std::uint64_t>() > static_cast<std::uint64_t>(Limits::kMaxSafeInt)
            : it->is_number_integer()
                ? (it->get<std::int64_t>() > Limits::kMaxSafeInt || it->get<std::int64_t>() < -Limits::kMaxSafeInt)
                : false;
        if (tooBig)
            fail(child, it->dump() + " is beyond ±2^53 (allowed: |value| <= 2^53)");
        (bound == "min" ? spec.min : spec.max) = v;
    }

    if (const auto* limit = member(pointer, value, "limit", Kind::String, false, "threads, processes, fds, seconds")) {
        const auto& limitName = limit->get_ref<const std::string&>();
        const auto parsed = paramLimitFromName(limitName);
        if (!parsed)
            fail(pointer + "/limit",
                 "unknown limit " + quoteName(limitName) + " (allowed: threads, processes, fds, seconds)");
        spec.limit = *parsed;
        const bool counts = spec.limit != ParamLimit::Seconds;
        if (!numeric || (counts && !integral)) {
            fail(pointer + "/limit", "a " + typeText + " parameter cannot count " + limitName + " (allowed: " +
                                         (counts ? "int and int-list" : "int, float and int-list") + " parameters)");
        }
        const double cap = Limits::cap(spec.limit);
        if (spec.max && *spec.max > cap) {
            fail(pointer + "/max", ParamChecker::formatNumber(*spec.max, integral) + " is above the hard cap of " +
                                       ParamChecker::formatNumber(cap, true) + " " + limitName + " (allowed: at most " +
                                       ParamChecker::formatNumber(cap, true) + ")");
        }
        if (spec.min && *spec.min < 0) {
            fail(pointer + "/min", ParamChecker::formatNumber(*spec.min, integral) +
                                       " is negative, but the parameter counts " + limitName + " (allowed: 0.." +
                                       ParamChecker::formatNumber(cap, true) + ")");
        }
        // The caps become the parameter's own range, so sliders and messages show them.
        if (!spec.max)
            spec.max = cap;
        if (!spec.min)
            spec.min = 0;
    }
    if (spec.min && spec.max && *spec.min > *spec.max) {
        const bool explicitMin = value.contains("min");
        fail(pointer + (explicitMin ? "/min" : "/max"),
             "min " + ParamChecker::formatNumber(*spec.min, integral) + " is above max " +
                 ParamChecker::formatNumber(*spec.max, integral) + " (allowed: min <= max)");
    }

    if (spec.type == ParamType::Choice) {
        const auto* choices = member(pointer, value, "choices", Kind::Array, true, "a non-empty array of strings");
        const std::string choicesPointer = pointer + "/choices";
        if (choices->empty())
            fail(choicesPointer, "no choices (allowed: a non-empty array of strings)");
        if (choices->size() > static_cast<std::size_t>(Limits::kMaxListLength))
            fail(choicesPointer, std::to_string(choices->size()) + " choices (allowed: at most " +
                                     std::to_string(Limits::kMaxListLength) + ")");
        for (std::size_t i = 0; i < choices->size(); ++i) {
            const std::string child = JsonPath::child(choicesPointer, i);
            expect(child, (*choices)[i], Kind::String);
            const auto& choice = (*choices)[i].get_ref<const std::string&>();
            if (choice.empty())
                fail(child, "empty choice (allowed: a non-empty string)");
            if (std::find(spec.choices.begin(), spec.choices.end(), choice) != spec.choices.end())
                fail(child, "duplicate choice " + quoteName(choice) + " (allowed: each choice once)");
            spec.choices.push_back(choice);
        }
    } else if (value.contains("choices")) {
        failKey(pointer + "/choices",
                "choices does not apply to a " + typeText + " parameter (allowed: choices on choice parameters)");
    }

    if (const auto* unit = member(pointer, value, "unit", Kind::String, false))
        spec.unit = unit->get<std::string>();
    spec.label.en = spec.name;
    if (const auto it = value.find("label"); it != value.end())
        spec.label = readText(pointer + "/label", *it, true);
    if (const auto it = value.find("help"); it != value.end())
        spec.help = readText(pointer + "/help", *it, false);

    const auto it = value.find("default");
    if (it == value.end()) {
        fail(pointer + "/default",
             "required key is missing (allowed: " + ParamChecker::allowed(spec, ParamChecker::Mode::File) + ")");
    }
    const std::string error = ParamChecker::check(spec, *it, ParamChecker::Mode::File);
    if (!error.empty())
        fail(pointer + "/default", error);
    spec.defaultValue = *it;
    return spec;
}

void LessonParser::parseVariants(const nlohmann::json& root)
{
    const auto* variants = member("", root, "variants", Kind::Array, true, "a non-empty array of variant objects");
    if (variants->empty())
        fail("/variants", "no variants (allowed: a non-empty array of variant objects)");
    std::vector<std::string> paramNames;
    for (const auto& p : m_lesson.params)
        paramNames.push_back(p.name);
    for (std::size_t i = 0; i < variants->size(); ++i) {
        const std::string pointer = "/variants/" + std::to_string(i);
        const auto& value = (*variants)[i];
        expect(pointer, value, Kind::Object, "a variant object {\"id\": ..., \"title\": ..., \"config\": {...}}");
        checkKeys(pointer, value, {"id", "title", "description", "config", "params"});
        Variant variant;
        variant.id = readName(pointer + "/id", *member(pointer, value, "id", Kind::String, true, "a variant id"),
                              NameRule::VariantId);
        for (std::size_t j = 0; j < m_lesson.variants.size(); ++j) {
            if (m_lesson.variants[j].id == variant.id) {
                fail(pointer + "/id", "duplicate variant id " + quoteName(variant.id) + ", first used at " +
                                          firstSeen("/variants/" + std::to_string(j) + "/id") +
                                          " (allowed: an id no other variant has)");
            }
        }
        const auto titleIt = value.find("title");
        if (titleIt == value.end())
            fail(pointer + "/title",
                 "required key is missing (allowed: a string, or an object {\"en\": ..., \"zh\": ...})");
        variant.title = readText(pointer + "/title", *titleIt, true);
        if (const auto it = value.find("description"); it != value.end())
            variant.description = readText(pointer + "/description", *it, false);
        if (const auto* config =
                member(pointer, value, "config", Kind::Object, false, "an object for the lesson's engine"))
            variant.config = *config;
        if (const auto* params = member(pointer, value, "params", Kind::Object, false,
                                        "an object of parameter default overrides {\"name\": value}")) {
            const std::string paramsPointer = pointer + "/params";
            for (const auto& name : keysInFileOrder(paramsPointer, *params)) {
                const std::string child = JsonPath::child(paramsPointer, name);
                const ParamSpec* spec = m_lesson.param(name);
                if (spec == nullptr) {
                    failKey(child, "unknown parameter " + quoteName(name) + " (allowed: " +
                                       (paramNames.empty() ? std::string("none, the lesson has no parameters")
                                                           : joined(paramNames)) +
                                       ")");
                }
                const std::string error = ParamChecker::check(*spec, params->at(name), ParamChecker::Mode::File);
                if (!error.empty())
                    fail(child, error);
            }
            variant.params = *params;
        }
        m_lesson.variants.push_back(std::move(variant));
    }
}

void LessonParser::parseNarration(const nlohmann::json& root)
{
    const auto* narration = member("", root, "narration", Kind::Array, false, "an array of narration steps");
    if (narration == nullptr)
        return;
    const int lines = lineCount(m_lesson.python);
    std::vector<std::string> variantIds;
    for (const auto& v : m_lesson.variants)
        variantIds.push_back(v.id);
    for (std::size_t i = 0; i < narration->size(); ++i) {
        const std::string pointer = "/narration/" + std::to_string(i);
        const auto& value = (*narration)[i];
        expect(pointer, value, Kind::Object, "a narration step {\"text\": ..., \"line\": ..., \"variants\": [...]}");
        checkKeys(pointer, value, {"text", "line", "variants"});
        NarrationStep step;
        const auto textIt = value.find("text");
        if (textIt == value.end())
            fail(pointer + "/text",
                 "required key is missing (allowed: a string, or an object {\"en\": ..., \"zh\": ...})");
        step.text = readText(pointer + "/text", *textIt, true);
        if (const auto* line =
                member(pointer, value, "line", Kind::Integer, false, "an integer in 0.." + std::to_string(lines))) {
            const auto v = line->get<std::int64_t>();
            if (line->is_number_unsigned() || v < 0 || v > lines) {
                fail(pointer + "/line", "line " + line->dump() + " is not in the python snippet, which has " +
                                            std::to_string(lines) + " lines (allowed: 0.." + std::to_string(lines) +
                                            ", 0 = no line)");
            }
            step.line = static_cast<int>(v);
        }
        if (const auto* variants = member(pointer, value, "variants", Kind::Array, false, "an array of variant ids")) {
            for (std::size_t j = 0; j < variants->size(); ++j) {
                const std::string child = pointer + "/variants/" + std::to_string(j);
                expect(child, (*variants)[j], Kind::String, "a variant id");
                const auto& id = (*variants)[j].get_ref<const std::string&>();
                if (m_lesson.variant(id) == nullptr)
                    fail(child, "unknown variant " + quoteName(id) + " (allowed: " + joined(variantIds) + ")");
                step.variants.push_back(id);
            }
        }
        m_lesson.narration.push_back(std::move(step));
    }
}

void LessonParser::checkReferences(const std::string& pointer, const nlohmann::json& config) const
{
    if (config.is_object()) {
        for (const auto& key : keysInFileOrder(pointer, config))
            checkReferences(JsonPath::child(pointer, key), config.at(key));
    } else if (config.is_array()) {
        for (std::size_t i = 0; i < config.size(); ++i)
            checkReferences(JsonPath::child(pointer, i), config[i]);
    } else if (config.is_string()) {
        const auto& s = config.get_ref<const std::string&>();
        if (s.size() >= 1 && s[0] == '$' && !(s.size() >= 2 && s[1] == '$') && m_lesson.param(s.substr(1)) == nullptr) {
            std::vector<std::string> names;
            for (const auto& p : m_lesson.params)
                names.push_back(p.name);
            fail(pointer, quoteName(s) + " names no parameter (allowed: " +
                              (names.empty() ? std::string("none, the lesson has no parameters") : joined(names, "$")) +
                              "; write $$ for a literal $)");
        }
    }
}

} // namespace lockstep
