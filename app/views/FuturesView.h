#pragma once

#include "views/FuturesModel.h"
#include "views/LessonView.h"
#include "views/TraceReplay.h"

#include <limits>

namespace lockstep::ui {

// The futures lesson's view: the pool as CPython builds it. The work queue with the items no
// worker has taken yet, the worker threads (busy with which task, or idle), and a card per future
// with its state as CPython names it and, once MainThread got it, the result and the order it came
// back in (as_completed numbers them in finishing order, map in submission order).
class FuturesView final : public LessonView {
    Q_OBJECT
public:
    explicit FuturesView(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;
    void setTrace(std::shared_ptr<const Trace> trace) override;
    void setCursor(std::int64_t ts) override;
    [[nodiscard]] const FuturesModel& model() const { return m_replay.model(); }
    [[nodiscard]] QSize sizeHint() const override { return { 1280, 800 }; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    TraceReplay<FuturesModel> m_replay;
    std::int64_t m_cursor = std::numeric_limits<std::int64_t>::max();
};

} // namespace lockstep::ui
