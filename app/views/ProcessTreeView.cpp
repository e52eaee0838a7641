#include "views/ProcessTreeView.h"

#include "render/Palette.h"
#include "render/ProcessTreePainter.h"

#include <QPainter>

#include <algorithm>

namespace lockstep::ui {

ProcessTreeView::ProcessTreeView(QWidget* parent) : ReplayedView(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 240);
}

bool ProcessTreeView::appliesTo(const Trace& trace) const
{
    return ProcessTreePainter::applies(trace);
}

QString ProcessTreeView::title() const
{
    return tr("Process tree");
}

void ProcessTreeView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const Trace* t = m_replay.trace();
    if (!t) {
        p.fillRect(rect(), Palette::background());
        return;
    }
    // The painter fits the type to the tree and the room it has: the presenter's scale, not
    // viewScale() (which would shrink it twice in a small panel).
    m_centres
        = ProcessTreePainter::paint(p, QRectF(rect()), *t, m_replay.model(), std::min(m_cursor, t->endTs()), m_scale);
}

} // namespace lockstep::ui
