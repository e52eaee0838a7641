#pragma once

#include "lockstep/lesson/Lesson.h"

#include <QString>
#include <QWidget>

#include <map>
#include <string>
#include <vector>

class QGridLayout;
class QLabel;
class QSlider;

namespace lockstep::ui {

// Editors generated from a lesson's ParamSpecs: spin boxes with a slider for bounded numbers (log
// scale when the range spans decades), check boxes, choice boxes, line edits for strings and int
// lists. Units are suffixes, ranges come from the spec (within the machine's caps), help is the
// tooltip. Values start at the variant's defaults.
class ParameterPanel : public QWidget {
    Q_OBJECT
public:
    explicit ParameterPanel(QWidget* parent = nullptr);

    void setLesson(const Lesson* lesson, const Variant* variant, Lang lang);
    void setVariant(const Variant* variant); // back to this variant's defaults
    void setLanguage(Lang lang);
    void setScale(double scale);

    // Every parameter as the text the runner parses ("4", "0.5", "true", "a,b").
    [[nodiscard]] std::map<std::string, std::string> values() const;
    // Only the ones that differ from the variant's defaults (what a command line would need).
    [[nodiscard]] std::map<std::string, std::string> overrides() const;
    // Sets editors from text values (e.g. --param k=v). Returns false with a message for an
    // unknown name or a value the editor cannot take.
    bool setValues(const std::map<std::string, std::string>& values, QString* error);
    void resetToDefaults();

    [[nodiscard]] QWidget* editor(const QString& name) const;
    [[nodiscard]] QSlider* slider(const QString& name) const;
    [[nodiscard]] int parameterCount() const { return static_cast<int>(m_rows.size()); }
    // Parameters the selected variant reads (shown); the others are hidden.
    [[nodiscard]] int visibleCount() const { return m_visible; }
    [[nodiscard]] bool isUsed(const std::string& name) const;

Q_SIGNALS:
    void valuesChanged();

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Row {
        const ParamSpec* spec = nullptr;
        QLabel* label = nullptr;
        QWidget* editor = nullptr;
        QSlider* slider = nullptr;
        bool logSlider = false;
        double lo = 0, hi = 0;
    };
    void rebuild();
    void layoutRows();
    [[nodiscard]] static bool referencesAny(const nlohmann::json& config);
    [[nodiscard]] static bool references(const nlohmann::json& config, const std::string& ref);
    void retranslate();
    void setRowValue(Row& row, const nlohmann::json& value);
    [[nodiscard]] std::string rowText(const Row& row) const;
    void syncSliderFromEditor(Row& row);
    void syncEditorFromSlider(Row& row);

    const Lesson* m_lesson = nullptr;
    const Variant* m_variant = nullptr;
    Lang m_lang = Lang::En;
    double m_scale = 1.0;
    nlohmann::json m_defaults;
    QGridLayout* m_grid = nullptr;
    QLabel* m_empty = nullptr;
    std::vector<Row> m_rows;
    bool m_syncing = false;
    int m_visible = 0;
};

} // namespace lockstep::ui
