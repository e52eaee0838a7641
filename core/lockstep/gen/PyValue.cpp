#include "lockstep/gen/PyValue.h"

#include "lockstep/gen/PyExceptions.h"
#include "lockstep/gen/UnicodePrintable.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace lockstep::gen::py {

namespace {

// Python ints are unbounded; the lessons' values stay far inside int64 (scripts are range-checked),
// so leaving it is a modelling limit, reported as a C++ error rather than silently wrapping.
[[noreturn]] void intBeyondModel()
{
    throw std::overflow_error("integer result beyond 64 bits: outside what the generator lessons model");
}

std::int64_t asInt(const PyValue& v)
{
    if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) intBeyondModel();
        return static_cast<std::int64_t>(u);
    }
    return v.get<std::int64_t>();
}

// int -> float conversion as Python does it (exact up to 2^53, where every lesson value stays).
double asFloat(const PyValue& v) { return isFloat(v) ? v.get<double>() : static_cast<double>(asInt(v)); }

void appendHex(std::string& out, char prefix, std::uint32_t cp, int digits)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\%c%0*x", prefix, digits, static_cast<unsigned>(cp));
    out += buf;
}

// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i. Invalid bytes (which
// a Python str cannot hold) come back as 0xFFFFFFFF, one byte at a time.
std::uint32_t decodeUtf8(std::string_view s, std::size_t& i)
{
    const auto b0 = static_cast<unsigned char>(s[i]);
    int len = 0;
    std::uint32_t cp = 0;
    if (b0 < 0x80) {
        ++i;
        return b0;
    } else if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
    } else {
        ++i;
        return 0xFFFFFFFF;
    }
    if (i + len > s.size()) {
        ++i;
        return 0xFFFFFFFF;
    }
    for (int k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return 0xFFFFFFFF;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    i += len;
    return cp;
}

[[noreturn]] void unsupported(std::string_view op, const PyValue& a, const PyValue& b)
{
    throw TypeError("unsupported operand type(s) for " + std::string(op) + ": '" + typeName(a) + "' and '" +
                    typeName(b) + "'");
}

} // namespace

std::string typeName(const PyValue& v)
{
    switch (v.type()) {
    case PyValue::value_t::null: return "NoneType";
    case PyValue::value_t::boolean: return "bool";
    case PyValue::value_t::number_integer:
    case PyValue::value_t::number_unsigned: return "int";
    case PyValue::value_t::number_float: return "float";
    case PyValue::value_t::string: return "str";
    case PyValue::value_t::array: return "list";
    case PyValue::value_t::object: return "dict";
    default: return "object";
    }
}

bool isNone(const PyValue& v) { return v.is_null(); }
bool isInt(const PyValue& v) { return v.is_boolean() || v.is_number_integer(); }
bool isFloat(const PyValue& v) { return v.is_number_float(); }

std::string reprFloat(double d)
{
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    // Shortest digits that round-trip (what CPython's repr uses), from the scientific form d.ddde±x.
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
    const std::size_t e = sci.find('e');
    std::string out, digits;
    for (char c : sci.substr(0, e)) {
        if (c == '-') out.push_back('-');
        else if (c != '.') digits.push_back(c);
    }
    int exponent = 0;
    std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exponent);
    const auto ndigits = static_cast<int>(digits.size());
    const int decpt = exponent + 1; // value = 0.digits * 10^decpt
    // CPython's format_float_short, mode 'r': exponent notation outside 1e-4 <= |d| < 1e16.
    // (Built by appending: GCC 12 -O3 misreports chains of std::string operator+ as overlapping.)
    if (decpt <= -4 || decpt > 16) {
        out.push_back(digits[0]);
        if (ndigits > 1) {
            out.push_back('.');
            out.append(digits, 1, std::string::npos);
        }
        char ebuf[16];
        std::snprintf(ebuf, sizeof ebuf, "e%+.02d", decpt - 1);
        out.append(ebuf);
    } else if (decpt <= 0) {
        out.append("0.");
        out.append(static_cast<std::size_t>(-decpt), '0');
        out.append(digits);
    } else if (decpt >= ndigits) {
        out.append(digits);
        out.append(static_cast<std::size_t>(decpt - ndigits), '0');
        out.append(".0");
    } else {
        out.append(digits, 0, static_cast<std::size_t>(decpt));
        out.push_back('.');
        out.append(digits, static_cast<std::size_t>(decpt), std::string::npos);
    }
    return out;
}

std::string reprString(std::string_view s)
{
    // CPython's unicode_repr: single quotes unless the text has ' and no ".
    const bool hasSingle = s.find('\'') != std::string_view::npos;
    const bool hasDouble = s.find('"') != std::string_view::npos;
    const char quote = hasSingle && !hasDouble ? '"' : '\'';
    std::string out(1, quote);
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t start = i;
        const std::uint32_t cp = decodeUtf8(s, i);
        if (cp == 0xFFFFFFFF) {
            appendHex(out, 'x', static_cast<unsigned char>(s[start]), 2);
        } else if (cp == static_cast<std::uint32_t>(quote) || cp == '\\') {
            out += '\\';
            out += static_cast<char>(cp);
        } else if (cp == '\t') {
            out += "\\t";
        } else if (cp == '\n') {
            out += "\\n";
        } else if (cp == '\r') {
            out += "\\r";
        } else if (cp < 0x20 || cp == 0x7f) {
            appendHex(out, 'x', cp, 2);
        } else if (cp < 0x7f || isPrintable(static_cast<char32_t>(cp))) {
            out.append(s.substr(start, i - start));
        } else if (cp <= 0xff) {
            appendHex(out, 'x', cp, 2);
        } else if (cp <= 0xffff) {
            appendHex(out, 'u', cp, 4);
        } else {
            appendHex(out, 'U', cp, 8);
        }
    }
    out += quote;
    return out;
}

