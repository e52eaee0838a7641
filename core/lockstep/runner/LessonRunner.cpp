#include "lockstep/runner/LessonRunner.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/engine/PyError.h"
#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/Scenario.h"

#include <algorithm>
#include <cmath>

namespace lockstep {

namespace {
std::string variantList(const Lesson& lesson)
{
    std::string s;
    for (const auto& v : lesson.variants) s += (s.empty() ? "" : ", ") + v.id;
    return s;
}
} // namespace

LessonRunner::LessonRunner(RunRequest request) : m_request(std::move(request))
{
    const Lesson& lesson = m_request.lesson;
    if (lesson.variants.empty()) throw InputError(lesson.path + ": variants: the lesson has no variants");
    if (m_request.variant.empty()) {
        m_variant = &lesson.variants.front();
    } else {
        m_variant = lesson.variant(m_request.variant);
        if (!m_variant)
            throw InputError("--variant " + m_request.variant + ": unknown variant of lesson '" + lesson.id +
                             "' (allowed: " + variantList(lesson) + ")");
    }
    if (m_request.maxMemoryMb > (std::uint64_t{1} << 40))
        throw InputError("--max-memory-mb: " + std::to_string(m_request.maxMemoryMb) + " is too large");
    if (!(m_request.timeoutSeconds >= 0) || m_request.timeoutSeconds > Limits::kMaxRunSeconds)
        throw InputError("--timeout: must be between 0 and " + std::to_string(Limits::kMaxRunSeconds) + " seconds");
    m_params = LessonLoader::resolveParams(lesson, *m_variant, m_request.params);
    m_config = LessonLoader::resolveConfig(lesson, *m_variant, m_params);
    // Validate the engine-specific part now, before any thread starts.
    std::unique_ptr<Scenario> scenario;
    try {
        scenario = ScenarioRegistry::instance().create(lesson.engine);
    } catch (const InputError& e) {
        throw InputError(lesson.locate("/engine") + ": " + e.what());
    }
    ScenarioInput input{lesson, *m_variant, m_params, m_config, m_request.seed, m_request.lang};
    scenario->validate(input);
}

LessonRunner::~LessonRunner()
{
    cancel();
    if (m_controller.joinable()) m_controller.join();
}

void LessonRunner::start()
{
    if (m_ctx) return;
    double timeout = m_request.timeoutSeconds > 0 ? m_request.timeoutSeconds : m_request.lesson.timeoutSeconds;
    timeout = std::clamp(timeout, 0.001, static_cast<double>(Limits::kMaxRunSeconds));
    RunOptions options;
    options.seed = m_request.seed;
    options.timeout = std::chrono::milliseconds(static_cast<long>(std::llround(timeout * 1000)));
    options.deadlockLinger = std::chrono::milliseconds(250); // long enough to see on the timeline
    if (m_request.maxEvents > 0) options.maxEvents = m_request.maxEvents;
    if (m_request.maxMemoryMb > 0) options.maxMemoryBytes = m_request.maxMemoryMb << 20;
    m_ctx = std::make_unique<RunContext>(options);
    m_ctx->gate().setRate(m_request.pacedRate);
    m_ctx->gate().setMode(m_request.gateMode);
    m_controller = std::thread([this] { controllerMain(); });
}

void LessonRunner::controllerMain()
{
    RunContext& ctx = *m_ctx;
    auto scenario = ScenarioRegistry::instance().create(m_request.lesson.engine);
    ScenarioInput input{m_request.lesson, *m_variant, m_params, m_config, m_request.seed, m_request.lang};
    nlohmann::json summary = nlohmann::json::object();
    std::string error;

    // Watchdog: the run's time cap and the stall detector ("every thread waits, none can wake
    // another"). Deadlocks are found by the wait-for graph itself, the moment the cycle closes.
    std::mutex watchMutex;
    std::condition_variable watchCv;
    bool done = false;
    std::thread watchdog([&] {
        const auto deadline = std::chrono::steady_clock::now() + ctx.options().timeout;
        std::unique_lock lock(watchMutex);
        while (!done) {
            watchCv.wait_for(lock, std::chrono::milliseconds(10));
            if (done) break;
            if (std::chrono::steady_clock::now() >= deadline) {
                ctx.recorder().recordText(EventKind::Mark, {}, "time limit reached");
                ctx.cancel(RunOutcome::TimedOut);
            } else if (!ctx.pollDeadlock() && ctx.gate().mode() != GateMode::Step) {
                ctx.checkStalled();
            }
            lock.unlock();
            checkBudgets();
            lock.lock();
        }
    });

    const auto t0 = std::chrono::steady_clock::now();
    try {
        scenario->prepare(input);
        {
            // Time zero is where the program starts; drains during prepare() (the watchdog's, a
            // GUI's snapshot) moved the trace's end on the old clock.
            std::lock_guard lock(m_mutex);
            ctx.recorder().restartClock();
            m_builder.restartEndTs();
        }
        scenario->run(ctx, input, summary);
    } catch (const Cancelled&) {
    } catch (const PyError& e) {
        error = e.what();
        ctx.fail(RunContext::currentActor(), e.what(), TraceRecorder::threadLine());
    } catch (const std::exception& e) {
        error = e.what();
        ctx.fail(RunContext::currentActor(), e.what(), TraceRecorder::threadLine());
    }
    // Whatever the scenario did, nothing outlives the run.
    if (ctx.liveThreads() > 0) ctx.cancel(ctx.outcome() == RunOutcome::Running ? RunOutcome::Cancelled : ctx.outcome());
    ctx.joinAll();
    ctx.releaseOsResources();
    const auto t1 = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(watchMutex);
        done = true;
    }
    watchCv.notify_all();
    watchdog.join();
    // A run that recorded its budget's worth and ended between two looks of the watchdog still
    // reached the budget: its trace was cut.
    if (ctx.recorder().checkEventBudget() && ctx.outcome() == RunOutcome::Running) ctx.setOutcome(RunOutcome::Limit);
    ctx.setOutcome(RunOutcome::Completed);

