#pragma once

#include "lockstep/runner/Scenario.h"

namespace lockstep {

// Engine "counter": N threads each add 1 to a shared counter `increments` times, as the Python
//     tmp = counter; time.sleep(0); counter = tmp + 1
// either bare (updates get lost: a real race between OS threads, on relaxed atomics so it stays
// defined behaviour) or inside `with lock:` (no update lost). The foundation's end-to-end lesson.
std::unique_ptr<Scenario> makeCounterScenario();

} // namespace lockstep
