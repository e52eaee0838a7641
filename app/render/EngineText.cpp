#include "render/EngineText.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <array>

namespace lockstep::ui {

namespace {
struct Pattern {
    const char* english; // a regular expression over the engine's exact words
    const char* text;    // the source text for translation, with %1.. for the captures
};

// Keep in step with the messages the core records (RunContext, LessonRunner, the scenarios).
constexpr std::array kPatterns{
    Pattern{R"(every thread is waiting and none can wake another)",
            QT_TRANSLATE_NOOP("EngineText", "every thread is waiting and none can wake another")},
    Pattern{R"(time limit reached)", QT_TRANSLATE_NOOP("EngineText", "time limit reached")},
    Pattern{R"(back off and retry)", QT_TRANSLATE_NOOP("EngineText", "back off and retry")},
    Pattern{R"(calibrating the countdown loop to CPython's pace)",
            QT_TRANSLATE_NOOP("EngineText", "calibrating the countdown loop to CPython's pace")},
    Pattern{R"(one turn of `while n > 0: n -= 1` now costs (\S+) ns \(target (\S+) ns\))",
            QT_TRANSLATE_NOOP("EngineText", "one turn of `while n > 0: n -= 1` now costs %1 ns (target %2 ns)")},
    Pattern{R"(machine busy: (\S+) of (\d+) cores were free, this mode needs (\d+): what it shows here is not what a quiet machine shows)",
            QT_TRANSLATE_NOOP("EngineText", "machine busy: %1 of %2 cores were free, this mode needs %3: what it "
                                            "shows here is not what a quiet machine shows")},
    Pattern{R"(client of fd (\d+) got (\d+) of (\d+) echo bytes: the server was not told about the rest)",
            QT_TRANSLATE_NOOP("EngineText",
                              "client of fd %1 got %2 of %3 echo bytes: the server was not told about the rest")},
    Pattern{R"((\S+): watching (\d+) fds \(registered once with epoll_ctl\))",
            QT_TRANSLATE_NOOP("EngineText", "%1: watching %2 fds (registered once with epoll_ctl)")},
    Pattern{R"((\S+): watching (\d+) fds \(handed in on every call\))",
            QT_TRANSLATE_NOOP("EngineText", "%1: watching %2 fds (handed in on every call)")},
    Pattern{R"((\d+) watched fds never reported their hang-up: the run closes them)",
            QT_TRANSLATE_NOOP("EngineText", "%1 watched fds never reported their hang-up: the run closes them")},
    Pattern{R"(BrokenPipeError: the client of fd (\d+) left before its echo)",
            QT_TRANSLATE_NOOP("EngineText", "BrokenPipeError: the client of fd %1 left before its echo")},
};
} // namespace

QString EngineText::display(std::string_view text)
{
    const QString raw = QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
    static const auto compiled = [] {
        std::array<QRegularExpression, kPatterns.size()> out;
        for (std::size_t i = 0; i < kPatterns.size(); ++i)
            out[i] = QRegularExpression(QRegularExpression::anchoredPattern(QString::fromLatin1(kPatterns[i].english)));
        return out;
    }();
    for (std::size_t i = 0; i < kPatterns.size(); ++i) {
        const QRegularExpressionMatch m = compiled[i].match(raw);
        if (!m.hasMatch()) continue;
        QString out = QCoreApplication::translate("EngineText", kPatterns[i].text);
        for (int c = 1; c <= compiled[i].captureCount(); ++c) out = out.arg(m.captured(c));
        return out;
    }
    return raw;
}

} // namespace lockstep::ui
