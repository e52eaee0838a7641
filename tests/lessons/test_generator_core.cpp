// Unit tests of the stackful generator core (core/lockstep/gen): CPython 3.11's generator protocol
// on Boost.Context stacks, Python formatting and arithmetic, the script parser.
#include "lockstep/engine/Cancelled.h"
#include "lockstep/engine/RunContext.h"
#include "lockstep/gen/GenDriver.h"
#include "lockstep/gen/GenScript.h"
#include "lockstep/gen/Generator.h"
#include "lockstep/gen/LessonGenerators.h"
#include "lockstep/gen/PyExceptions.h"
#include "lockstep/trace/TraceBuilder.h"

#include <gtest/gtest.h>

#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace lockstep;
using namespace lockstep::gen;

namespace {

// What an operation raised, as Python would print it: "Type" or "Type: message".
template <typename Fn>
std::string raised(Fn&& fn)
{
    try {
        fn();
    } catch (const StopIteration& e) {
        return "StopIteration" + (py::isNone(e.value()) ? std::string() : "(" + py::repr(e.value()) + ")");
    } catch (const PyError& e) {
        return e.message().empty() ? e.type() : e.type() + ": " + e.message();
    }
    return "nothing";
}

Generator make(GenHost& host, std::string_view name) { return lessons::call(name, host); }

} // namespace

TEST(GeneratorCore, AveragerSendsAndReturnsThroughStopIteration)
{
    GenHost host;
    Generator g = make(host, "averager");
    EXPECT_EQ(g.state(), GenState::Created);
    EXPECT_TRUE(g.next().is_null());
    EXPECT_EQ(g.state(), GenState::Suspended);
    EXPECT_TRUE(py::identical(g.send(10), PyValue(10.0)));
    EXPECT_TRUE(py::identical(g.send(20), PyValue(15.0)));
    EXPECT_TRUE(py::identical(g.send(1.5), PyValue(31.5 / 3)));
    try {
        g.send(nullptr);
        FAIL() << "no StopIteration";
    } catch (const StopIteration& e) {
        EXPECT_EQ(py::repr(e.value()), "[3, 10.5]");
        EXPECT_EQ(e.message(), "[3, 10.5]");
    }
    EXPECT_EQ(g.state(), GenState::Closed);
    EXPECT_EQ(raised([&] { g.next(); }), "StopIteration");
}

TEST(GeneratorCore, TrueDivisionGivesFloatsEvenWhenExact)
{
    GenHost host;
    Generator g = make(host, "averager");
    g.next();
    const PyValue avg = g.send(4);
    EXPECT_TRUE(avg.is_number_float());
    EXPECT_EQ(py::repr(avg), "4.0");
    EXPECT_EQ(py::repr(g.send(true)), "2.5"); // True is 1
}

TEST(GeneratorCore, SendingNonNoneToAJustStartedGeneratorLeavesItUnstarted)
{
    GenHost host;
    Generator g = make(host, "consumer");
    EXPECT_EQ(raised([&] { g.send(5); }), "TypeError: can't send non-None value to a just-started generator");
    EXPECT_EQ(g.state(), GenState::Created);
    EXPECT_EQ(g.send(nullptr), PyValue(""));
    EXPECT_EQ(g.send(5), PyValue("200 OK"));
    EXPECT_EQ(host.takeOutput(), std::vector<std::string>{"[CONSUMER] consuming 5"});
}

TEST(GeneratorCore, ThrowIntoAnUnstartedGeneratorClosesItAndRaises)
{
    GenHost host;
    Generator g = make(host, "guarded");
    EXPECT_EQ(raised([&] { g.throw_("ValueError"); }), "ValueError");
    EXPECT_EQ(g.state(), GenState::Closed);
    EXPECT_TRUE(host.output().empty()); // the try/finally was never entered
    Generator h = make(host, "guarded");
    EXPECT_EQ(raised([&] { h.throw_("StopIteration"); }), "RuntimeError: generator raised StopIteration");
    EXPECT_EQ(h.state(), GenState::Closed);
}

