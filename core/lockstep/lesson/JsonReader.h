#pragma once

#include "lockstep/lesson/JsonDocument.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace lockstep {

// A strict RFC 8259 JSON parser that records the line and column of every value and key, which
// nlohmann's own parser does not keep. Bounded by Limits (nesting depth, number of values) so
// that no input can exhaust the stack or memory; rejects invalid UTF-8, duplicate keys, numbers a
// double cannot hold, and anything after the top-level value. Every problem is an InputError
// "source:line:column: syntax error: what (allowed: ...)".
class JsonReader {
public:
    static JsonDocument parse(std::string_view text, const std::string& source);

private:
    JsonReader(std::string_view text, const std::string& source, JsonDocument& doc);

    // `node`: this value's entry in the document's locations.
    nlohmann::json parseValue(std::size_t node, int depth);
    nlohmann::json parseObject(std::size_t node, int depth);
    nlohmann::json parseArray(std::size_t node, int depth);
    std::string parseString();
    nlohmann::json parseNumber();
    void parseLiteral(std::string_view word);
    std::uint32_t parseHex4();

    void skipWhitespace();
    void advance();
    [[nodiscard]] bool atEnd() const { return m_pos >= m_text.size(); }
    [[nodiscard]] char peek() const { return atEnd() ? '\0' : m_text[m_pos]; }
    [[nodiscard]] std::pair<int, int> here() const { return {m_line, m_column}; }
    [[nodiscard]] std::string describeHere() const;
    [[noreturn]] void fail(const std::string& what, std::string_view label = "syntax error") const;
    [[noreturn]] void failAt(std::pair<int, int> where, const std::string& what,
                             std::string_view label = "syntax error") const;

    std::string_view m_text;
    const std::string& m_source;
    JsonDocument& m_doc;
    std::size_t m_pos = 0;
    int m_line = 1;
    int m_column = 1;
    std::size_t m_values = 0;
};

} // namespace lockstep
