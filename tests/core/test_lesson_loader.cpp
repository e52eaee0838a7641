// Lesson file loader: one test per kind of bad input (each checks the exact file:line:column and
// message), parameter resolution, directories, the hard caps, and a random-mutation test that the
// loader never does anything but load or throw InputError.
#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/LessonLoader.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace lockstep {
namespace {

namespace fs = std::filesystem;

const std::string kBase = R"({
  "id": "demo",
  "topic": "threads",
  "engine": "script",
  "order": 5,
  "title": {"en": "Two threads", "zh": "两个线程"},
  "summary": "Two threads share a lock.",
  "python": "import threading\nlock = threading.Lock()\nwith lock:\n    pass\n",
  "timeout_s": 10,
  "narration": [
    {"text": {"en": "Take the lock", "zh": "获取锁"}, "line": 3},
    {"text": "Only when slow", "line": 0, "variants": ["slow"]}
  ],
  "parameters": [
    {"name": "threads", "type": "int", "default": 2, "min": 1, "max": 8, "limit": "threads", "unit": "threads",
     "label": {"en": "Threads", "zh": "线程数"}, "help": "How many threads"},
    {"name": "interval", "type": "float", "default": 0.005, "min": 0.0001, "max": 1},
    {"name": "fair", "type": "bool", "default": false},
    {"name": "policy", "type": "choice", "choices": ["fifo", "lifo"], "default": "fifo"},
    {"name": "note", "type": "string", "default": "hi"},
    {"name": "fds", "type": "int-list", "default": [10, 100], "min": 1, "limit": "fds"}
  ],
  "variants": [
    {"id": "fast", "title": "Fast", "config": {"threads": "$threads", "ops": ["acquire", "$$literal"],
                                               "nested": {"list": ["$fds", {"p": "$policy"}]}}},
    {"id": "slow", "title": {"en": "Slow"}, "description": "d", "params": {"threads": 4, "policy": "lifo"}}
  ]
}
)";

const std::string kAllowedTopKeys =
    "(allowed: id, topic, engine, order, title, summary, python, timeout_s, narration, parameters, variants)";

// line:column of the n-th occurrence of `needle` (1-based lines, columns in code points).
std::string at(const std::string& text, const std::string& needle, int occurrence = 1)
{
    std::size_t pos = std::string::npos;
    for (int i = 0; i < occurrence; ++i)
        pos = text.find(needle, pos == std::string::npos ? 0 : pos + 1);
    EXPECT_NE(pos, std::string::npos) << needle;
    int line = 1, column = 1;
    for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return std::to_string(line) + ":" + std::to_string(column);
}

std::string replaced(std::string text, const std::string& from, const std::string& to)
{
    const auto pos = text.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    EXPECT_EQ(text.find(from, pos + 1), std::string::npos) << "not unique: " << from;
    if (pos != std::string::npos)
        text.replace(pos, from.size(), to);
    return text;
}

