#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace lockstep::gen {

// A Python value of the generator lessons. JSON covers what the lessons send and yield: null is
// None, booleans, int (signed or unsigned JSON integers), float, str and list (JSON arrays). JSON
// objects stand for dicts but the lessons never create or accept one.
using PyValue = nlohmann::json;

// Python semantics on PyValue: formatting exactly as CPython 3.11 prints it, truth testing and the
// arithmetic the lessons' generators do. Operations Python would refuse raise TypeError etc. (as
// the C++ exceptions of PyExceptions.h) with CPython's messages.
namespace py {

[[nodiscard]] std::string typeName(const PyValue& v);   // "NoneType", "bool", "int", "float", "str", "list", "dict"
[[nodiscard]] std::string repr(const PyValue& v);       // repr(v)
[[nodiscard]] std::string str(const PyValue& v);        // str(v), i.e. what print() and '%s' % v show
[[nodiscard]] std::string reprFloat(double d);          // repr(float): shortest round trip, 1e+16, 0.0001, 1e-05
[[nodiscard]] std::string reprString(std::string_view utf8);
[[nodiscard]] bool truthy(const PyValue& v);            // bool(v)
[[nodiscard]] bool isNone(const PyValue& v);
[[nodiscard]] bool isInt(const PyValue& v);             // int or bool (bool is a subclass of int)
[[nodiscard]] bool isFloat(const PyValue& v);

// a + b, a += b (the operator text only changes the TypeError message), a / b (true division).
[[nodiscard]] PyValue add(const PyValue& a, const PyValue& b, std::string_view op = "+");
[[nodiscard]] PyValue inplaceAdd(const PyValue& a, const PyValue& b);
[[nodiscard]] PyValue trueDivide(const PyValue& a, const PyValue& b);

// Type- and value-exact equality: 2 and 2.0 differ (nlohmann's operator== says they are equal).
[[nodiscard]] bool identical(const PyValue& a, const PyValue& b);

} // namespace py

} // namespace lockstep::gen
