#pragma once

#include <QString>

#include <cstdint>

namespace lockstep::ui {

// "850 ns", "12.4 µs", "3.07 ms", "1.25 s": three significant digits, unit picked by size.
[[nodiscard]] QString formatDuration(std::int64_t ns);
// "1,234,567" in the current locale.
[[nodiscard]] QString formatCount(std::uint64_t n);

} // namespace lockstep::ui
