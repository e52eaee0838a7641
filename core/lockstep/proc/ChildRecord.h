#pragma once

#include <climits>
#include <cstdint>
#include <type_traits>

namespace lockstep {

// What a forked child tells its parent, one fixed-size record per write(2) on a pipe: small enough
// to be written atomically (<= PIPE_BUF) and built without allocating, so a child of a
// multithreaded parent can send it safely. `kind` and the payload are defined by the child program.
struct ChildRecord {
    std::int64_t ts = 0; // ns since the run started, on the parent's monotonic clock
    std::int64_t a = 0;
    std::int64_t b = 0;
    std::int32_t kind = 0;
    std::int32_t line = 0; // line in the lesson's Python snippet, 0 = none
};

static_assert(std::is_trivially_copyable_v<ChildRecord>);
static_assert(sizeof(ChildRecord) <= PIPE_BUF);

} // namespace lockstep
