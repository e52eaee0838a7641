#pragma once

#include "views/GilModel.h"
#include "views/LessonView.h"
#include "views/TraceReplay.h"

#include <limits>

namespace lockstep::ui {

// The GIL lesson's view: who holds each GIL, the threads waiting for it, the drop-request flag,
// the switch-interval countdown of the longest waiter, the switches so far and each thread's share
// of GIL time. One panel per GIL (forked processes have one each).
class GilView final : public LessonView {
    Q_OBJECT
public:
    explicit GilView(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;
    void setTrace(std::shared_ptr<const Trace> trace) override;
    void setCursor(std::int64_t ts) override;

    [[nodiscard]] const GilModel& model() const { return m_replay.model(); }
    // Of the first GIL: holder name ("" when free), switches so far, whether a drop is requested.
    [[nodiscard]] QString holderName() const;
    [[nodiscard]] std::uint64_t switches() const;
    [[nodiscard]] bool dropRequested() const;
    [[nodiscard]] QStringList waiterNames() const;
    // The switch interval the countdown uses: a "switch_interval_ns" Counter in the trace, else
    // the median delay from a waiter's request to its drop request, else CPython's default 5 ms.
    [[nodiscard]] std::int64_t intervalNs() const;
    [[nodiscard]] QSize sizeHint() const override { return {1280, 800}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void refresh();
    void inferInterval();
    void paintGil(QPainter& p, const QRectF& r, const GilModel::Gil& g, double fontScale) const;
    [[nodiscard]] std::int64_t now() const;
    [[nodiscard]] QString name(ActorId id) const;

    TraceReplay<GilModel> m_replay;
    std::int64_t m_cursor = std::numeric_limits<std::int64_t>::max();
    std::int64_t m_inferredIntervalNs = -1;
    int m_inferredSamples = 0;
};

} // namespace lockstep::ui
