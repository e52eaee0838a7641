// Closing the window mid-run, as a user or a signal does: the run is interrupted, and once the
// window is gone this process holds no engine thread, no fd and no child of that run.

#include "../core/LeakProbe.h"

#include "gui/MainWindow.h"
#include "WindowTestSupport.h"
#include "gui/RunController.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QTest>
#include <QThreadPool>

#include <map>
#include <memory>
#include <string>

using namespace lockstep;
using namespace lockstep::ui;

namespace {

std::unique_ptr<MainWindow> makeWindow() { return guitest::makeWindow(Lang::En, QSize(1280, 800)); }

} // namespace

TEST(WindowClose, ClosingMidRunLeavesNoThreadFdOrChild)
{
    // Qt's global pool keeps idle threads for 30 s; they are not the run's.
    QThreadPool::globalInstance()->setExpiryTimeout(0);
    // The first window opens what Qt keeps for the process (fonts, the platform's fds): count
    // after one has come and gone, so that the baseline holds only what is not the run's.
    makeWindow().reset();
    QApplication::processEvents();
    const auto before = test::LeakProbe::now();
    ASSERT_FALSE(before.hasChildren);
    struct Case {
        const char* lesson;
        const char* variant;
        std::map<std::string, std::string> params;
    };
    // Forked children that would count for seconds, and threads that would too.
    const Case cases[] = { { "gil", "cpu-processes", { { "count", "200000000" }, { "processes", "3" } } },
        { "gil", "cpu-threads", { { "count", "200000000" } } }, { "iomux", "epoll-lt", { { "rounds", "100000" } } } };
    for (const Case& c : cases) {
        SCOPED_TRACE(std::string(c.lesson) + "/" + c.variant);
        {
            auto w = makeWindow();
            ASSERT_TRUE(w->openLesson(QString::fromLatin1(c.lesson)));
            ASSERT_TRUE(w->selectVariant(QString::fromLatin1(c.variant)));
            QString error;
            ASSERT_TRUE(w->startRun(c.params, false, &error)) << error.toStdString();
            ASSERT_TRUE(QTest::qWaitFor([&] { return w->controller()->eventCount() > 10; }, 30'000));
            QTest::qWait(200);
            ASSERT_EQ(w->controller()->state(), RunState::Running) << "the run must still be going when closed";
            if (std::string(c.lesson) == "gil" && std::string(c.variant) == "cpu-processes") {
                EXPECT_TRUE(test::LeakProbe::now().hasChildren) << "the run has forked its children";
            }
            w->close();
            // close() returns with the run joined: no child is left even before the window goes.
            EXPECT_FALSE(test::LeakProbe::now().hasChildren);
        }
        QApplication::processEvents();
        QThreadPool::globalInstance()->waitForDone();
        EXPECT_TRUE(QTest::qWaitFor([&] { return test::LeakProbe::now().threads <= before.threads; }, 10'000))
            << test::LeakProbe::now().threads << " threads, " << before.threads << " before";
        const auto after = test::LeakProbe::settledTo(before);
        EXPECT_LE(after.fds, before.fds) << "an fd of the run is still open";
        EXPECT_FALSE(after.hasChildren);
    }
}
