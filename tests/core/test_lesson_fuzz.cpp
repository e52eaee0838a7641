// Seeded mutations of every shipped lesson through the loader: whatever the bytes, the loader
// either accepts the file or throws an InputError located as "source:line:column: ..." with the
// line and column inside the file. No crash, no hang, no other exception. Runs under ASan+UBSan
// in CI too. LOCKSTEP_FUZZ_SEED replays another set of mutations; LOCKSTEP_FUZZ_CASES scales it.

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/LessonLoader.h"

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

namespace fs = std::filesystem;

std::vector<std::string> shippedLessons()
{
    std::vector<std::string> texts;
    for (const auto& entry : fs::directory_iterator(LOCKSTEP_SOURCE_LESSONS)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        texts.push_back(s.str());
    }
    std::sort(texts.begin(), texts.end());
    return texts;
}

std::uint64_t envNumber(const char* name, std::uint64_t fallback)
{
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

// One mutation of `text`, chosen by `rng`: the kinds of damage a hand-edited or hostile file has.
std::string mutate(std::string text, std::mt19937_64& rng)
{
    auto pick = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
    const int rounds = 1 + static_cast<int>(rng() % 3);
    for (int r = 0; r < rounds; ++r) {
        const std::size_t at = pick(text.size() + 1);
        switch (rng() % 11) {
        case 0: text.resize(at); break; // truncation
        case 1: if (!text.empty()) text[pick(text.size())] ^= static_cast<char>(1u << (rng() % 8)); break;
        case 2: text.insert(at, std::string(1, static_cast<char>(rng() & 0xff))); break;
        case 3: if (at < text.size()) text.erase(at, 1 + pick(16)); break;
        case 4: text.insert(at, rng() % 2 ? "1e999999" : "-123456789012345678901234567890"); break; // huge numbers
        case 5: { // deep nesting
            const std::size_t depth = 1 + pick(200);
            text.insert(at, std::string(depth, '[') + "0" + std::string(rng() % 2 ? depth : depth / 2, ']'));
            break;
        }
        case 6: text.insert(at, "\"" + std::string(1 + pick(5000), 'k') + "\": 1,"); break; // long keys
        case 7: { // duplicate the first key of the file
            const std::size_t q = text.find('"');
            const std::size_t e = q == std::string::npos ? q : text.find('"', q + 1);
            if (e != std::string::npos) text.insert(q, text.substr(q, e - q + 1) + ": 0, ");
            break;
        }
        case 8: { // wrong types: replace a value by another kind
            static const char* kValues[] = {"null", "true", "[]", "{}", "\"x\"", "-0.5", "1.0", "2.0", "\"$nope\""};
            const std::size_t colon = text.find(':', at);
            if (colon != std::string::npos) {
                const std::size_t end = text.find_first_of(",}\n", colon + 1);
                text.replace(colon + 1, (end == std::string::npos ? text.size() : end) - colon - 1,
                             kValues[pick(std::size(kValues))]);
            }
            break;
        }
        case 9: { // bad UTF-8
            static const char* kBad[] = {"\xC0\xAF", "\xED\xA0\x80", "\xFF", "\xE2\x82", "\xF4\x90\x80\x80", "\\ud800"};
            text.insert(at, kBad[pick(std::size(kBad))]);
            break;
        }
        default: { // splice: a piece of the file copied elsewhere
            const std::size_t from = pick(text.size() + 1);
            text.insert(at, text.substr(from, pick(200)));
            break;
        }
        }
    }
    return text;
}

// "source:line:column: ..." with line and column inside `text`.
bool locatedInside(const std::string& message, const std::string& source, const std::string& text, std::string* why)
{
    if (message.rfind(source + ":", 0) != 0) {
        *why = "does not start with the file name";
        return false;
    }
    std::size_t pos = source.size() + 1;
    auto number = [&](long& out) {
        const std::size_t start = pos;
        while (pos < message.size() && message[pos] >= '0' && message[pos] <= '9') ++pos;
        if (pos == start || pos - start > 9 || pos >= message.size() || message[pos] != ':') return false;
        out = std::stol(message.substr(start, pos - start));
        ++pos;
        return true;
    };
    long line = 0, column = 0;
    if (!number(line) || !number(column)) {
        *why = "no line:column";
        return false;
    }
    const long lines = 1 + static_cast<long>(std::count(text.begin(), text.end(), '\n'));
    if (line < 1 || column < 1 || line > lines || column > static_cast<long>(text.size()) + 1) {
        *why = "line:column outside the file";
        return false;
    }
    return true;
}

TEST(LessonFuzz, MutatedLessonsAreAcceptedOrRejectedWithALocation)
{
    const std::vector<std::string> lessons = shippedLessons();
    ASSERT_FALSE(lessons.empty());
    const std::uint64_t seed = envNumber("LOCKSTEP_FUZZ_SEED", 20261203);
    const std::uint64_t cases = envNumber("LOCKSTEP_FUZZ_CASES", 100'000);
    std::mt19937_64 rng(seed);
    std::uint64_t accepted = 0, rejected = 0;
    for (std::uint64_t i = 0; i < cases; ++i) {
        const std::string text = mutate(lessons[i % lessons.size()], rng);
        try {
            LessonLoader::loadString(text, "fuzz.json");
            ++accepted;
        } catch (const InputError& e) {
            ++rejected;
            std::string why;
            if (!locatedInside(e.what(), "fuzz.json", text, &why)) {
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
