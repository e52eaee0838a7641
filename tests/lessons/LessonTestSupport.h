#pragma once

#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/LessonRunner.h"

#include <cstdio>
#include <map>
#include <memory>
#include <string>

namespace lockstep::test {

inline RunResult runLesson(const std::string& id, const std::string& variant,
                           std::map<std::string, std::string> params = {}, Lang lang = Lang::En,
                           std::uint64_t seed = 1)
{
    RunRequest req;
    req.lesson = LessonLoader::find(id, LOCKSTEP_SOURCE_LESSONS);
    req.variant = variant;
    req.params = std::move(params);
    req.lang = lang;
    req.seed = seed;
    return LessonRunner::runToEnd(std::move(req));
}

inline bool havePython()
{
    return std::system("python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)' >/dev/null 2>&1") == 0;
}

// Runs `python3 <tests/python/script> args...` and returns its standard output.
inline std::string runPython(const std::string& script, const std::string& args)
{
    const std::string cmd = "python3 " + std::string(LOCKSTEP_TEST_PYTHON_DIR) + "/" + script + " " + args;
    std::string out;
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
        char buf[4096];
        std::size_t n;
        while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
        ::pclose(p);
    }
    return out;
}

} // namespace lockstep::test
