#include "lockstep/scenarios/GilScenario.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/gil/GilProgram.h"

#include <optional>

namespace lockstep {

namespace {

GilConfig readConfig(const ScenarioInput& input)
{
    return GilConfig::parse(input.config, [&](const std::string& pointer) { return input.where(pointer); });
}

class GilScenario final : public Scenario {
public:
    void validate(const ScenarioInput& input) const override { readConfig(input); }

    // Calibrating the countdown takes ~0.1 s: the interpreter's warm-up, not Python, so it
    // happens before the run's time zero.
    void prepare(const ScenarioInput& input) override { m_loop = PacedLoop::calibrated(readConfig(input).nsPerTurn); }

    void run(RunContext& ctx, const ScenarioInput& input, nlohmann::json& summary) override
    {
        const GilConfig config = readConfig(input);
        if (!m_loop) m_loop = PacedLoop::calibrated(config.nsPerTurn);
        GilProgram program(ctx, input.lesson.python, config, *m_loop);
        try {
            program.run(summary);
        } catch (const Cancelled&) {
            program.abandon(RunOutcome::Cancelled);
            program.fillPartialSummary(summary);
            throw;
        } catch (...) {
            program.abandon(RunOutcome::Failed);
            throw;
        }
    }

private:
    std::optional<PacedLoop> m_loop;
};

} // namespace

std::unique_ptr<Scenario> makeGilScenario()
{
    return std::make_unique<GilScenario>();
}

} // namespace lockstep
