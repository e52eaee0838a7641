#pragma once

#include "views/LessonView.h"
#include "views/TraceReplay.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <utility>

namespace lockstep::ui {

// A LessonView that folds the trace into a Model up to the cursor (TraceReplay) and repaints:
// what every such view does on a new snapshot or a cursor move. The view paints from model().
template <typename Model>
class ReplayedView : public LessonView {
public:
    using LessonView::LessonView;

    void setTrace(std::shared_ptr<const Trace> trace) override
    {
        m_replay.setTrace(std::move(trace));
        m_replay.seek(m_cursor);
        update();
    }
    void setCursor(std::int64_t ts) override
    {
        m_cursor = ts;
        m_replay.seek(m_cursor);
        update();
    }
    [[nodiscard]] const Model& model() const { return m_replay.model(); }

protected:
    TraceReplay<Model> m_replay;
    std::int64_t m_cursor = std::numeric_limits<std::int64_t>::max();
};

} // namespace lockstep::ui
