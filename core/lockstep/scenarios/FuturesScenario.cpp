#include "lockstep/scenarios/FuturesScenario.h"

#include "lockstep/futures/FuturesProgram.h"

namespace lockstep {

namespace {

FuturesConfig readConfig(const ScenarioInput& input)
{
    return FuturesConfig::parse(input.config, [&](const std::string& pointer) { return input.where(pointer); });
}

class FuturesScenario final : public Scenario {
public:
    void validate(const ScenarioInput& input) const override { readConfig(input); }

    void run(RunContext& ctx, const ScenarioInput& input, nlohmann::json& summary) override
    {
        FuturesProgram program(ctx, readConfig(input));
        program.run(summary);
    }
};

} // namespace

std::unique_ptr<Scenario> makeFuturesScenario()
{
    return std::make_unique<FuturesScenario>();
}

} // namespace lockstep
