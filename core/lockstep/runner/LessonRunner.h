#pragma once

#include "lockstep/engine/RunContext.h"
#include "lockstep/lesson/Lesson.h"
#include "lockstep/trace/Trace.h"
#include "lockstep/trace/TraceBuilder.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace lockstep {

struct RunRequest {
    Lesson lesson;
    std::string variant;                         // empty = first variant
    std::map<std::string, std::string> params;   // overrides as text
    std::uint64_t seed = 1;
    double timeoutSeconds = 0;                   // 0 = lesson default (capped at 60 s)
    Lang lang = Lang::En;
    GateMode gateMode = GateMode::Free;
    double pacedRate = 1000.0;
    // Budgets; 0 = the defaults (RunOptions::kDefaultMaxEvents, kDefaultMaxMemoryBytes).
    std::uint64_t maxEvents = 0;
    std::uint64_t maxMemoryMb = 0;
};

struct RunResult {
    RunOutcome outcome = RunOutcome::Running;
    std::shared_ptr<const Trace> trace;
    nlohmann::json summary;
    std::string error;                           // for Failed
    std::optional<RunFailure> failure;           // for Failed: which engine thread, where, why
    BudgetLimit limit = BudgetLimit::None;       // for Limit: which budget
};

// Runs one lesson variant: validates the request (throws InputError before anything starts),
// then runs the scenario on a controller thread. The caller may poll snapshots while it runs,
// drive the step gate, cancel at any moment; wait() returns once every engine thread has been
// joined and every fd and child released.
class LessonRunner {
public:
    explicit LessonRunner(RunRequest request);
    ~LessonRunner(); // cancels and waits
    LessonRunner(const LessonRunner&) = delete;
    LessonRunner& operator=(const LessonRunner&) = delete;

    void start();
    void cancel();
    // Cancel with a reason the outcome keeps, e.g. Interrupted for SIGINT/SIGTERM or a window
    // closed mid-run. Before start() it does nothing (the caller decides whether to start).
    void cancel(RunOutcome why);
    bool wait(std::chrono::milliseconds timeout);   // true once finished
    RunResult wait();                               // blocks until finished
    [[nodiscard]] bool finished() const;

    // Live snapshot of the trace so far (drains the recorder; call from one thread, e.g. once per
    // GUI frame). After the run ends it returns the final, complete trace.
    std::shared_ptr<const Trace> snapshot();
    [[nodiscard]] StepGate& gate();
    [[nodiscard]] const Lesson& lesson() const { return m_request.lesson; }
    [[nodiscard]] const Variant& variant() const { return *m_variant; }
    [[nodiscard]] const nlohmann::json& params() const { return m_params; }
    [[nodiscard]] std::uint64_t eventCount() const;

    // Convenience: run to completion.
    static RunResult runToEnd(RunRequest request);

private:
    void controllerMain();
    // One watchdog look at the budgets: the event count, the process's RSS, the recorder's and
    // the builder's own bytes. Cancels the run with Limit when one is passed.
    void checkBudgets();

    RunRequest m_request;
    const Variant* m_variant = nullptr;
    nlohmann::json m_params;
    nlohmann::json m_config;
    std::unique_ptr<RunContext> m_ctx;
    std::thread m_controller;
    mutable std::mutex m_mutex;          // guards m_result, m_finished, m_builder
    std::condition_variable m_cv;
    bool m_finished = false;
    RunResult m_result;
    TraceBuilder m_builder;
    std::shared_ptr<const Trace> m_final;
    std::uint64_t m_rssAtStart = 0; // watchdog only: the process's RSS at the run's first look
    std::string m_limitDetail;      // watchdog only until the run ends: the figures behind a memory limit
};

} // namespace lockstep
