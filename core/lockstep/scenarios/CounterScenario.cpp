#include "lockstep/scenarios/CounterScenario.h"

#include "lockstep/engine/ThreadScope.h"
#include "lockstep/lesson/ConfigReader.h"
#include "lockstep/sync/Lock.h"

#include <atomic>
#include <thread>

namespace lockstep {

namespace {

class CounterScenario final : public Scenario {
public:
    void validate(const ScenarioInput& in) const override
    {
        const ConfigReader r([&in](const std::string& pointer) { return in.where(pointer); }, in.config);
        r.allowOnly({"use_lock"});
        (void)r.boolean("use_lock", false);
        for (const char* p : {"threads", "increments"})
            if (!in.params.contains(p) || !in.params[p].is_number_integer())
                throw InputError(in.lesson.locate("/parameters") + ": parameters: the counter engine needs an int parameter '" +
                                 std::string(p) + "'");
    }

    void run(RunContext& ctx, const ScenarioInput& in, nlohmann::json& summary) override
    {
        const bool useLock = in.config.value("use_lock", false);
        const int threads = in.params["threads"].get<int>();
        const long increments = in.params["increments"].get<long>();
        Lock lock(ctx, "lock");
        std::atomic<long> counter{0};
        std::atomic<long> contended{0};
        ThreadScope scope(ctx);
        // Python source lines of the snippet (see lessons/counter.json).
        constexpr int kLineWith = 10, kLineRead = 11, kLineSwitch = 12, kLineWrite = 13;

        for (int t = 0; t < threads; ++t) {
            ctx.spawn("T" + std::to_string(t + 1), [&, useLock] {
                const ActorId self = RunContext::currentActor();
                auto& rec = ctx.recorder();
                for (long i = 0; i < increments; ++i) {
                    if (useLock) {
                        rec.record(EventKind::LineReached, self, {}, 0, {}, kLineWith);
                        if (!lock.acquire(false)) {
                            contended.fetch_add(1, std::memory_order_relaxed);
                            lock.acquire();
                        }
                    }
                    ctx.gate().pass(self);
                    rec.record(EventKind::LineReached, self, {}, 0, {}, kLineRead);
                    const long tmp = counter.load(std::memory_order_relaxed);
                    rec.record(EventKind::LineReached, self, {}, 0, {}, kLineSwitch);
                    std::this_thread::yield(); // time.sleep(0): offer the CPU to another thread
                    counter.store(tmp + 1, std::memory_order_relaxed);
                    rec.record(EventKind::LineReached, self, {}, tmp + 1, {}, kLineWrite);
                    if (useLock) lock.release();
                }
            });
        }
        ctx.joinAll();
        ctx.throwIfCancelled();
        const long expected = static_cast<long>(threads) * increments;
        summary["threads"] = threads;
        summary["increments"] = increments;
        summary["expected"] = expected;
        summary["counter"] = counter.load();
        summary["lost_updates"] = expected - counter.load();
        summary["contended_acquires"] = contended.load();
    }
};

} // namespace

std::unique_ptr<Scenario> makeCounterScenario() { return std::make_unique<CounterScenario>(); }

} // namespace lockstep
