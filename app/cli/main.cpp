#include "cli/CliApp.h"

#include "lockstep/runner/SignalWatcher.h"

#include <csignal>

int main(int argc, char** argv)
{
    // A peer that closes early must be an EPIPE error (as CPython sees it), never a kill.
    std::signal(SIGPIPE, SIG_IGN);
    // Before any thread exists, so that every thread (the engine's too) inherits the mask and
    // SIGINT/SIGTERM reach only CliApp's watcher thread.
    lockstep::SignalWatcher::blockTerminationSignals();
    return CliApp::run(argc, argv);
}
