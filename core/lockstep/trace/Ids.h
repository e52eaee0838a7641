#pragma once

#include <cstdint>
#include <functional>
#include <limits>

namespace lockstep {

// A typed index: an ActorId cannot be passed where an EventIndex is expected, although both are
// plain integers underneath (same idea as heaptrack's util/indices.h).
template <typename Tag, typename Rep = std::uint32_t>
struct StrongId {
    static constexpr Rep kInvalid = std::numeric_limits<Rep>::max();
    Rep value = kInvalid;

    constexpr StrongId() = default;
    constexpr explicit StrongId(Rep v) : value(v) {}
    [[nodiscard]] constexpr bool valid() const { return value != kInvalid; }
    constexpr explicit operator bool() const { return valid(); }
    friend constexpr auto operator<=>(StrongId, StrongId) = default;
};

using ActorId = StrongId<struct ActorTag>;      // threads, processes, coroutines, locks, fds, the GIL
using EventIndex = StrongId<struct EventTag, std::uint64_t>;
using TextId = StrongId<struct TextTag>;        // index into the trace's string table

} // namespace lockstep

template <typename Tag, typename Rep>
struct std::hash<lockstep::StrongId<Tag, Rep>> {
    std::size_t operator()(lockstep::StrongId<Tag, Rep> id) const noexcept { return std::hash<Rep>{}(id.value); }
};
