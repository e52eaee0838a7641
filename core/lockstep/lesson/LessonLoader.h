#pragma once

#include "lockstep/lesson/Lesson.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

// Loads and validates lesson files. Every problem is an InputError whose message reads
// "file:line:column: key: what is wrong (allowed: ...)". Never crashes, whatever the input.
class LessonLoader {
public:
    static Lesson loadFile(const std::string& path);
    static Lesson loadString(std::string_view text, const std::string& sourceName);
    // All *.json lessons in `dir`, sorted by (order, id). Bad files (and lessons whose id another file
    // already has) are left out and reported in `errors`, one message each; with `errors` null they
    // are thrown instead, as one InputError listing them all, one per line.
    static std::vector<Lesson> loadDirectory(const std::string& dir, std::vector<std::string>* errors = nullptr);
    // The directory lessons are read from: $LOCKSTEP_LESSONS, else <dir of the executable>/../share/
    // lockstep/lessons (an installed copy, whatever its prefix), else the source tree's lessons/ (run
    // from a build tree), else the configured install prefix's share/lockstep/lessons.
    static std::string defaultDirectory();
    // `idOrPath` ends in ".json", or contains a '/' and names an existing file: load that file.
    // Otherwise it is a lesson id in `dir` (or, if no lesson has that id, an existing file of that
    // name); an unknown id is an InputError listing the known ones.
    static Lesson find(const std::string& idOrPath, const std::string& dir = defaultDirectory());

    // Resolve parameter values: lesson defaults, then the variant's overrides, then `overrides`
    // given as text ("k" -> "v" from the command line or GUI). Checks types and ranges, and the
    // machine's own limits (fds within RLIMIT_NOFILE) for every value, whatever its origin.
    // Errors read "--param k=v: what (allowed: ...)" or "file:line:column: key: what (allowed: ...)".
    static nlohmann::json resolveParams(const Lesson& lesson, const Variant& variant,
                                        const std::map<std::string, std::string>& overrides);
    // Substitute "$name" strings in a variant's config with resolved parameter values, at any depth
    // ("$$text" stands for the literal string "$text"). A "$name" naming no parameter is an InputError
    // (the loader already rejects those in lesson files).
    static nlohmann::json resolveConfig(const nlohmann::json& config, const nlohmann::json& params);
    // Same for `variant` of `lesson`, with errors located in the lesson file.
    static nlohmann::json resolveConfig(const Lesson& lesson, const Variant& variant, const nlohmann::json& params);
};

} // namespace lockstep
