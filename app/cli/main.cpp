#include "cli/CliApp.h"

#include "lockstep/runner/SignalWatcher.h"

int main(int argc, char** argv)
{
    // Before any thread exists, so that every thread (the engine's too) inherits the mask and
    // SIGINT/SIGTERM reach only CliApp's watcher thread.
    lockstep::SignalWatcher::blockTerminationSignals();
    return CliApp::run(argc, argv);
}
