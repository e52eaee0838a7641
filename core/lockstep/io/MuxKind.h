#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lockstep {

// The readiness-notification mechanisms the iomux lesson compares.
enum class MuxKind : std::uint8_t {
    Select,  // select(2): fd_set bitmaps rebuilt and copied on every call
    Poll,    // poll(2): an array of pollfd copied on every call
    EpollLT, // epoll(7), level-triggered: reports an fd as long as it is readable
    EpollET, // epoll(7), edge-triggered: reports an fd when new data arrives, once
};

[[nodiscard]] std::string_view muxKindName(MuxKind kind); // "select", "poll", "epoll-lt", "epoll-et"
[[nodiscard]] std::optional<MuxKind> muxKindFromName(std::string_view name);
// The same kinds for an "allowed: ..." list in error messages.
[[nodiscard]] std::string_view muxKindNames();

} // namespace lockstep