TEST(GeneratorCore, ExceptionEscapingTheBodyClosesTheGenerator)
{
    GenHost host;
    Generator g = make(host, "averager");
    g.next();
    g.send(1.5);
    EXPECT_EQ(raised([&] { g.send("x"); }), "TypeError: unsupported operand type(s) for +=: 'float' and 'str'");
    EXPECT_EQ(g.state(), GenState::Closed);
    EXPECT_EQ(raised([&] { g.send(1); }), "StopIteration");
    EXPECT_EQ(raised([&] { g.throw_("KeyError"); }), "KeyError"); // closed: throw(E) raises E
    EXPECT_NO_THROW(g.close());                                    // closed: close() does nothing
}

TEST(GeneratorCore, StopIterationRaisedInsideTheBodyBecomesRuntimeError)
{
    GenHost host;
    Generator g(host, "leaky", [](Coroutine& co) -> PyValue {
        co.yield_(1);
        throw StopIteration(PyValue("escaped"));
    });
    g.next();
    EXPECT_EQ(raised([&] { g.next(); }), "RuntimeError: generator raised StopIteration");
    EXPECT_EQ(g.state(), GenState::Closed);

    Generator h = make(host, "stubborn");
    h.next();
    EXPECT_EQ(raised([&] { h.throw_("StopIteration"); }), "RuntimeError: generator raised StopIteration");
}

TEST(GeneratorCore, CloseRunsFinallyAndCaughtExceptionsResume)
{
    GenHost host;
    Generator g = make(host, "guarded");
    EXPECT_EQ(g.next(), PyValue("ready"));
    EXPECT_EQ(g.throw_("ValueError"), PyValue("caught ValueError"));
    EXPECT_EQ(g.next(), PyValue("ready"));
    EXPECT_EQ(raised([&] { g.throw_("KeyError"); }), "KeyError");
    EXPECT_EQ(host.takeOutput(), std::vector<std::string>{"cleanup"});

    Generator h = make(host, "guarded");
    h.next();
    h.throw_("ValueError"); // suspended inside the except block
    h.close();
    EXPECT_EQ(h.state(), GenState::Closed);
    EXPECT_EQ(host.takeOutput(), std::vector<std::string>{"cleanup"});
}

TEST(GeneratorCore, IgnoringGeneratorExitMakesCloseRaise)
{
    GenHost host;
    Generator g = make(host, "stubborn");
    g.next();
    EXPECT_EQ(raised([&] { g.close(); }), "RuntimeError: generator ignored GeneratorExit");
    EXPECT_EQ(g.state(), GenState::Suspended); // parked at yield 'refuse'
    // throw(GeneratorExit) is not close(): the yielded value is simply returned.
    EXPECT_EQ(g.next(), PyValue("tick"));
    EXPECT_EQ(g.throw_("GeneratorExit"), PyValue("refuse"));
    // At yield 'refuse' nothing catches GeneratorExit any more.
    EXPECT_NO_THROW(g.close());
    EXPECT_EQ(g.state(), GenState::Closed);
}

TEST(GeneratorCore, ReenteringARunningGeneratorRaisesValueError)
{
    GenHost host;
    Generator* self = nullptr;
    std::string inner;
    Generator g(host, "selfish", [&](Coroutine& co) -> PyValue {
        inner = raised([&] { self->next(); });
        const GenState seen = self->state();
        co.yield_(genStateName(seen));
        return nullptr;
    });
    self = &g;
    EXPECT_EQ(g.next(), PyValue("GEN_RUNNING"));
    EXPECT_EQ(inner, "ValueError: generator already executing");
}

TEST(GeneratorCore, YieldFromForwardsSendThrowCloseAndReturnsTheValue)
{
    GenHost host;
    Generator d = make(host, "delegator");
    EXPECT_TRUE(d.next().is_null());
    EXPECT_EQ(py::repr(d.send(3)), "3.0");
    EXPECT_EQ(py::repr(d.send(5)), "4.0");
    EXPECT_EQ(py::repr(d.send(nullptr)), "['averaged', [2, 4.0]]");
    EXPECT_EQ(raised([&] { d.next(); }), "StopIteration('finished')");

    // throw() of something the averager does not handle ends both, raising in the delegator.
    Generator e = make(host, "delegator");
    e.next();
    const Coroutine* sub = e.coroutine().delegate();
    ASSERT_NE(sub, nullptr);
    EXPECT_EQ(sub->name(), "averager");
    EXPECT_EQ(raised([&] { e.throw_("ValueError"); }), "ValueError");
    EXPECT_EQ(e.state(), GenState::Closed);
    EXPECT_EQ(e.coroutine().delegate(), nullptr);

    // close() closes the subgenerator first.
    Generator f = make(host, "delegator");
    f.next();
    const Coroutine* fsub = f.coroutine().delegate();
    ASSERT_NE(fsub, nullptr);
    EXPECT_EQ(fsub->state(), GenState::Suspended);
    f.close();
    EXPECT_EQ(f.state(), GenState::Closed);

    // StopIteration thrown at the averager turns into RuntimeError there, and reaches us as that.
    Generator h = make(host, "delegator");
    h.next();
    EXPECT_EQ(raised([&] { h.throw_("StopIteration"); }), "RuntimeError: generator raised StopIteration");
}

