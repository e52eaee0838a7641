#include "gui/RunSettings.h"

#include "gui/Format.h"

#include "lockstep/engine/RunContext.h"
#include "lockstep/lesson/Lesson.h"
#include "lockstep/runner/LessonRunner.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace lockstep::ui {

namespace {
const QString kEventsKey = QStringLiteral("run/maxEvents");
const QString kMemoryKey = QStringLiteral("run/maxMemoryMb");
const QString kTimeKey = QStringLiteral("run/timeLimitSeconds");
constexpr int kMaxMemoryMb = 1 << 20; // 1 TB: the spin box needs a bound; the machine sets the real one
} // namespace

RunSettings RunSettings::load(const QSettings& settings)
{
    // A hand-edited or stale file must not give a run a budget the dialog could not have set.
    RunSettings s;
    s.maxEvents = std::min<std::uint64_t>(settings.value(kEventsKey, 0).toULongLong(), INT_MAX);
    s.maxMemoryMb = std::min<std::uint64_t>(settings.value(kMemoryKey, 0).toULongLong(), kMaxMemoryMb);
    s.timeLimitSeconds = std::clamp(settings.value(kTimeKey, 0.0).toDouble(), 0.0, double(Limits::kMaxRunSeconds));
    return s;
}

void RunSettings::save(QSettings& settings) const
{
    settings.setValue(kEventsKey, static_cast<qulonglong>(maxEvents));
    settings.setValue(kMemoryKey, static_cast<qulonglong>(maxMemoryMb));
    settings.setValue(kTimeKey, timeLimitSeconds);
}

void RunSettings::applyTo(RunRequest& request) const
{
    request.maxEvents = maxEvents;
    request.maxMemoryMb = maxMemoryMb;
    request.timeoutSeconds = timeLimitSeconds;
}

RunSettingsDialog::RunSettingsDialog(const RunSettings& settings, QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("runSettingsDialog"));
    setWindowTitle(tr("Run limits"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Every run stops at the first of these limits, with the outcome "
                                "“stopped at a limit” and the trace kept up to that moment."),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    m_events = new QSpinBox(this);
    m_events->setObjectName(QStringLiteral("maxEventsBox"));
    m_events->setRange(0, INT_MAX);
    m_events->setSingleStep(1'000'000);
    m_events->setGroupSeparatorShown(true);
    m_events->setSpecialValueText(
        tr("Default (%1)").arg(formatCount(static_cast<std::size_t>(RunOptions::kDefaultMaxEvents))));
    m_memory = new QSpinBox(this);
    m_memory->setObjectName(QStringLiteral("maxMemoryBox"));
    m_memory->setRange(0, kMaxMemoryMb);
    m_memory->setSingleStep(256);
    m_memory->setSuffix(tr(" MB"));
    m_memory->setSpecialValueText(tr("Default (%1 MB)").arg(RunOptions::kDefaultMaxMemoryBytes >> 20));
    m_time = new QDoubleSpinBox(this);
    m_time->setObjectName(QStringLiteral("timeLimitBox"));
    m_time->setRange(0, Limits::kMaxRunSeconds);
    m_time->setDecimals(1);
    m_time->setSuffix(tr(" s"));
    m_time->setSpecialValueText(tr("The lesson's own"));
    form->addRow(tr("&Event budget:"), m_events);
    form->addRow(tr("&Memory budget:"), m_memory);
    form->addRow(tr("&Time limit:"), m_time);
    layout->addLayout(form);

    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(
        buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] { setSettings({}); });
    layout->addWidget(buttons);
    setSettings(settings);
}

void RunSettingsDialog::setSettings(const RunSettings& settings)
{
    m_events->setValue(static_cast<int>(std::min<std::uint64_t>(settings.maxEvents, INT_MAX)));
    m_memory->setValue(static_cast<int>(std::min<std::uint64_t>(settings.maxMemoryMb, kMaxMemoryMb)));
    m_time->setValue(settings.timeLimitSeconds);
}

RunSettings RunSettingsDialog::settings() const
{
    RunSettings s;
    s.maxEvents = static_cast<std::uint64_t>(m_events->value());
    s.maxMemoryMb = static_cast<std::uint64_t>(m_memory->value());
    s.timeLimitSeconds = m_time->value();
    return s;
}

} // namespace lockstep::ui
