#include "cli/CliApp.h"

#include <csignal>

int main(int argc, char** argv)
{
    // A peer that closes early must be an EPIPE error (as CPython sees it), never a kill.
    std::signal(SIGPIPE, SIG_IGN);
    return CliApp::run(argc, argv);
}
