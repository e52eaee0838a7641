// The generator engine against CPython 3.11: every transcript (results, exceptions, messages,
// states, printed lines, what the finaliser prints) must equal what tests/python/generator_oracle.py
// gets from the real interpreter for the same generator and script. Hand-written edge cases plus
// seeded random scripts; python3 runs once per batch.
#include "lockstep/gen/GenDriver.h"
#include "lockstep/gen/GenScript.h"
#include "lockstep/gen/LessonGenerators.h"
#include "lockstep/gen/UnicodePrintable.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace lockstep;
using namespace lockstep::gen;
using nlohmann::json;

namespace {

const std::string kOracle = std::string(LOCKSTEP_TEST_PYTHON_DIR) + "/generator_oracle.py";

bool havePython() { return std::system("python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1") == 0; }

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs the oracle with `args`, feeding `input` on stdin; returns its stdout.
std::string runOracle(const std::string& args, const std::string& input = "[]")
{
    char dir[] = "/tmp/lockstep-gen-XXXXXX";
    if (!mkdtemp(dir)) return {};
    const std::string in = std::string(dir) + "/in.json", out = std::string(dir) + "/out.json";
    std::ofstream(in, std::ios::binary) << input;
    const std::string cmd = "python3 '" + kOracle + "' " + args + " < '" + in + "' > '" + out + "'";
    const int rc = std::system(cmd.c_str());
    std::string result = rc == 0 ? readFile(out) : std::string();
    std::remove(in.c_str());
    std::remove(out.c_str());
    rmdir(dir);
    return result;
}

// The C++ side of one job, in the oracle's format.
json runEngine(const json& job)
{
    GenHost host;
    json result;
    {
        Generator g = lessons::call(job.contains("producer") ? "consumer" : job["gen"].get<std::string>(), host);
        GenDriver driver(host, g);
        if (job.contains("producer")) {
            lessons::producer(host, driver, job["producer"].get<int>());
            result["output"] = driver.output();
        } else {
            for (const auto& op : parseScript(job["script"].get<std::string>())) (void)driver.perform(op);
        }
        result["transcript"] = driver.transcript();
        (void)host.takeOutput();
    }
    result["finalizer_output"] = host.takeOutput();
    return result;
}

struct Comparison {
    int matched = 0;
    int total = 0;
    std::map<std::string, int> seen; // how often each kind of outcome occurred (coverage of the protocol)
};

void countOutcomes(const json& result, std::map<std::string, int>& seen)
{
    for (const auto& e : result["transcript"]) {
        const std::string op = e["op"];
        if (e.contains("result")) ++seen[op + " -> result"];
        if (e.contains("raised")) ++seen[op + " -> " + e["raised"].get<std::string>()];
        if (e.contains("message")) ++seen["message: " + e["message"].get<std::string>()];
        if (!e["output"].empty()) ++seen["printed"];
        ++seen["state " + e["state"].get<std::string>()];
    }
    if (!result["finalizer_output"].empty()) ++seen["finaliser printed"];
}

// Compares every job with the oracle (types exact: 2 is not 2.0); reports mismatches.
Comparison compareWithPython(const json& jobs)
{
    Comparison c;
    const std::string text = runOracle("", jobs.dump());
    EXPECT_FALSE(text.empty()) << "the oracle failed";
    if (text.empty()) return c;
    const json expected = json::parse(text);
    EXPECT_EQ(expected.size(), jobs.size());
    for (std::size_t i = 0; i < jobs.size() && i < expected.size(); ++i) {
        ++c.total;
        EXPECT_FALSE(expected[i].contains("error")) << jobs[i].dump() << ": " << expected[i].dump();
        const json actual = runEngine(jobs[i]);
        countOutcomes(expected[i], c.seen);
        if (py::identical(actual, expected[i])) {
            ++c.matched;
        } else {
            ADD_FAILURE() << "job " << jobs[i].dump() << "\n  CPython: " << expected[i].dump()
                          << "\n  engine:  " << actual.dump();
        }
    }
    return c;
}

json script(const std::string& gen, const std::string& s) { return json{{"gen", gen}, {"script", s}}; }

// --- random scripts ---------------------------------------------------------------------------

class ScriptFactory {
public:
    explicit ScriptFactory(std::uint64_t seed) : m_rng(seed) {}

    // Mostly numbers, so that averagers live long enough to show their arithmetic.
    json value(int depth = 0)
    {
        switch (pick(depth < 2 ? 13 : 12)) {
        case 0: return nullptr;
        case 1: return pick(2) == 0;
        case 2:
        case 3:
        case 4: return static_cast<int>(pick(21)) - 10;
        case 5: return std::uniform_int_distribution<std::int64_t>(-1'000'000'000'000, 1'000'000'000'000)(m_rng);
        case 6:
        case 7: {
            static const double kFloats[] = {0.0, -0.0, 0.1, 0.2, 1.5, 2.0, -3.25, 1e-7, 1e16, 1e20, 123456.789, 1e300, -1e-300, 1.0 / 3};
            return kFloats[pick(std::size(kFloats))];
        }
        case 8: return std::uniform_real_distribution<double>(-1e6, 1e6)(m_rng);
        case 9:
        case 10:
        case 11: return text();
        default: {
            json list = json::array();
            const std::size_t n = pick(4);
            for (std::size_t i = 0; i < n; ++i) list.push_back(value(depth + 1));
            return list;
        }
        }
    }

