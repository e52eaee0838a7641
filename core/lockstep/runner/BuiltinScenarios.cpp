// The one place where the built-in engines are listed (explicit, so a static library cannot drop
// a self-registering object file). Each lesson helper adds one line here.
#include "lockstep/runner/Scenario.h"
#include "lockstep/scenarios/CounterScenario.h"
#include "lockstep/scenarios/ThreadScriptScenario.h"
#include "lockstep/scenarios/FuturesScenario.h"
#include "lockstep/scenarios/GeneratorScenario.h"
#include "lockstep/scenarios/GilScenario.h"
#include "lockstep/scenarios/IoModelsScenario.h"
#include "lockstep/scenarios/IomuxScenario.h"
#include "lockstep/scenarios/ProcessesScenario.h"
#include "lockstep/scenarios/ServersScenario.h"

namespace lockstep {

ScenarioRegistry& ScenarioRegistry::instance()
{
    static ScenarioRegistry s_instance = [] {
        ScenarioRegistry registry;
        registry.add("counter", &makeCounterScenario);
        registry.add("script", &makeThreadScriptScenario);
        registry.add("generator", &makeGeneratorScenario);
        registry.add("gil", &makeGilScenario);
        registry.add("iomux", &makeIomuxScenario);
        registry.add("processes", &makeProcessesScenario);
        registry.add("ipc", &makeIpcScenario);
        registry.add("futures", &makeFuturesScenario);
        registry.add("io_models", &makeIoModelsScenario);
        registry.add("servers", &makeServersScenario);
        return registry;
    }();
    return s_instance;
}

} // namespace lockstep
