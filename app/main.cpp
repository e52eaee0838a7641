// lockstep: the desktop app. Opens the window on the last (or given) lesson; with --screenshot it
// runs the lesson to its end, saves the whole window as an image and exits (scripted slides/tests).
//
// Exit status: 0 fine, 1 the screenshot could not be written or the run never ended, 2 bad input
// (unknown option, lesson, variant or parameter) with a message on stderr, 130/143 SIGINT/SIGTERM
// (the window closed as if by its close button: the run interrupted, joined and reaped).

#include "gui/DisplayProbe.h"
#include "gui/LessonPage.h"
#include "gui/MainWindow.h"
#include "gui/ParameterPanel.h"
#include "gui/RunController.h"

#include "lockstep/lesson/Lesson.h"
#include "lockstep/runner/SignalWatcher.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;
// Lessons stop themselves within 60 s; this only catches a run that never reports its end.
constexpr int kScreenshotWatchdogMs = 120'000;

int fail(int code, const QString& message)
{
    std::fprintf(stderr, "lockstep: %s\n", message.toLocal8Bit().constData());
    return code;
}

struct Arguments {
    QString lesson;
    QString variant;
    std::map<std::string, std::string> params;
    std::uint64_t seed = 1;
    std::optional<lockstep::Lang> lang;
    std::optional<bool> dark;
    bool run = false;
    bool presenter = false;
    QString screenshot;
    QSize size{1920, 1080};
};

// Returns an error message, or empty when the arguments are fine. --help and --version print and
// set `done`. Needs only a QCoreApplication, so that they work without a display.
QString parseArguments(const QStringList& arguments, Arguments& args, bool& done)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Lockstep teaches concurrency by running real concurrent code and animating the trace."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption lesson(QStringLiteral("lesson"), QStringLiteral("Open lesson ID (or a lesson file)."),
                                    QStringLiteral("ID"));
    const QCommandLineOption variant(QStringLiteral("variant"), QStringLiteral("Select variant V."), QStringLiteral("V"));
    const QCommandLineOption param(QStringLiteral("param"), QStringLiteral("Set parameter k to v (repeatable)."),
                                   QStringLiteral("k=v"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed for the step gate (default 1)."),
                                  QStringLiteral("N"));
    const QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("Language: en or zh."), QStringLiteral("en|zh"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("Theme: light or dark."),
                                   QStringLiteral("light|dark"));
    const QCommandLineOption run(QStringLiteral("run"), QStringLiteral("Start a live run at once."));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Run the lesson to its end, save the whole window to FILE (PNG) and exit."),
        QStringLiteral("FILE.png"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size for --screenshot (default 1920x1080)."),
                                  QStringLiteral("WxH"));
    const QCommandLineOption presenter(QStringLiteral("presenter"), QStringLiteral("Presenter mode: larger type."));
    parser.addOptions({lesson, variant, param, seed, lang, theme, run, screenshot, size, presenter});

    if (!parser.parse(arguments)) return parser.errorText();
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        done = true;
        return {};
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("lockstep %s\n", qPrintable(QCoreApplication::applicationVersion()));
        done = true;
        return {};
    }
    if (!parser.positionalArguments().isEmpty())
        return QStringLiteral("unexpected argument '%1' (options: --lesson, --variant, --param, --seed, --lang, "
                              "--theme, --run, --screenshot, --size, --presenter)")
            .arg(parser.positionalArguments().first());

    args.lesson = parser.value(lesson);
    args.variant = parser.value(variant);
    for (const QString& kv : parser.values(param)) {
        const auto eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0) return QStringLiteral("--param %1: expected k=v").arg(kv);
        args.params[kv.left(eq).toStdString()] = kv.mid(eq + 1).toStdString();
    }
    if (parser.isSet(seed)) {
        bool ok = false;
        args.seed = parser.value(seed).toULongLong(&ok);
        if (!ok) return QStringLiteral("--seed %1: expected a non-negative integer").arg(parser.value(seed));
    }
    if (parser.isSet(lang)) {
        args.lang = lockstep::langFromName(parser.value(lang).toStdString());
        if (!args.lang) return QStringLiteral("--lang %1: unknown language (allowed: en, zh)").arg(parser.value(lang));
    }
    if (parser.isSet(theme)) {
        const QString t = parser.value(theme);
        if (t != QLatin1String("light") && t != QLatin1String("dark"))
            return QStringLiteral("--theme %1: unknown theme (allowed: light, dark)").arg(t);
        args.dark = t == QLatin1String("dark");
    }
    args.run = parser.isSet(run);
    args.presenter = parser.isSet(presenter);
    args.screenshot = parser.value(screenshot);
    if (parser.isSet(screenshot)) {
        if (args.screenshot.isEmpty()) return QStringLiteral("--screenshot: expected a file name");
        const QFileInfo info(args.screenshot);
        if (!info.absoluteDir().exists())
            return QStringLiteral("--screenshot %1: directory %2 does not exist").arg(args.screenshot, info.absolutePath());
        if (info.suffix().compare(QLatin1String("png"), Qt::CaseInsensitive) != 0)
            return QStringLiteral("--screenshot %1: the file name must end in .png").arg(args.screenshot);
    }
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        bool okW = false, okH = false;
        const int w = wh.value(0).toInt(&okW), h = wh.value(1).toInt(&okH);
        if (wh.size() != 2 || !okW || !okH || w < 640 || h < 480 || w > 7680 || h > 4320)
            return QStringLiteral("--size %1: expected WxH between 640x480 and 7680x4320").arg(parser.value(size));
        args.size = QSize(w, h);
    }
    return {};
}

