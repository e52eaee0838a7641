#include "lockstep/lesson/SnippetLines.h"

#include <sstream>

namespace lockstep {

SnippetLines::SnippetLines(const std::string& python)
{
    std::istringstream in(python);
    std::string line;
    while (std::getline(in, line))
        m_lines.push_back(line);
}

std::int32_t SnippetLines::find(std::string_view text, std::int32_t fromLine) const
{
    for (std::size_t i = fromLine > 1 ? static_cast<std::size_t>(fromLine - 1) : 0; i < m_lines.size(); ++i)
        if (m_lines[i].find(text) != std::string::npos) return static_cast<std::int32_t>(i + 1);
    return 0;
}

std::int32_t SnippetLines::findStatement(std::string_view code) const
{
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        std::string s = m_lines[i];
        if (auto hash = s.find('#'); hash != std::string::npos) s.erase(hash);
        const auto b = s.find_first_not_of(" \t");
        const auto e = s.find_last_not_of(" \t");
        if (b != std::string::npos && s.substr(b, e - b + 1) == code) return static_cast<std::int32_t>(i + 1);
    }
    return 0;
}

} // namespace lockstep