std::string loadError(const std::string& text, const std::string& name = "t.json")
{
    try {
        (void)LessonLoader::loadString(text, name);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(loaded without error)";
}

std::string resolveError(const Lesson& lesson, const std::string& variant, std::map<std::string, std::string> overrides)
{
    try {
        (void)LessonLoader::resolveParams(lesson, *lesson.variant(variant), overrides);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(resolved without error)";
}

// A temporary directory removed at the end of the test.
class TempDir {
public:
    TempDir()
    {
        std::random_device rd;
        m_path =
            fs::temp_directory_path() / ("lockstep-loader-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
        fs::create_directories(m_path);
    }
    ~TempDir()
    {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] std::string write(const std::string& name, const std::string& text) const
    {
        const auto p = m_path / name;
        std::ofstream(p, std::ios::binary) << text;
        return p.string();
    }
    [[nodiscard]] std::string path() const { return m_path.string(); }

private:
    fs::path m_path;
};

// Lowers the soft RLIMIT_NOFILE for one test and restores it afterwards.
class OpenFileLimit {
public:
    explicit OpenFileLimit(rlim_t soft)
    {
        getrlimit(RLIMIT_NOFILE, &m_saved);
        rlimit lowered = m_saved;
        lowered.rlim_cur = soft;
        m_ok = setrlimit(RLIMIT_NOFILE, &lowered) == 0;
    }
    ~OpenFileLimit() { setrlimit(RLIMIT_NOFILE, &m_saved); }
    OpenFileLimit(const OpenFileLimit&) = delete;
    OpenFileLimit& operator=(const OpenFileLimit&) = delete;
    [[nodiscard]] bool ok() const { return m_ok; }

private:
    rlimit m_saved{};
    bool m_ok = false;
};

// ---- a valid file -------------------------------------------------------------------------------

TEST(LessonLoader, LoadsAValidLesson)
{
    const Lesson lesson = LessonLoader::loadString(kBase, "t.json");
    EXPECT_EQ(lesson.id, "demo");
    EXPECT_EQ(lesson.topic, "threads");
    EXPECT_EQ(lesson.engine, "script");
    EXPECT_EQ(lesson.order, 5);
    EXPECT_EQ(lesson.title.get(Lang::Zh), "两个线程");
    EXPECT_EQ(lesson.summary.get(Lang::Zh), "Two threads share a lock."); // falls back to English
    EXPECT_DOUBLE_EQ(lesson.timeoutSeconds, 10);
    ASSERT_EQ(lesson.narration.size(), 2U);
    EXPECT_EQ(lesson.narration[0].line, 3);
    EXPECT_EQ(lesson.narration[1].variants, std::vector<std::string>{"slow"});
    ASSERT_EQ(lesson.params.size(), 6U);
    const ParamSpec* threads = lesson.param("threads");
    ASSERT_NE(threads, nullptr);
    EXPECT_EQ(threads->type, ParamType::Int);
    EXPECT_EQ(threads->limit, ParamLimit::Threads);
    EXPECT_EQ(threads->min, 1.0);
    EXPECT_EQ(threads->max, 8.0);
    EXPECT_EQ(threads->label.get(Lang::Zh), "线程数");
    EXPECT_EQ(lesson.param("fair")->label.en, "fair"); // defaults to the name
    const ParamSpec* fds = lesson.param("fds");
    EXPECT_EQ(fds->type, ParamType::IntList);
    EXPECT_EQ(fds->max, static_cast<double>(Limits::kMaxFds)); // the cap becomes the range
    EXPECT_EQ(lesson.param("policy")->choices, (std::vector<std::string>{"fifo", "lifo"}));
    ASSERT_NE(lesson.variant("slow"), nullptr);
    EXPECT_EQ(lesson.variant("slow")->description.en, "d");
    EXPECT_EQ(lesson.variant("nope"), nullptr);
    EXPECT_EQ(lesson.param("nope"), nullptr);
}

TEST(LessonLoader, DefaultTimeoutIsThirtySeconds)
{
    const Lesson lesson = LessonLoader::loadString(replaced(kBase, "\"timeout_s\": 10,", ""), "t.json");
    EXPECT_DOUBLE_EQ(lesson.timeoutSeconds, 30);
}

TEST(LessonLoader, LocatesValuesAndKeys)
{
    const Lesson lesson = LessonLoader::loadString(kBase, "t.json");
    EXPECT_EQ(lesson.locate(""), "t.json:1:1");
    EXPECT_EQ(lesson.locate("/id"), "t.json:2:9");
    EXPECT_EQ(lesson.locateKey("/id"), "t.json:2:3");
    EXPECT_EQ(lesson.locate("/variants/0/config/threads"), "t.json:" + at(kBase, "\"$threads\""));
    EXPECT_EQ(lesson.locate("/variants/0/config/nested/list/1/p"), "t.json:" + at(kBase, "\"$policy\""));
    // A pointer below anything in the file (e.g. inside a substituted value) falls back to its parent.
    EXPECT_EQ(lesson.locate("/variants/0/config/threads/3/x"), "t.json:" + at(kBase, "\"$threads\""));
    EXPECT_EQ(lesson.locate("/nowhere"), "t.json:1:1");
}

TEST(LessonLoader, ColumnsCountCharactersNotBytes)
{
    // "title" line: 两个线程 are 4 characters but 12 bytes; the column of "zh"'s value ends right after.
    const std::string text = replaced(kBase, R"("zh": "两个线程"})", R"("zh": "两个线程", "ko": 1})");
    EXPECT_EQ(loadError(text), "t.json:6:48: title.ko: unknown key 'ko' (allowed: en, zh)");
}

TEST(LessonLoader, AcceptsByteOrderMarkAndPlainStringTexts)
{
    const Lesson lesson = LessonLoader::loadString("\xEF\xBB\xBF" + kBase, "t.json");
    EXPECT_EQ(lesson.locate("/id"), "t.json:2:9");
    EXPECT_EQ(lesson.variant("fast")->title.en, "Fast");
}

// ---- syntax -------------------------------------------------------------------------------------

TEST(LessonLoaderErrors, SyntaxErrorHasPosition)
{
    const std::string text = replaced(kBase, "\"topic\": \"threads\",", "\"topic\": \"threads\"");
    EXPECT_EQ(loadError(text),
              "t.json:4:3: syntax error: expected ',' or '}' after an object member, found '\"' (allowed: ',' or '}')");
    EXPECT_EQ(loadError("{\"a\": [1, 2,]}"),
              "t.json:1:13: syntax error: trailing comma before ']' (allowed: another element after ',')");
    const std::string anyValue = " (allowed: a JSON value: object, array, string, number, true, false or null)";
    EXPECT_EQ(loadError("{\"a\": tru}"), "t.json:1:7: syntax error: unexpected 't'" + anyValue);
    EXPECT_EQ(loadError("{\"a\": 1} x"),
              "t.json:1:10: syntax error: unexpected 'x' after the end of the JSON value (allowed: nothing)");
    EXPECT_EQ(loadError(""), "t.json:1:1: syntax error: the file is empty (allowed: a JSON object)");
    EXPECT_EQ(loadError("{\"a\": \"x"), "t.json:1:9: syntax error: unterminated string (allowed: a closing '\"')");
    EXPECT_EQ(loadError("{\n  \"a\": 01}"),
              "t.json:2:9: syntax error: leading zero in a number (allowed: a JSON number such as 7, not 07)");
    EXPECT_EQ(loadError("{\"a\": NaN}"), "t.json:1:7: syntax error: unexpected 'N'" + anyValue);
    EXPECT_EQ(loadError("{\"a\": 1e999}"), "t.json:1:7: syntax error: number 1e999 cannot be held by a double "
                                          "(allowed: magnitudes from about 2.2e-308 to 1.8e308, or 0)");
    EXPECT_EQ(loadError("{\"a\": 1, \"a\": 2}"),
              "t.json:1:10: syntax error: duplicate key 'a' (allowed: each key once per object)");
}

TEST(LessonLoaderErrors, InvalidTextInStrings)
{
    EXPECT_EQ(loadError("{\"a\": \"x\xFFy\"}"),
              "t.json:1:9: syntax error: invalid UTF-8 byte \\xFF (allowed: UTF-8 text)");
    EXPECT_EQ(loadError("{\"a\": \"\xED\xA0\x80\"}"),
              "t.json:1:8: syntax error: invalid UTF-8 byte \\xED (allowed: UTF-8 text)");
    EXPECT_EQ(loadError("{\"a\": \"\xC0\xAF\"}"),
              "t.json:1:8: syntax error: invalid UTF-8 byte \\xC0 (allowed: UTF-8 text)");
    EXPECT_EQ(loadError("{\"a\": \"\\ud800\"}"),
              "t.json:1:8: syntax error: lone high surrogate in a \\u escape (allowed: a high/low surrogate pair)");
    const std::string escapes = " (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)";
    EXPECT_EQ(loadError("{\"a\": \"\\q\"}"), "t.json:1:8: syntax error: unknown escape '\\q'" + escapes);
    EXPECT_EQ(loadError("{\"a\": \"\\\x92\"}"),
              "t.json:1:8: syntax error: unknown escape '\\' followed by byte \\x92" + escapes);
    EXPECT_EQ(loadError("{\"a\": \"\\"),
              "t.json:1:8: syntax error: unknown escape '\\' followed by end of file" + escapes);
    EXPECT_EQ(
        loadError(std::string("{\"a\": \"x\ty\"}")),
        "t.json:1:9: syntax error: control character \\x09 inside a string (allowed: an escape such as \\n or \\t)");
    EXPECT_EQ(loadError(std::string("{\"a\": 1,\0}", 10)),
              "t.json:1:9: syntax error: expected a member name in double quotes, found byte \\x00 "
              "(allowed: \"name\": value)");
    // Escapes decode to UTF-8 (a surrogate pair included).
    const std::string ok = replaced(kBase, "\"Fast\"", "\"F\\u00e4st \\ud83d\\ude00\"");
    EXPECT_EQ(LessonLoader::loadString(ok, "t.json").variant("fast")->title.en, "F\xC3\xA4st \xF0\x9F\x98\x80");
}

TEST(LessonLoaderErrors, NestingDepthIsCapped)
{
    const auto nested = [](int depth) {
        return replaced(kBase, "\"config\": {\"threads\"",
                        "\"config\": {\"deep\": " + std::string(static_cast<std::size_t>(depth), '[') +
                            std::string(static_cast<std::size_t>(depth), ']') + ", \"threads\"");
    };
    // The file's own structure is 4 levels deep at that point (root, variants, variant, config).
    EXPECT_NO_THROW((void)LessonLoader::loadString(nested(Limits::kMaxDepth - 4), "t.json"));
    const std::string text = nested(Limits::kMaxDepth - 3);
    const auto column = std::stoi(at(text, "\"deep\"").substr(3)) + 8 + Limits::kMaxDepth - 4;
    EXPECT_EQ(loadError(text), "t.json:24:" + std::to_string(column) +
                                   ": nesting: arrays and objects nested deeper than 64 levels (allowed: at most 64)");
    // Far deeper input must not exhaust the stack either.
    EXPECT_NE(loadError(std::string(1'000'000, '[')).find("t.json:1:65: nesting:"), std::string::npos);
}

TEST(LessonLoaderErrors, SizeIsCapped)
{
    std::string big = replaced(kBase, "\"d\"", "\"" + std::string(Limits::kMaxFileBytes, 'x') + "\"");
    EXPECT_EQ(loadError(big), "t.json:1:1: size: the text is " + std::to_string(big.size()) +
                                  " bytes (allowed: at most 4194304 bytes)");
    TempDir dir;
    const std::string path = dir.write("big.json", big);
    EXPECT_EQ(loadError(big).substr(0, 7), "t.json:");
    try {
        (void)LessonLoader::loadFile(path);
        ADD_FAILURE() << "loaded a file above the size cap";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  path + ": size: the file is larger than 4194304 bytes (allowed: at most 4194304 bytes)");
    }
    // Many small values: the value count is capped too.
    std::string many = "{\"a\": [";
    for (std::size_t i = 0; i < Limits::kMaxValues; ++i)
        many += "0,";
    many += "0]}";
    EXPECT_NE(loadError(many).find(": size: more than 200000 values (allowed: at most 200000)"), std::string::npos);
}

// ---- schema ------------------------------------------------------------------------------------

TEST(LessonLoaderErrors, UnknownKey)
{
    const std::string text = replaced(kBase, "\"order\": 5,", "\"order\": 5, \"colour\": 1,");
    EXPECT_EQ(loadError(text),
              "t.json:" + at(text, "\"colour\"") + ": colour: unknown key 'colour' " + kAllowedTopKeys);
    const std::string inParam = replaced(kBase, "\"name\": \"fair\",", "\"name\": \"fair\", \"tpye\": \"bool\",");
    EXPECT_EQ(loadError(inParam), "t.json:" + at(inParam, "\"tpye\"") +
                                      ": parameters[2].tpye: unknown key 'tpye' (allowed: name, type, default, min, "
                                      "max, choices, unit, label, help, limit)");
    const std::string inVariant = replaced(kBase, "\"description\": \"d\",", "\"descr\": \"d\",");
    EXPECT_EQ(loadError(inVariant), "t.json:" + at(inVariant, "\"descr\"") +
                                        ": variants[1].descr: unknown key 'descr' (allowed: id, title, description, "
                                        "config, params)");
}

TEST(LessonLoaderErrors, WrongType)
{
    const std::string text = replaced(kBase, "\"order\": 5,", "\"order\": \"5\",");
    EXPECT_EQ(loadError(text), "t.json:5:12: order: wrong type: found a string \"5\" (allowed: an integer)");
    const std::string title = replaced(kBase, "\"title\": \"Fast\"", "\"title\": 7");
    EXPECT_EQ(loadError(title), "t.json:" + at(title, "7, \"config\"") +
                                    ": variants[0].title: wrong type: found an integer 7 (allowed: a string, or an "
                                    "object {\"en\": \"...\", \"zh\": \"...\"})");
    EXPECT_EQ(loadError("[1]"), "t.json:1:1: lesson: wrong type: found an array (allowed: a JSON object with the "
                                "lesson's keys: id, title, variants, ...)");
    const std::string config = replaced(kBase, "\"description\": \"d\",", "\"description\": \"d\", \"config\": [],");
    EXPECT_EQ(loadError(config), "t.json:" + at(config, "[],") +
                                     ": variants[1].config: wrong type: found an array (allowed: an object for the "
                                     "lesson's engine)");
}

TEST(LessonLoaderErrors, MissingKey)
{
    EXPECT_EQ(loadError(replaced(kBase, "\"id\": \"demo\",", "")),
              "t.json:1:1: id: required key is missing (allowed: 1 to 64 characters of a-z, 0-9 and '-')");
    const std::string noDefault = replaced(kBase, "\"default\": 0.005, ", "");
    EXPECT_EQ(loadError(noDefault), "t.json:" + at(noDefault, "{\"name\": \"interval\"") +
                                        ": parameters[1].default: required key is missing (allowed: 0.0001..1)");
    const std::string noChoices = replaced(kBase, "\"choices\": [\"fifo\", \"lifo\"], ", "");
    EXPECT_EQ(loadError(noChoices), "t.json:" + at(noChoices, "{\"name\": \"policy\"") +
                                        ": parameters[3].choices: required key is missing (allowed: a non-empty "
                                        "array of strings)");
    EXPECT_EQ(loadError(R"({"id": "a", "topic": "t", "engine": "e", "title": "T", "python": "x"})"),
              "t.json:1:1: variants: required key is missing (allowed: a non-empty array of variant objects)");
}

TEST(LessonLoaderErrors, BadNames)
{
    const std::string id = replaced(kBase, "\"demo\"", "\"Demo_1\"");
    EXPECT_EQ(loadError(id), "t.json:2:9: id: invalid name 'Demo_1' (allowed: 1 to 64 characters of a-z, 0-9 and '-')");
    const std::string param = replaced(kBase, "\"name\": \"fair\"", "\"name\": \"2fair\"");
    EXPECT_EQ(loadError(param), "t.json:" + at(param, "\"2fair\"") +
                                    ": parameters[2].name: invalid name '2fair' (allowed: 1 to 64 characters of a-z, "
                                    "0-9 and '_', not starting with a digit)");
    const std::string duplicate = replaced(kBase, "\"name\": \"fair\"", "\"name\": \"threads\"");
    EXPECT_EQ(loadError(duplicate), "t.json:18:14: parameters[2].name: duplicate parameter 'threads', first defined "
                                    "at t.json:15:14 (allowed: a name no other parameter has)");
}

TEST(LessonLoaderErrors, UnknownParamType)
{
    const std::string text = replaced(kBase, "\"type\": \"int\",", "\"type\": \"integer\",");
    EXPECT_EQ(loadError(text, "lessons/gil.json"),
              "lessons/gil.json:15:33: parameters[0].type: unknown type 'integer' (allowed: int, float, bool, choice, "
              "string, int-list)");
}

TEST(LessonLoaderErrors, DefaultOutOfRange)
{
    const std::string text = replaced(kBase, "\"default\": 2,", "\"default\": 9,");
    EXPECT_EQ(loadError(text), "t.json:15:51: parameters[0].default: 9 is above the maximum 8 (allowed: 1..8)");
    const std::string low = replaced(kBase, "\"default\": 0.005", "\"default\": 0.00001");
    EXPECT_EQ(loadError(low), "t.json:" + at(low, "0.00001") +
                                  ": parameters[1].default: 1e-05 is below the minimum 0.0001 (allowed: 0.0001..1)");
    const std::string type = replaced(kBase, "\"default\": 2,", "\"default\": 2.5,");
    EXPECT_EQ(loadError(type), "t.json:15:51: parameters[0].default: wrong type: found a number 2.5, expected an "
                               "integer (allowed: 1..8)");
    const std::string list = replaced(kBase, "[10, 100]", "[10, 0]");
    EXPECT_EQ(loadError(list), "t.json:" + at(list, "[10, 0]") +
                                   ": parameters[5].default: element 1: 0 is below the minimum 1 (allowed: a "
                                   "comma-separated list of 1..256 integers, each 1..16000)");
    const std::string huge = replaced(kBase, "\"default\": 2,", "\"default\": 99999999999999999999,");
    EXPECT_EQ(loadError(huge), "t.json:15:51: parameters[0].default: 1e+20 is beyond ±2^53 (allowed: 1..8)");
    const std::string safe = replaced(kBase, "\"default\": \"hi\"", "\"default\": 9007199254740993");
    EXPECT_EQ(loadError(safe), "t.json:" + at(safe, "9007199254740993") +
                                   ": parameters[4].default: wrong type: found an integer 9007199254740993, expected a "
                                   "string (allowed: any text)");
    const std::string bigInt = replaced(kBase, "\"max\": 8,", "\"max\": 9007199254740993,");
    EXPECT_EQ(loadError(bigInt),
              "t.json:" + at(bigInt, "9007199254740993") +
                  ": parameters[0].max: 9007199254740993 is beyond ±2^53 (allowed: |value| <= 2^53)");
}

TEST(LessonLoaderErrors, MinAboveMax)
{
    const std::string text = replaced(kBase, "\"min\": 0.0001, \"max\": 1", "\"min\": 2, \"max\": 1");
    EXPECT_EQ(loadError(text), "t.json:" + at(text, "2, \"max\": 1") +
                                   ": parameters[1].min: min 2 is above max 1 (allowed: min <= max)");
    const std::string onBool = replaced(kBase, "\"type\": \"bool\",", "\"type\": \"bool\", \"min\": 0,");
    EXPECT_EQ(loadError(onBool), "t.json:" + at(onBool, "\"min\": 0,") +
                                     ": parameters[2].min: min does not apply to a bool parameter (allowed: min and "
                                     "max on int, float and int-list parameters)");
}

TEST(LessonLoaderErrors, BadChoice)
{
    const std::string text = replaced(kBase, "\"default\": \"fifo\"", "\"default\": \"random\"");
    EXPECT_EQ(loadError(text), "t.json:" + at(text, "\"random\"") +
                                   ": parameters[3].default: unknown choice 'random' (allowed: fifo, lifo)");
    const std::string empty = replaced(kBase, "[\"fifo\", \"lifo\"]", "[]");
    EXPECT_EQ(loadError(empty), "t.json:" + at(empty, "[]") +
                                    ": parameters[3].choices: no choices (allowed: a non-empty array of strings)");
    const std::string twice = replaced(kBase, "[\"fifo\", \"lifo\"]", "[\"fifo\", \"fifo\"]");
    EXPECT_EQ(loadError(twice), "t.json:" + at(twice, "\"fifo\"", 2) +
                                    ": parameters[3].choices[1]: duplicate choice 'fifo' (allowed: each choice once)");
    const std::string variant = replaced(kBase, "\"policy\": \"lifo\"", "\"policy\": \"lilo\"");
    EXPECT_EQ(loadError(variant), "t.json:" + at(variant, "\"lilo\"") +
                                      ": variants[1].params.policy: unknown choice 'lilo' (allowed: fifo, lifo)");
}

TEST(LessonLoaderErrors, DuplicateVariantId)
{
    const std::string text = replaced(kBase, "{\"id\": \"slow\"", "{\"id\": \"fast\"");
    EXPECT_EQ(loadError(text), "t.json:" + at(text, "\"fast\"", 2) +
                                   ": variants[1].id: duplicate variant id 'fast', first used at t.json:" +
                                   at(text, "\"fast\"") + " (allowed: an id no other variant has)");
    const std::string none = kBase.substr(0, kBase.find("\"variants\": [\n")) + "\"variants\": []}";
    EXPECT_EQ(loadError(none), "t.json:23:15: variants: no variants (allowed: a non-empty array of variant objects)");
}

TEST(LessonLoaderErrors, UnknownNarrationVariant)
{
    const std::string text = replaced(kBase, "[\"slow\"]", "[\"slw\"]");
    EXPECT_EQ(loadError(text), "t.json:12:56: narration[1].variants[0]: unknown variant 'slw' (allowed: fast, slow)");
}

TEST(LessonLoaderErrors, NarrationLineBeyondSnippet)
{
    const std::string text = replaced(kBase, "\"line\": 3", "\"line\": 5");
    EXPECT_EQ(loadError(text), "t.json:11:60: narration[0].line: line 5 is not in the python snippet, which has 4 "
                               "lines (allowed: 0..4, 0 = no line)");
    EXPECT_EQ(loadError(replaced(kBase, "\"line\": 3", "\"line\": -1")).substr(0, 32),
              "t.json:11:60: narration[0].line:");
    EXPECT_NO_THROW((void)LessonLoader::loadString(replaced(kBase, "\"line\": 3", "\"line\": 4"), "t.json"));
}

TEST(LessonLoaderErrors, UnknownVariantParameter)
{
    const std::string text = replaced(kBase, "{\"threads\": 4,", "{\"thread\": 4,");
    EXPECT_EQ(loadError(text), "t.json:" + at(text, "\"thread\"") +
                                   ": variants[1].params.thread: unknown parameter 'thread' (allowed: threads, "
                                   "interval, fair, policy, note, fds)");
    const std::string range = replaced(kBase, "{\"threads\": 4,", "{\"threads\": 40,");
    EXPECT_EQ(loadError(range),
              "t.json:" + at(range, "40,") + ": variants[1].params.threads: 40 is above the maximum 8 (allowed: 1..8)");
}

TEST(LessonLoaderErrors, TimeoutOutOfRange)
{
    EXPECT_EQ(loadError(replaced(kBase, "\"timeout_s\": 10", "\"timeout_s\": 61")),
              "t.json:9:16: timeout_s: 61 seconds is out of range (allowed: more than 0, at most 60)");
    EXPECT_EQ(loadError(replaced(kBase, "\"timeout_s\": 10", "\"timeout_s\": 0")),
              "t.json:9:16: timeout_s: 0 seconds is out of range (allowed: more than 0, at most 60)");
}

TEST(LessonLoaderErrors, BadParamReference)
{
    const std::string text = replaced(kBase, "\"$threads\"", "\"$thread\"");
    EXPECT_EQ(loadError(text), "t.json:" + at(text, "\"$thread\"") +
                                   ": variants[0].config.threads: '$thread' names no parameter (allowed: $threads, "
                                   "$interval, $fair, $policy, $note, $fds; write $$ for a literal $)");
    const std::string deep = replaced(kBase, "\"$policy\"", "\"$Policy\"");
    EXPECT_EQ(loadError(deep), "t.json:" + at(deep, "\"$Policy\"") +
                                   ": variants[0].config.nested.list[1].p: '$Policy' names no parameter (allowed: "
                                   "$threads, $interval, $fair, $policy, $note, $fds; write $$ for a literal $)");
}

// ---- hard caps ---------------------------------------------------------------------------------

TEST(LessonLoaderCaps, ThreadsCap)
{
    const std::string text = replaced(kBase, "\"max\": 8,", "\"max\": 65,");
    EXPECT_EQ(loadError(text), "t.json:15:71: parameters[0].max: 65 is above the hard cap of 64 threads (allowed: at "
                               "most 64)");
    // Without a max, the cap is the max: a default above it is out of range.
    const std::string noMax = replaced(replaced(kBase, "\"max\": 8,", ""), "\"default\": 2,", "\"default\": 100,");
    EXPECT_EQ(loadError(noMax), "t.json:15:51: parameters[0].default: 100 is above the maximum 64 (allowed: 1..64)");
}

TEST(LessonLoaderCaps, ProcessesCap)
{
    const std::string param = R"({"name": "procs", "type": "int", "default": 4, "max": 17, "limit": "processes"},
    {"name": "fair")";
    const std::string text = replaced(kBase, "{\"name\": \"fair\"", param);
    EXPECT_EQ(loadError(text),
              "t.json:" + at(text, "17,") +
                  ": parameters[2].max: 17 is above the hard cap of 16 processes (allowed: at most 16)");
    const std::string negative = replaced(text, "\"max\": 17", "\"min\": -1");
    EXPECT_EQ(loadError(negative), "t.json:" + at(negative, "-1,") +
                                       ": parameters[2].min: -1 is negative, but the parameter counts processes "
                                       "(allowed: 0..16)");
    const std::string onBool =
        replaced(text, "\"type\": \"int\", \"default\": 4, \"max\": 17", "\"type\": \"bool\", \"default\": true");
    EXPECT_EQ(loadError(onBool), "t.json:" + at(onBool, "\"processes\"") +
                                     ": parameters[2].limit: a bool parameter cannot count processes (allowed: int "
                                     "and int-list parameters)");
}

TEST(LessonLoaderCaps, FdsCap)
{
    const std::string text =
        replaced(kBase, "\"min\": 1, \"limit\": \"fds\"", "\"min\": 1, \"max\": 16001, \"limit\": \"fds\"");
    EXPECT_EQ(loadError(text),
              "t.json:" + at(text, "16001") +
                  ": parameters[5].max: 16001 is above the hard cap of 16000 fds (allowed: at most 16000)");
    const std::string listDefault = replaced(kBase, "[10, 100]", "[10, 20000]");
    EXPECT_EQ(loadError(listDefault), "t.json:" + at(listDefault, "[10, 20000]") +
                                          ": parameters[5].default: element 1: 20000 is above the maximum 16000 "
                                          "(allowed: a comma-separated list of 1..256 integers, each 1..16000)");
}

TEST(LessonLoaderCaps, SecondsCap)
{
    const std::string param = R"({"name": "run_for", "type": "float", "default": 1.5, "max": 60.5, "limit": "seconds"},
    {"name": "fair")";
    const std::string text = replaced(kBase, "{\"name\": \"fair\"", param);
    EXPECT_EQ(loadError(text),
              "t.json:" + at(text, "60.5") +
                  ": parameters[2].max: 60.5 is above the hard cap of 60 seconds (allowed: at most 60)");
    const Lesson ok = LessonLoader::loadString(replaced(text, "\"max\": 60.5, ", ""), "t.json");
    EXPECT_EQ(ok.param("run_for")->max, 60.0);
    EXPECT_EQ(resolveError(ok, "fast", {{"run_for", "61"}}),
              "--param run_for=61: 61 is above the maximum 60 (allowed: 0..60)");
    EXPECT_EQ(resolveError(ok, "fast", {{"run_for", "nan"}}),
              "--param run_for=nan: 'nan' is not a finite number (allowed: 0..60)");
}

TEST(LessonLoaderCaps, CapsHoldForLessonsBuiltInCode)
{
    // A spec that never went through the loader (no max) is still held to the cap at resolve time.
    Lesson lesson;
    lesson.id = "code";
    ParamSpec spec;
    spec.name = "threads";
    spec.type = ParamType::Int;
    spec.limit = ParamLimit::Threads;
    spec.defaultValue = 1000;
    lesson.params.push_back(spec);
    lesson.variants.push_back(Variant{"v", {}, {}, nlohmann::json::object(), nlohmann::json::object()});
    EXPECT_EQ(resolveError(lesson, "v", {}),
              "code: parameters[0].default: 1000 is above the maximum 64 (allowed: 0..64)");
    EXPECT_EQ(resolveError(lesson, "v", {{"threads", "64"}}), "(resolved without error)");
}

TEST(LessonLoaderCaps, FdsWithinOpenFileLimit)
{
    const Lesson lesson = LessonLoader::loadString(kBase, "t.json");
    if (Limits::usableFds() >= 4000) {
        EXPECT_EQ(resolveError(lesson, "fast", {{"fds", "100,1000,4000"}}), "(resolved without error)");
    }
    {
        OpenFileLimit limit(512);
        ASSERT_TRUE(limit.ok());
        EXPECT_EQ(Limits::usableFds(), 512 - Limits::kFdReserve);
        EXPECT_EQ(resolveError(lesson, "fast", {{"fds", "100,1000"}}),
                  "--param fds=100,1000: element 1: 1000 is above the maximum 384 that this process's open-file limit "
                  "allows (RLIMIT_NOFILE is 512, and 128 fds are kept for the engine); raise it in the shell that "
                  "starts lockstep, e.g. `ulimit -n 1128` (allowed: a comma-separated list of 1..256 integers, each "
                  "1..384)");
        // A default above what the machine allows is reported where it is written in the file.
        const Lesson big = LessonLoader::loadString(replaced(kBase, "[10, 100]", "[10, 1000]"), "t.json");
        const std::string error = resolveError(big, "fast", {});
        EXPECT_EQ(error.substr(0, error.find(" that")),
                  "t.json:" + at(kBase, "[10, 100]") +
                      ": parameters[5].default: element 1: 1000 is above the maximum 384");
        EXPECT_NE(error.find("ulimit -n 1128"), std::string::npos);
        // The file itself still loads: the open-file limit belongs to the machine, not the lesson.
        EXPECT_EQ(resolveError(big, "fast", {{"fds", "300"}}), "(resolved without error)");
    }
    EXPECT_GE(Limits::usableFds(), 384);
}

// ---- parameter resolution ----------------------------------------------------------------------

TEST(LessonLoaderResolve, LayersDefaultsVariantAndOverrides)
{
    const Lesson lesson = LessonLoader::loadString(kBase, "t.json");
    const auto fast = LessonLoader::resolveParams(lesson, *lesson.variant("fast"), {});
    EXPECT_EQ(fast, nlohmann::json::parse(R"({"threads": 2, "interval": 0.005, "fair": false, "policy": "fifo",
                                               "note": "hi", "fds": [10, 100]})"));
    const auto slow = LessonLoader::resolveParams(
        lesson, *lesson.variant("slow"),
        {{"policy", "fifo"}, {"fair", "1"}, {"fds", " 1, 2 ,3"}, {"interval", "0.5"}, {"note", "a b"}});
    EXPECT_EQ(slow, nlohmann::json::parse(R"({"threads": 4, "interval": 0.5, "fair": true, "policy": "fifo",
                                               "note": "a b", "fds": [1, 2, 3]})"));
    EXPECT_TRUE(slow["threads"].is_number_integer());
    EXPECT_TRUE(slow["interval"].is_number_float());
}

TEST(LessonLoaderResolve, ErrorsNameTheParameterAndWhatIsAllowed)
{
    const Lesson lesson = LessonLoader::loadString(kBase, "t.json");
    EXPECT_EQ(resolveError(lesson, "fast", {{"thread", "2"}}),
              "--param thread=2: unknown parameter 'thread' (allowed: threads, interval, fair, policy, note, fds)");
    EXPECT_EQ(resolveError(lesson, "fast", {{"threads", "200"}}),
              "--param threads=200: 200 is above the maximum 8 (allowed: 1..8)");
    EXPECT_EQ(resolveError(lesson, "fast", {{"threads", "0"}}),
              "--param threads=0: 0 is below the minimum 1 (allowed: 1..8)");
    EXPECT_EQ(resolveError(lesson, "fast", {{"threads", "two"}}),
              "--param threads=two: 'two' is not an integer (allowed: 1..8)");
    EXPECT_EQ(resolveError(lesson, "fast", {{"threads", "99999999999999999999"}}),
              "--param threads=99999999999999999999: '99999999999999999999' is not an integer (allowed: 1..8)");
    EXPECT_EQ(resolveError(lesson, "fast", {{"fair", "maybe"}}),
              "--param fair=maybe: 'maybe' is not a boolean (allowed: true, false, 1, 0)");
    EXPECT_EQ(resolveError(lesson, "fast", {{"policy", "random"}}),
              "--param policy=random: unknown choice 'random' (allowed: fifo, lifo)");
    EXPECT_EQ(resolveError(lesson, "fast", {{"interval", "fast"}}),
              "--param interval=fast: 'fast' is not a finite number (allowed: 0.0001..1)");
    EXPECT_EQ(resolveError(lesson, "fast", {{"fds", "10,,20"}}),
              "--param fds=10,,20: '10,,20' is not a comma-separated list of integers (element 1 ''; allowed: a "
              "comma-separated list of 1..256 integers, each 1..16000)");
    EXPECT_EQ(resolveError(lesson, "fast", {{"fds", ""}}).find("--param fds=: '' is not a comma-separated list "), 0U);
    std::string longList;
    for (int i = 0; i <= Limits::kMaxListLength; ++i)
        longList += (i ? "," : "") + std::to_string(i + 1);
    EXPECT_NE(resolveError(lesson, "fast", {{"fds", longList}}).find("has more than 256 elements"), std::string::npos);
    Lesson none = lesson;
    none.params.clear();
    for (auto& v : none.variants)
        v.params = nlohmann::json::object();
    EXPECT_EQ(resolveError(none, "fast", {{"x", "1"}}),
              "--param x=1: unknown parameter 'x' (allowed: none, this lesson has no parameters)");
}

TEST(LessonLoaderResolve, ConfigSubstitution)
{
    const Lesson lesson = LessonLoader::loadString(kBase, "t.json");
    const auto params = LessonLoader::resolveParams(lesson, *lesson.variant("fast"), {{"threads", "3"}});
    const auto config = LessonLoader::resolveConfig(lesson.variant("fast")->config, params);
    EXPECT_EQ(config, nlohmann::json::parse(R"({"threads": 3, "ops": ["acquire", "$literal"],
                                                 "nested": {"list": [[10, 100], {"p": "fifo"}]}})"));
    EXPECT_EQ(LessonLoader::resolveConfig(lesson, *lesson.variant("fast"), params), config);
    try {
        (void)LessonLoader::resolveConfig(lesson, *lesson.variant("fast"), nlohmann::json{{"threads", 1}});
        ADD_FAILURE() << "a reference to a missing value resolved";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "t.json:" + at(kBase, "\"$fds\"") +
                                             ": variants[0].config.nested.list[0]: '$fds' names no parameter "
                                             "(allowed: $threads; write $$ for a literal $)");
    }
    EXPECT_THROW((void)LessonLoader::resolveConfig(nlohmann::json{{"a", "$zz"}}, params), InputError);
}

// ---- files and directories ---------------------------------------------------------------------

TEST(LessonLoaderFiles, DirectorySortsCollectsErrorsAndRejectsDuplicateIds)
{
    TempDir dir;
    (void)dir.write("b.json", replaced(replaced(kBase, "\"demo\"", "\"beta\""), "\"order\": 5", "\"order\": 1"));
    (void)dir.write("a.json", replaced(kBase, "\"demo\"", "\"alpha\""));
    (void)dir.write("c.json", replaced(kBase, "\"demo\"", "\"gamma\""));
    const std::string dup = dir.write("d.json", replaced(kBase, "\"demo\"", "\"alpha\""));
    const std::string bad = dir.write("e.json", "{\"id\": ");
    (void)dir.write("notes.txt", "not a lesson");
    std::vector<std::string> errors;
    const auto lessons = LessonLoader::loadDirectory(dir.path(), &errors);
    ASSERT_EQ(lessons.size(), 3U);
    EXPECT_EQ(lessons[0].id, "beta"); // order 1 before order 5
    EXPECT_EQ(lessons[1].id, "alpha");
    EXPECT_EQ(lessons[2].id, "gamma");
    ASSERT_EQ(errors.size(), 2U);
    EXPECT_EQ(errors[0], dup + ":2:9: id: duplicate lesson id 'alpha', also in " + dir.path() +
                             "/a.json:2:9 (allowed: an id no other lesson has)");
    EXPECT_EQ(errors[1], bad + ":1:8: syntax error: unexpected end of file (allowed: a JSON value: object, array, "
                               "string, number, true, false or null)");
    EXPECT_THROW((void)LessonLoader::loadDirectory(dir.path()), InputError);
    std::vector<std::string> missing;
    EXPECT_TRUE(LessonLoader::loadDirectory(dir.path() + "/nope", &missing).empty());
    ASSERT_EQ(missing.size(), 1U);
    EXPECT_EQ(missing[0],
              dir.path() + "/nope: cannot read lessons: not a directory (allowed: a directory of .json lesson files)");
}

TEST(LessonLoaderFiles, FindByIdOrPath)
{
    TempDir dir;
    const std::string path = dir.write("first.json", replaced(kBase, "\"demo\"", "\"first\""));
    (void)dir.write("second.json", replaced(kBase, "\"demo\"", "\"second\""));
    (void)dir.write("broken.json", replaced(kBase, "\"order\": 5", "\"order\": x"));
    EXPECT_EQ(LessonLoader::find("second", dir.path()).id, "second");
    EXPECT_EQ(LessonLoader::find(path, dir.path()).id, "first");
    EXPECT_EQ(LessonLoader::find(path, dir.path()).path, path);
    const std::string bare = dir.write("plain", replaced(kBase, "\"demo\"", "\"plain\""));
    EXPECT_EQ(LessonLoader::find(bare, dir.path()).id, "plain"); // a path without .json
    try {
        (void)LessonLoader::find("thrid", dir.path());
        ADD_FAILURE() << "found an unknown id";
    } catch (const InputError& e) {
        const std::string message = e.what();
        EXPECT_EQ(message.substr(0, message.find('\n')),
                  "lesson 'thrid': unknown lesson id in " + dir.path() +
                      " (allowed: first, second; or the path of a .json lesson file)");
        EXPECT_NE(message.find("broken.json:5:12: syntax error"), std::string::npos);
    }
    // A file named after the id that fails to load: its own error says more than "unknown id".
    EXPECT_THROW(
        {
            try {
                (void)LessonLoader::find("broken", dir.path());
            } catch (const InputError& e) {
                EXPECT_EQ(std::string(e.what()).substr(0, dir.path().size() + 20), dir.path() + "/broken.json:5:12: s");
                throw;
            }
        },
        InputError);
    EXPECT_THROW((void)LessonLoader::find(dir.path() + "/missing.json", dir.path()), InputError);
    try {
        (void)LessonLoader::loadFile(dir.path());
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  dir.path() + ": cannot open: it is a directory (allowed: the path of a .json lesson file)");
    }
}

