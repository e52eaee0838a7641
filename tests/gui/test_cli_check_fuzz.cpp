// `lockstep-cli check` on seeded mutations of every shipped lesson: the whole path a user's file
// takes (the loader, then every variant's engine config through the runner), in a real process.
// Each file is accepted (exit 0) or rejected with exit 2 and a message that starts with the
// file's path and a line:column inside it. No crash, no hang, no other exit code. The loader
// alone gets 100,000 such cases in LessonFuzz (core tests); this runs a sample end to end.

#include "../fuzz/LessonMutator.h"
#include "../fuzz/LocatedMessage.h"

#include <QProcess>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

namespace lockstep {
namespace {

TEST(CliCheckFuzz, MutatedLessonsExitZeroOrTwoWithALocation)
{
    const std::vector<std::string> lessons = fuzz::shippedLessons(LOCKSTEP_SOURCE_LESSONS);
    ASSERT_FALSE(lessons.empty());
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("fuzzed.json")).toStdString();
    const char* seedText = std::getenv("LOCKSTEP_FUZZ_SEED");
    const std::uint64_t seed = seedText != nullptr ? std::strtoull(seedText, nullptr, 10) : 20261204;
    std::mt19937_64 rng(seed);
    int accepted = 0, rejected = 0;
    constexpr int kCases = 160; // a process start each: about 20 s
    for (int i = 0; i < kCases; ++i) {
        const std::string text = fuzz::mutate(lessons[static_cast<std::size_t>(i) % lessons.size()], rng);
        {
            std::ofstream out(path, std::ios::binary | std::ios::trunc);
            out << text;
        }
        QProcess cli;
        cli.start(QStringLiteral(LOCKSTEP_CLI_PATH), {QStringLiteral("check"), QString::fromStdString(path)});
        ASSERT_TRUE(cli.waitForFinished(30'000)) << "case " << i << ": lockstep-cli check did not finish";
        const std::string err = cli.readAllStandardError().toStdString();
        SCOPED_TRACE("case " + std::to_string(i) + " (LOCKSTEP_FUZZ_SEED=" + std::to_string(seed) + "): " +
                     err.substr(0, 300));
        ASSERT_EQ(cli.exitStatus(), QProcess::NormalExit) << "crashed";
        if (cli.exitCode() == 0) {
            ++accepted;
            continue;
        }
        ASSERT_EQ(cli.exitCode(), 2);
        ++rejected;
        const std::string prefix = "lockstep-cli: ";
        ASSERT_EQ(err.rfind(prefix, 0), 0U);
        std::string why;
        EXPECT_TRUE(fuzz::locatedInside(err.substr(prefix.size()), path, text, &why)) << why;
    }
    std::printf("[ measured ] %d cases: %d accepted, %d rejected with a location\n", kCases, accepted, rejected);
    EXPECT_GT(rejected, 0); // the mutations do damage: a test that could not fail would say nothing
}

} // namespace
} // namespace lockstep
