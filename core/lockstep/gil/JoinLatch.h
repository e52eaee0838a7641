#pragma once

#include "lockstep/engine/RunContext.h"
#include "lockstep/engine/Wakeable.h"

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

namespace lockstep {

// Thread.join() for engine threads started by a scenario: each thread marks itself finished as
// its last act (also when it unwinds), and a joiner waits for one particular thread, cancellably.
// RunContext::joinAll() still joins the OS threads at the end; this is only the Python-level wait.
class JoinLatch final : public Wakeable {
public:
    JoinLatch(RunContext& ctx, std::size_t threads);
    ~JoinLatch() override;
    JoinLatch(const JoinLatch&) = delete;
    JoinLatch& operator=(const JoinLatch&) = delete;

    void markFinished(std::size_t thread);
    // Blocks until `thread` finished. Throws Cancelled.
    void waitFinished(std::size_t thread);
    [[nodiscard]] bool finished(std::size_t thread) const;
    void wakeAll() override;

    // Marks a thread finished when it goes out of scope, however its body ends.
    class Guard {
    public:
        Guard(JoinLatch& latch, std::size_t thread) : m_latch(latch), m_thread(thread) { }
        ~Guard() { m_latch.markFinished(m_thread); }
        Guard(const Guard&) = delete;
        Guard& operator=(const Guard&) = delete;

    private:
        JoinLatch& m_latch;
        std::size_t m_thread;
    };

private:
    RunContext& m_ctx;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<bool> m_finished;
};

} // namespace lockstep
