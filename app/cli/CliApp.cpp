#include "cli/CliApp.h"

#include "lockstep/engine/Cancelled.h"
#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/runner/LessonRunner.h"
#include "lockstep/runner/SignalWatcher.h"
#include "lockstep/trace/ChromeTraceWriter.h"
#include "render/Palette.h"
#include "render/TimelineExporter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QGuiApplication>

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>

using namespace lockstep;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

std::string str(const QString& s) { return s.toStdString(); }

// What SIGINT/SIGTERM stops. Until a run has started there is nothing to clean up, so the
// watcher exits at once; once it has, the signal cancels it (outcome `interrupted`) and the
// run's files are still written before the process exits with 130/143.
struct StopTarget {
    std::mutex mutex;
    lockstep::LessonRunner* runner = nullptr;
};
StopTarget g_stop;

void onTerminationSignal(int signo)
{
    std::lock_guard lock(g_stop.mutex);
    if (!g_stop.runner) ::_exit(SignalWatcher::exitCode(signo));
    g_stop.runner->cancel(RunOutcome::Interrupted);
}

// Starts the runner and makes it what a signal stops, for as long as this lives. Both under the
// lock: a signal during start() waits for it and then cancels, rather than _exit with threads up.
class StartedRun {
public:
    explicit StartedRun(LessonRunner& runner)
    {
        std::lock_guard lock(g_stop.mutex);
        runner.start();
        g_stop.runner = &runner;
    }
    ~StartedRun()
    {
        std::lock_guard lock(g_stop.mutex);
        g_stop.runner = nullptr;
    }
    StartedRun(const StartedRun&) = delete;
    StartedRun& operator=(const StartedRun&) = delete;
};

int fail(const std::string& message)
{
    std::cerr << "lockstep-cli: " << message << '\n';
    return kExitBadInput;
}

const char* kUsage =
    "usage: lockstep-cli <command> [options]\n"
    "\n"
    "commands:\n"
    "  list [--json]                 every lesson: id, topic, title and variants\n"
    "  run <id|path> [options]       run a lesson variant on the real engine\n"
    "  check <id|path>               validate a lesson file (schema, parameters, every variant's config)\n"
    "\n"
    "run options:\n"
    "  --variant V                   variant id (default: the lesson's first)\n"
    "  --param k=v                   set a parameter (repeatable)\n"
    "  --seed N                      seed for every deterministic choice (default 1)\n"
    "  --timeout S                   stop the run after S seconds (at most 60)\n"
    "  --max-events N                stop the run once its trace holds N events (default 20000000)\n"
    "  --max-memory-mb M             stop the run once the process uses M MB (default 1536)\n"
    "  --lang en|zh                  language of titles and narration (default en)\n"
    "  --trace FILE                  write the trace as Chrome Trace Event JSON (opens in Perfetto)\n"
    "  --summary FILE                write the lesson's metrics as JSON ('-' for stdout)\n"
    "  --png FILE                    export the timeline as PNG (headless)\n"
    "  --svg FILE                    export the timeline as SVG (headless)\n"
    "  --scale N                     PNG scale for projectors: 1, 2 or 4 (default 1)\n"
    "  --width PX                    export width in pixels (default 1920)\n"
    "  --cursor MS                   draw the cursor at MS ms (and the process tree as it was then)\n"
    "  --theme light|dark            colours of the PNG/SVG export (default light)\n"
    "  --lessons DIR                 read lessons from DIR (default: $LOCKSTEP_LESSONS or the installed ones)\n"
    "\n"
    "SIGINT/SIGTERM interrupt a run: its files are still written, then the exit status is 130/143.\n";

bool writeText(const std::string& path, const std::string& text, std::string* error)
{
    if (path == "-") {
        std::cout << text << std::flush;
        return true;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
        *error = path + ": cannot write";
        return false;
    }
    return true;
}