    if (!summary.is_object()) summary = nlohmann::json::object();
    summary["lesson"] = m_request.lesson.id;
    summary["variant"] = m_variant->id;
    summary["params"] = m_params;
    summary["seed"] = m_request.seed;
    if (!summary.contains("wall_ms"))
        summary["wall_ms"] = std::chrono::duration<double, std::milli>(t1 - t0).count();
    summary["outcome"] = runOutcomeName(ctx.outcome());
    auto errors = ctx.errors();
    if (!error.empty() && std::find(errors.begin(), errors.end(), error) == errors.end() &&
        std::none_of(errors.begin(), errors.end(), [&](const std::string& e) { return e.ends_with(": " + error); }))
        errors.insert(errors.begin(), error);
    if (!errors.empty()) summary["errors"] = errors;
    const auto failure = ctx.failure();
    if (ctx.outcome() == RunOutcome::Failed && failure) {
        summary["failure"] = {{"thread", failure->thread}, {"line", failure->line}, {"message", failure->message}};
        if (error.empty())
            error = failure->thread + (failure->line > 0 ? " (line " + std::to_string(failure->line) + ")" : "") +
                    ": " + failure->message;
    }
    const BudgetLimit limit = ctx.outcome() == RunOutcome::Limit ? ctx.recorder().limit() : BudgetLimit::None;
    if (limit != BudgetLimit::None) summary["limit"] = budgetLimitName(limit);

    std::lock_guard lock(m_mutex);
    ctx.recorder().drainInto(m_builder, true);
    if (limit != BudgetLimit::None) {
        // The Mark goes in after the cut, at the instant recording stopped: the trace ends there.
        Event mark;
        mark.kind = EventKind::Mark;
        mark.ts = std::min(ctx.recorder().stopTs(), ctx.recorder().now());
        mark.text = m_builder.addText(limit == BudgetLimit::Events
                                          ? "event budget reached (" + std::to_string(ctx.options().maxEvents) + " events)"
                                          : "memory budget reached (" +
                                                std::to_string(ctx.options().maxMemoryBytes >> 20) + " MB)");
        m_builder.append(mark);
    }
    m_builder.setFinished(true);
    m_final = m_builder.snapshot();
    // A run cut by its budget says which one and why, as the error a caller prints.
    if (limit != BudgetLimit::None && error.empty())
        error = limit == BudgetLimit::Events
                    ? "event budget reached: the trace holds " + std::to_string(ctx.options().maxEvents) + " events"
                    : "memory budget of " + std::to_string(ctx.options().maxMemoryBytes >> 20) + " MB reached: " +
                          (m_limitDetail.empty()
                               ? "projected " + std::to_string(ctx.recorder().projectedAtLimit() >> 20) + " MB"
                               : m_limitDetail);
    try {
        scenario->summarize(*m_final, ctx, input, summary);
    } catch (const std::exception& e) {
        summary["errors"].push_back(std::string("summary: ") + e.what());
    }
    summary["events"] = m_final->eventCount();
    m_result.outcome = ctx.outcome();
    m_result.trace = m_final;
    m_result.summary = std::move(summary);
    m_result.error = error;
    m_result.failure = ctx.outcome() == RunOutcome::Failed ? failure : std::nullopt;
    m_result.limit = limit;
    m_finished = true;
    m_cv.notify_all();
}

