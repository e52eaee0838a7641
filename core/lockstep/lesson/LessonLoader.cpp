#include "lockstep/lesson/LessonLoader.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/JsonPath.h"
#include "lockstep/lesson/JsonReader.h"
#include "lockstep/lesson/LessonParser.h"
#include "lockstep/lesson/ParamChecker.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace lockstep {

namespace fs = std::filesystem;

namespace {

std::string paramNames(const Lesson& lesson)
{
    std::string out;
    for (const auto& p : lesson.params)
        out += (out.empty() ? "" : ", ") + p.name;
    return out.empty() ? "none, this lesson has no parameters" : out;
}

std::size_t variantIndex(const Lesson& lesson, const Variant& variant)
{
    for (std::size_t i = 0; i < lesson.variants.size(); ++i) {
        if (&lesson.variants[i] == &variant || lesson.variants[i].id == variant.id)
            return i;
    }
    return 0;
}

// Replaces "$name" strings; `lesson` (may be null) locates errors at `pointer` in its file.
nlohmann::json substitute(const nlohmann::json& value, const nlohmann::json& params, const Lesson* lesson,
                          const std::string& pointer, const std::string& displayBase)
{
    if (value.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& item : value.items())
            out[item.key()] = substitute(item.value(), params, lesson, JsonPath::child(pointer, item.key()),
                                         displayBase + "." + JsonPath::printable(item.key(), 40));
        return out;
    }
    if (value.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (std::size_t i = 0; i < value.size(); ++i)
            out.push_back(substitute(value[i], params, lesson, JsonPath::child(pointer, i),
                                     displayBase + "[" + std::to_string(i) + "]"));
        return out;
    }
    if (value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        if (s.size() >= 2 && s[0] == '$' && s[1] == '$')
            return s.substr(1);
        if (!s.empty() && s[0] == '$') {
            const auto it = params.is_object() ? params.find(s.substr(1)) : params.end();
            if (it != params.end())
                return *it;
            std::string names;
            if (params.is_object()) {
                for (const auto& item : params.items())
                    names += (names.empty() ? "$" : ", $") + item.key();
            }
            const std::string where = lesson != nullptr ? lesson->locate(pointer) + ": " : std::string();
            throw InputError(where + displayBase + ": '" + JsonPath::printable(s) + "' names no parameter (allowed: " +
                             (names.empty() ? std::string("none, there are no parameters") : names) +
                             "; write $$ for a literal $)");
        }
    }
    return value;
}

} // namespace

Lesson LessonLoader::loadString(std::string_view text, const std::string& sourceName)
{
    const JsonDocument doc = JsonReader::parse(text, sourceName);
    try {
        return LessonParser(doc, sourceName).parse();
    } catch (const nlohmann::json::exception& e) {
        // Every access is checked first; this is a safety net so a slip can never crash a caller.
        throw InputError(sourceName + ": internal error while checking the lesson: " + e.what());
    }
}

Lesson LessonLoader::loadFile(const std::string& path)
{
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        throw InputError(path + ": cannot open: no such file (allowed: the path of a .json lesson file)");
    if (fs::is_directory(status))
        throw InputError(path + ": cannot open: it is a directory (allowed: the path of a .json lesson file)");
    if (!fs::is_regular_file(status))
        throw InputError(path + ": cannot open: not a regular file (allowed: the path of a .json lesson file)");
    const std::string sizeError = path + ": size: the file is larger than " + std::to_string(Limits::kMaxFileBytes) +
                                  " bytes (allowed: at most " + std::to_string(Limits::kMaxFileBytes) + " bytes)";
    const auto size = fs::file_size(path, ec);
    if (!ec && size > Limits::kMaxFileBytes)
        throw InputError(sizeError);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path + ": cannot open: " + std::strerror(errno));
    // Read at most one byte past the cap, in case the file grows while we read it.
    std::string text;
    text.resize(Limits::kMaxFileBytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad())
        throw InputError(path + ": cannot read: " + std::strerror(errno));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > Limits::kMaxFileBytes)
        throw InputError(sizeError);
    return loadString(text, path);
}

