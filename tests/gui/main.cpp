// gtest main of lockstep_gui_tests: every GUI test runs on Qt's offscreen platform (no display
// needed, same pixels on every machine), inside one QApplication created before any test.

#include <gtest/gtest.h>

#include <QApplication>

#include <cstdlib>

int main(int argc, char** argv)
{
    // Before the QApplication exists: the platform plugin is chosen in its constructor. Kept if the
    // caller asked for another platform on purpose (e.g. QT_QPA_PLATFORM=xcb under Xvfb to look).
    if (!std::getenv("LOCKSTEP_GUI_TESTS_KEEP_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    ::testing::InitGoogleTest(&argc, argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("lockstep_gui_tests"));
    return RUN_ALL_TESTS();
}
