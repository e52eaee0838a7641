#include "lockstep/scenarios/IoModelsScenario.h"

#include "lockstep/io/IoModels.h"

namespace lockstep {

namespace {

IoModelsConfig readConfig(const ScenarioInput& input)
{
    return IoModelsConfig::parse(input.config, [&](const std::string& pointer) { return input.where(pointer); });
}

class IoModelsScenario final : public Scenario {
public:
    void validate(const ScenarioInput& input) const override { readConfig(input); }

    void run(RunContext& ctx, const ScenarioInput& input, nlohmann::json& summary) override
    {
        IoModelsProgram program(ctx, readConfig(input));
        program.run(summary);
    }
};

} // namespace

std::unique_ptr<Scenario> makeIoModelsScenario()
{
    return std::make_unique<IoModelsScenario>();
}

} // namespace lockstep
