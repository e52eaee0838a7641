#pragma once

#include "lockstep/trace/Trace.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

namespace lockstep::ui {

// Replays a trace's events into a Model up to a cursor time, so a view can show "the state at
// time t" for any t. Moving the cursor forward applies only the new events; moving it back
// restores the nearest checkpoint and replays from there, so scrubbing a long trace costs a
// bounded amount of work. A new snapshot of the same live run (one that shares its storage with
// the previous one) continues where the last one stopped instead of starting over.
//
// Model requirements: copyable, `void reset(const Trace&)`, `void apply(const Trace&, const Event&)`.
template <typename Model>
class TraceReplay {
public:
    // Returns true when the model was reset (a different run), false when the new snapshot extends
    // the current one.
    bool setTrace(std::shared_ptr<const Trace> trace)
    {
        const bool sameRun = trace && m_trace && m_trace->eventCount() > 0 && trace->eventCount() >= m_applied
            && &trace->events()[0] == &m_trace->events()[0];
        m_trace = std::move(trace);
        if (sameRun) return false;
        restart();
        return true;
    }

    // Applies every event with ts <= cursor. Returns true if the model changed.
    bool seek(std::int64_t cursor)
    {
        if (!m_trace) return false;
        const std::size_t target = targetIndex(cursor);
        if (target == m_applied) return false;
        if (target < m_applied) rewindTo(target);
        advanceTo(target);
        return true;
    }

    [[nodiscard]] const Model& model() const { return m_model; }
    [[nodiscard]] const Trace* trace() const { return m_trace.get(); }
    [[nodiscard]] const std::shared_ptr<const Trace>& tracePtr() const { return m_trace; }
    // Number of events applied (the index of the first event after the cursor).
    [[nodiscard]] std::size_t applied() const { return m_applied; }

private:
    // Keep at most this many model copies; when full, every other one goes and the spacing doubles.
    static constexpr std::size_t kMaxCheckpoints = 48;

    [[nodiscard]] std::size_t targetIndex(std::int64_t cursor) const
    {
        if (cursor == std::numeric_limits<std::int64_t>::max()) return m_trace->eventCount();
        return static_cast<std::size_t>(m_trace->lowerBound(cursor + 1).value);
    }

    void restart()
    {
        m_model = Model{};
        if (m_trace) m_model.reset(*m_trace);
        m_applied = 0;
        m_checkpoints.clear();
        m_spacing = 4096;
    }

    void rewindTo(std::size_t target)
    {
        // The last checkpoint at or before target (checkpoints are in increasing order).
        std::size_t best = m_checkpoints.size();
        for (std::size_t i = 0; i < m_checkpoints.size(); ++i) {
            if (m_checkpoints[i].first <= target) best = i;
            else break;
        }
        if (best == m_checkpoints.size()) {
            m_model = Model{};
            m_model.reset(*m_trace);
            m_applied = 0;
        } else {
            m_model = m_checkpoints[best].second;
            m_applied = m_checkpoints[best].first;
        }
    }

    void advanceTo(std::size_t target)
    {
        const auto& events = m_trace->events();
        while (m_applied < target) {
            m_model.apply(*m_trace, events[m_applied]);
            ++m_applied;
            if (m_applied % m_spacing == 0 && (m_checkpoints.empty() || m_checkpoints.back().first < m_applied))
                addCheckpoint();
        }
    }

    void addCheckpoint()
    {
        m_checkpoints.emplace_back(m_applied, m_model);
        if (m_checkpoints.size() < kMaxCheckpoints) return;
        m_spacing *= 2;
        std::vector<std::pair<std::size_t, Model>> kept;
        kept.reserve(m_checkpoints.size() / 2 + 1);
        for (auto& c : m_checkpoints)
            if (c.first % m_spacing == 0) kept.push_back(std::move(c));
        m_checkpoints = std::move(kept);
    }

    std::shared_ptr<const Trace> m_trace;
    Model m_model;
    std::size_t m_applied = 0;
    std::vector<std::pair<std::size_t, Model>> m_checkpoints;
    std::size_t m_spacing = 4096;
};

} // namespace lockstep::ui
