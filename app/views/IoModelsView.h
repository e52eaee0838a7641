#pragma once

#include "views/IoModelsModel.h"
#include "views/ReplayedView.h"

namespace lockstep::ui {

// The io-models lesson's view: one row per I/O model, its receive split into the two phases the
// notes draw (waiting for the data, then copying it into the process) on one time scale, the copy
// magnified (microseconds next to a wait of hundreds of milliseconds), and what the receive cost
// as the engine measured it: system calls, EAGAINs, CPU time, blocked or free, who copied.
class IoModelsView final : public ReplayedView<IoModelsModel> {
    Q_OBJECT
public:
    explicit IoModelsView(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;
    [[nodiscard]] QSize sizeHint() const override { return { 1280, 800 }; }

protected:
    void paintEvent(QPaintEvent* event) override;
};

} // namespace lockstep::ui
