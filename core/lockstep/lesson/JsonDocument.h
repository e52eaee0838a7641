#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <utility>

namespace lockstep {

// A parsed JSON text plus where every value (and every object member's key) sits in it, keyed by
// RFC 6901 JSON pointer, so that errors found after parsing can still say file:line:column.
// Lines and columns are 1-based; columns count Unicode code points, as editors do.
struct JsonDocument {
    nlohmann::json value;
    std::map<std::string, std::pair<int, int>> positions; // pointer -> (line, column) of the value
    std::map<std::string, std::pair<int, int>> keyPositions; // member pointer -> (line, column) of its key
};

} // namespace lockstep
