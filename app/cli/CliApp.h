#pragma once

#include <QStringList>

// The headless front end: `lockstep-cli list|run|check`. It shares the rendering layer with the
// GUI (app/render), so `--png`/`--svg` produce the same timeline as the window's export.
class CliApp {
public:
    // Returns the process exit code: 0 ran (a deadlock a lesson sets out to show is a result),
    // 2 bad input (message on stderr), 1 internal failure.
    static int run(int argc, char** argv);
};
