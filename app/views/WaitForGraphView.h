#pragma once

#include "views/LessonView.h"
#include "views/TraceReplay.h"
#include "views/WaitForModel.h"

#include <QPointF>

#include <limits>
#include <unordered_map>

namespace lockstep::ui {

// The wait-for graph of the deadlock and philosophers lessons: threads as circles, locks as
// squares on a circle, hold edges (lock -> holder) and wait edges (thread -> lock); when the
// trace's Deadlock event has happened the cycle is drawn in the alarm colour and named in words,
// and the four Coffman conditions tick as the engine recorded them at the cursor (WaitForModel:
// the view draws the engine's facts and never decides a condition itself).
class WaitForGraphView final : public LessonView {
    Q_OBJECT
public:
    explicit WaitForGraphView(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;
    void setTrace(std::shared_ptr<const Trace> trace) override;
    void setCursor(std::int64_t ts) override;

    [[nodiscard]] WaitForModel::Coffman coffman() const { return m_replay.model().coffman(); }
    [[nodiscard]] bool deadlocked() const { return m_replay.model().deadlocked(); }
    // "T1 waits for lock_b held by T2, which waits for lock_a held by T1"; empty without a cycle.
    [[nodiscard]] QString cycleText() const;
    [[nodiscard]] int nodeCount() const;
    // Threads and locks in ring order, clockwise from the top (stable while scrubbing).
    [[nodiscard]] std::vector<ActorId> seating() const;
    [[nodiscard]] const WaitForModel& model() const { return m_replay.model(); }
    // The checklist as painted: one row per Coffman condition, its status and the engine's reason
    // at the cursor (shown in the UI language).
    struct ChecklistRow {
        CoffmanCondition condition = CoffmanCondition::MutualExclusion;
        CoffmanStatus status = CoffmanStatus::Unmet;
        QString title;
        QString evidence;
    };
    [[nodiscard]] std::vector<ChecklistRow> checklist() const;
    [[nodiscard]] QSize sizeHint() const override { return {1280, 800}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Node {
        ActorId id;
        bool lock = false;
        QPointF pos;
        QPointF outward; // unit vector from the centre, for label placement
    };
    void refresh();
    [[nodiscard]] std::vector<Node> layoutNodes(const QRectF& area, double& nodeRadius) const;
    void paintGraph(QPainter& p, const QRectF& whole) const;
    void paintChecklist(QPainter& p, const QRectF& area) const;
    void paintVerdict(QPainter& p, const QRectF& area) const;
    [[nodiscard]] QString name(ActorId id) const;
    [[nodiscard]] std::int64_t now() const;

    TraceReplay<WaitForModel> m_replay; // state at the cursor
    TraceReplay<WaitForModel> m_whole;  // whole trace: a layout that does not move while scrubbing
    std::int64_t m_cursor = std::numeric_limits<std::int64_t>::max();
};

} // namespace lockstep::ui
