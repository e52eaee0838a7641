#pragma once

#include "lockstep/lesson/JsonLocations.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>

namespace lockstep {

// A parsed JSON text plus where every value (and every object member's key) sits in it, found by
// RFC 6901 JSON pointer, so that errors found after parsing can still say file:line:column.
// Lines and columns are 1-based; columns count Unicode code points, as editors do.
struct JsonDocument {
    nlohmann::json value;
    std::shared_ptr<JsonLocations> locations = std::make_shared<JsonLocations>();
};

} // namespace lockstep
