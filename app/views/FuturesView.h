#pragma once

#include "views/FuturesModel.h"
#include "views/ReplayedView.h"

namespace lockstep::ui {

// The futures lesson's view: the pool as CPython builds it. The work queue with the items no
// worker has taken yet, the worker threads (busy with which task, or idle), and a card per future
// with its state as CPython names it and, once MainThread got it, the result and the order it came
// back in (as_completed numbers them in finishing order, map in submission order).
class FuturesView final : public ReplayedView<FuturesModel> {
    Q_OBJECT
public:
    explicit FuturesView(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;
    [[nodiscard]] QSize sizeHint() const override { return { 1280, 800 }; }

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace lockstep::ui
