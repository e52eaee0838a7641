// Coverage-guided fuzzing of the lesson loader with libFuzzer, for long runs by hand: `make fuzz`
// (FUZZ_SECONDS=600 for longer). The seeded mutation test in ctest (tests/core/test_lesson_fuzz.cpp)
// keeps the same promise on every build; this target explores further by following coverage.
// Whatever the bytes, the loader accepts the file or throws an InputError located inside it. Any
// other exception, a crash, a sanitizer report, a hang (-timeout) or a blow-up (-rss_limit_mb) is
// a finding: libFuzzer saves the input as crash-*/timeout-*/oom-* to replay with
// `build/fuzz/tests/fuzz/lesson_fuzzer FILE`.

#include "LocatedMessage.h"
#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/LessonLoader.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        lockstep::LessonLoader::loadString(text, "fuzz.json");
    } catch (const lockstep::InputError& e) {
        std::string why;
        if (!lockstep::fuzz::locatedInside(e.what(), "fuzz.json", text, &why)) {
            std::fprintf(stderr, "lesson_fuzzer: rejection %s: %.300s\n", why.c_str(), e.what());
            std::abort();
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lesson_fuzzer: not an InputError: %.300s\n", e.what());
        std::abort();
    }
    return 0;
}