TEST(LessonLoaderFiles, DefaultDirectoryHonoursEnvironment)
{
    const char* old = std::getenv("LOCKSTEP_LESSONS");
    const std::string saved = old != nullptr ? old : "";
    ::setenv("LOCKSTEP_LESSONS", "/some/where", 1);
    EXPECT_EQ(LessonLoader::defaultDirectory(), "/some/where");
    ::unsetenv("LOCKSTEP_LESSONS");
    const std::string fallback = LessonLoader::defaultDirectory();
    if (fs::is_directory(LOCKSTEP_SOURCE_LESSONS)) {
        EXPECT_EQ(fallback, LOCKSTEP_SOURCE_LESSONS);
    } else {
        EXPECT_NE(fallback.find("share/lockstep/lessons"), std::string::npos);
    }
    if (old != nullptr)
        ::setenv("LOCKSTEP_LESSONS", saved.c_str(), 1);
}

// ---- robustness --------------------------------------------------------------------------------

// Every error a loader call can produce: "t.json:line:column: key: problem" on one line.
bool isLocated(const std::string& message)
{
    const auto digits = [&](std::size_t& i) {
        const std::size_t start = i;
        while (i < message.size() && message[i] >= '0' && message[i] <= '9')
            ++i;
        return i > start;
    };
    std::size_t i = 7;
    if (message.compare(0, 7, "t.json:") != 0 || !digits(i) || i >= message.size() || message[i++] != ':' ||
        !digits(i) || message.compare(i, 2, ": ") != 0)
        return false;
    const std::size_t rest = i + 2;
    return message.find('\n') == std::string::npos && message.find(": ", rest) != std::string::npos;
}

