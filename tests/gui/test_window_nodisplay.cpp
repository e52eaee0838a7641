// The `lockstep` executable with no display (over SSH, in CI): the command line works, a window
// start says what to do and exits 1 instead of Qt's abort, a scripted screenshot still works.

#include <gtest/gtest.h>

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

namespace {

struct Result {
    bool finished = false;
    bool crashed = false;
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs `program` with no display at all, or with DISPLAY set to `display`.
Result runWithoutDisplay(const QString& program, const QStringList& args, const QString& display = {})
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    if (!display.isEmpty()) env.insert(QStringLiteral("DISPLAY"), display);
    env.insert(QStringLiteral("LOCKSTEP_LESSONS"), QStringLiteral(LOCKSTEP_SOURCE_LESSONS));
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    Result r;
    if (!p.waitForStarted(30'000)) return r;
    r.finished = p.waitForFinished(120'000);
    r.crashed = p.exitStatus() != QProcess::NormalExit;
    r.exitCode = p.exitCode();
    r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
    r.err = QString::fromLocal8Bit(p.readAllStandardError());
    return r;
}

const QString kGui = QStringLiteral(LOCKSTEP_GUI_PATH);
const QString kCli = QStringLiteral(LOCKSTEP_CLI_PATH);

// An X display number nothing listens on.
QString deadDisplay()
{
    for (int n = 97; n < 200; ++n)
        if (!QFile::exists(QStringLiteral("/tmp/.X11-unix/X%1").arg(n))) return QStringLiteral(":%1").arg(n);
    return QStringLiteral(":199");
}

} // namespace

TEST(NoDisplay, HelpAndVersionPrintAndExitZero)
{
    for (const QString& program : {kGui, kCli}) {
        SCOPED_TRACE(program.toStdString());
        const Result help = runWithoutDisplay(program, {QStringLiteral("--help")});
        ASSERT_TRUE(help.finished);
        EXPECT_FALSE(help.crashed) << help.err.toStdString();
        EXPECT_EQ(help.exitCode, 0) << help.err.toStdString();
        EXPECT_TRUE(help.out.contains(QStringLiteral("--lesson")) || help.out.contains(QStringLiteral("--variant")))
            << help.out.toStdString();
        const Result version = runWithoutDisplay(program, {QStringLiteral("--version")});
        ASSERT_TRUE(version.finished);
        EXPECT_EQ(version.exitCode, 0) << version.err.toStdString();
        EXPECT_TRUE(version.out.contains(QStringLiteral("0.1.0"))) << version.out.toStdString();
    }
}

TEST(NoDisplay, BadOptionExitsTwoWithAMessage)
{
    const Result r = runWithoutDisplay(kGui, {QStringLiteral("--bogus")});
    ASSERT_TRUE(r.finished);
    EXPECT_FALSE(r.crashed);
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("bogus"))) << r.err.toStdString();
}

TEST(NoDisplay, WindowStartSaysWhatToDoAndExitsOne)
{
    // Neither variable set, then a DISPLAY left over from a session whose X server is gone.
    for (const QString& display : {QString(), deadDisplay()}) {
        SCOPED_TRACE(display.toStdString());
        const Result r = runWithoutDisplay(kGui, {QStringLiteral("--lesson"), QStringLiteral("counter")}, display);
        ASSERT_TRUE(r.finished);
        EXPECT_FALSE(r.crashed) << "aborted instead of explaining: " << r.err.toStdString();
        EXPECT_EQ(r.exitCode, 1) << r.err.toStdString();
        EXPECT_TRUE(r.err.contains(QStringLiteral("cannot open the window"))) << r.err.toStdString();
        EXPECT_TRUE(r.err.contains(QStringLiteral("xvfb-run"))) << r.err.toStdString();
        EXPECT_TRUE(r.err.contains(QStringLiteral("lockstep-cli"))) << r.err.toStdString();
        if (!display.isEmpty()) {
            EXPECT_TRUE(r.err.contains(display)) << r.err.toStdString();
        }
    }
}

TEST(NoDisplay, ScriptedScreenshotNeedsNoDisplay)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString png = dir.filePath(QStringLiteral("counter.png"));
    const Result r = runWithoutDisplay(kGui, {QStringLiteral("--lesson"), QStringLiteral("counter"), QStringLiteral("--param"),
                                              QStringLiteral("increments=200"), QStringLiteral("--run"),
                                              QStringLiteral("--screenshot"), png});
    ASSERT_TRUE(r.finished);
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_FALSE(QImage(png).isNull());
}
