#include "lockstep/scenarios/GeneratorScenario.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/ConfigReader.h"
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
    const ConfigReader r([&in](const std::string& pointer) { return in.where(pointer); }, in.config);
    GeneratorConfig out;
    const std::vector<std::string> modes = {"script", "producer-consumer"};
    out.mode = modes[static_cast<std::size_t>(r.choice("mode", modes))];
    if (out.mode == "script") {
        r.allowOnly({"mode", "gen", "script"}, "for mode 'script'");
        const auto& names = gen::lessons::generatorNames();
        out.gen = names[static_cast<std::size_t>(r.choice("gen", names))];
        if (!r.has("script"))
            r.fail("script", "the operations are missing (allowed: a string such as "
                             "\"next;send:5;throw:ValueError;close\")");
        out.script = r.string("script", {});
        // Located at the config key, which names the parameter it came from.
        out.ops = gen::parseScript(out.script, r.where()(r.pointer("script")) + ": script");
    } else {
        // The producer-consumer mode always drives `consumer`.
        r.allowOnly({"mode", "n"}, "for mode 'producer-consumer'");
        out.items = static_cast<int>(r.requiredInteger("n", 1, kMaxItems));
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
