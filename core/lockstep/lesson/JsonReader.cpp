#include "lockstep/lesson/JsonReader.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/JsonPath.h"
#include "lockstep/lesson/Lesson.h"
#include "lockstep/lesson/Utf8.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace lockstep {

JsonDocument JsonReader::parse(std::string_view text, const std::string& source)
{
    JsonDocument doc;
    JsonReader reader(text, source, doc);
    if (text.size() > Limits::kMaxFileBytes) {
        reader.fail("the text is " + std::to_string(text.size()) + " bytes (allowed: at most " +
                        std::to_string(Limits::kMaxFileBytes) + " bytes)",
                    "size");
    }
    // A UTF-8 byte order mark is invisible in editors, so it counts for no column.
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        reader.m_pos = 3;
    reader.skipWhitespace();
    if (reader.atEnd())
        reader.fail("the file is empty (allowed: a JSON object)");
    doc.value = reader.parseValue(doc.locations->addRoot(reader.here()), 0);
    reader.skipWhitespace();
    if (!reader.atEnd())
        reader.fail("unexpected " + reader.describeHere() + " after the end of the JSON value (allowed: nothing)");
    return doc;
}

JsonReader::JsonReader(std::string_view text, const std::string& source, JsonDocument& doc)
    : m_text(text), m_source(source), m_doc(doc)
{
}

void JsonReader::advance()
{
    const auto c = static_cast<unsigned char>(m_text[m_pos++]);
    if (c == '\n') {
        ++m_line;
        m_column = 1;
    } else if ((c & 0xC0) != 0x80) {
        ++m_column; // continuation bytes belong to the code point already counted
    }
}

void JsonReader::skipWhitespace()
{
    while (!atEnd()) {
        const char c = m_text[m_pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        advance();
    }
}

std::string JsonReader::describeHere() const
{
    if (atEnd())
        return "end of file";
    const auto c = static_cast<unsigned char>(m_text[m_pos]);
    if (c >= 0x20 && c < 0x7F)
        return std::string("'") + static_cast<char>(c) + "'";
    const std::size_t len = Utf8::sequenceLength(m_text, m_pos);
    if (len > 1) {
        // Appended, not `"'" + std::string(...) + "'"`: GCC 12 at -O3 reports a -Wrestrict
        // false positive on that concatenation, which breaks release builds with -Werror.
        std::string quoted(1, '\'');
        quoted.append(m_text.substr(m_pos, len));
        quoted.push_back('\'');
        return quoted;
    }
    return "byte " + JsonPath::printable(m_text.substr(m_pos, 1));
}

void JsonReader::fail(const std::string& what, std::string_view label) const
{
    failAt(here(), what, label);
}

void JsonReader::failAt(std::pair<int, int> where, const std::string& what, std::string_view label) const
{
    throw InputError(m_source + ":" + std::to_string(where.first) + ":" + std::to_string(where.second) + ": " +
                     std::string(label) + ": " + what);
}

nlohmann::json JsonReader::parseValue(std::size_t node, int depth)
{
    if (++m_values > Limits::kMaxValues) {
        fail("more than " + std::to_string(Limits::kMaxValues) + " values (allowed: at most " +
                 std::to_string(Limits::kMaxValues) + ")",
             "size");
    }
    m_doc.locations->setValue(node, here());
    const char c = peek();
    switch (c) {
    case '{':
    case '[':
        if (depth >= Limits::kMaxDepth) {
            fail("arrays and objects nested deeper than " + std::to_string(Limits::kMaxDepth) +
                     " levels (allowed: at most " + std::to_string(Limits::kMaxDepth) + ")",
                 "nesting");
        }
        return c == '{' ? parseObject(node, depth + 1) : parseArray(node, depth + 1);
    case '"': return parseString();
    case 't': parseLiteral("true"); return true;
    case 'f': parseLiteral("false"); return false;
    case 'n': parseLiteral("null"); return nullptr;
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return parseNumber();
        fail("unexpected " + describeHere() +
             " (allowed: a JSON value: object, array, string, number, true, false or null)");
    }
}

nlohmann::json JsonReader::parseObject(std::size_t node, int depth)
{
    nlohmann::json object = nlohmann::json::object();
    advance(); // '{'
    skipWhitespace();
    if (peek() == '}') {
        advance();
        return object;
    }
    for (;;) {
        if (peek() != '"') {
            if (peek() == '}')
                fail("trailing comma before '}' (allowed: another member after ',')");
            fail("expected a member name in double quotes, found " + describeHere() + " (allowed: \"name\": value)");
        }
        const auto keyPosition = here();
        std::string key = parseString();
        skipWhitespace();
        if (peek() != ':')
            fail("expected ':' after member name, found " + describeHere() + " (allowed: \"name\": value)");
        advance();
        skipWhitespace();
        if (object.contains(key))
            failAt(keyPosition, "duplicate key '" + JsonPath::printable(key) + "' (allowed: each key once per object)");
        const std::size_t child = m_doc.locations->addMember(node, key, keyPosition);
        nlohmann::json value = parseValue(child, depth);
        object[std::move(key)] = std::move(value);
        skipWhitespace();
        if (peek() == ',') {
            advance();
            skipWhitespace();
            continue;
        }
        if (peek() == '}') {
            advance();
            return object;
        }
        fail("expected ',' or '}' after an object member, found " + describeHere() + " (allowed: ',' or '}')");
    }
}

nlohmann::json JsonReader::parseArray(std::size_t node, int depth)
{
    nlohmann::json array = nlohmann::json::array();
    advance(); // '['
    skipWhitespace();
    if (peek() == ']') {
        advance();
        return array;
    }
    for (;;) {
        if (peek() == ']')
            fail("trailing comma before ']' (allowed: another element after ',')");
        array.push_back(parseValue(m_doc.locations->addElement(node, array.size()), depth));
        skipWhitespace();
        if (peek() == ',') {
            advance();
            skipWhitespace();
            continue;
        }
        if (peek() == ']') {
            advance();
            return array;
        }
        fail("expected ',' or ']' after an array element, found " + describeHere() + " (allowed: ',' or ']')");
    }
}

std::uint32_t JsonReader::parseHex4()
{
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        const char c = peek();
        std::uint32_t digit = 0;
        if (c >= '0' && c <= '9')
            digit = static_cast<std::uint32_t>(c - '0');
        else if (c >= 'a' && c <= 'f')
            digit = static_cast<std::uint32_t>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            digit = static_cast<std::uint32_t>(c - 'A' + 10);
        else
            fail("expected a hex digit in a \\u escape, found " + describeHere() + " (allowed: 0-9, a-f, A-F)");
        value = value * 16 + digit;
        advance();
    }
    return value;
}

