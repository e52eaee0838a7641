#pragma once

#include "views/LessonView.h"

#include <vector>

class QWidget;

namespace lockstep::ui {

// Makes one of each lesson view, in tab order: state board, wait-for graph, GIL, condition,
// fd grid, generator, process tree, futures. The window adds them as tabs and shows those whose appliesTo() is true.
class ViewFactory {
public:
    [[nodiscard]] static std::vector<LessonView*> createViews(QWidget* parent);
};

} // namespace lockstep::ui
