#include "lockstep/scenarios/ProcessesScenario.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/SnippetLines.h"
#include "lockstep/proc/ProcTree.h"
#include "lockstep/proc/ProcessesConfig.h"

namespace lockstep {

namespace {

ProcPlan readPlan(const ScenarioInput& input, ProcEngine engine)
{
    return parseProcessesConfig(
        input.config, [&](const std::string& pointer) { return input.where(pointer); }, engine);
}

// The snippet has one function per variant: each report points at a statement of that function.
void findLines(const SnippetLines& snippet, ProcPlan& plan)
{
    struct Spot {
        ProcLine line;
        const char* text;
    };
    const char* def = "";
    std::vector<Spot> spots;
    switch (plan.variant) {
    case ProcVariant::ForkBasics:
        def = "def fork_basics(";
        spots = { { kLineFork, "os.fork()" }, { kLineChildSide, "if pid == 0:" }, { kLineChange, "value += 1" },
            { kLineChildExit, "os._exit(" }, { kLineWait, "os.waitpid(" }, { kLinePrint, "print(" } };
        break;
    case ProcVariant::States:
        def = "def states(";
        spots = { { kLineFork, "os.fork()" }, { kLineChildSide, "os.fork()" }, { kLineWork, "burn(" },
            { kLineSleep, "time.sleep(" }, { kLineChildExit, "os._exit(" }, { kLineWait, "os.wait()" } };
        break;
    case ProcVariant::Zombie:
        def = "def zombie(";
        spots = { { kLineFork, "os.fork()" }, { kLineChildSide, "if pid == 0:" }, { kLineChildExit, "os._exit(" },
            { kLineLinger, "time.sleep(" }, { kLineWait, "os.waitpid(" } };
        break;
    case ProcVariant::Orphan:
        def = "def orphan(";
        spots = { { kLineFork, "os.fork()" }, { kLineChildSide, "os.fork()" }, { kLineGetppid, "print(" },
            { kLineSleep, "time.sleep(orphan_ms" }, { kLineChildExit, "os._exit(" } };
        break;
    case ProcVariant::Wait:
        def = "def wait(";
        spots = { { kLineFork, "os.fork()" }, { kLineChildSide, "if pid == 0:" }, { kLineSleep, "time.sleep(" },
            { kLineChildExit, "os._exit(" }, { kLineWait, "os.waitpid(" } };
        break;
    case ProcVariant::Sigchld:
        def = "def sigchld(";
        spots = { { kLineBlock, "SIG_BLOCK" }, { kLineFork, "os.fork()" }, { kLineChildSide, "if pid == 0:" },
            { kLineChildExit, "os._exit(" }, { kLinePeek, "WNOWAIT" }, { kLineUnblock, "SIG_UNBLOCK" },
            { kLineLinger, "time.sleep(" } };
        plan.lines[kLineHandler] = snippet.find("os.WNOHANG", snippet.find("def reap("));
        break;
    case ProcVariant::Pool:
        def = "def pool(";
        spots = { { kLineFork, "Pool(" }, { kLineChildSide, "Pool(" }, { kLineMap, ".map(" },
            { kLineClose, ".close()" }, { kLineJoin, ".join()" } };
        plan.lines[kLineTaskGet] = snippet.find("burn(", snippet.find("def square("));
        plan.lines[kLineTaskDone] = snippet.find("return", snippet.find("def square("));
        break;
    case ProcVariant::Pipe:
        def = "def pipe_demo(";
        spots = { { kLinePipe, "os.pipe()" }, { kLineFork, "os.fork()" }, { kLineChildSide, "os.fork()" },
            { kLineCloseWrite, "os.close(w)" }, { kLineRead, "os.read(" }, { kLineEof, "os._exit(" },
            { kLineCloseRead, "os.close(r)" }, { kLineWrite, "os.write(" }, { kLineWait, "os.wait()" } };
        break;
    case ProcVariant::PipeNoClose:
        def = "def pipe_no_close(";
        spots = { { kLinePipe, "os.pipe()" }, { kLineFork, "os.fork()" }, { kLineChildSide, "os.fork()" },
            { kLineCloseRead, "os.close(r)" }, { kLineWrite, "os.write(" }, { kLineCloseWrite, "os.close(w)" },
            { kLineRead, "os.read(" }, { kLineWait, "os.wait()" } };
        break;
    case ProcVariant::BrokenPipe:
        def = "def broken_pipe(";
        spots = { { kLinePipe, "os.pipe()" }, { kLineFork, "os.fork()" }, { kLineChildSide, "os.fork()" },
            { kLineCloseWrite, "os.close(w)" }, { kLineCloseRead, "os.close(r)" }, { kLineWait, "os.wait()" },
            { kLineWrite, "os.write(" }, { kLineEpipe, "BrokenPipeError" } };
        break;
    case ProcVariant::SharedCounter: {
        def = "def shared_counter(";
        spots = { { kLineFork, ".start()" }, { kLineJoin, ".join()" }, { kLinePrint, "print(" } };
        // The first `v.value += 1` of add() is the one under the lock, the second the one without.
        const std::int32_t locked = snippet.find("v.value += 1", snippet.find("def add("));
        plan.lines[kLineIncrement] = plan.useLock ? locked : snippet.find("v.value += 1", locked + 1);
        break;
    }
    case ProcVariant::Queue:
        def = "def queue_demo(";
        spots = { { kLineQueue, "Queue(maxsize)" }, { kLineFork, ".start()" }, { kLineChildSide, ".start()" },
            { kLinePut, "q.put(bytes(" }, { kLinePutNone, "q.put(None)" }, { kLineJoin, ".join()" } };
        plan.lines[kLineGet] = snippet.find("q.get()", snippet.find("def consume("));
        break;
    case ProcVariant::Semaphore: {
        def = "def semaphore(";
        spots = { { kLineFork, ".start()" }, { kLineJoin, ".join()" } };
        const std::int32_t enter = snippet.find("def enter(");
        plan.lines[kLineAcquire] = snippet.find(".acquire()", enter);
        plan.lines[kLineInside] = snippet.find("time.sleep(", enter);
        plan.lines[kLineRelease] = snippet.find(".release()", enter);
        break;
    }
    }
    const std::int32_t from = snippet.find(def);
    if (from == 0) return; // a snippet without that function: events carry no line
    for (const Spot& s : spots)
        plan.lines[s.line] = snippet.find(s.text, from);
    if (plan.variant == ProcVariant::Pipe) // the reader closes w first; main's os.close(w) sends the EOF
        plan.lines[kLineSendEof] = snippet.find("os.close(w)", snippet.find("os.write(", from));
    // The orphan's parent exits after its sleep; the first os._exit in the function is the child's.
    if (plan.variant == ProcVariant::Orphan)
        plan.lines[kLineParentExit] = snippet.find("os._exit(", snippet.find("time.sleep(parent_ms", from));
}

// Both engines run a ProcTree; they differ in the variants they take.
class ProcessesScenario final : public Scenario {
public:
    explicit ProcessesScenario(ProcEngine engine) : m_engine(engine) { }

    void validate(const ScenarioInput& input) const override { readPlan(input, m_engine); }

    void run(RunContext& ctx, const ScenarioInput& input, nlohmann::json& summary) override
    {
        ProcPlan plan = readPlan(input, m_engine);
        findLines(SnippetLines(input.lesson.python), plan);
        ProcTree tree(ctx, plan);
        try {
            tree.run();
        } catch (const Cancelled&) {
            tree.abandon();
            tree.fillSummary(summary);
            throw;
        } catch (...) {
            tree.abandon();
            throw;
        }
        tree.fillSummary(summary);
    }

private:
    ProcEngine m_engine;
};

} // namespace

std::unique_ptr<Scenario> makeProcessesScenario()
{
    return std::make_unique<ProcessesScenario>(ProcEngine::Processes);
}

std::unique_ptr<Scenario> makeIpcScenario()
{
    return std::make_unique<ProcessesScenario>(ProcEngine::Ipc);
}

} // namespace lockstep