TEST(GeneratorCore, YieldFromAStubbornSubgeneratorRaisesWhatClosingItRaised)
{
    // CPython: throw(GeneratorExit) and close() of a delegator both close the subgenerator first;
    // when that raises (stubborn ignores GeneratorExit), the error is raised in the delegator.
    GenHost host;
    for (const bool useClose : {false, true}) {
        Generator d(host, "wrapper", [](Coroutine& co) -> PyValue {
            Generator sub = co.generator("stubborn", &lessons::stubborn);
            return co.yieldFrom(sub);
        });
        EXPECT_EQ(d.next(), PyValue("tick"));
        if (useClose)
            EXPECT_EQ(raised([&] { d.close(); }), "RuntimeError: generator ignored GeneratorExit");
        else
            EXPECT_EQ(raised([&] { d.throw_("GeneratorExit"); }), "RuntimeError: generator ignored GeneratorExit");
        EXPECT_EQ(d.state(), GenState::Closed);
    }
    // Other exceptions are thrown into the subgenerator, which may handle them.
    Generator w(host, "wrapper", [](Coroutine& co) -> PyValue {
        Generator sub = co.generator("guarded", &lessons::guarded);
        return co.yieldFrom(sub);
    });
    EXPECT_EQ(w.next(), PyValue("ready"));
    EXPECT_EQ(w.throw_("ValueError"), PyValue("caught ValueError"));
    EXPECT_EQ(w.send(nullptr), PyValue("ready"));
    w.close();
    EXPECT_EQ(host.takeOutput(), std::vector<std::string>{"cleanup"});
}

namespace {
// A yield three C++ frames below the body: only a stackful coroutine can suspend here.
PyValue deep(Coroutine& co, int depth, PyValue v)
{
    if (depth == 0) return co.yield_(std::move(v));
    return py::add(deep(co, depth - 1, std::move(v)), 1);
}
} // namespace

TEST(GeneratorCore, YieldsFromNestedCallsOnItsOwnStack)
{
    GenHost host;
    Generator g(host, "deep", [](Coroutine& co) -> PyValue {
        PyValue total = 0;
        for (int i = 0; i < 3; ++i) total = py::add(total, deep(co, 3, i));
        return total;
    });
    EXPECT_EQ(g.next(), PyValue(0));
    EXPECT_EQ(g.send(10), PyValue(1));
    EXPECT_EQ(g.send(20), PyValue(2));
    EXPECT_EQ(raised([&] { g.send(30); }), "StopIteration(69)"); // 13 + 23 + 33
}

TEST(GeneratorCore, SuspendingInsideACatchBlockKeepsBothSidesExceptionStateApart)
{
    GenHost host;
    std::vector<std::string> seen;
    Generator g(host, "handler", [&](Coroutine& co) -> PyValue {
        try {
            throw ValueError("inner");
        } catch (const ValueError&) {
            co.yield_("in handler"); // suspended while handling an exception
            // Still handling the same exception after the caller caught and finished its own.
            try {
                throw;
            } catch (const ValueError& again) {
                seen.push_back(again.message());
            }
            co.yield_("still in handler");
        }
        seen.push_back(std::current_exception() ? "leaked" : "clean");
        return nullptr;
    });
    EXPECT_EQ(g.next(), PyValue("in handler"));
    EXPECT_FALSE(std::current_exception());
    EXPECT_EQ(std::uncaught_exceptions(), 0);
    try {
        throw std::runtime_error("outer");
    } catch (const std::runtime_error& e) {
        // The caller inside its own handler resumes the generator, which finishes its handler.
        EXPECT_EQ(g.next(), PyValue("still in handler"));
        EXPECT_STREQ(e.what(), "outer");
        try {
            throw;
        } catch (const std::runtime_error& same) {
            EXPECT_STREQ(same.what(), "outer");
        }
    }
    EXPECT_EQ(raised([&] { g.next(); }), "StopIteration");
    EXPECT_EQ(seen, (std::vector<std::string>{"inner", "clean"}));
    EXPECT_FALSE(std::current_exception());
}

