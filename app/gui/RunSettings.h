#pragma once

#include <QDialog>

#include <cstdint>

class QDoubleSpinBox;
class QLabel;
class QSettings;
class QSpinBox;

namespace lockstep {
struct RunRequest;
}

namespace lockstep::ui {

// The budgets every GUI run gets, as the CLI's --max-events, --max-memory-mb and --timeout set them
// for one run. 0 everywhere means "the default": the engine's budgets and the lesson's time limit.
struct RunSettings {
    std::uint64_t maxEvents = 0;
    std::uint64_t maxMemoryMb = 0;
    double timeLimitSeconds = 0;

    [[nodiscard]] static RunSettings load(const QSettings& settings);
    void save(QSettings& settings) const;
    void applyTo(RunRequest& request) const;
    bool operator==(const RunSettings&) const = default;
};

// Preferences → Run limits: edits a RunSettings. The caller stores and applies what is accepted.
class RunSettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit RunSettingsDialog(const RunSettings& settings, QWidget* parent = nullptr);
    [[nodiscard]] RunSettings settings() const;
    void setSettings(const RunSettings& settings);

    [[nodiscard]] QSpinBox* eventsBox() const { return m_events; }
    [[nodiscard]] QSpinBox* memoryBox() const { return m_memory; }
    [[nodiscard]] QDoubleSpinBox* timeBox() const { return m_time; }

private:
    QSpinBox* m_events = nullptr;
    QSpinBox* m_memory = nullptr;
    QDoubleSpinBox* m_time = nullptr;
};

} // namespace lockstep::ui
