#pragma once
// Seeded damage to lesson files, the kinds a hand-edited or hostile file has: shared by the fuzz
// test of the loader (tests/core/test_lesson_fuzz.cpp) and of `lockstep-cli check`
// (tests/gui/test_cli_check_fuzz.cpp), so that both feed the same mutations.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace lockstep::fuzz {

// The text of every lesson file in `dir`, sorted, so a seed means the same cases everywhere.
inline std::vector<std::string> shippedLessons(const std::string& dir)
{
    std::vector<std::string> texts;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        texts.push_back(s.str());
    }
    std::sort(texts.begin(), texts.end());
    return texts;
}

// One mutation of `text`, chosen by `rng`: the kinds of damage a hand-edited or hostile file has.
inline std::string mutate(std::string text, std::mt19937_64& rng)
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

} // namespace lockstep::fuzz