TEST(GeneratorCore, DestroyingASuspendedGeneratorClosesItLikeCPythonsFinaliser)
{
    GenHost host;
    {
        Generator g = make(host, "guarded");
        g.next();
    }
    EXPECT_EQ(host.takeOutput(), std::vector<std::string>{"cleanup"});

    // One that ignores GeneratorExit is still unwound: its C++ destructors run.
    struct Counter {
        int* n;
        ~Counter() { ++*n; }
    };
    int destroyed = 0;
    {
        Generator g(host, "stubborn-raii", [&](Coroutine& co) -> PyValue {
            Counter c{&destroyed};
            for (;;) {
                try {
                    co.yield_("tick");
                } catch (const GeneratorExit&) {
                    co.yield_("refuse");
                }
            }
        });
        g.next();
    }
    EXPECT_EQ(destroyed, 1);
    {
        Generator never = make(host, "guarded"); // never started: nothing runs
    }
    EXPECT_TRUE(host.output().empty());
}

TEST(GeneratorCore, ManyGeneratorsInterleave)
{
    GenHost host;
    std::vector<Generator> gens;
    for (int i = 0; i < 200; ++i) {
        gens.push_back(make(host, "averager"));
        gens.back().next();
    }
    for (int round = 1; round <= 5; ++round)
        for (int i = 0; i < 200; ++i) {
            const PyValue avg = gens[i].send(i * round);
            ASSERT_TRUE(py::identical(avg, PyValue(static_cast<double>(i) * (round + 1) / 2))) << i << " " << round;
        }
    // Half of them are destroyed suspended, half closed.
    for (int i = 0; i < 200; i += 2) gens[i].close();
    gens.clear();
}

TEST(GeneratorCore, CancelledRunUnwindsGeneratorsCleanly)
{
    RunContext ctx;
    const ActorId main = ctx.addActor(ActorKind::Thread, "main");
    ctx.adoptCurrentThread(main);
    GenHost host(&ctx, main);
    {
        Generator g = make(host, "guarded");
        g.next();
        ctx.cancel();
        EXPECT_THROW(g.next(), Cancelled); // the step gate refuses
        EXPECT_EQ(g.state(), GenState::Suspended);
        Generator h = make(host, "guarded");
        // Destroying them after cancellation must not throw; the started one still runs `finally`.
    }
    EXPECT_EQ(host.takeOutput(), std::vector<std::string>{"cleanup"});
}

TEST(GeneratorCore, RecordsControlTransfersStatesAndLines)
{
    RunContext ctx;
    const ActorId main = ctx.addActor(ActorKind::Thread, "main");
    ctx.adoptCurrentThread(main);
    GenHost host(&ctx, main);
    host.setSnippet("def averager():\n    pass\n\ndef delegator():\n    pass\n");
    {
        Generator d = make(host, "delegator");
        d.next();
        d.send(4);
        d.close();
    }
    TraceBuilder builder;
    ctx.recorder().drainInto(builder, true);
    const auto trace = builder.snapshot();
    const auto delegatorId = trace->findActor("delegator");
    const auto averagerId = trace->findActor("averager");
    ASSERT_TRUE(delegatorId && averagerId);
    EXPECT_EQ(trace->actor(*delegatorId)->kind, ActorKind::Coroutine);
    EXPECT_EQ(trace->actor(*delegatorId)->parent, main);
    EXPECT_EQ(trace->actor(*averagerId)->parent, *delegatorId);

    int sends = 0, yields = 0, closes = 0, lines = 0;
    bool averagerYieldLine = false, delegatorSendsToAverager = false;
    std::vector<State> delegatorStates;
    for (const Event& e : trace->events()) {
        if (e.kind == EventKind::GenSend && e.actor == main && e.target == *delegatorId) ++sends;
        if (e.kind == EventKind::GenSend && e.actor == *delegatorId && e.target == *averagerId) {
            delegatorSendsToAverager = true;
            EXPECT_TRUE(trace->text(e) == "null" || trace->text(e) == "4");
        }
        if (e.kind == EventKind::GenYield && e.actor == *delegatorId) ++yields;
        if (e.kind == EventKind::GenYield && e.actor == *averagerId && e.line == 4) averagerYieldLine = true;
        if (e.kind == EventKind::GenClose && e.actor == main) ++closes;
        if (e.kind == EventKind::LineReached && e.actor == *delegatorId && e.line == 5) ++lines; // def on 4: line 2
        if (e.kind == EventKind::StateChange && e.actor == *delegatorId) delegatorStates.push_back(e.state);
    }
    EXPECT_EQ(sends, 2);
    EXPECT_EQ(yields, 2);
    EXPECT_EQ(closes, 1);
    EXPECT_GE(lines, 1);
    EXPECT_TRUE(averagerYieldLine);
    EXPECT_TRUE(delegatorSendsToAverager);
    ASSERT_FALSE(delegatorStates.empty());
    EXPECT_EQ(delegatorStates.front(), State::GenCreated);
    EXPECT_EQ(delegatorStates.back(), State::GenClosed);
    EXPECT_NE(std::find(delegatorStates.begin(), delegatorStates.end(), State::GenRunning), delegatorStates.end());
    EXPECT_NE(std::find(delegatorStates.begin(), delegatorStates.end(), State::GenSuspended), delegatorStates.end());
}