int listLessons(const QCommandLineParser& parser, const std::string& dir)
{
    std::vector<std::string> errors;
    const auto lessons = LessonLoader::loadDirectory(dir, &errors);
    for (const auto& e : errors) std::cerr << "lockstep-cli: " << e << '\n';
    const Lang lang = langFromName(str(parser.value(QStringLiteral("lang")))).value_or(Lang::En);
    if (parser.isSet(QStringLiteral("json"))) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& l : lessons) {
            nlohmann::json variants = nlohmann::json::array();
            for (const auto& v : l.variants) variants.push_back(v.id);
            out.push_back({{"id", l.id}, {"topic", l.topic}, {"title", l.title.get(lang)}, {"variants", variants},
                           {"engine", l.engine}, {"path", l.path}});
        }
        std::cout << out.dump(2) << '\n';
    } else {
        for (const auto& l : lessons) {
            std::string variants;
            for (const auto& v : l.variants) variants += (variants.empty() ? "" : ", ") + v.id;
            std::printf("%-12s %-12s %s\n%-25s variants: %s\n", l.id.c_str(), l.topic.c_str(),
                        l.title.get(lang).c_str(), "", variants.c_str());
        }
    }
    return errors.empty() ? kExitOk : kExitBadInput;
}

int checkLesson(const std::string& idOrPath, const std::string& dir)
{
    const Lesson lesson = LessonLoader::find(idOrPath, dir);
    for (const auto& v : lesson.variants) {
        RunRequest req;
        req.lesson = lesson;
        req.variant = v.id;
        LessonRunner runner(std::move(req)); // validates params and the engine config; starts nothing
    }
    std::cout << lesson.path << ": ok (" << lesson.variants.size() << " variants)\n";
    return kExitOk;
}

