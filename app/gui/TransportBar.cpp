#include "gui/TransportBar.h"

#include "gui/Format.h"
#include "gui/Icons.h"
#include "gui/RunController.h"

#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QToolButton>

#include <cmath>

namespace lockstep::ui {

TransportBar::TransportBar(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("transportBar"));
    setAttribute(Qt::WA_StyledBackground);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->setSpacing(4);

    m_run = makeButton("runButton");
    m_pause = makeButton("pauseButton");
    m_stepBack = makeButton("stepBackButton");
    m_step = makeButton("stepButton");
    m_nextNarration = makeButton("nextNarrationButton");
    m_reset = makeButton("resetButton");
    m_run->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_run->setProperty("primary", true);
    for (QToolButton* b : {m_run, m_pause}) layout->addWidget(b);
    auto sep = [&] {
        auto* line = new QFrame(this);
        line->setFrameShape(QFrame::VLine);
        line->setObjectName(QStringLiteral("separator"));
        layout->addSpacing(4);
        layout->addWidget(line);
        layout->addSpacing(4);
    };
    sep();
    for (QToolButton* b : {m_stepBack, m_step, m_nextNarration}) layout->addWidget(b);
    sep();
    layout->addWidget(m_reset);
    layout->addSpacing(10);

    m_scrub = new QSlider(Qt::Horizontal, this);
    m_scrub->setObjectName(QStringLiteral("scrubSlider"));
    m_scrub->setRange(0, kScrubSteps);
    m_scrub->setFocusPolicy(Qt::NoFocus);
    m_scrub->setMinimumWidth(200);
    layout->addWidget(m_scrub, 1);
    m_time = new QLabel(this);
    m_time->setObjectName(QStringLiteral("timeLabel"));
    m_time->setMinimumWidth(170);
    m_time->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    layout->addWidget(m_time);
    layout->addSpacing(12);

    m_speedTitle = new QLabel(this);
    m_speedTitle->setObjectName(QStringLiteral("fieldLabel"));
    m_speed = new QSlider(Qt::Horizontal, this);
    m_speed->setObjectName(QStringLiteral("speedSlider"));
    m_speed->setRange(0, kSpeedMax);
    m_speed->setPageStep(5);
    m_speed->setFixedWidth(150);
    m_speed->setFocusPolicy(Qt::NoFocus);
    m_speed->setValue(kSpeedMax);
    m_speedLabel = new QLabel(this);
    m_speedLabel->setObjectName(QStringLiteral("speedLabel"));
    m_speedLabel->setMinimumWidth(44);
    layout->addWidget(m_speedTitle);
    layout->addWidget(m_speed);
    layout->addWidget(m_speedLabel);

    connect(m_run, &QToolButton::clicked, this, &TransportBar::runRequested);
    connect(m_pause, &QToolButton::clicked, this, &TransportBar::playPauseRequested);
    connect(m_step, &QToolButton::clicked, this, &TransportBar::stepRequested);
    connect(m_stepBack, &QToolButton::clicked, this, &TransportBar::stepBackRequested);
    connect(m_nextNarration, &QToolButton::clicked, this, &TransportBar::nextNarrationRequested);
    connect(m_reset, &QToolButton::clicked, this, &TransportBar::resetRequested);
    connect(m_scrub, &QSlider::valueChanged, this, [this](int v) {
        if (!m_settingPosition) Q_EMIT scrubbed(static_cast<double>(v) / kScrubSteps);
    });
    connect(m_speed, &QSlider::valueChanged, this, [this] {
        updateSpeedLabel();
        Q_EMIT speedChanged(speed(), unthrottled());
    });
    refreshIcons();
    retranslate();
    setRunState(RunState::Idle, false, false);
    setPosition(0, 0);
}

QToolButton* TransportBar::makeButton(const char* objectName)
{
    auto* b = new QToolButton(this);
    b->setObjectName(QString::fromLatin1(objectName));
    b->setAutoRaise(true);
    b->setIconSize(QSize(22, 22));
    b->setFocusPolicy(Qt::NoFocus);
    return b;
}

