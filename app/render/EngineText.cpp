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
    // The Coffman conditions as the wait-for graph records them (core/lockstep/engine/WaitForGraph).
    Pattern{R"((.+) waits for (.+), held by (.+): one holder at a time)",
            QT_TRANSLATE_NOOP("EngineText", "%1 waits for %2, held by %3: one holder at a time")},
    Pattern{R"(no thread waits for a held lock)", QT_TRANSLATE_NOOP("EngineText", "no thread waits for a held lock")},
    // Before the untimed form, which would otherwise take the timeout for part of a name.
    Pattern{R"((.+) holds (.+) while it waits for (.+) \(with a timeout\))",
            QT_TRANSLATE_NOOP("EngineText", "%1 holds %2 while it waits for %3 (with a timeout)")},
    Pattern{R"((.+) holds (.+) while it waits for (.+))",
            QT_TRANSLATE_NOOP("EngineText", "%1 holds %2 while it waits for %3")},
    Pattern{R"(no thread waits while holding a lock)",
            QT_TRANSLATE_NOOP("EngineText", "no thread waits while holding a lock")},
    Pattern{R"(only (.+) can release (.+): nobody can take it away)",
            QT_TRANSLATE_NOOP("EngineText", "only %1 can release %2: nobody can take it away")},
    Pattern{R"((.+) gave (.+) back after a failed timed acquire of (.+) \(trylock\): no preemption broken)",
            QT_TRANSLATE_NOOP("EngineText",
                              "%1 gave %2 back after a failed timed acquire of %3 (trylock): no preemption broken")},
    Pattern{R"((.+): every thread in the cycle waits for the next, without a timeout)",
            QT_TRANSLATE_NOOP("EngineText", "%1: every thread in the cycle waits for the next, without a timeout")},
    Pattern{R"((.+) no longer waits for (.+): the cycle is broken)",
            QT_TRANSLATE_NOOP("EngineText", "%1 no longer waits for %2: the cycle is broken")},
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
