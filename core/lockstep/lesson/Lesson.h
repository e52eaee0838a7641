#pragma once

#include "lockstep/lesson/JsonLocations.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lockstep {

enum class Lang : std::uint8_t { En, Zh };
[[nodiscard]] std::optional<Lang> langFromName(std::string_view name); // "en" | "zh"

struct LocalizedText {
    std::string en;
    std::string zh;
    [[nodiscard]] const std::string& get(Lang lang) const { return lang == Lang::Zh && !zh.empty() ? zh : en; }
};

enum class ParamType : std::uint8_t { Int, Float, Bool, Choice, String, IntList };
[[nodiscard]] std::string_view paramTypeName(ParamType t);
[[nodiscard]] std::optional<ParamType> paramTypeFromName(std::string_view name);

// The machine resource a numeric parameter counts; such a parameter is held to the hard caps in
// Limits whatever the lesson file says, so no lesson can exhaust the machine.
enum class ParamLimit : std::uint8_t { None, Threads, Processes, Fds, Seconds };
[[nodiscard]] std::string_view paramLimitName(ParamLimit l); // "" for None
[[nodiscard]] std::optional<ParamLimit> paramLimitFromName(std::string_view name);

struct ParamSpec {
    std::string name;
    ParamType type = ParamType::Int;
    nlohmann::json defaultValue;          // of the param's type
    std::optional<double> min, max;      // Int, Float, IntList elements
    std::vector<std::string> choices;    // Choice
    std::string unit;                    // "ms", "fds", ... (may be empty)
    LocalizedText label;                 // defaults to the name
    LocalizedText help;
    ParamLimit limit = ParamLimit::None;  // resource it counts; the loader sets min/max within the cap
};

struct NarrationStep {
    LocalizedText text;
    int line = 0;                         // Python line it talks about (0 = none)
    std::vector<std::string> variants;    // shown only for these variants (empty = all)
};

struct Variant {
    std::string id;
    LocalizedText title;
    LocalizedText description;
    nlohmann::json config = nlohmann::json::object(); // engine-specific; "$param" strings resolve to params
    nlohmann::json params = nlohmann::json::object(); // per-variant parameter default overrides
};

// A lesson file, validated. Positions of every JSON value are kept so that engine-specific checks
// made later (at run time) can still point at file:line:column.
struct Lesson {
    std::string id;
    std::string topic;
    std::string engine;
    int order = 0;
    LocalizedText title;
    LocalizedText summary;
    std::string python;                   // the snippet the lesson models
    double timeoutSeconds = 30;           // run time limit, 0 < t <= Limits::kMaxRunSeconds
    std::vector<NarrationStep> narration;
    std::vector<ParamSpec> params;
    std::vector<Variant> variants;
    std::string path;                     // file it was loaded from
    std::shared_ptr<const JsonLocations> locations; // where each value and key of the file sits

    [[nodiscard]] const Variant* variant(std::string_view id) const;
    [[nodiscard]] const ParamSpec* param(std::string_view name) const;
    // "path:line:column" of a JSON pointer (or of its nearest located parent).
    [[nodiscard]] std::string locate(const std::string& pointer) const;
    // Same, but of the member's key (for "unknown key" errors); falls back to locate().
    [[nodiscard]] std::string locateKey(const std::string& pointer) const;
};

// Hard caps no lesson file or parameter can exceed.
struct Limits {
    static constexpr int kMaxThreads = 64;
    static constexpr int kMaxProcesses = 16;
    static constexpr int kMaxFds = 16000;
    static constexpr int kMaxRunSeconds = 60;
    static constexpr double kDefaultRunSeconds = 30;
    static constexpr std::int64_t kMaxSafeInt = std::int64_t{1} << 53; // |int| <= 2^53: exact as a double
    static constexpr int kFdReserve = 128;             // fds kept free for the engine, stdio, trace files
    static constexpr int kMaxListLength = 256;         // elements of an int-list parameter
    static constexpr int kMaxNameLength = 64;          // ids and parameter names
    static constexpr int kMaxDepth = 64;               // JSON nesting in a lesson file
    static constexpr std::size_t kMaxFileBytes = std::size_t{4} << 20;
    static constexpr std::size_t kMaxValues = 200'000;  // JSON values in one lesson file

    // Hard cap of a resource (threads 64, processes 16, fds 16000, seconds 60).
    [[nodiscard]] static double cap(ParamLimit limit);
    // Fds a run may open now: RLIMIT_NOFILE (soft) minus kFdReserve, never above kMaxFds.
    [[nodiscard]] static std::int64_t usableFds();
    [[nodiscard]] static std::int64_t openFileLimit(); // RLIMIT_NOFILE soft limit (or a large number)
};

} // namespace lockstep