// True when the text loaded.
bool expectLoadsOrThrowsInputError(const std::string& text, std::uint32_t seed)
{
    try {
        const Lesson lesson = LessonLoader::loadString(text, "t.json");
        for (const auto& variant : lesson.variants) {
            try {
                const auto params = LessonLoader::resolveParams(lesson, variant, {});
                (void)LessonLoader::resolveConfig(lesson, variant, params);
            } catch (const InputError& e) {
                EXPECT_TRUE(isLocated(e.what())) << "seed " << seed << ": " << e.what();
            }
        }
        return true;
    } catch (const InputError& e) {
        EXPECT_TRUE(isLocated(e.what())) << "seed " << seed << ": " << e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "seed " << seed << ": unexpected exception " << e.what();
    }
    return false;
}

nlohmann::json randomValue(std::mt19937& rng, int depth)
{
    switch (rng() % (depth > 2 ? 8 : 10)) {
    case 0: return nullptr;
    case 1: return rng() % 2 == 0;
    case 2: return static_cast<std::int64_t>(rng() % 200) - 20;
    case 3: return std::ldexp(static_cast<double>(rng() % 1000) / 7.0, static_cast<int>(rng() % 2100) - 1050);
    case 4: return std::numeric_limits<std::int64_t>::max() - static_cast<std::int64_t>(rng() % 3);
    case 5: {
        static const char* kStrings[] = {"",      "int",  "choice", "threads",  "fds",     "$threads",     "$$x",
                                         "$nope", "fast", "slow",   "int-list", "seconds", "\xE7\xBA\xBF", "a\nb"};
        return kStrings[rng() % std::size(kStrings)];
    }
    case 6: return nlohmann::json::array();
    case 7: return nlohmann::json::object();
    case 8: {
        nlohmann::json a = nlohmann::json::array();
        for (std::uint32_t i = rng() % 4; i > 0; --i)
            a.push_back(randomValue(rng, depth + 1));
        return a;
    }
    default: {
        static const char* kKeys[] = {"en", "zh", "name", "type", "default", "min", "max", "limit", "id", "x"};
        nlohmann::json o = nlohmann::json::object();
        for (std::uint32_t i = rng() % 4; i > 0; --i)
            o[kKeys[rng() % std::size(kKeys)]] = randomValue(rng, depth + 1);
        return o;
    }
    }
}

