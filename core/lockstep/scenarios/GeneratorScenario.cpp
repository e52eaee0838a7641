#include "lockstep/scenarios/GeneratorScenario.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/engine/ThreadScope.h"
#include "lockstep/gen/GenDriver.h"
#include "lockstep/gen/GenHost.h"
#include "lockstep/gen/GenScript.h"
#include "lockstep/gen/LessonGenerators.h"

#include <algorithm>
#include <string>

namespace lockstep {

namespace {

constexpr int kMaxItems = 1000;

std::string joined(const std::vector<std::string>& names)
{
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

// The checked config of one run.
struct GeneratorConfig {
    std::string mode;
    std::string gen;
    std::vector<gen::ScriptOp> ops;
    std::string script;
    int items = 0;
};

GeneratorConfig readConfig(const ScenarioInput& in)
{
    const auto& config = in.config;
    GeneratorConfig out;
    for (const auto& [key, value] : config.items()) {
        if (key != "mode" && key != "gen" && key != "script" && key != "n")
            throw InputError(in.where("/" + key) + ": " + key + ": unknown key (allowed: mode, gen, script, n)");
    }
    const auto mode = config.find("mode");
    if (mode == config.end() || !mode->is_string() ||
        (mode->get<std::string>() != "script" && mode->get<std::string>() != "producer-consumer"))
        throw InputError(in.where("/mode") + ": mode: must be \"script\" or \"producer-consumer\"");
    out.mode = mode->get<std::string>();
    if (out.mode == "script") {
        const auto& names = gen::lessons::generatorNames();
        const auto g = config.find("gen");
        if (g == config.end() || !g->is_string())
            throw InputError(in.where("/gen") + ": gen: the generator to drive is missing (allowed: " + joined(names) + ")");
        out.gen = g->get<std::string>();
        if (std::find(names.begin(), names.end(), out.gen) == names.end())
            throw InputError("parameter gen: unknown generator '" + out.gen + "' (allowed: " + joined(names) + ")");
        const auto s = config.find("script");
        if (s == config.end() || !s->is_string())
            throw InputError(in.where("/script") + ": script: the operations are missing (allowed: a string such as "
                                                   "\"next;send:5;throw:ValueError;close\")");
        out.script = s->get<std::string>();
        out.ops = gen::parseScript(out.script, "parameter script");
        for (const auto& [key, value] : config.items())
            if (key == "n") throw InputError(in.where("/n") + ": n: only the producer-consumer mode has n (allowed: mode, gen, script)");
    } else {
        const auto n = config.find("n");
        if (n == config.end() || !n->is_number_integer() || n->get<std::int64_t>() < 1 || n->get<std::int64_t>() > kMaxItems)
            throw InputError("parameter n: " + (n == config.end() ? std::string("missing") : n->dump()) +
                             " (allowed: an integer 1.." + std::to_string(kMaxItems) + ", the items the producer sends)");
        out.items = n->get<int>();
        for (const auto& [key, value] : config.items())
            if (key == "gen" || key == "script")
                throw InputError(in.where("/" + key) + ": " + key +
                                 ": the producer-consumer mode always drives consumer (allowed: mode, n)");
    }
    return out;
}

class GeneratorScenario final : public Scenario {
public:
    void validate(const ScenarioInput& in) const override { (void)readConfig(in); }

    void run(RunContext& ctx, const ScenarioInput& in, nlohmann::json& summary) override
    {
        const GeneratorConfig config = readConfig(in);
        nlohmann::json transcript = nlohmann::json::array();
        std::vector<std::string> output, finalizerOutput;
        ThreadScope threads(ctx);

        // The Python program's main thread; every generator runs on its stack switches.
        ctx.spawn("MainThread", [&] {
            gen::GenHost host(&ctx, RunContext::currentActor());
            host.setSnippet(in.lesson.python);
            {
                gen::Generator g = gen::lessons::call(config.mode == "script" ? config.gen : "consumer", host);
                gen::GenDriver driver(host, g);
                if (config.mode == "script") {
                    for (const auto& op : config.ops) (void)driver.perform(op);
                } else {
                    gen::lessons::producer(host, driver, config.items);
                }
                transcript = driver.transcript();
                output = driver.output();
                // Leaving the scope drops the last reference, as at the end of the Python script:
                // a suspended generator is finalised (closed) and may print (guarded: 'cleanup').
            }
            finalizerOutput = host.takeOutput();
        });
        ctx.joinAll();
        ctx.throwIfCancelled();

        summary["mode"] = config.mode;
        if (config.mode == "script") {
            summary["generator"] = config.gen;
            summary["script"] = config.script;
        } else {
            summary["generator"] = "consumer";
            summary["n"] = config.items;
            summary["output"] = output;
        }
        summary["operations"] = transcript.size();
        summary["transcript"] = std::move(transcript);
        summary["finalizer_output"] = finalizerOutput;
    }
};

} // namespace

std::unique_ptr<Scenario> makeGeneratorScenario() { return std::make_unique<GeneratorScenario>(); }

} // namespace lockstep
