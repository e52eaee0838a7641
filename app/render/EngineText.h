#pragma once

#include <QString>

#include <string_view>

namespace lockstep::ui {

// The engine writes its own messages into the trace in English: the trace is data, exported as
// it is and read by tools that do not know the UI language. The window and the exports show the
// engine's fixed messages in the UI language instead. Each known message is a pattern whose
// numbers and names carry over into the translation; any other text (a Python exception, a value,
// a line a thread says) is shown exactly as recorded.
class EngineText {
public:
    [[nodiscard]] static QString display(std::string_view text);
};

} // namespace lockstep::ui
