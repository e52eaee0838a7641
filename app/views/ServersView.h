#pragma once

#include "views/ServersModel.h"
#include "views/ReplayedView.h"

namespace lockstep::ui {

// The servers lesson's view: one row per server design that has run, with what it holds at the
// cursor and at most (threads, processes, connections) on one scale, and the latencies of the
// requests its clients completed so far: p50, p99, throughput and a histogram by decade.
class ServersView final : public ReplayedView<ServersModel> {
    Q_OBJECT
public:
    explicit ServersView(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;
    [[nodiscard]] QSize sizeHint() const override { return { 1280, 800 }; }

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace lockstep::ui
