#include "lockstep/runner/Scenario.h"

#include "lockstep/engine/Cancelled.h"

namespace lockstep {

std::string ScenarioInput::where(const std::string& configPointer) const
{
    for (std::size_t i = 0; i < lesson.variants.size(); ++i)
        if (&lesson.variants[i] == &variant)
            return lesson.locate("/variants/" + std::to_string(i) + "/config" + configPointer);
    return lesson.path;
}

void ScenarioRegistry::add(std::string engine, ScenarioFactory factory)
{
    m_factories.emplace_back(std::move(engine), std::move(factory));
}

std::unique_ptr<Scenario> ScenarioRegistry::create(const std::string& engine) const
{
    for (const auto& [name, factory] : m_factories)
        if (name == engine) return factory();
    std::string allowed;
    for (const auto& name : engines()) allowed += (allowed.empty() ? "" : ", ") + name;
    throw InputError("engine: unknown engine '" + engine + "' (allowed: " + allowed + ")");
}

std::vector<std::string> ScenarioRegistry::engines() const
{
    std::vector<std::string> names;
    for (const auto& [name, _] : m_factories) names.push_back(name);
    return names;
}

} // namespace lockstep