// What `make run` says without a display: the window needs one, the CLI and a virtual display
// do not.
void printNoDisplayHelp(const std::string& reason, const QString& appDir)
{
    // Name the programs as the user can type them: bare when their folder is on PATH.
    const QStringList path = qEnvironmentVariable("PATH").split(QLatin1Char(':'));
    const std::string dir = path.contains(appDir) ? std::string() : appDir.toStdString() + "/";
    const std::string gui = dir + "lockstep", cli = dir + "lockstep-cli";
    std::fprintf(stderr,
                 "lockstep: cannot open the window: %s.\n"
                 "  Run it on a virtual display:\n"
                 "    xvfb-run -a -s '-screen 0 1920x1080x24' %s\n"
                 "  or take a screenshot without any display (offscreen):\n"
                 "    %s --lesson deadlock --run --screenshot deadlock.png\n"
                 "  or use the headless CLI:\n"
                 "    %s list\n"
                 "    %s run deadlock --variant opposite-order --summary - --png deadlock.png\n",
                 reason.c_str(), gui.c_str(), gui.c_str(), cli.c_str(), cli.c_str());
}

} // namespace

int main(int argc, char** argv)
{
    // A lesson's peer that closes early must be an EPIPE error (as CPython sees it), not a SIGPIPE
    // that kills the window.
    std::signal(SIGPIPE, SIG_IGN);
    // Before QApplication or any run starts a thread: all of them inherit the mask, so SIGINT and
    // SIGTERM reach only the watcher below. Until it exists they stay pending, not lost.
    lockstep::SignalWatcher::blockTerminationSignals();
    QCoreApplication::setOrganizationName(QStringLiteral("Lockstep"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("lockstep.github.io"));
    QCoreApplication::setApplicationName(QStringLiteral("Lockstep"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    // The command line first, with no GUI: --help, --version and bad options must work over SSH.
    Arguments args;
    QString appDir;
    {
        QCoreApplication parsing(argc, argv);
        appDir = QCoreApplication::applicationDirPath();
        bool done = false;
        if (const QString error = parseArguments(QCoreApplication::arguments(), args, done); !error.isEmpty())
            return fail(kExitBadInput, error);
        if (done) return 0;
    }
    const bool scripted = !args.screenshot.isEmpty();
    if (const auto display = lockstep::ui::DisplayProbe::probe(); !display.available) {
        // A scripted screenshot draws into an image, which needs no display.
        if (!scripted) {
            printNoDisplayHelp(display.reason, appDir);
            return kExitFailure;
        }
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }

    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("Lockstep"));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.lockstep.Lockstep"));

    lockstep::ui::MainWindow::Options options;
    options.persistSettings = !scripted;  // a scripted screenshot neither reads nor changes the user's setup
    options.lang = args.lang;
    options.dark = args.dark;
    if (args.presenter || scripted) options.presenter = args.presenter;
    options.seed = args.seed;
    options.animations = !scripted;
    lockstep::ui::MainWindow window(options);

    QString error;
    if (!args.lesson.isEmpty() && !window.openLesson(args.lesson, &error)) return fail(kExitBadInput, error);
    if (!args.variant.isEmpty() && !window.selectVariant(args.variant, &error)) return fail(kExitBadInput, error);
    if (!args.params.empty() && !window.page()->parameters()->setValues(args.params, &error) && scripted)
        return fail(kExitBadInput, error);
    if (scripted && !window.currentLesson()) return fail(kExitBadInput, QStringLiteral("--screenshot: no lesson to run"));

    if (scripted) window.resize(args.size);
    window.show();

    // A signal closes the window as its close button would (closeEvent interrupts the run and
    // joins it), on the GUI thread; a second one exits at once (SignalWatcher).
    const lockstep::SignalWatcher watcher([&window](int signo) {
        QMetaObject::invokeMethod(
            &window,
            [&window, signo] {
                window.close();
                QApplication::exit(lockstep::SignalWatcher::exitCode(signo));
            },
            Qt::QueuedConnection);
    });
    const auto exec = [&watcher]() {
        const int code = QApplication::exec();
        return watcher.received() != 0 ? lockstep::SignalWatcher::exitCode(watcher.received()) : code;
    };

    if (!args.run && !scripted) return exec();

    // Validation errors (a parameter out of range, a config the engine refuses) come back from
    // startRun before any thread starts.
    if (!window.startRun(args.params, false, &error)) {
        if (scripted) return fail(kExitBadInput, error);
        std::fprintf(stderr, "lockstep: %s\n", error.toLocal8Bit().constData());
    }
    if (!scripted) return exec();

    int status = kExitFailure;
    QObject::connect(window.controller(), &lockstep::ui::RunController::runFinished, &window, [&] {
        // Let the views and the tab bar take the final trace before the picture is taken.
        QApplication::processEvents();
        QApplication::processEvents();
        const QImage image = window.grab().toImage();
        QImageWriter writer(args.screenshot, "png");
        if (image.isNull() || !writer.write(image)) {
            fail(kExitFailure, QStringLiteral("--screenshot %1: %2").arg(args.screenshot, writer.errorString()));
            status = kExitFailure;
        } else {
            status = 0;
            const auto* c = window.controller();
            std::printf("lockstep: %s/%s: %s, %zu events, slowest GUI frame %.2f ms, saved %s\n",
                        window.currentLesson()->id.c_str(), qPrintable(window.page()->currentVariant()),
                        c->result() ? lockstep::runOutcomeName(c->result()->outcome) : "?", c->eventCount(),
                        c->maxFrameMs(), qPrintable(args.screenshot));
        }
        QApplication::exit(status);
    });
    QTimer::singleShot(kScreenshotWatchdogMs, &window, [&] {
        fail(kExitFailure, QStringLiteral("--screenshot: the run did not end within %1 s").arg(kScreenshotWatchdogMs / 1000));
        QApplication::exit(kExitFailure);
    });
    const int code = exec();
    return watcher.received() != 0 ? code : status;
}
