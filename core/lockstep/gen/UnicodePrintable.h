#pragma once

#include <string_view>

namespace lockstep::gen {

// CPython's str.isprintable() for one code point (Unicode version of the embedded table).
[[nodiscard]] bool isPrintable(char32_t c);
[[nodiscard]] std::string_view unicodePrintableVersion();

} // namespace lockstep::gen
