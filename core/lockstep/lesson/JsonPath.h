#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

// Helpers for RFC 6901 JSON pointers and their human-readable form ("parameters[0].type").
class JsonPath {
public:
    [[nodiscard]] static std::string child(const std::string& pointer, std::string_view key);
    [[nodiscard]] static std::string child(const std::string& pointer, std::size_t index);
    [[nodiscard]] static std::vector<std::string> segments(const std::string& pointer); // unescaped
    [[nodiscard]] static std::string parent(const std::string& pointer); // "" for the root
    // "parameters[0].type": array elements as [i], object members as .key, walking `root` to tell
    // which is which. The root itself reads `rootName`.
    [[nodiscard]] static std::string display(const nlohmann::json& root, const std::string& pointer,
                                             std::string_view rootName = "lesson");
    // A string safe to quote in a one-line message: control characters escaped, cut to `maxChars`
    // code points (never inside a UTF-8 sequence).
    [[nodiscard]] static std::string printable(std::string_view text, std::size_t maxChars = 60);
};

} // namespace lockstep