// Replaces, deletes or adds a random node somewhere in `doc`.
void mutateStructure(nlohmann::json& doc, std::mt19937& rng)
{
    nlohmann::json* node = &doc;
    for (int steps = static_cast<int>(rng() % 6);
         steps > 0 && (node->is_object() || node->is_array()) && !node->empty(); --steps) {
        auto it = node->begin();
        std::advance(it, static_cast<long>(rng() % node->size()));
        node = &*it;
    }
    switch (rng() % 4) {
    case 0: *node = randomValue(rng, 0); break;
    case 1:
        if (node->is_object() && !node->empty()) {
            auto it = node->begin();
            std::advance(it, static_cast<long>(rng() % node->size()));
            node->erase(it);
        } else if (node->is_array() && !node->empty()) {
            node->erase(static_cast<std::size_t>(rng() % node->size()));
        }
        break;
    case 2:
        if (node->is_object())
            (*node)["min"] = randomValue(rng, 0);
        else if (node->is_array())
            node->push_back(randomValue(rng, 0));
        break;
    default:
        if (node->is_number_integer() && std::abs(node->get<std::int64_t>()) < 1'000'000'000'000)
            *node = node->get<std::int64_t>() * 1000 + 1;
        else if (node->is_string())
            *node = node->get<std::string>() + "x";
        break;
    }
}