TEST(GeneratorPython, ReprAndStrLikeCPython)
{
    EXPECT_EQ(py::reprFloat(1.5), "1.5");
    EXPECT_EQ(py::reprFloat(2.0), "2.0");
    EXPECT_EQ(py::reprFloat(1e16), "1e+16");
    EXPECT_EQ(py::reprFloat(1e15), "1000000000000000.0");
    EXPECT_EQ(py::reprFloat(0.0001), "0.0001");
    EXPECT_EQ(py::reprFloat(0.00001), "1e-05");
    EXPECT_EQ(py::reprFloat(-0.0), "-0.0");
    EXPECT_EQ(py::reprFloat(0.1 + 0.2), "0.30000000000000004");
    EXPECT_EQ(py::reprFloat(1.5e300), "1.5e+300");
    EXPECT_EQ(py::reprFloat(123456789012345680.0), "1.2345678901234568e+17");
    EXPECT_EQ(py::reprFloat(1.0 / 3), "0.3333333333333333");
    EXPECT_EQ(py::repr(PyValue::parse(R"([1, 2.0, "a", null, true, [false]])")), "[1, 2.0, 'a', None, True, [False]]");
    EXPECT_EQ(py::reprString("a'b"), "\"a'b\"");
    EXPECT_EQ(py::reprString("a\"b"), "'a\"b'");
    EXPECT_EQ(py::reprString("a'\"b"), "'a\\'\"b'");
    EXPECT_EQ(py::reprString("t\tn\nr\r\\\x01\x7f"), "'t\\tn\\nr\\r\\\\\\x01\\x7f'");
    EXPECT_EQ(py::reprString("\xc2\x80\xc2\xa0\xc2\xad \xc3\xa9 \xe4\xb8\xad \xe2\x80\xa8 \xf0\x9f\x98\x80"),
              "'\\x80\\xa0\\xad \xc3\xa9 \xe4\xb8\xad \\u2028 \xf0\x9f\x98\x80'");
    EXPECT_EQ(py::str(PyValue("plain")), "plain");
    EXPECT_EQ(py::str(PyValue::parse("[\"plain\"]")), "['plain']");
}

TEST(GeneratorPython, ArithmeticAndTruthLikeCPython)
{
    EXPECT_TRUE(py::identical(py::add(1, true), PyValue(2)));
    EXPECT_TRUE(py::identical(py::add(1, 0.5), PyValue(1.5)));
    EXPECT_TRUE(py::identical(py::trueDivide(4, 2), PyValue(2.0)));
    EXPECT_FALSE(py::identical(PyValue(2), PyValue(2.0)));
    EXPECT_EQ(raised([] { (void)py::inplaceAdd(0, PyValue::array({1})); }),
              "TypeError: unsupported operand type(s) for +=: 'int' and 'list'");
    EXPECT_EQ(raised([] { (void)py::add("a", 1); }), "TypeError: can only concatenate str (not \"int\") to str");
    EXPECT_EQ(raised([] { (void)py::trueDivide(1, 0); }), "ZeroDivisionError: division by zero");
    EXPECT_EQ(raised([] { (void)py::trueDivide(1.0, 0); }), "ZeroDivisionError: float division by zero");
    for (const char* falsy : {"null", "false", "0", "0.0", "-0.0", "\"\"", "[]"})
        EXPECT_FALSE(py::truthy(PyValue::parse(falsy))) << falsy;
    for (const char* truthy : {"true", "1", "-1", "0.5", "\"0\"", "[0]", "[[]]"})
        EXPECT_TRUE(py::truthy(PyValue::parse(truthy))) << truthy;
}

