#include "lockstep/lesson/JsonPath.h"

#include "lockstep/lesson/Utf8.h"

#include <cstdio>

namespace lockstep {

namespace {

void appendEscaped(std::string& out, std::string_view key)
{
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
}

} // namespace

std::string JsonPath::child(const std::string& pointer, std::string_view key)
{
    std::string out;
    out.reserve(pointer.size() + key.size() + 1);
    out = pointer;
    out += '/';
    appendEscaped(out, key);
    return out;
}

std::string JsonPath::child(const std::string& pointer, std::size_t index)
{
    return pointer + '/' + std::to_string(index);
}

std::vector<std::string> JsonPath::segments(const std::string& pointer)
{
    std::vector<std::string> out;
    if (pointer.empty())
        return out;
    std::string current;
    // The leading '/' opens the first segment; a pointer without one is treated as if it had it.
    std::size_t i = pointer.front() == '/' ? 1 : 0;
    for (; i < pointer.size(); ++i) {
        const char c = pointer[i];
        if (c == '/') {
            out.push_back(std::move(current));
            current.clear();
        } else if (c == '~' && i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
            current += pointer[i + 1] == '0' ? '~' : '/';
            ++i;
        } else {
            current += c;
        }
    }
    out.push_back(std::move(current));
    return out;
}

std::string JsonPath::parent(const std::string& pointer)
{
    const auto slash = pointer.rfind('/');
    if (slash == std::string::npos)
        return {};
    return pointer.substr(0, slash);
}

std::string JsonPath::display(const nlohmann::json& root, const std::string& pointer, std::string_view rootName)
{
    const auto parts = segments(pointer);
    if (parts.empty())
        return std::string(rootName);
    std::string out;
    const nlohmann::json* node = &root;
    for (const auto& part : parts) {
        if (node != nullptr && node->is_array()) {
            out += '[' + printable(part, 20) + ']';
            std::size_t index = 0;
            bool numeric = !part.empty() && part.size() < 10;
            for (char c : part) {
                if (c < '0' || c > '9')
                    numeric = false;
                else
                    index = index * 10 + static_cast<std::size_t>(c - '0');
            }
            node = numeric && index < node->size() ? &(*node)[index] : nullptr;
        } else {
            if (!out.empty())
                out += '.';
            out += printable(part, 40);
            if (node != nullptr && node->is_object()) {
                const auto it = node->find(part);
                node = it != node->end() ? &*it : nullptr;
            } else {
                node = nullptr;
            }
        }
    }
    return out;
}

std::string JsonPath::printable(std::string_view text, std::size_t maxChars)
{
    std::string out;
    std::size_t chars = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        if (chars == maxChars) {
            out += "...";
            return out;
        }
        ++chars;
        const auto c = static_cast<unsigned char>(text[i]);
        const std::size_t len = Utf8::sequenceLength(text, i);
        if (len == 0 || c < 0x20 || c == 0x7F) {
            // Invalid UTF-8 and control characters would garble a one-line message: show the byte.
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
            ++i;
        } else {
            out.append(text.substr(i, len));
            i += len;
        }
    }
    return out;
}

} // namespace lockstep
