#pragma once

#include "lockstep/engine/Wakeable.h"
#include "lockstep/trace/Ids.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

namespace lockstep {

class RunContext;

// One round of the echo benchmark as the client driver announces it to the server.
struct RoundTicket {
    int point = 0;              // index of the sweep point
    int round = 0;              // round within the point (warm-up rounds first)
    std::int64_t bytes = 0;     // bytes the clients wrote this round (0: no client left to write)
    bool measured = false;      // false during warm-up
    bool hangUp = false;        // not a round: every client has closed its end (after the last point)
};

// Orders the two engine threads the way libevent's benchmark does: the clients write the whole
// round first, then the server waits, so that a timed wait measures the multiplexer call and not a
// thread wake-up. The server learns the round through post()/awaitPosted() (a condition variable);
// it announces the end of its round on an eventfd, which the client driver polls together with its
// sockets, so that a client waiting for an echo that never comes notices the server went idle.
class RoundChannel final : public Wakeable {
public:
    explicit RoundChannel(RunContext& ctx); // creates the eventfd (tracked by the run)
    ~RoundChannel() override;
    RoundChannel(const RoundChannel&) = delete;
    RoundChannel& operator=(const RoundChannel&) = delete;

    // Client driver: the round's writes are done.
    void post(const RoundTicket& ticket);
    // Server: waits (state Waiting on `poster`) for the next round; throws Cancelled on cancel.
    RoundTicket awaitPosted(ActorId poster);
    // Server: the round is over (everything echoed, or the multiplexer had nothing more to report).
    void finish();
    // Client driver: readable once the server finished the round.
    [[nodiscard]] int doneFd() const { return m_doneFd; }
    // Client driver: consumes the finish signal; true if it was there.
    bool consumeDone();

    void wakeAll() override;

private:
    RunContext& m_ctx;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::optional<RoundTicket> m_posted;
    int m_doneFd = -1;
};

} // namespace lockstep
