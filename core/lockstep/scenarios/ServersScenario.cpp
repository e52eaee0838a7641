#include "lockstep/scenarios/ServersScenario.h"

#include "lockstep/net/Servers.h"

namespace lockstep {

namespace {

ServersConfig readConfig(const ScenarioInput& input)
{
    return ServersConfig::parse(input.config, [&](const std::string& pointer) { return input.where(pointer); });
}

class ServersScenario final : public Scenario {
public:
    void validate(const ScenarioInput& input) const override { readConfig(input); }

    void run(RunContext& ctx, const ScenarioInput& input, nlohmann::json& summary) override
    {
        ServersProgram program(ctx, readConfig(input));
        program.run(summary);
    }
};

} // namespace

std::unique_ptr<Scenario> makeServersScenario()
{
    return std::make_unique<ServersScenario>();
}

} // namespace lockstep
