#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lockstep {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
class Utf8 {
public:
    // Length of the valid sequence starting at text[i], or 0 if the bytes there are not valid UTF-8.
    [[nodiscard]] static std::size_t sequenceLength(std::string_view text, std::size_t i);
    static void append(std::string& out, std::uint32_t codePoint); // codePoint must be a scalar value
};

} // namespace lockstep
