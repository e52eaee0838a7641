#pragma once

#include "lockstep/lesson/Lesson.h"

#include <QTextBrowser>

#include <vector>

namespace lockstep::ui {

// The lesson's narration as numbered steps of rich text. The current step is highlighted, the
// steps already read are kept, the ones ahead are dimmed; clicking a step's number selects it.
class NarrationView : public QTextBrowser {
    Q_OBJECT
public:
    explicit NarrationView(QWidget* parent = nullptr);

    void setSteps(std::vector<const NarrationStep*> steps, Lang lang);
    void setLanguage(Lang lang);
    void setCurrentStep(int index);
    void setDark(bool dark);
    void setScale(double scale);
    [[nodiscard]] int currentStep() const { return m_current; }
    [[nodiscard]] int stepCount() const { return static_cast<int>(m_steps.size()); }
    [[nodiscard]] const NarrationStep* step(int index) const;

    // The small markup narration is written in (`code`, **bold**, *italic*, blank-line paragraphs)
    // as HTML, everything else escaped.
    [[nodiscard]] static QString toHtml(const QString& text);
    // The same markup for one line of a label: no paragraphs.
    [[nodiscard]] static QString inlineHtml(const QString& text);

Q_SIGNALS:
    void stepActivated(int index);

private:
    void render();

    std::vector<const NarrationStep*> m_steps;
    Lang m_lang = Lang::En;
    int m_current = 0;
    bool m_dark = false;
    double m_scale = 1.0;
};

} // namespace lockstep::ui
