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
    return {new StateBoard(parent), new WaitForGraphView(parent), new SyncObjectsView(parent), new GilView(parent),
            new ConditionView(parent), new FdGridView(parent), new GeneratorView(parent), new ProcessTreeView(parent), new FuturesView(parent),
            new IoModelsView(parent), new ServersView(parent)};
}

} // namespace lockstep::ui
