#pragma once

#include "lockstep/io/WaitStats.h"

namespace lockstep {

// One sweep point of the echo benchmark: what the server measured and what the clients saw. The
// server thread writes `stats`, the client driver the rest; the controller reads both after joining.
struct EchoPoint {
    int fds = 0;            // connections the multiplexer watches
    int active = 0;         // clients writing per round (at most fds)
    WaitStats stats;        // server: measured waits
    int rounds = 0;         // clients: measured rounds in which some client wrote
    int stalled = 0;        // clients: connections whose echo never came complete
    int mismatched = 0;     // clients: complete echoes with the wrong bytes (never expected)
};

} // namespace lockstep
