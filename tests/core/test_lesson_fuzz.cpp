// Seeded mutations of every shipped lesson through the loader: whatever the bytes, the loader
// either accepts the file or throws an InputError located as "source:line:column: ..." with the
// line and column inside the file. No crash, no hang, no other exception. Runs under ASan+UBSan
// in CI too. LOCKSTEP_FUZZ_SEED replays another set of mutations; LOCKSTEP_FUZZ_CASES scales it.
// For coverage-guided runs by hand, `make fuzz` builds tests/fuzz/lesson_fuzzer.cpp (libFuzzer).

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/LessonLoader.h"
#include "../fuzz/LessonMutator.h"
#include "../fuzz/LocatedMessage.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace lockstep {
namespace {


// The loader is single-threaded, so ThreadSanitizer has nothing to find in it, and under TSan a
// case costs ~20x more: 100,000 cases took over the 300 s limit in CI. The full count runs in the
// plain and ASan+UBSan builds (the memory errors a hostile file could cause); TSan runs a sample.
#if defined(__SANITIZE_THREAD__)
constexpr std::uint64_t kDefaultCases = 5'000;
#else
constexpr std::uint64_t kDefaultCases = 100'000;
#endif

std::uint64_t envNumber(const char* name, std::uint64_t fallback)
{
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

TEST(LessonFuzz, MutatedLessonsAreAcceptedOrRejectedWithALocation)
{
    const std::vector<std::string> lessons = fuzz::shippedLessons(LOCKSTEP_SOURCE_LESSONS);
    ASSERT_FALSE(lessons.empty());
    const std::uint64_t seed = envNumber("LOCKSTEP_FUZZ_SEED", 20261203);
    const std::uint64_t cases = envNumber("LOCKSTEP_FUZZ_CASES", kDefaultCases);
    std::mt19937_64 rng(seed);
    std::uint64_t accepted = 0, rejected = 0;
    for (std::uint64_t i = 0; i < cases; ++i) {
        const std::string text = fuzz::mutate(lessons[i % lessons.size()], rng);
        try {
            LessonLoader::loadString(text, "fuzz.json");
            ++accepted;
        } catch (const InputError& e) {
            ++rejected;
            std::string why;
            if (!fuzz::locatedInside(e.what(), "fuzz.json", text, &why)) {
                ADD_FAILURE() << "case " << i << " (LOCKSTEP_FUZZ_SEED=" << seed << "): " << why << ": "
                              << std::string(e.what()).substr(0, 300);
                if (::testing::Test::HasFailure() && rejected > 20) break;
            }
        } catch (const std::exception& e) {
            ADD_FAILURE() << "case " << i << " (LOCKSTEP_FUZZ_SEED=" << seed << "): not an InputError: " << e.what();
            break;
        }
    }
    std::printf("[ measured ] %llu cases: %llu accepted, %llu rejected with a location\n",
                static_cast<unsigned long long>(cases), static_cast<unsigned long long>(accepted),
                static_cast<unsigned long long>(rejected));
}

} // namespace
} // namespace lockstep