std::string repr(const PyValue& v)
{
    switch (v.type()) {
    case PyValue::value_t::null: return "None";
    case PyValue::value_t::boolean: return v.get<bool>() ? "True" : "False";
    case PyValue::value_t::number_integer: return std::to_string(v.get<std::int64_t>());
    case PyValue::value_t::number_unsigned: return std::to_string(v.get<std::uint64_t>());
    case PyValue::value_t::number_float: return reprFloat(v.get<double>());
    case PyValue::value_t::string: return reprString(v.get_ref<const std::string&>());
    case PyValue::value_t::array: {
        std::string out = "[";
        for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + repr(v[i]);
        return out + "]";
    }
    case PyValue::value_t::object: {
        std::string out = "{";
        bool first = true;
        for (const auto& [key, value] : v.items()) {
            out += (first ? "" : ", ") + reprString(key) + ": " + repr(value);
            first = false;
        }
        return out + "}";
    }
    default: return "<object>";
    }
}

std::string str(const PyValue& v) { return v.is_string() ? v.get<std::string>() : repr(v); }

bool truthy(const PyValue& v)
{
    switch (v.type()) {
    case PyValue::value_t::null: return false;
    case PyValue::value_t::boolean: return v.get<bool>();
    case PyValue::value_t::number_integer: return v.get<std::int64_t>() != 0;
    case PyValue::value_t::number_unsigned: return v.get<std::uint64_t>() != 0;
    case PyValue::value_t::number_float: return v.get<double>() != 0.0;
    case PyValue::value_t::string: return !v.get_ref<const std::string&>().empty();
    case PyValue::value_t::array:
    case PyValue::value_t::object: return !v.empty();
    default: return true;
    }
}

PyValue add(const PyValue& a, const PyValue& b, std::string_view op)
{
    const bool aNum = isInt(a) || isFloat(a);
    const bool bNum = isInt(b) || isFloat(b);
    if (aNum && bNum) {
        if (isFloat(a) || isFloat(b)) return asFloat(a) + asFloat(b);
        std::int64_t sum = 0;
        if (__builtin_add_overflow(asInt(a), asInt(b), &sum)) intBeyondModel();
        return sum;
    }
    if (a.is_string() && b.is_string()) return a.get<std::string>() + b.get<std::string>();
    if (a.is_array() && b.is_array()) {
        PyValue out = a;
        for (const auto& x : b) out.push_back(x);
        return out;
    }
    // str and list refuse other right operands with their own message (sequence concatenation).
    if (a.is_string() || a.is_array())
        throw TypeError("can only concatenate " + typeName(a) + " (not \"" + typeName(b) + "\") to " + typeName(a));
    unsupported(op, a, b);
}

PyValue inplaceAdd(const PyValue& a, const PyValue& b) { return add(a, b, "+="); }

PyValue trueDivide(const PyValue& a, const PyValue& b)
{
    const bool aNum = isInt(a) || isFloat(a);
    const bool bNum = isInt(b) || isFloat(b);
    if (!aNum || !bNum) unsupported("/", a, b);
    if (isInt(a) && isInt(b)) {
        const std::int64_t x = asInt(a), y = asInt(b);
        if (y == 0) throw ZeroDivisionError("division by zero");
        // Both exact as doubles: one IEEE division is CPython's correctly rounded result.
        constexpr std::int64_t kExact = std::int64_t{1} << 53;
        if (x > kExact || x < -kExact || y > kExact || y < -kExact) intBeyondModel();
        return static_cast<double>(x) / static_cast<double>(y);
    }
    const double y = asFloat(b);
    if (y == 0.0) throw ZeroDivisionError("float division by zero");
    return asFloat(a) / y;
}

bool identical(const PyValue& a, const PyValue& b)
{
    const bool aInt = a.is_number_integer(), bInt = b.is_number_integer();
    if (aInt || bInt) return aInt && bInt && a == b; // signed/unsigned storage is not a Python difference
    if (a.type() != b.type()) return false;
    switch (a.type()) {
    case PyValue::value_t::number_float: {
        const double x = a.get<double>(), y = b.get<double>();
        return (x == y && std::signbit(x) == std::signbit(y)) || (std::isnan(x) && std::isnan(y));
    }
    case PyValue::value_t::array:
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!identical(a[i], b[i])) return false;
        return true;
    case PyValue::value_t::object:
        if (a.size() != b.size()) return false;
        for (const auto& [key, value] : a.items())
            if (!b.contains(key) || !identical(value, b.at(key))) return false;
        return true;
    default: return a == b;
    }
}

} // namespace lockstep::gen::py
