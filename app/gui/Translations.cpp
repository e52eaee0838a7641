#include "gui/Translations.h"

#include "render/Palette.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <memory>

namespace lockstep::ui {

namespace {
struct Installed {
    Lang lang = Lang::En;
    std::unique_ptr<QTranslator> app;
    std::unique_ptr<QTranslator> qt;   // Qt's own strings (standard dialogs, context menus)
};
Installed& installed()
{
    static Installed s;
    return s;
}
} // namespace

bool Translations::install(Lang lang)
{
    Installed& s = installed();
    if (s.app) QCoreApplication::removeTranslator(s.app.get());
    if (s.qt) QCoreApplication::removeTranslator(s.qt.get());
    s.app.reset();
    s.qt.reset();
    s.lang = Lang::En;
    bool ok = true;
    if (lang == Lang::Zh) {
        auto app = std::make_unique<QTranslator>();
        if (app->load(QStringLiteral("lockstep_zh_CN"), QString::fromLatin1(kResourceDir))) {
            QCoreApplication::installTranslator(app.get());
            s.app = std::move(app);
            s.lang = Lang::Zh;
        } else {
            ok = false;
        }
        auto qt = std::make_unique<QTranslator>();
        if (qt->load(QStringLiteral("qtbase_zh_CN"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
            QCoreApplication::installTranslator(qt.get());
            s.qt = std::move(qt);
        }
        QLocale::setDefault(QLocale(QLocale::Chinese, QLocale::China));
    } else {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        // Removing a translator also posts LanguageChange, so widgets go back to the source text.
    }
    Palette::retranslate();
    return ok;
}

Lang Translations::current() { return installed().lang; }

} // namespace lockstep::ui
