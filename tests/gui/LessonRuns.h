#pragma once
// A real run of a shipped lesson for the view tests: the engine, not a script of expected events.

#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/LessonRunner.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace lockstep::viewtest {

inline RunResult runShipped(
    const std::string& lesson, const std::string& variant, std::map<std::string, std::string> params = {})
{
    RunRequest req;
    req.lesson = LessonLoader::find(lesson, LOCKSTEP_SOURCE_LESSONS);
    req.variant = variant;
    req.params = std::move(params);
    RunResult r = LessonRunner::runToEnd(std::move(req));
    EXPECT_TRUE(r.trace) << lesson << "/" << variant << ": " << r.error;
    return r;
}

} // namespace lockstep::viewtest
