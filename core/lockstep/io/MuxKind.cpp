#include "lockstep/io/MuxKind.h"

#include <array>
#include <utility>

namespace lockstep {

namespace {
constexpr std::array<std::pair<MuxKind, std::string_view>, 4> kNames{{
    {MuxKind::Select, "select"},
    {MuxKind::Poll, "poll"},
    {MuxKind::EpollLT, "epoll-lt"},
    {MuxKind::EpollET, "epoll-et"},
}};
} // namespace

std::string_view muxKindName(MuxKind kind)
{
    for (const auto& [k, name] : kNames)
        if (k == kind) return name;
    return "unknown";
}

std::optional<MuxKind> muxKindFromName(std::string_view name)
{
    for (const auto& [k, n] : kNames)
        if (n == name) return k;
    return std::nullopt;
}

std::string_view muxKindNames() { return "select, poll, epoll-lt, epoll-et"; }

} // namespace lockstep