void TransportBar::refreshIcons()
{
    m_run->setIcon(Icons::get(QStringLiteral("run"), true));
    m_pause->setIcon(Icons::get(m_state == RunState::Running || m_state == RunState::Replaying ? QStringLiteral("pause")
                                                                                                 : QStringLiteral("play")));
    m_stepBack->setIcon(Icons::get(QStringLiteral("step-back")));
    m_step->setIcon(Icons::get(QStringLiteral("step")));
    m_nextNarration->setIcon(Icons::get(QStringLiteral("narration-next")));
    m_reset->setIcon(Icons::get(QStringLiteral("reset")));
}

double TransportBar::speedForPosition(int position)
{
    position = std::clamp(position, 0, kSpeedSteps);
    return std::pow(10.0, (position - kSpeedSteps / 2.0) / (kSpeedSteps / 2.0));
}

int TransportBar::positionForSpeed(double speed)
{
    const double p = std::log10(std::clamp(speed, 0.1, 10.0)) * (kSpeedSteps / 2.0) + kSpeedSteps / 2.0;
    return static_cast<int>(std::lround(p));
}

double TransportBar::speed() const { return unthrottled() ? 10.0 : speedForPosition(m_speed->value()); }
bool TransportBar::unthrottled() const { return m_speed->value() >= kSpeedMax; }

void TransportBar::setSpeed(double speed, bool unthrottled)
{
    m_speed->setValue(unthrottled ? kSpeedMax : positionForSpeed(speed));
    updateSpeedLabel();
}

void TransportBar::updateSpeedLabel()
{
    if (unthrottled()) {
        m_speedLabel->setText(tr("max"));
        return;
    }
    const double s = speed();
    m_speedLabel->setText(QString::number(s, 'f', s < 1 ? 2 : 1) + QStringLiteral("×"));
}

void TransportBar::setRunState(RunState state, bool hasTrace, bool canRun)
{
    const bool iconChange = (state == RunState::Running || state == RunState::Replaying) !=
                            (m_state == RunState::Running || m_state == RunState::Replaying);
    m_state = state;
    if (iconChange) refreshIcons();
    m_run->setEnabled(canRun && !isLive(state));
    m_pause->setEnabled(state != RunState::Idle || canRun);
    m_step->setEnabled(state != RunState::Idle || canRun);
    m_stepBack->setEnabled(hasTrace);
    m_scrub->setEnabled(hasTrace);
    m_reset->setEnabled(state != RunState::Idle);
    retranslate();
}

void TransportBar::setPosition(std::int64_t cursor, std::int64_t end)
{
    m_settingPosition = true;
    m_scrub->setValue(end > 0 ? static_cast<int>(std::llround(static_cast<double>(cursor) / end * kScrubSteps)) : 0);
    m_settingPosition = false;
    m_time->setText(formatDuration(cursor) + QStringLiteral("  /  ") + formatDuration(end));
}

void TransportBar::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void TransportBar::retranslate()
{
    m_run->setText(tr("Run"));
    m_run->setToolTip(tr("Run the lesson live on the real engine (Ctrl+R)"));
    const bool playing = m_state == RunState::Running || m_state == RunState::Replaying;
    if (m_state == RunState::Running) m_pause->setToolTip(tr("Pause: engine threads wait at the step gate (Space)"));
    else if (m_state == RunState::Paused) m_pause->setToolTip(tr("Resume the live run (Space)"));
    else if (playing) m_pause->setToolTip(tr("Pause the replay (Space)"));
    else m_pause->setToolTip(tr("Replay the recorded run at the chosen speed (Space)"));
    m_stepBack->setToolTip(tr("Step back one event (Left)"));
    m_step->setToolTip(tr("Step one event; in a paused live run one engine thread passes the gate (Right)"));
    m_nextNarration->setToolTip(tr("Next narration step (N)"));
    m_reset->setToolTip(tr("Reset: stop the run and clear the trace"));
    m_scrub->setToolTip(tr("Scrub through the recorded trace (Home, End)"));
    m_speedTitle->setText(tr("Speed"));
    m_speed->setToolTip(tr("Live runs are slowed through the step gate (1× = %1 operations/s); recorded runs "
                           "replay at this multiple of real time. The last notch runs live at full speed.")
                            .arg(RunController::kPacedOpsAt1x));
    updateSpeedLabel();
}

} // namespace lockstep::ui
