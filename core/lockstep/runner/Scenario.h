#pragma once

#include "lockstep/engine/RunContext.h"
#include "lockstep/lesson/Lesson.h"
#include "lockstep/trace/Trace.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lockstep {

struct ScenarioInput {
    const Lesson& lesson;
    const Variant& variant;
    nlohmann::json params;   // resolved parameter values (object name -> value)
    nlohmann::json config;   // the variant's config with "$param" references resolved
    std::uint64_t seed = 1;
    Lang lang = Lang::En;
    // "path:line:column" for a pointer inside the variant's config, for error messages.
    [[nodiscard]] std::string where(const std::string& configPointer) const;
};

// The engine program behind a lesson's `engine` key. validate() checks the variant's config and
// params before anything starts (throw InputError); run() executes the scenario on the real engine
// from the runner's controller thread, spawning engine threads through ctx, and fills `summary`
// with the lesson's metrics. run() must return once ctx is cancelled.
class Scenario {
public:
    virtual ~Scenario() = default;
    virtual void validate(const ScenarioInput& input) const = 0;
    // Slow set-up that is not part of the program (the GIL lesson calibrates its loop to
    // CPython's pace), on the controller thread before run(). The recorder's clock restarts after
    // it, so it is no empty stretch at the start of the timeline: it must record nothing.
    virtual void prepare(const ScenarioInput& /*input*/) { }
    virtual void run(RunContext& ctx, const ScenarioInput& input, nlohmann::json& summary) = 0;
    // Called once the run is over with the complete trace: metrics that are best read off the
    // recorded events (who held what while waiting, latencies) are computed here.
    virtual void summarize(const Trace& /*trace*/, const RunContext& /*ctx*/, const ScenarioInput& /*input*/,
                           nlohmann::json& /*summary*/) const
    {
    }
};

using ScenarioFactory = std::function<std::unique_ptr<Scenario>()>;

// Engines by name ("script", "gil", "philosophers", "iomux", "generator", ...).
class ScenarioRegistry {
public:
    static ScenarioRegistry& instance(); // with every built-in scenario registered
    void add(std::string engine, ScenarioFactory factory);
    [[nodiscard]] std::unique_ptr<Scenario> create(const std::string& engine) const;
    [[nodiscard]] std::vector<std::string> engines() const;

private:
    std::vector<std::pair<std::string, ScenarioFactory>> m_factories;
};

} // namespace lockstep
