#pragma once

#include "lockstep/lesson/Lesson.h"
#include "lockstep/trace/Trace.h"

#include <QString>
#include <QWidget>

#include <cstdint>

class QComboBox;
class QLabel;
class QPushButton;
class QSplitter;

namespace lockstep::ui {

class CodeView;
class NarrationView;
class ParameterPanel;
class RunBanner;

// One lesson: its title and summary, the variant picker and the parameters, the narration steps
// and the Python snippet with the lines the threads are on at the cursor.
class LessonPage : public QWidget {
    Q_OBJECT
public:
    explicit LessonPage(QWidget* parent = nullptr);

    void setLesson(const Lesson* lesson, Lang lang);
    [[nodiscard]] const Lesson* lesson() const { return m_lesson; }
    [[nodiscard]] QString currentVariant() const;
    [[nodiscard]] const Variant* variant() const;
    bool setVariant(const QString& id);
    void setLanguage(Lang lang);
    void setDark(bool dark);
    void setScale(double scale);
    // Show where each thread is in the snippet at `ts` (nullptr: none).
    void showCursor(const Trace* trace, std::int64_t ts);
    void nextNarrationStep();
    void previousNarrationStep();
    void setNarrationStep(int index);
    // Parameters and variant cannot change while a run is live.
    void setEditable(bool editable);

    [[nodiscard]] ParameterPanel* parameters() const { return m_params; }
    [[nodiscard]] NarrationView* narration() const { return m_narration; }
    [[nodiscard]] CodeView* code() const { return m_code; }
    [[nodiscard]] QComboBox* variantBox() const { return m_variantBox; }
    // Why the last run failed, under the summary (hidden when there is nothing to say).
    [[nodiscard]] RunBanner* banner() const { return m_banner; }

Q_SIGNALS:
    void variantChanged(const QString& id);
    void parametersChanged();
    void narrationStepChanged(int index);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();
    void fillVariants();
    void updateVariantDescription();
    void refreshNarration();
    void updateStepLabel();

    const Lesson* m_lesson = nullptr;
    Lang m_lang = Lang::En;
    double m_scale = 1.0;
    QLabel* m_title = nullptr;
    QLabel* m_summary = nullptr;
    RunBanner* m_banner = nullptr;
    QLabel* m_topic = nullptr;
    QLabel* m_variantLabel = nullptr;
    QComboBox* m_variantBox = nullptr;
    QLabel* m_variantDescription = nullptr;
    QLabel* m_paramsHeading = nullptr;
    ParameterPanel* m_params = nullptr;
    QLabel* m_narrationHeading = nullptr;
    NarrationView* m_narration = nullptr;
    QPushButton* m_prevStep = nullptr;
    QPushButton* m_nextStep = nullptr;
    QLabel* m_stepLabel = nullptr;
    QLabel* m_codeHeading = nullptr;
    CodeView* m_code = nullptr;
    QSplitter* m_splitter = nullptr;
};

} // namespace lockstep::ui
