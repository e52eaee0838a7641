#include "gui/RunState.h"

#include <QCoreApplication>

namespace lockstep::ui {

QString runStateLabel(RunState state)
{
    switch (state) {
    case RunState::Idle: return QCoreApplication::translate("RunState", "Ready");
    case RunState::Running: return QCoreApplication::translate("RunState", "Running");
    case RunState::Paused: return QCoreApplication::translate("RunState", "Paused (step mode)");
    case RunState::Finished: return QCoreApplication::translate("RunState", "Finished");
    case RunState::Replaying: return QCoreApplication::translate("RunState", "Replaying");
    }
    return {};
}

QString runOutcomeLabel(RunOutcome outcome)
{
    switch (outcome) {
    case RunOutcome::Running: return QCoreApplication::translate("RunState", "running");
    case RunOutcome::Completed: return QCoreApplication::translate("RunState", "completed");
    case RunOutcome::Deadlocked: return QCoreApplication::translate("RunState", "deadlocked");
    case RunOutcome::Stalled: return QCoreApplication::translate("RunState", "stalled");
    case RunOutcome::Cancelled: return QCoreApplication::translate("RunState", "cancelled");
    case RunOutcome::TimedOut: return QCoreApplication::translate("RunState", "timed out");
    case RunOutcome::Failed: return QCoreApplication::translate("RunState", "failed");
    case RunOutcome::Limit: return QCoreApplication::translate("RunState", "stopped at a limit");
    case RunOutcome::Interrupted: return QCoreApplication::translate("RunState", "interrupted");
    }
    return QString::fromLatin1(runOutcomeName(outcome));
}

} // namespace lockstep::ui
