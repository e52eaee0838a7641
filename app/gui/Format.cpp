#include "gui/Format.h"

#include <QLocale>

#include <cmath>
#include <cstdlib>

namespace lockstep::ui {

QString formatDuration(std::int64_t ns)
{
    const double v = static_cast<double>(ns);
    const double a = std::abs(v);
    auto fmt = [](double x, const char* unit) -> QString {
        const int decimals = std::abs(x) >= 100 ? 0 : std::abs(x) >= 10 ? 1 : 2;
        return QString::number(x, 'f', decimals) + QLatin1Char(' ') + QString::fromUtf8(unit);
    };
    if (a < 1e3) return QString::number(ns) + QStringLiteral(" ns");
    if (a < 1e6) return fmt(v / 1e3, "µs");
    if (a < 1e9) return fmt(v / 1e6, "ms");
    return fmt(v / 1e9, "s");
}

QString formatCount(std::uint64_t n) { return QLocale().toString(static_cast<qulonglong>(n)); }

} // namespace lockstep::ui