int runLesson(const QCommandLineParser& parser, const std::string& idOrPath, const std::string& dir, int argc,
              char** argv, const SignalWatcher& watcher)
{
    RunRequest req;
    req.lesson = LessonLoader::find(idOrPath, dir);
    req.variant = str(parser.value(QStringLiteral("variant")));
    for (const QString& kv : parser.values(QStringLiteral("param"))) {
        const auto eq = kv.indexOf(QLatin1Char('='));
        if (eq <= 0) return fail("--param " + str(kv) + ": expected k=v");
        req.params[str(kv.left(eq))] = str(kv.mid(eq + 1));
    }
    if (parser.isSet(QStringLiteral("seed"))) {
        bool ok = false;
        req.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok) return fail("--seed " + str(parser.value(QStringLiteral("seed"))) + ": not a non-negative integer");
    }
    if (parser.isSet(QStringLiteral("timeout"))) {
        bool ok = false;
        req.timeoutSeconds = parser.value(QStringLiteral("timeout")).toDouble(&ok);
        if (!ok || req.timeoutSeconds <= 0 || req.timeoutSeconds > Limits::kMaxRunSeconds)
            return fail("--timeout " + str(parser.value(QStringLiteral("timeout"))) +
                        ": must be a number of seconds in (0, 60]");
    }
    for (const auto& [name, field] : {std::pair{"max-events", &req.maxEvents}, std::pair{"max-memory-mb", &req.maxMemoryMb}}) {
        const QString key = QString::fromLatin1(name);
        if (!parser.isSet(key)) continue;
        bool ok = false;
        *field = parser.value(key).toULongLong(&ok);
        if (!ok || *field == 0) return fail(std::string("--") + name + " " + str(parser.value(key)) + ": not a positive integer");
    }
    const auto lang = langFromName(str(parser.value(QStringLiteral("lang"))));
    if (!lang) return fail("--lang " + str(parser.value(QStringLiteral("lang"))) + ": unknown language (allowed: en, zh)");
    req.lang = *lang;
    double scale = 1;
    int width = 1920;
    if (parser.isSet(QStringLiteral("scale"))) {
        scale = parser.value(QStringLiteral("scale")).toDouble();
        if (scale != 1 && scale != 2 && scale != 4) return fail("--scale: must be 1, 2 or 4");
    }
    if (parser.isSet(QStringLiteral("width"))) {
        bool ok = false;
        width = parser.value(QStringLiteral("width")).toInt(&ok);
        if (!ok || width < 640 || width > 16384) return fail("--width: must be between 640 and 16384 pixels");
    }
    double cursorMs = -1;
    if (parser.isSet(QStringLiteral("cursor"))) {
        bool ok = false;
        cursorMs = parser.value(QStringLiteral("cursor")).toDouble(&ok);
        if (!ok || !(cursorMs >= 0) || cursorMs > 1e9)
            return fail("--cursor " + str(parser.value(QStringLiteral("cursor"))) + ": not a time in ms (allowed: 0 or more)");
    }
    const QString theme = parser.value(QStringLiteral("theme"));
    if (theme != QLatin1String("light") && theme != QLatin1String("dark"))
        return fail("--theme " + str(theme) + ": unknown theme (allowed: light, dark)");

    const std::string title = req.lesson.title.get(req.lang);
    LessonRunner runner(std::move(req)); // validates everything before any thread starts
    const StartedRun started(runner);
    const RunResult result = runner.wait();

    const auto& s = result.summary;
    std::cerr << runner.lesson().id << " / " << runner.variant().id << ": " << s.value("outcome", "?") << ", "
              << s.value("wall_ms", 0.0) << " ms, " << s.value("events", 0) << " events\n";
    if (result.outcome == RunOutcome::Failed) std::cerr << "lockstep-cli: run failed: " << result.error << '\n';
    if (result.outcome == RunOutcome::Limit) std::cerr << "lockstep-cli: stopped: " << result.error << '\n';

    std::string error;
    int code = result.outcome == RunOutcome::Failed ? kExitFailure : kExitOk;
    if (parser.isSet(QStringLiteral("summary")) &&
        !writeText(str(parser.value(QStringLiteral("summary"))), s.dump(2) + "\n", &error)) {
        std::cerr << "lockstep-cli: " << error << '\n';
        code = kExitBadInput;
    }
    if (parser.isSet(QStringLiteral("trace")) &&
        !ChromeTraceWriter::writeFile(*result.trace, str(parser.value(QStringLiteral("trace"))), s, &error)) {
        std::cerr << "lockstep-cli: " << error << '\n';
        code = kExitBadInput;
    }
    if (parser.isSet(QStringLiteral("png")) || parser.isSet(QStringLiteral("svg"))) {
        // Rendering needs a QGuiApplication; without a display use the offscreen platform.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
            qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        QGuiApplication app(argc, argv);
        lockstep::ui::Palette::setDark(theme == QLatin1String("dark"));
        lockstep::ui::ExportOptions options;
        options.width = width;
        options.scale = scale;
        if (cursorMs >= 0)
            options.cursor = std::min(static_cast<std::int64_t>(cursorMs * 1e6), result.trace->endTs());
        options.title = QString::fromStdString(title);
        options.subtitle = QString::fromStdString(runner.variant().id + " · " + s.value("outcome", std::string()));
        QString qerror;
        if (parser.isSet(QStringLiteral("png")) &&
            !lockstep::ui::exportTimelinePng(*result.trace, parser.value(QStringLiteral("png")), options, &qerror)) {
            std::cerr << "lockstep-cli: " << str(qerror) << '\n';
            code = kExitBadInput;
        }
        if (parser.isSet(QStringLiteral("svg")) &&
            !lockstep::ui::exportTimelineSvg(*result.trace, parser.value(QStringLiteral("svg")), options, &qerror)) {
            std::cerr << "lockstep-cli: " << str(qerror) << '\n';
            code = kExitBadInput;
        }
    }
    if (const int signo = watcher.received(); signo != 0) {
        std::cerr << "lockstep-cli: interrupted by " << (signo == SIGINT ? "SIGINT" : "SIGTERM") << '\n';
        code = SignalWatcher::exitCode(signo);
    }
    return code;
}

} // namespace

