#pragma once

#include "views/LessonView.h"
#include "views/SyncObjectsModel.h"
#include "views/TraceReplay.h"

#include <limits>

namespace lockstep::ui {

// The thread toolkit's insides: a card per threading.Event (its flag, who set or cleared it, the
// threads in wait()), per Semaphore (its count as tokens out of the initial value, the threads in
// acquire()) and per queue.Queue (its slots with the items in the order get() returns them, the
// threads blocked in put(), get() or join()), each with the last calls that completed on it.
// Lessons with their own view of these objects (the futures pool, the process tree) keep theirs.
class SyncObjectsView final : public LessonView {
    Q_OBJECT
public:
    explicit SyncObjectsView(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;
    void setTrace(std::shared_ptr<const Trace> trace) override;
    void setCursor(std::int64_t ts) override;
    [[nodiscard]] const SyncObjectsModel& model() const { return m_replay.model(); }
    [[nodiscard]] QSize sizeHint() const override { return { 1280, 800 }; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    // What a card draws between its title and its waiters; returns the y below it.
    double paintFlag(QPainter& p, const SyncObjectsModel::Object& o, const QRectF& r, double u) const;
    double paintTokens(QPainter& p, const SyncObjectsModel::Object& o, const QRectF& r, double u) const;
    double paintSlots(QPainter& p, const SyncObjectsModel::Object& o, const QRectF& r, double u) const;
    void paintCard(QPainter& p, const SyncObjectsModel::Object& o, const QRectF& r, double u) const;
    [[nodiscard]] QString name(ActorId id) const;

    TraceReplay<SyncObjectsModel> m_replay;
    std::int64_t m_cursor = std::numeric_limits<std::int64_t>::max();
};

} // namespace lockstep::ui