std::vector<Lesson> LessonLoader::loadDirectory(const std::string& dir, std::vector<std::string>* errors)
{
    std::vector<std::string> problems;
    std::vector<std::string> files;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        problems.push_back(dir + ": cannot read lessons: not a directory (allowed: a directory of .json lesson files)");
    } else {
        fs::directory_iterator it(dir, ec);
        if (ec)
            problems.push_back(dir + ": cannot read lessons: " + ec.message());
        for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::error_code typeError;
            if (it->path().extension() == ".json" && it->is_regular_file(typeError))
                files.push_back(it->path().string());
        }
        if (ec)
            problems.push_back(dir + ": cannot read lessons: " + ec.message());
    }
    std::sort(files.begin(), files.end());
    std::vector<Lesson> lessons;
    for (const auto& file : files) {
        try {
            Lesson lesson = loadFile(file);
            const auto same =
                std::find_if(lessons.begin(), lessons.end(), [&](const Lesson& l) { return l.id == lesson.id; });
            if (same != lessons.end()) {
                problems.push_back(lesson.locate("/id") + ": id: duplicate lesson id '" + lesson.id + "', also in " +
                                   same->locate("/id") + " (allowed: an id no other lesson has)");
                continue;
            }
            lessons.push_back(std::move(lesson));
        } catch (const InputError& e) {
            problems.emplace_back(e.what());
        }
    }
    std::stable_sort(lessons.begin(), lessons.end(), [](const Lesson& a, const Lesson& b) {
        return a.order != b.order ? a.order < b.order : a.id < b.id;
    });
    if (errors != nullptr) {
        errors->insert(errors->end(), problems.begin(), problems.end());
    } else if (!problems.empty()) {
        std::string message;
        for (const auto& p : problems)
            message += (message.empty() ? "" : "\n") + p;
        throw InputError(message);
    }
    return lessons;
}

std::string LessonLoader::defaultDirectory()
{
    if (const char* env = std::getenv("LOCKSTEP_LESSONS"); env != nullptr && *env != '\0')
        return env;
    std::error_code ec;
    // An installed copy first, wherever its prefix is (a .deb unpacked anywhere, cmake --install
    // --prefix): <prefix>/bin/lockstep reads <prefix>/share/lockstep/lessons. A build tree has no
    // such folder beside it and falls through to the source tree's lessons.
    if (const fs::path exe = fs::read_symlink("/proc/self/exe", ec); !ec) {
        const fs::path installed = (exe.parent_path() / ".." / "share" / "lockstep" / "lessons").lexically_normal();
        if (fs::is_directory(installed, ec))
            return installed.string();
    }
#ifdef LOCKSTEP_SOURCE_LESSONS
    if (fs::is_directory(LOCKSTEP_SOURCE_LESSONS, ec))
        return LOCKSTEP_SOURCE_LESSONS;
#endif
#ifdef LOCKSTEP_INSTALL_LESSONS
    if (fs::is_directory(LOCKSTEP_INSTALL_LESSONS, ec))
        return LOCKSTEP_INSTALL_LESSONS;
#endif
    return "share/lockstep/lessons";
}

Lesson LessonLoader::find(const std::string& idOrPath, const std::string& dir)
{
    std::error_code ec;
    const bool isJson = idOrPath.size() >= 5 && idOrPath.compare(idOrPath.size() - 5, 5, ".json") == 0;
    const bool isFile = !idOrPath.empty() && fs::is_regular_file(idOrPath, ec);
    // Something that looks like a path is one; a bare word is a lesson id first, so that a stray
    // file of that name in the working directory cannot shadow a lesson.
    if (isJson || (isFile && idOrPath.find('/') != std::string::npos))
        return loadFile(idOrPath);
    std::vector<std::string> problems;
    const auto lessons = loadDirectory(dir, &problems);
    for (const auto& lesson : lessons) {
        if (lesson.id == idOrPath)
            return lesson;
    }
    if (isFile)
        return loadFile(idOrPath);
    // A file named after the id that failed to load says more than "unknown lesson".
    const std::string namesake = (fs::path(dir) / (idOrPath + ".json")).string();
    for (const auto& problem : problems) {
        if (problem.compare(0, namesake.size() + 1, namesake + ":") == 0)
            throw InputError(problem);
    }
    std::string ids;
    for (const auto& lesson : lessons)
        ids += (ids.empty() ? "" : ", ") + lesson.id;
    std::string message = "lesson '" + JsonPath::printable(idOrPath) + "': unknown lesson id in " + dir +
                          " (allowed: " + (ids.empty() ? std::string("no lessons found there") : ids) +
                          "; or the path of a .json lesson file)";
    if (!problems.empty())
        message += "\n" + std::to_string(problems.size()) +
                   " lesson file(s) there failed to load, the first: " + problems.front();
    throw InputError(message);
}

