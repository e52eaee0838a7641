#pragma once

#include "views/ServersModel.h"
#include "views/ReplayedView.h"

namespace lockstep::ui {

// The servers lesson's view: one row per server design that has run, with what it holds at the
// cursor and at most (threads, processes, connections) on one scale, and the latencies of the
// requests its clients completed so far: p50, p99, throughput and a histogram by decade. Too
// narrow or too short for that (a projector's large type, eight servers in a race), each server
// gets one or two lines of the same figures instead.
class ServersView final : public ReplayedView<ServersModel> {
    Q_OBJECT
public:
    explicit ServersView(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;
    [[nodiscard]] QSize sizeHint() const override { return { 1280, 800 }; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void paintCompact(QPainter& p, const QRectF& all, double u) const;
    // "p50 … ms · p99 … ms" and "… requests · … req/s · memory … MB (+…)" of one server.
    [[nodiscard]] static QString latencyText(const ServersModel::Server& sv);
    [[nodiscard]] static QString servedText(const ServersModel::Server& sv);
};

} // namespace lockstep::ui