    std::string text()
    {
        static const char* kPieces[] = {"", "a", "x", "0", " ", "it's", "\"q\"", "both ' and \"", "a;b", "\\",
                                        "line\nbreak", "tab\t", "\r", "\x01", "\x7f", "\xc3\xa9", "\xe4\xb8\xad\xe6\x96\x87",
                                        "\xf0\x9f\x98\x80", "\xc2\x85", "\xc2\xad", "\xc2\xa0", "\xe2\x80\xa8", "\xee\x80\x80",
                                        "\xef\xbf\xbf", "\xcc\x81", "\xe2\x80\x8b", "\xf3\xa0\x80\x81", "[1]", "None"};
        std::string s;
        const std::size_t n = pick(4);
        for (std::size_t i = 0; i < n; ++i) s += kPieces[pick(std::size(kPieces))];
        return s;
    }

    std::string op()
    {
        static const char* kExceptions[] = {"ValueError", "KeyError", "TypeError", "RuntimeError", "StopIteration", "GeneratorExit"};
        const std::size_t r = pick(100);
        if (r < 35) return "next";
        if (r < 80) return "send:" + value().dump();
        if (r < 92) return std::string("throw:") + kExceptions[pick(std::size(kExceptions))];
        return "close";
    }

    // Half the scripts start with next (priming), like most real code; the rest may not.
    std::string script()
    {
        std::string s = pick(2) == 0 ? "next" : op();
        const std::size_t n = pick(16);
        for (std::size_t i = 0; i < n; ++i) s += ";" + op();
        return s;
    }

    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(m_rng); }

private:
    std::mt19937_64 m_rng;
};

} // namespace

TEST(GeneratorVsCPython, HandWrittenEdgeCases)
{
    if (!havePython()) GTEST_SKIP() << "python3 (3.11+) is not installed";
    const json jobs = {
        // averager: send, true division, return value in StopIteration, TypeError from +=
        script("averager", "next;send:10;send:20;send:null"),
        script("averager", "send:5;next;send:4;send:2"),
        script("averager", "next;send:1.5;send:\"x\""),
        script("averager", "next;send:[1]"),
        script("averager", "next;send:true;send:false;send:null"),
        script("averager", "throw:ValueError;next"),
        script("averager", "throw:StopIteration;next"),
        script("averager", "throw:GeneratorExit;next"),
        script("averager", "close;next;send:1;throw:KeyError;close"),
        script("averager", "next;close;close"),
        script("averager", "next;throw:StopIteration"),
        script("averager", "next;send:0.1;send:0.2;send:-0.0;send:1e300;send:null"),
        script("averager", "next;send:1000000000000;send:-1000000000000;send:3;send:null"),
        script("averager", "next;send:null;next;throw:TypeError;close"),
        script("averager", "next;send:-0.0;send:null"),
        // consumer: truthiness, '%s' formatting of every kind of value, return 'done'
        script("consumer", "next;send:1;send:\"a\\nb\";send:[1,\"x\",null,true,2.5];send:0"),
        script("consumer", "next;send:\"\";next"),
        script("consumer", "next;send:[]"),
        script("consumer", "next;send:false"),
        script("consumer", "send:null;send:\"it's\";send:\"say \\\"hi\\\"\";send:[\"both ' and \\\"\"];close"),
        script("consumer", "next;send:[\"\\u2028\\u00e9\\u4e2d\\ud83d\\ude00\\u0085\\u00ad\\u0000\\t\"];close"),
        script("consumer", "next;send:\"\\u2028\\u00e9\\ud83d\\ude00\";send:1e16;send:1e-05;send:123456789.125"),
        script("consumer", "next;throw:KeyError;next"),
        script("consumer", "next;throw:GeneratorExit"),
        script("consumer", "next;send:-0.0;send:0.0"),
        script("consumer", "send:1;send:null;send:1"),
        // guarded: except ValueError, finally on close / on uncaught exceptions / in the finaliser
        script("guarded", "next;throw:ValueError;next;close"),
        script("guarded", "next;throw:ValueError;throw:ValueError;throw:ValueError"),
        script("guarded", "next;throw:ValueError;close"),
        script("guarded", "next;throw:KeyError"),
        script("guarded", "next;throw:GeneratorExit;next"),
        script("guarded", "next;throw:StopIteration"),
        script("guarded", "throw:ValueError"),
        script("guarded", "close;next"),
        script("guarded", "next"),
        script("guarded", "next;throw:ValueError"),
        script("guarded", "next;send:5;send:\"x\";close;close"),
        // stubborn: ignoring GeneratorExit
        script("stubborn", "next;close;next;close;close"),
        script("stubborn", "next;throw:GeneratorExit;throw:GeneratorExit;close"),
        script("stubborn", "next;close;close"),
        script("stubborn", "close;next"),
        script("stubborn", "next;throw:ValueError;next"),
        script("stubborn", "next;throw:StopIteration;next"),
        script("stubborn", "throw:GeneratorExit"),
        script("stubborn", "next;close;throw:GeneratorExit"),
        script("stubborn", "next"),
        // delegator: yield from forwarding and its return value
        script("delegator", "next;send:1;send:2;send:null;next;next"),
        script("delegator", "next;send:3;throw:ValueError;next"),
        script("delegator", "next;send:3;close;next"),
        script("delegator", "next;throw:GeneratorExit"),
        script("delegator", "next;throw:StopIteration;next"),
        script("delegator", "next;send:1;send:null;throw:ValueError"),
        script("delegator", "next;send:1;send:null;close"),
        script("delegator", "next;send:1;send:null;next;next;close"),
        script("delegator", "send:1"),
        script("delegator", "throw:KeyError;next"),
        script("delegator", "next;send:\"x\";next"),
        script("delegator", "next;send:[2];close"),
        script("delegator", "close;close"),
        script("delegator", "next;send:null;throw:GeneratorExit;next"),
        script("delegator", "next;send:4;send:null;throw:StopIteration"),
        // producer-consumer
        json{{"producer", 1}},
        json{{"producer", 5}},
        json{{"producer", 40}},
    };
    const Comparison c = compareWithPython(jobs);
    EXPECT_EQ(c.matched, c.total);
}