std::string JsonReader::parseString()
{
    advance(); // opening quote
    std::string out;
    for (;;) {
        if (atEnd())
            fail("unterminated string (allowed: a closing '\"')");
        const auto c = static_cast<unsigned char>(m_text[m_pos]);
        if (c == '"') {
            advance();
            return out;
        }
        if (c < 0x20) {
            fail("control character " + JsonPath::printable(m_text.substr(m_pos, 1)) +
                 " inside a string (allowed: an escape such as \\n or \\t)");
        }
        if (c == '\\') {
            const auto escapePosition = here();
            advance();
            const char e = peek();
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                advance();
                std::uint32_t cp = parseHex4();
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    failAt(escapePosition, "lone low surrogate in a \\u escape (allowed: a high/low surrogate pair)");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (peek() != '\\' || m_pos + 1 >= m_text.size() || m_text[m_pos + 1] != 'u')
                        failAt(escapePosition,
                               "lone high surrogate in a \\u escape (allowed: a high/low surrogate pair)");
                    advance();
                    advance();
                    const std::uint32_t low = parseHex4();
                    if (low < 0xDC00 || low > 0xDFFF)
                        failAt(escapePosition,
                               "high surrogate not followed by a low surrogate (allowed: a surrogate pair)");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                Utf8::append(out, cp);
                continue; // parseHex4 consumed the digits
            }
            default: {
                const bool plain = e > 0x20 && e < 0x7F;
                failAt(escapePosition,
                       "unknown escape " +
                           (plain ? std::string("'\\") + e + "'" : "'\\' followed by " + describeHere()) +
                           " (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
            }
            advance();
            continue;
        }
        const std::size_t len = Utf8::sequenceLength(m_text, m_pos);
        if (len == 0)
            fail("invalid UTF-8 byte " + JsonPath::printable(m_text.substr(m_pos, 1)) + " (allowed: UTF-8 text)");
        out.append(m_text.substr(m_pos, len));
        for (std::size_t k = 0; k < len; ++k)
            advance();
    }
}

nlohmann::json JsonReader::parseNumber()
{
    const std::size_t start = m_pos;
    const auto startPosition = here();
    const auto isDigit = [this] { return peek() >= '0' && peek() <= '9'; };
    if (peek() == '-')
        advance();
    if (!isDigit())
        fail("expected a digit, found " + describeHere() + " (allowed: a JSON number such as -12 or 3.5e2)");
    if (peek() == '0') {
        advance();
        if (isDigit())
            fail("leading zero in a number (allowed: a JSON number such as 7, not 07)");
    } else {
        while (isDigit())
            advance();
    }
    bool integral = true;
    if (peek() == '.') {
        integral = false;
        advance();
        if (!isDigit())
            fail("expected a digit after '.', found " + describeHere() + " (allowed: a JSON number such as 0.5)");
        while (isDigit())
            advance();
    }
    if (peek() == 'e' || peek() == 'E') {
        integral = false;
        advance();
        if (peek() == '+' || peek() == '-')
            advance();
        if (!isDigit())
            fail("expected a digit in the exponent, found " + describeHere() + " (allowed: a JSON number such as 1e3)");
        while (isDigit())
            advance();
    }
    const char* first = m_text.data() + start;
    const char* last = m_text.data() + m_pos;
    if (integral) {
        std::int64_t value = 0;
        const auto [ptr, ec] = std::from_chars(first, last, value);
        if (ec == std::errc() && ptr == last)
            return value;
        // Too large for int64: keep it as a double (exact or not) and let the lesson checks judge it.
    }
    double value = 0;
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr != last || !std::isfinite(value)) {
        failAt(startPosition,
               "number " + JsonPath::printable(std::string_view(first, static_cast<std::size_t>(last - first)), 30) +
                   " cannot be held by a double (allowed: magnitudes from about 2.2e-308 to 1.8e308, or 0)");
    }
    return value;
}

void JsonReader::parseLiteral(std::string_view word)
{
    if (m_text.substr(m_pos, word.size()) != word)
        fail("unexpected " + describeHere() +
             " (allowed: a JSON value: object, array, string, number, true, false or null)");
    for (std::size_t i = 0; i < word.size(); ++i)
        advance();
}

} // namespace lockstep