void LessonRunner::checkBudgets()
{
    RunContext& ctx = *m_ctx;
    if (ctx.cancelled()) return;
    TraceRecorder& rec = ctx.recorder();
    // A limit the hot path found stops the run first (the recorder already stopped recording at
    // that instant); the threads need not spin while a drain runs. Memory is looked at before the
    // event count: when both are crossed, the one that would cost the machine is the one to name.
    const std::uint64_t maxBytes = ctx.options().maxMemoryBytes;
    // What the process will hold once the backlog is drained: its RSS now plus, for every event
    // recorded but not yet drained, what a drained event has cost the process so far in this run
    // (RSS growth per event: the builder's storage, allocator overhead and all), and never less
    // than the builder's own estimate. Conservative: the backlog's chunks are counted twice.
    const std::uint64_t rss = processRssBytes();
    if (m_rssAtStart == 0) m_rssAtStart = rss;
    const std::uint64_t recorded = rec.recordedCount();
    std::size_t builderBytes = 0, builderEvents = 0;
    {
        std::lock_guard lock(m_mutex);
        builderBytes = m_builder.approxBytes();
        builderEvents = m_builder.eventCount();
    }
    // The builder's bytes per event only once events dominate them: its actors' and texts' storage
    // is there from the first event (seen: 169 KB for one drained event of the iomux sweep's 2,000
    // fds, which projected 4,096 backlogged events to 1.7 GB and stopped the run at "memory").
    constexpr std::size_t kBuilderMeasuredAfter = 65'536;
    std::size_t perEvent = std::max<std::size_t>(sizeof(Event) + 2 * sizeof(EventIndex),
        builderEvents >= kBuilderMeasuredAfter ? builderBytes / builderEvents : 0);
    const std::uint64_t backlog = rec.backlog();
    const std::uint64_t drained = recorded > backlog ? recorded - backlog : 0;
    const std::uint64_t backlogChunks = backlog * sizeof(Event);
    // Only once enough events were drained for their share to stand out: before that, the RSS
    // grows with everything else a run starts (thread stacks, and under ASan or TSan megabytes of
    // shadow memory per thread), and a few thousand events would each seem to cost kilobytes,
    // projecting a memory limit a run never comes near (seen under TSan: "memory" after 4,114
    // events).
    constexpr std::uint64_t kMeasuredAfter = 200'000;
    if (drained >= kMeasuredAfter && rss > m_rssAtStart + backlogChunks)
        perEvent = std::max<std::size_t>(perEvent,
                                         static_cast<std::size_t>((rss - m_rssAtStart - backlogChunks) / drained));
    // An eighth of the budget is kept as headroom in the projection: the last drain, the final
    // snapshot and the summary still allocate after the stop (measured: about a tenth more on
    // the flood lesson).
    rec.setMemoryEstimate(static_cast<std::size_t>(rss + maxBytes / 8), perEvent);
    if (maxBytes > 0 && rec.limit() == BudgetLimit::None && (rss >= maxBytes || rec.projectedBytes() >= maxBytes) &&
        rec.reachLimit(BudgetLimit::Memory))
        m_limitDetail = "RSS " + std::to_string(rss >> 20) + " MB (" + std::to_string(m_rssAtStart >> 20) +
                        " MB at the start), " + std::to_string(backlog) + " events not yet drained at " +
                        std::to_string(perEvent) + " bytes each";
    rec.checkEventBudget();
    if (rec.limit() != BudgetLimit::None) {
        ctx.cancel(RunOutcome::Limit);
        return;
    }
    // Drain here too, not only when a GUI asks for a snapshot: the writers' chunks are recycled
    // instead of piling up until the end (the CLI never asks), and the builder's size is known.
    {
        std::lock_guard lock(m_mutex);
        rec.drainInto(m_builder, false);
    }
}

void LessonRunner::cancel() { cancel(RunOutcome::Cancelled); }

void LessonRunner::cancel(RunOutcome why)
{
    if (m_ctx) m_ctx->cancel(why);
}

bool LessonRunner::wait(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    return m_cv.wait_for(lock, timeout, [&] { return m_finished; });
}

RunResult LessonRunner::wait()
{
    {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [&] { return m_finished; });
    }
    if (m_controller.joinable()) m_controller.join();
    std::lock_guard lock(m_mutex);
    return m_result;
}

bool LessonRunner::finished() const
{
    std::lock_guard lock(m_mutex);
    return m_finished;
}

std::shared_ptr<const Trace> LessonRunner::snapshot()
{
    std::lock_guard lock(m_mutex);
    if (m_final) return m_final;
    if (!m_ctx) return m_builder.snapshot();
    m_ctx->recorder().drainInto(m_builder, false);
    return m_builder.snapshot();
}

StepGate& LessonRunner::gate()
{
    if (!m_ctx) throw std::logic_error("LessonRunner::gate() before start()");
    return m_ctx->gate();
}

std::uint64_t LessonRunner::eventCount() const { return m_ctx ? m_ctx->recorder().recordedCount() : 0; }

RunResult LessonRunner::runToEnd(RunRequest request)
{
    LessonRunner runner(std::move(request));
    runner.start();
    return runner.wait();
}

} // namespace lockstep
