#pragma once

#include "lockstep/engine/RunContext.h"

#include <QMetaType>
#include <QString>

namespace lockstep::ui {

// Where the window's one run is. A live run is Running or Paused (engine threads parked at the step
// gate); once it ends the recorded trace stays, and the cursor can be Replaying over it.
enum class RunState {
    Idle,       // nothing recorded
    Running,    // live, threads running (free or paced)
    Paused,     // live, threads parked at the step gate
    Finished,   // the trace is complete; the cursor stands still
    Replaying,  // the trace is complete; the cursor moves at the chosen speed
};

[[nodiscard]] QString runStateLabel(RunState state); // translated, for the status bar
[[nodiscard]] QString runOutcomeLabel(RunOutcome outcome); // translated: "completed", "deadlocked", ...
[[nodiscard]] inline bool isLive(RunState s) { return s == RunState::Running || s == RunState::Paused; }

} // namespace lockstep::ui

Q_DECLARE_METATYPE(lockstep::ui::RunState)