void mutateText(std::string& text, std::mt19937& rng)
{
    static const std::string kTokens[] = {"{",
                                          "}",
                                          "[",
                                          "]",
                                          "\"",
                                          ",",
                                          ":",
                                          "\\",
                                          "1e999",
                                          "-",
                                          "99999999999999999999999",
                                          "null",
                                          "true",
                                          "\"$x\"",
                                          "\xFF",
                                          "\xC3",
                                          "\xED\xA0\x80",
                                          "\\ud800",
                                          "[[[[[[[[[[[[",
                                          "{\"a\":",
                                          "0.0",
                                          "-1",
                                          "1e-400",
                                          std::string(1, '\0'),
                                          "\t",
                                          "\n",
                                          "\"\\u0000\"",
                                          "/*",
                                          "65",
                                          "17",
                                          "16001",
                                          "-9007199254740993",
                                          "\xE7\xBA\xBF"};
    const std::size_t n = text.size();
    switch (rng() % 4) {
    case 0:
        if (n > 0)
            text[rng() % n] = static_cast<char>(rng() % 256);
        break;
    case 1:
        if (n > 0) {
            const std::size_t at = rng() % n;
            text.erase(at, std::min<std::size_t>(1 + rng() % 12, n - at));
        }
        break;
    case 2: text.insert(rng() % (n + 1), kTokens[rng() % std::size(kTokens)]); break;
    default:
        if (n > 0) {
            const std::size_t from = rng() % n;
            const std::string slice = text.substr(from, 1 + rng() % 40);
            text.insert(rng() % (n + 1), slice);
        }
        break;
    }
}

