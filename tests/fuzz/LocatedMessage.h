#pragma once
// The promise every rejection keeps, checked by the seeded fuzz test in ctest and by the libFuzzer
// target: the message starts "source:line:column: " with the line and column inside the text.

#include <algorithm>
#include <string>

namespace lockstep::fuzz {

inline bool locatedInside(
    const std::string& message, const std::string& source, const std::string& text, std::string* why)
{
    if (message.rfind(source + ":", 0) != 0) {
        *why = "does not start with the file name";
        return false;
    }
    std::size_t pos = source.size() + 1;
    auto number = [&](long& out) {
        const std::size_t start = pos;
        while (pos < message.size() && message[pos] >= '0' && message[pos] <= '9')
            ++pos;
        if (pos == start || pos - start > 9 || pos >= message.size() || message[pos] != ':') return false;
        out = std::stol(message.substr(start, pos - start));
        ++pos;
        return true;
    };
    long line = 0, column = 0;
    if (!number(line) || !number(column)) {
        *why = "no line:column";
        return false;
    }
    const long lines = 1 + static_cast<long>(std::count(text.begin(), text.end(), '\n'));
    if (line < 1 || column < 1 || line > lines || column > static_cast<long>(text.size()) + 1) {
        *why = "line:column outside the file";
        return false;
    }
    return true;
}

} // namespace lockstep::fuzz
