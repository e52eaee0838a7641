#pragma once

#include "render/ProcessTreeModel.h"
#include "views/ReplayedView.h"

#include <QHash>
#include <QPointF>

#include <limits>

namespace lockstep::ui {

// The process tree as `ps -o pid,ppid,stat` would show it at the cursor (ProcessTreePainter draws
// it, the same way the exports do).
class ProcessTreeView final : public ReplayedView<ProcessTreeModel> {
    Q_OBJECT
public:
    explicit ProcessTreeView(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;

    // Where the card of `actor` is drawn (centre, in widget coordinates; null if it has none).
    [[nodiscard]] QPointF cardCentre(ActorId actor) const { return m_centres.value(actor.value); }
    [[nodiscard]] QSize sizeHint() const override { return { 1280, 800 }; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QHash<std::uint32_t, QPointF> m_centres;
};

} // namespace lockstep::ui