TEST(LessonLoaderRobustness, RandomTextMutationsLoadOrThrowInputError)
{
    for (std::uint32_t seed = 1; seed <= 3000; ++seed) {
        std::mt19937 rng(seed);
        std::string text = kBase;
        for (std::uint32_t k = 1 + rng() % 4; k > 0; --k)
            mutateText(text, rng);
        (void)expectLoadsOrThrowsInputError(text, seed);
    }
}

TEST(LessonLoaderRobustness, RandomStructuralMutationsLoadOrThrowInputError)
{
    const auto base = nlohmann::json::parse(kBase);
    int loaded = 0;
    for (std::uint32_t seed = 1; seed <= 2000; ++seed) {
        std::mt19937 rng(seed);
        nlohmann::json doc = base;
        for (std::uint32_t k = 1 + rng() % 3; k > 0; --k)
            mutateStructure(doc, rng);
        if (expectLoadsOrThrowsInputError(doc.dump(rng() % 2 == 0 ? -1 : 2), seed))
            ++loaded;
    }
    // The mutations must be mild enough that some still load, or the test would only see the first check.
    EXPECT_GT(loaded, 50);
}

TEST(LessonLoaderRobustness, RandomOverridesResolveOrThrowInputError)
{
    const Lesson lesson = LessonLoader::loadString(kBase, "t.json");
    static const std::string kTexts[] = {"",     "1",    "-1", "8",    "9",     "0.5",  "1e308", "inf",
                                         "nan",  "true", "0",  "fifo", "1,2,3", "1,,2", ",",     "99999999999999999999",
                                         "\xFF", " 4 ",  "+3", "0x10"};
    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i) {
        std::map<std::string, std::string> overrides;
        for (int k = static_cast<int>(rng() % 3); k >= 0; --k) {
            const auto& spec = lesson.params[rng() % lesson.params.size()];
            overrides[rng() % 10 == 0 ? spec.name + "x" : spec.name] = kTexts[rng() % std::size(kTexts)];
        }
        try {
            (void)LessonLoader::resolveParams(lesson, lesson.variants[rng() % 2], overrides);
        } catch (const InputError& e) {
            EXPECT_EQ(std::string(e.what()).substr(0, 8), "--param ") << e.what();
        }
    }
}

// ---- the real lessons --------------------------------------------------------------------------

TEST(LessonLoaderRealLessons, EveryLessonInTheSourceTreeLoads)
{
    const std::string dir = LOCKSTEP_SOURCE_LESSONS;
    std::error_code ec;
    bool any = false;
    for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
        any = any || it->path().extension() == ".json";
    if (!any)
        GTEST_SKIP() << "no lesson files in " << dir << " yet";
    std::vector<std::string> errors;
    const auto lessons = LessonLoader::loadDirectory(dir, &errors);
    for (const auto& error : errors)
        ADD_FAILURE() << error;
    for (const auto& lesson : lessons) {
        for (const auto& variant : lesson.variants) {
            try {
                const auto params = LessonLoader::resolveParams(lesson, variant, {});
                (void)LessonLoader::resolveConfig(lesson, variant, params);
            } catch (const InputError& e) {
                ADD_FAILURE() << lesson.id << "/" << variant.id << ": " << e.what();
            }
        }
        EXPECT_EQ(LessonLoader::find(lesson.id, dir).path, lesson.path);
    }
}

} // namespace
} // namespace lockstep
