#pragma once

#include "lockstep/lesson/Lesson.h"

namespace lockstep::ui {

// Installs the UI translation for a language (English is the source text, so it only removes the
// Chinese one). Installing sends QEvent::LanguageChange to every widget, which retranslates itself.
class Translations {
public:
    // Returns false if the language's catalogue could not be loaded (the UI stays in English).
    static bool install(Lang lang);
    [[nodiscard]] static Lang current();
    // Where the compiled catalogues live in the resources.
    static constexpr const char* kResourceDir = ":/lockstep/i18n";
};

} // namespace lockstep::ui
