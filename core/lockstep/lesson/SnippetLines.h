#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

// Finds the lines of a lesson's Python snippet that events point at, by their text, so the
// snippet can be edited without renumbering the engine.
class SnippetLines {
public:
    explicit SnippetLines(const std::string& python);
    // First line containing `text` (1-based), 0 if none.
    [[nodiscard]] std::int32_t find(std::string_view text) const { return find(text, 1); }
    // First line from `fromLine` (1-based) on containing `text`, 0 if none: a statement inside
    // one function of a snippet that has several.
    [[nodiscard]] std::int32_t find(std::string_view text, std::int32_t fromLine) const;
    // First line whose text without indentation and comment is exactly `code`, 0 if none.
    [[nodiscard]] std::int32_t findStatement(std::string_view code) const;

private:
    std::vector<std::string> m_lines;
};

} // namespace lockstep