int CliApp::run(int argc, char** argv)
{
    QCoreApplication::setApplicationName(QStringLiteral("lockstep-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QStringList args;
    for (int i = 0; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Runs Lockstep lessons headless."));
    parser.addOptions({
        {QStringLiteral("json"), QStringLiteral("list: JSON output")},
        {QStringLiteral("variant"), QStringLiteral("variant id"), QStringLiteral("V")},
        {QStringLiteral("param"), QStringLiteral("parameter k=v"), QStringLiteral("k=v")},
        {QStringLiteral("seed"), QStringLiteral("seed"), QStringLiteral("N")},
        {QStringLiteral("timeout"), QStringLiteral("seconds"), QStringLiteral("S")},
        {QStringLiteral("max-events"), QStringLiteral("event budget"), QStringLiteral("N")},
        {QStringLiteral("max-memory-mb"), QStringLiteral("memory budget"), QStringLiteral("M")},
        {QStringLiteral("lang"), QStringLiteral("en|zh"), QStringLiteral("LANG"), QStringLiteral("en")},
        {QStringLiteral("trace"), QStringLiteral("Chrome trace JSON"), QStringLiteral("FILE")},
        {QStringLiteral("summary"), QStringLiteral("summary JSON"), QStringLiteral("FILE")},
        {QStringLiteral("png"), QStringLiteral("timeline PNG"), QStringLiteral("FILE")},
        {QStringLiteral("svg"), QStringLiteral("timeline SVG"), QStringLiteral("FILE")},
        {QStringLiteral("scale"), QStringLiteral("PNG scale"), QStringLiteral("N")},
        {QStringLiteral("width"), QStringLiteral("export width"), QStringLiteral("PX")},
        {QStringLiteral("cursor"), QStringLiteral("cursor time"), QStringLiteral("MS")},
        {QStringLiteral("theme"), QStringLiteral("light|dark"), QStringLiteral("THEME"), QStringLiteral("light")},
        {QStringLiteral("lessons"), QStringLiteral("lesson directory"), QStringLiteral("DIR")},
    });
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("list | run | check"));
    if (!parser.parse(args)) {
        std::cerr << "lockstep-cli: " << str(parser.errorText()) << "\n\n" << kUsage;
        return kExitBadInput;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::cout << kUsage;
        return kExitOk;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::cout << "lockstep-cli 0.1.0\n";
        return kExitOk;
    }
    const QStringList pos = parser.positionalArguments();
    if (pos.isEmpty()) {
        std::cerr << kUsage;
        return kExitBadInput;
    }
    const std::string dir = parser.isSet(QStringLiteral("lessons")) ? str(parser.value(QStringLiteral("lessons")))
                                                                     : LessonLoader::defaultDirectory();
    // main() blocked SIGINT/SIGTERM before any thread started; from here on they arrive here.
    const SignalWatcher watcher(onTerminationSignal);
    try {
        const QString cmd = pos.front();
        if (cmd == QLatin1String("list")) {
            if (pos.size() != 1) return fail("list takes no arguments");
            return listLessons(parser, dir);
        }
        if (cmd == QLatin1String("run") || cmd == QLatin1String("check")) {
            if (pos.size() != 2) return fail(str(cmd) + ": expected one lesson id or path (see lockstep-cli list)");
            return cmd == QLatin1String("run") ? runLesson(parser, str(pos[1]), dir, argc, argv, watcher)
                                               : checkLesson(str(pos[1]), dir);
        }
        return fail("unknown command '" + str(cmd) + "' (allowed: list, run, check)");
    } catch (const InputError& e) {
        return fail(e.what());
    } catch (const std::exception& e) {
        std::cerr << "lockstep-cli: internal error: " << e.what() << '\n';
        return kExitFailure;
    }
}