nlohmann::json LessonLoader::resolveParams(const Lesson& lesson, const Variant& variant,
                                           const std::map<std::string, std::string>& overrides)
{
    nlohmann::json params = nlohmann::json::object();
    for (const auto& spec : lesson.params)
        params[spec.name] = spec.defaultValue;

    const std::size_t vi = variantIndex(lesson, variant);
    const std::string variantPointer = "/variants/" + std::to_string(vi) + "/params";
    const std::string variantDisplay = "variants[" + std::to_string(vi) + "].params.";
    if (variant.params.is_object()) {
        for (const auto& item : variant.params.items()) {
            if (lesson.param(item.key()) == nullptr) {
                throw InputError(lesson.locateKey(JsonPath::child(variantPointer, item.key())) + ": " + variantDisplay +
                                 JsonPath::printable(item.key(), 40) + ": unknown parameter '" +
                                 JsonPath::printable(item.key(), 40) + "' (allowed: " + paramNames(lesson) + ")");
            }
            params[item.key()] = item.value();
        }
    }

    for (const auto& [name, text] : overrides) {
        const std::string where =
            "--param " + JsonPath::printable(name, 40) + "=" + JsonPath::printable(text, 40) + ": ";
        const ParamSpec* spec = lesson.param(name);
        if (spec == nullptr) {
            throw InputError(where + "unknown parameter '" + JsonPath::printable(name, 40) +
                             "' (allowed: " + paramNames(lesson) + ")");
        }
        std::string error;
        const auto value = ParamChecker::parseText(*spec, text, error);
        if (!value)
            throw InputError(where + error);
        error = ParamChecker::check(*spec, *value, ParamChecker::Mode::Run);
        if (!error.empty())
            throw InputError(where + error);
        params[name] = *value;
    }

    // Defaults and variant values passed the file's checks when loaded; this machine's limits (and
    // lessons built in code) are judged here, each at the place the value came from.
    for (std::size_t i = 0; i < lesson.params.size(); ++i) {
        const ParamSpec& spec = lesson.params[i];
        if (overrides.count(spec.name) != 0)
            continue;
        const std::string error = ParamChecker::check(spec, params[spec.name], ParamChecker::Mode::Run);
        if (error.empty())
            continue;
        if (variant.params.is_object() && variant.params.contains(spec.name)) {
            throw InputError(lesson.locate(JsonPath::child(variantPointer, spec.name)) + ": " + variantDisplay +
                             spec.name + ": " + error);
        }
        const std::string pointer = "/parameters/" + std::to_string(i) + "/default";
        throw InputError(lesson.locate(pointer) + ": parameters[" + std::to_string(i) + "].default: " + error);
    }
    return params;
}

nlohmann::json LessonLoader::resolveConfig(const nlohmann::json& config, const nlohmann::json& params)
{
    return substitute(config, params, nullptr, "", "config");
}

nlohmann::json LessonLoader::resolveConfig(const Lesson& lesson, const Variant& variant, const nlohmann::json& params)
{
    const std::string index = std::to_string(variantIndex(lesson, variant));
    return substitute(variant.config, params, &lesson, "/variants/" + index + "/config",
                      "variants[" + index + "].config");
}

} // namespace lockstep
