// The one place where the built-in engines are listed (explicit, so a static library cannot drop
// a self-registering object file). Each lesson helper adds one line here.
#include "lockstep/runner/Scenario.h"
#include "lockstep/scenarios/CounterScenario.h"

namespace lockstep {

ScenarioRegistry& ScenarioRegistry::instance()
{
    static ScenarioRegistry s_instance = [] {
        ScenarioRegistry registry;
        registry.add("counter", &makeCounterScenario);
        return registry;
    }();
    return s_instance;
}

} // namespace lockstep
