// The `lockstep` executable's scripted mode: --screenshot runs the lesson to its end, writes the
// whole window as a PNG and exits 0; bad input exits 2 with a message.

#include <gtest/gtest.h>

#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <set>

namespace {

struct Result {
    int exitCode = -1;
    QString stderrText;
    bool finished = false;
};

Result runGui(const QStringList& args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("LOCKSTEP_LESSONS"), QStringLiteral(LOCKSTEP_SOURCE_LESSONS));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(LOCKSTEP_GUI_PATH), args);
    Result r;
    if (!p.waitForStarted(30'000)) return r;
    r.finished = p.waitForFinished(180'000);
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.stderrText = QString::fromLocal8Bit(p.readAllStandardError());
    return r;
}

} // namespace

TEST(WindowCli, ScreenshotRunsTheLessonAndWritesThePng)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString png = dir.filePath(QStringLiteral("counter.png"));
    const Result r = runGui({QStringLiteral("--lesson"), QStringLiteral("counter"), QStringLiteral("--variant"),
                             QStringLiteral("with-lock"), QStringLiteral("--param"), QStringLiteral("increments=300"),
                             QStringLiteral("--run"), QStringLiteral("--screenshot"), png});
    ASSERT_TRUE(r.finished);
    EXPECT_EQ(r.exitCode, 0) << r.stderrText.toStdString();
    const QImage img(png);
    ASSERT_FALSE(img.isNull());
    EXPECT_EQ(img.size(), QSize(1920, 1080));
    std::set<QRgb> colours;
    for (int y = 0; y < img.height(); y += 11)
        for (int x = 0; x < img.width(); x += 13) colours.insert(img.pixel(x, y));
    EXPECT_GT(colours.size(), 20u);
}

TEST(WindowCli, BadInputExitsTwoWithAMessage)
{
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("x.png"));
    const QStringList shot = {QStringLiteral("--run"), QStringLiteral("--screenshot"), png};
    struct Case {
        QStringList args;
        const char* mentions;
    };
    const Case cases[] = {
        {QStringList{QStringLiteral("--lesson"), QStringLiteral("no-such-lesson")} + shot, "no-such-lesson"},
        {QStringList{QStringLiteral("--lesson"), QStringLiteral("counter"), QStringLiteral("--variant"), QStringLiteral("zzz")} + shot, "zzz"},
        {QStringList{QStringLiteral("--lesson"), QStringLiteral("counter"), QStringLiteral("--param"), QStringLiteral("threads=9999")} + shot, "threads"},
        {QStringList{QStringLiteral("--lesson"), QStringLiteral("counter"), QStringLiteral("--param"), QStringLiteral("nope=1")} + shot, "nope"},
        {QStringList{QStringLiteral("--lesson"), QStringLiteral("counter"), QStringLiteral("--param"), QStringLiteral("threads")} + shot, "k=v"},
        {QStringList{QStringLiteral("--lesson"), QStringLiteral("counter"), QStringLiteral("--lang"), QStringLiteral("fr")} + shot, "fr"},
        {QStringList{QStringLiteral("--lesson"), QStringLiteral("counter"), QStringLiteral("--seed"), QStringLiteral("-3")} + shot, "seed"},
        {QStringList{QStringLiteral("--bogus")}, "bogus"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.args.join(QLatin1Char(' ')).toStdString());
        const Result r = runGui(c.args);
        ASSERT_TRUE(r.finished);
        EXPECT_EQ(r.exitCode, 2) << r.stderrText.toStdString();
        EXPECT_TRUE(r.stderrText.contains(QString::fromLatin1(c.mentions))) << r.stderrText.toStdString();
        EXPECT_FALSE(QFileInfo::exists(png));
    }
}
