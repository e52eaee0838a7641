// Hostile lesson files: the reader's memory follows the file's size, not key length x values.
// Memory is measured as the growth of this process's peak RSS (VmHWM, reset through
// /proc/self/clear_refs), which does not depend on how busy the machine is.

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/JsonReader.h"
#include "lockstep/lesson/LessonLoader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace lockstep {
namespace {

long vmHwmKb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

// Resets the peak to the current RSS; false where the kernel does not allow it.
bool resetPeak()
{
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return static_cast<bool>(clear);
}

// One 200,000-character key above an array of 20,000 zeros (240 KB): the reader once kept the
// key's full pointer text for every element, 3.9 GB.
std::string longKeyFile()
{
    std::string s = "{\"" + std::string(200'000, 'a') + "\": [0";
    for (int i = 1; i < 20'000; ++i) s += ",0";
    return s + "]}";
}

TEST(HostileJson, LongKeyAboveManyValuesIsRejectedInLittleMemory)
{
    const std::string text = longKeyFile();
    const bool measurable = resetPeak();
    const long before = vmHwmKb();
    try {
        LessonLoader::loadString(text, "longkey.json");
        FAIL() << "a lesson with an unknown 200,000-character key was accepted";
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.rfind("longkey.json:1:2: ", 0), 0U) << what.substr(0, 200);
        EXPECT_LT(what.size(), 1000U) << "the message quotes the key in full";
    }
    if (!measurable || before < 0) GTEST_SKIP() << "peak RSS cannot be reset here (/proc/self/clear_refs)";
    const long grownMb = (vmHwmKb() - before) / 1024;
    std::printf("[ measured ] peak RSS grew by %ld MB checking a %zu-byte file\n", grownMb, text.size());
    EXPECT_LT(grownMb, 100) << "checking a 240 KB file must not take more than 100 MB";
}

TEST(HostileJson, LocationsAreFoundByPointerWithoutStoringPointers)
{
    const JsonDocument doc = JsonReader::parse("{\"a/b\": [1, {\"c~d\": true}],\n \"e\": \"x\"}", "t.json");
    const auto* element = doc.locations->find("/a~1b/1/c~0d");
    ASSERT_NE(element, nullptr);
    EXPECT_EQ(*element, std::make_pair(1, 21)); // the `t` of true
    const auto* key = doc.locations->findKey("/e");
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(*key, std::make_pair(2, 2));
    EXPECT_EQ(doc.locations->find("/a~1b/7"), nullptr);
    EXPECT_EQ(doc.locations->find("/nope"), nullptr);
    EXPECT_EQ(doc.locations->findKey("/a~1b/0"), nullptr) << "an array element has no key";
    EXPECT_EQ(doc.locations->size(), 6U);
}

} // namespace
} // namespace lockstep
