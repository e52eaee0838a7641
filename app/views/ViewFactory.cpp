#include "views/ViewFactory.h"

#include "views/ConditionView.h"
#include "views/FdGridView.h"
#include "views/FuturesView.h"
#include "views/GeneratorView.h"
#include "views/GilView.h"
#include "views/IoModelsView.h"
#include "views/ProcessTreeView.h"
#include "views/ServersView.h"
#include "views/StateBoard.h"
#include "views/SyncObjectsView.h"
#include "views/WaitForGraphView.h"

namespace lockstep::ui {

std::vector<LessonView*> ViewFactory::createViews(QWidget* parent)
{
    // In tab order; the first that applies to a run is shown. The servers' own view comes before
    // the sync objects one, which shows their thread pool's queue too.
    return { new StateBoard(parent), new WaitForGraphView(parent), new ServersView(parent), new SyncObjectsView(parent),
        new GilView(parent), new ConditionView(parent), new FdGridView(parent), new GeneratorView(parent),
        new ProcessTreeView(parent), new FuturesView(parent), new IoModelsView(parent) };
}

} // namespace lockstep::ui