TEST(GeneratorVsCPython, RandomScripts)
{
    if (!havePython()) GTEST_SKIP() << "python3 (3.11+) is not installed";
    constexpr int kScripts = 300;
    ScriptFactory factory(20240611);
    const auto& names = lessons::generatorNames();
    json jobs = json::array();
    for (int i = 0; i < kScripts; ++i) jobs.push_back(script(names[i % names.size()], factory.script()));
    Comparison c = compareWithPython(jobs);
    std::cout << "[ generator ] random scripts matching CPython: " << c.matched << " / " << c.total << "\n";
    RecordProperty("matched", c.matched);
    EXPECT_EQ(c.total, kScripts);
    EXPECT_EQ(c.matched, c.total);
    // The random scripts must reach every corner of the protocol, or matching proves little.
    for (const char* kind : {"next -> result", "send -> result", "throw -> result", "close -> result",
                             "send -> TypeError", "next -> StopIteration", "send -> StopIteration",
                             "throw -> ValueError", "throw -> KeyError", "throw -> GeneratorExit",
                             "throw -> RuntimeError", "close -> RuntimeError", "throw -> StopIteration",
                             "message: generator raised StopIteration", "message: generator ignored GeneratorExit",
                             "message: can't send non-None value to a just-started generator", "message: finished",
                             "message: done", "printed", "finaliser printed", "state GEN_CREATED",
                             "state GEN_SUSPENDED", "state GEN_CLOSED"})
        EXPECT_GT(c.seen[kind], 0) << kind;
    for (const auto& [kind, n] : c.seen)
        if (kind.rfind("message: ", 0) != 0) std::cout << "[ generator ]   " << kind << ": " << n << "\n";
}

TEST(GeneratorVsCPython, PrintableTableMatchesTheInstalledPython)
{
    if (!havePython()) GTEST_SKIP() << "python3 (3.11+) is not installed";
    const json info = json::parse(runOracle("--printable"));
    if (info["unicode"] != unicodePrintableVersion())
        GTEST_SKIP() << "python3 has Unicode " << info["unicode"] << ", the table " << unicodePrintableVersion();
    std::uint32_t next = 0x80;
    for (const auto& range : info["nonprintable"]) {
        const auto lo = range[0].get<std::uint32_t>(), hi = range[1].get<std::uint32_t>();
        for (std::uint32_t c = next; c < lo; ++c) ASSERT_TRUE(isPrintable(c)) << std::hex << c;
        for (std::uint32_t c = lo; c <= hi; ++c) ASSERT_FALSE(isPrintable(c)) << std::hex << c;
        next = hi + 1;
    }
    for (std::uint32_t c = next; c < 0x110000; ++c) ASSERT_TRUE(isPrintable(c)) << std::hex << c;
}

TEST(GeneratorVsCPython, LessonSnippetIsTheOraclesSource)
{
    if (!havePython()) GTEST_SKIP() << "python3 (3.11+) is not installed";
    const std::string source = runOracle("--source");
    ASSERT_FALSE(source.empty());
    const json lesson = json::parse(readFile(std::string(LOCKSTEP_SOURCE_LESSONS) + "/generator.json"));
    EXPECT_EQ(lesson["python"].get<std::string>().substr(0, source.size()), source);
}
