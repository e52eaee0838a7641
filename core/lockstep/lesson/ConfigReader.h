#pragma once
// The one reader of engine configs (a variant's `config` object after "$param" references are
// resolved). Every engine reads its keys through it, so every engine takes the same types, and
// every mistake is reported the same way, located in the lesson file:
//   lesson.json:12:20: threads: wrong type: found a number 1.5 (allowed: an integer 1..64)
// An integer key takes only a JSON integer: `2.0` is a float, as in Python, and is refused.

#include "lockstep/lesson/Lesson.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lockstep {

class ConfigReader {
public:
    // "file:line:column" of a JSON pointer inside the config (ScenarioInput::where).
    using Where = std::function<std::string(const std::string& pointer)>;

    // Reads `object`, found at `pointer` in the config, which the messages call `what`
    // ("config", "thread", "op"); throws unless it is an object.
    ConfigReader(Where where, const nlohmann::json& object, std::string pointer = {}, std::string what = "config");

    [[noreturn]] void fail(const std::string& key, const std::string& what) const;
    // For a mistake somewhere under `pointer` (relative to this object, e.g. "/locks/2").
    [[noreturn]] void failAt(const std::string& pointer, const std::string& key, const std::string& what) const;

    // Refuses keys outside `keys`, naming the allowed ones; `context` says whose keys they are
    // ("for mode 'threads'"), by default "in <what>".
    void allowOnly(const std::vector<std::string>& keys, const std::string& context = {}) const;

    [[nodiscard]] bool has(const std::string& key) const;
    [[nodiscard]] const nlohmann::json* find(const std::string& key) const;
    [[nodiscard]] std::string pointer(const std::string& key) const { return m_pointer + "/" + key; }
    [[nodiscard]] const std::string& pointer() const { return m_pointer; }
    [[nodiscard]] const Where& where() const { return m_where; }
    // Throws "missing" unless present.
    [[nodiscard]] const nlohmann::json& required(const std::string& key) const;
    // A nested object, read the same way.
    [[nodiscard]] ConfigReader object(const std::string& key) const;

    [[nodiscard]] std::string string(const std::string& key, const std::string& fallback) const;
    [[nodiscard]] std::string requiredString(const std::string& key) const;
    // One of `names`; returns its index. Missing: `fallback`, or an error when fallback < 0.
    [[nodiscard]] int choice(const std::string& key, const std::vector<std::string>& names, int fallback = -1) const;
    [[nodiscard]] std::int64_t integer(
        const std::string& key, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const;
    [[nodiscard]] std::int64_t requiredInteger(const std::string& key, std::int64_t lo, std::int64_t hi) const;
    [[nodiscard]] int integer(const std::string& key, int fallback, int lo, int hi) const;
    [[nodiscard]] double number(const std::string& key, double fallback, double lo, double hi) const;
    [[nodiscard]] double requiredNumber(const std::string& key, double lo, double hi) const;
    [[nodiscard]] bool boolean(const std::string& key, bool fallback) const;
    // A list of integers lo..hi, at most Limits::kMaxListLength of them; missing: empty.
    [[nodiscard]] std::vector<int> intList(const std::string& key, int lo, int hi) const;
    // A string (English only) or {"en": ..., "zh": ...}.
    [[nodiscard]] LocalizedText text(const std::string& key, bool required) const;

    static std::string joinNames(const std::vector<std::string>& names);
    // 0.5 -> "0.5", 20.0 -> "20": ranges read as the lesson author wrote them.
    static std::string formatNumber(double v);
    // "a number 1.5", "a string \"x\"", "an array", ...: what was found, for wrong-type messages.
    static std::string describe(const nlohmann::json& v);

private:
    std::int64_t readInteger(const nlohmann::json& v, const std::string& key, std::int64_t lo, std::int64_t hi) const;
    double readNumber(const nlohmann::json& v, const std::string& key, double lo, double hi) const;

    Where m_where;
    const nlohmann::json& m_object;
    std::string m_pointer;
    std::string m_what;
};

} // namespace lockstep
