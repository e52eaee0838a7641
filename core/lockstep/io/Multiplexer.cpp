#include "lockstep/io/Multiplexer.h"

#include "lockstep/io/EpollMultiplexer.h"
#include "lockstep/io/PollMultiplexer.h"
#include "lockstep/io/SelectMultiplexer.h"

#include <algorithm>
#include <chrono>

namespace lockstep {

std::int64_t Multiplexer::nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

int Multiplexer::remainingMs(int timeoutMs, std::int64_t startNs)
{
    if (timeoutMs < 0) return -1;
    const std::int64_t left = std::int64_t{timeoutMs} - (nowNs() - startNs) / 1'000'000;
    return static_cast<int>(std::max<std::int64_t>(left, 0));
}

std::unique_ptr<Multiplexer> makeMultiplexer(MuxKind kind, int wakeFd, RunContext* ctx)
{
    switch (kind) {
    case MuxKind::Select: return std::make_unique<SelectMultiplexer>(wakeFd);
    case MuxKind::Poll: return std::make_unique<PollMultiplexer>(wakeFd);
    case MuxKind::EpollLT: return std::make_unique<EpollMultiplexer>(EpollMultiplexer::Trigger::Level, wakeFd, ctx);
    case MuxKind::EpollET: return std::make_unique<EpollMultiplexer>(EpollMultiplexer::Trigger::Edge, wakeFd, ctx);
    }
    return nullptr;
}

} // namespace lockstep