TEST(GeneratorScript, ParsesOperations)
{
    const auto ops = parseScript(R"( next ; send: "a;b" ;send:[1, 2.5, null];throw:KeyError; close)");
    ASSERT_EQ(ops.size(), 5u);
    EXPECT_EQ(ops[0].kind, ScriptOp::Kind::Next);
    EXPECT_EQ(ops[1].kind, ScriptOp::Kind::Send);
    EXPECT_EQ(ops[1].value, PyValue("a;b"));
    EXPECT_EQ(py::repr(ops[2].value), "[1, 2.5, None]");
    EXPECT_EQ(ops[3].exception, "KeyError");
    EXPECT_EQ(ops[4].kind, ScriptOp::Kind::Close);
}

TEST(GeneratorScript, RejectsBadScriptsWithClearMessages)
{
    auto message = [](std::string_view script) {
        try {
            (void)parseScript(script, "parameter script");
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(message("next;sned:1"), "parameter script: operation 2 of 2 ('sned:1'): unknown operation 'sned' "
                                      "(allowed: next, send:<JSON value>, throw:<ExceptionName>, close)");
    EXPECT_NE(message("next;;close").find("operation 2 of 3: empty operation"), std::string::npos);
    EXPECT_NE(message("next;").find("empty operation"), std::string::npos);
    EXPECT_NE(message("").find("the script is empty"), std::string::npos);
    EXPECT_NE(message("send").find("send needs a value"), std::string::npos);
    EXPECT_NE(message("send:{\"a\": 1}").find("JSON objects are not supported"), std::string::npos);
    EXPECT_NE(message("send:[1,").find("is not a JSON value"), std::string::npos);
    EXPECT_NE(message("send:NaN").find("is not a JSON value"), std::string::npos);
    EXPECT_NE(message("send:99999999999999999999").find("integer 99999999999999999999 is out of range"),
              std::string::npos);
    EXPECT_NE(message("send:1e301").find("out of range (allowed: floats within"), std::string::npos);
    EXPECT_NE(message("throw:IOError").find("unknown exception class 'IOError' (allowed: ValueError, KeyError"),
              std::string::npos);
    EXPECT_NE(message("throw").find("throw needs an exception class"), std::string::npos);
    EXPECT_NE(message("next:1").find("next takes no argument"), std::string::npos);
    std::string many;
    for (int i = 0; i < 1001; ++i) many += "next;";
    many.pop_back();
    EXPECT_NE(message(many).find("1001 operations (allowed: at most 1000)"), std::string::npos);
    EXPECT_EQ(message("send:-1000000000000;send:1000000000000;send:\"\\\";\""), "accepted");
}

TEST(GeneratorScript, DriverRecordsTranscriptEntries)
{
    GenHost host;
    Generator g = make(host, "consumer");
    GenDriver driver(host, g);
    for (const auto& op : parseScript("next;send:[1, \"x\"];send:0;throw:ValueError"))
        (void)driver.perform(op);
    const auto& t = driver.transcript();
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t[0], nlohmann::json::parse(R"({"op":"next","result":"","state":"GEN_SUSPENDED","output":[]})"));
    EXPECT_EQ(t[1], nlohmann::json::parse(R"({"op":"send","arg":[1,"x"],"result":"200 OK","state":"GEN_SUSPENDED",
                                              "output":["[CONSUMER] consuming [1, 'x']"]})"));
    EXPECT_EQ(t[2], nlohmann::json::parse(R"({"op":"send","arg":0,"raised":"StopIteration","value":"done",
                                              "message":"done","state":"GEN_CLOSED","output":[]})"));
    EXPECT_EQ(t[3], nlohmann::json::parse(R"({"op":"throw","arg":"ValueError","raised":"ValueError",
                                              "state":"GEN_CLOSED","output":[]})"));
}
