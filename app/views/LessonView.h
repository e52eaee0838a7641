#pragma once

#include "lockstep/trace/Trace.h"

#include <QString>
#include <QStringList>
#include <QWidget>

#include <algorithm>
#include <cstdint>
#include <memory>

namespace lockstep::ui {

// Base of the lesson-specific views (wait-for graph, GIL, condition, fd grid, generator, state
// board). A view is a pure function of (trace snapshot, cursor time): scrubbing and stepping just
// move the cursor; a live run hands in a new snapshot each frame with the cursor at its end.
class LessonView : public QWidget {
    Q_OBJECT
public:
    explicit LessonView(QWidget* parent = nullptr) : QWidget(parent) {}

    // Whether this view has something to show for the trace (e.g. the GIL view needs a GIL actor).
    [[nodiscard]] virtual bool appliesTo(const Trace& trace) const = 0;
    // Title for the tab (translated).
    [[nodiscard]] virtual QString title() const = 0;
    virtual void setTrace(std::shared_ptr<const Trace> trace) = 0;
    // Show the state at time `ts` (ns since run start).
    virtual void setCursor(std::int64_t ts) = 0;
    // Presenter mode / export scale.
    virtual void setScale(double scale) { m_scale = scale; update(); }

    // The Python snippet the lesson models (Lesson::python), so views can quote the line an actor
    // has reached next to its number. Optional: without it views show line numbers only.
    virtual void setSource(const QString& pythonSnippet)
    {
        m_sourceLines = pythonSnippet.split(QLatin1Char('\n'));
        update();
    }
    [[nodiscard]] double scale() const { return m_scale; }

protected:
    // The scale paint code uses: m_scale times a factor that grows the type with the view (1 at
    // 1100x700, at most 1.8), so a full-screen tab on a projector reads from the back row while a
    // small window still fits.
    [[nodiscard]] double viewScale() const
    {
        const double fit = std::min(width() / 1100.0, height() / 700.0);
        return m_scale * std::clamp(fit, 0.75, 1.8);
    }

    // Text of 1-based `line` of the snippet, trimmed; empty when unknown.
    [[nodiscard]] QString sourceLine(int line) const
    {
        if (line < 1 || line > m_sourceLines.size()) return {};
        return m_sourceLines.at(line - 1).trimmed();
    }

    double m_scale = 1.0;
    QStringList m_sourceLines;
};

} // namespace lockstep::ui
