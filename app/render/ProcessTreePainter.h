#pragma once

#include "render/ProcessTreeModel.h"

#include <QCoreApplication>
#include <QHash>
#include <QPainter>
#include <QPointF>
#include <QRectF>

#include <cstdint>

namespace lockstep::ui {

// Paints the process tree (ProcessTreeModel at a moment `t` of `trace`) into a rectangle: one card
// per process with its PID, PPID and STAT letter in the state's colour, zombies (exit status,
// unreaped) and orphans (adopted by a subreaper) marked, reaped processes faded with who reaped
// them, waitpid as a wait-for arrow from the parent to the child. An orphan glides from its old
// parent to its new one for a moment after its re-parenting. Used by the window's process tree
// tab and by the exports, so both look the same.
class ProcessTreePainter {
    Q_DECLARE_TR_FUNCTIONS(ProcessTreePainter)

public:
    // Whether `trace` has a process tree to show.
    [[nodiscard]] static bool applies(const Trace& trace);
    // The model folded up to and including `t`.
    [[nodiscard]] static ProcessTreeModel modelAt(const Trace& trace, std::int64_t t);
    // Paints and returns each card's centre (actor id -> point). `scale` as Palette's fonts.
    static QHash<std::uint32_t, QPointF> paint(
        QPainter& p, const QRectF& r, const Trace& trace, const ProcessTreeModel& model, std::int64_t t, double scale);

private:
    // The tree in slot units (x: leaf cells, y: depth) for the current parents, or with `moved`
    // still under `movedParent` (an orphan's old parent, for its glide).
    struct Shape {
        QHash<std::uint32_t, QPointF> cells;
        double leaves = 0;
        double depth = 1;
    };
    [[nodiscard]] static Shape shape(const ProcessTreeModel& model, ActorId moved, ActorId movedParent);
    [[nodiscard]] static QHash<std::uint32_t, QPointF> placed(
        const Shape& shape, const QRectF& area, QSizeF card, double gapY);
    // `waiting`: processes blocked on it now (a full or empty pipe, a semaphore at 0).
    static void paintObject(
        QPainter& p, const QRectF& r, const Trace& trace, const ProcessTreeModel::Object& o, int waiting, double scale);
    static void paintCard(QPainter& p, const QRectF& r, const Trace& trace, const ProcessTreeModel& model,
        const ProcessTreeModel::Node& n, double s);
};

} // namespace lockstep::ui
