#pragma once

namespace lockstep {

// Something that may have threads blocked inside it. On cancel the RunContext calls wakeAll() on
// every registered Wakeable; the woken threads see cancelled() and throw Cancelled.
class Wakeable {
public:
    virtual ~Wakeable() = default;
    virtual void wakeAll() = 0;
};

} // namespace lockstep
