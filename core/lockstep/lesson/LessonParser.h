#pragma once

#include "lockstep/lesson/JsonDocument.h"
#include "lockstep/lesson/Lesson.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

// Turns a parsed lesson file into a validated Lesson: the schema (required and allowed keys, types),
// the ranges and hard caps of parameters, and the cross-references (narration -> variants,
// narration -> snippet lines, variant params and "$name" config strings -> parameters). The first
// problem found throws InputError "file:line:column: key: what is wrong (allowed: ...)".
class LessonParser {
public:
    LessonParser(const JsonDocument& doc, std::string source);
    [[nodiscard]] Lesson parse();

private:
    enum class Kind : std::uint8_t { String, Integer, Number, Boolean, Array, Object };
    enum class NameRule : std::uint8_t { LessonId, VariantId, Engine, ParamName };

    [[noreturn]] void fail(const std::string& pointer, const std::string& what) const;
    [[noreturn]] void failKey(const std::string& pointer, const std::string& what) const;
    [[nodiscard]] std::string where(const std::string& pointer, bool key) const;
    [[nodiscard]] std::string firstSeen(const std::string& pointer) const; // "file:line:column"

    void checkKeys(const std::string& pointer, const nlohmann::json& object,
                   std::initializer_list<std::string_view> allowed) const;
    // The member `key` of `object`, checked to be of `kind`; nullptr if absent and optional.
    const nlohmann::json* member(const std::string& pointer, const nlohmann::json& object, std::string_view key,
                                 Kind kind, bool required, std::string_view allowed = {}) const;
    void expect(const std::string& pointer, const nlohmann::json& value, Kind kind,
                std::string_view allowed = {}) const;
    std::string readName(const std::string& pointer, const nlohmann::json& value, NameRule rule) const;
    // Member names of `object` in the order they appear in the file (nlohmann keeps them sorted).
    [[nodiscard]] std::vector<std::string> keysInFileOrder(const std::string& pointer,
                                                           const nlohmann::json& object) const;
    LocalizedText readText(const std::string& pointer, const nlohmann::json& value, bool required) const;
    std::int64_t readInt(const std::string& pointer, const nlohmann::json& value, std::int64_t lo,
                         std::int64_t hi) const;

    void parseHeader(const nlohmann::json& root);
    void parseParams(const nlohmann::json& root);
    ParamSpec parseParam(const std::string& pointer, const nlohmann::json& value);
    void parseVariants(const nlohmann::json& root);
    void parseNarration(const nlohmann::json& root);
    void checkReferences(const std::string& pointer, const nlohmann::json& config) const;

    const JsonDocument& m_doc;
    std::string m_source;
    Lesson m_lesson;
};

} // namespace lockstep
