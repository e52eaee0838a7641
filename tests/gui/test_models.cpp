// ActorListModel and EventTableModel under QAbstractItemModelTester.

#include "TimelineTestTraces.h"

#include "models/ActorListModel.h"
#include "models/EventTableModel.h"
#include "render/Palette.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>

using namespace lockstep;
using namespace lockstep::ui;
using lockstep::testing::TraceWriter;

namespace {

// Collects the tester's complaints (it reports through qWarning in Warning mode) so that a broken
// model fails the test instead of aborting the whole binary.
class WarningCollector {
public:
    WarningCollector()
    {
        s_messages.clear();
        m_previous = qInstallMessageHandler(&WarningCollector::handle);
    }
    ~WarningCollector() { qInstallMessageHandler(m_previous); }
    [[nodiscard]] QStringList messages() const { return s_messages; }

private:
    static void handle(QtMsgType type, const QMessageLogContext&, const QString& msg)
    {
        if (type != QtDebugMsg && type != QtInfoMsg) s_messages << msg;
    }
    static inline QStringList s_messages;
    QtMessageHandler m_previous = nullptr;
};

} // namespace

TEST(Models, ActorListModelPassesTheTesterAndShowsStates)
{
    WarningCollector warnings;
    ActorListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    const auto trace = lockstep::testing::classroomTrace();
    model.setTrace(trace);
    ASSERT_EQ(model.rowCount(), static_cast<int>(trace->actors().size()));
    EXPECT_EQ(model.columnCount(), ActorListModel::ColumnCount);

    const ActorId t1 = *trace->findActor("T1");
    const int row = model.rowOf(t1);
    ASSERT_GE(row, 0);
    EXPECT_EQ(model.actorAt(row), t1);
    EXPECT_EQ(model.index(row, ActorListModel::NameColumn).data().toString(), QStringLiteral("T1"));
    EXPECT_EQ(model.index(row, 0).data(ActorListModel::ActorIdRole).toUInt(), t1.value);
    EXPECT_TRUE(model.index(row, 0).data(ActorListModel::IsExecutorRole).toBool());
    // At the end T1 is blocked; at 3 ms it was running.
    EXPECT_EQ(model.index(row, 0).data(ActorListModel::StateRole).toInt(), static_cast<int>(State::Blocked));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setCursor(3'000'000);
    EXPECT_EQ(changed.count(), 1); // one signal for the whole column, not one per row
    EXPECT_EQ(model.index(row, 0).data(ActorListModel::StateRole).toInt(), static_cast<int>(State::Running));
    EXPECT_EQ(model.index(row, ActorListModel::StateColumn).data(Qt::DecorationRole).value<QColor>(),
              Palette::stateColor(State::Running));
    EXPECT_TRUE(
        model.index(row, ActorListModel::StateColumn).data().toString().contains(Palette::stateLabel(State::Running)));
    EXPECT_EQ(model.headerData(ActorListModel::StateColumn, Qt::Horizontal).toString(), QStringLiteral("State"));
    EXPECT_TRUE(model.roleNames().contains(ActorListModel::StateRole));
    EXPECT_TRUE(warnings.messages().isEmpty()) << warnings.messages().join(QLatin1Char('\n')).toStdString();
}

TEST(Models, ActorListModelAppendsDuringALiveRunAndResetsOnANewOne)
{
    WarningCollector warnings;
    ActorListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    TraceWriter w;
    const ActorId a = w.b.addActor(ActorKind::Thread, "A");
    w.state(0, a, State::Running);
    model.setTrace(w.b.snapshot());
    EXPECT_EQ(model.rowCount(), 1);

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const ActorId b = w.b.addActor(ActorKind::Thread, "B");
    const ActorId l = w.b.addActor(ActorKind::Lock, "L");
    w.state(10, b, State::Blocked, l);
    model.setTrace(w.b.snapshot());
    EXPECT_EQ(model.rowCount(), 3);
    EXPECT_EQ(inserted.count(), 1);
    EXPECT_EQ(reset.count(), 0);
    EXPECT_EQ(model.index(2, ActorListModel::KindColumn).data().toString(), QStringLiteral("lock"));

    TraceWriter other;
    other.b.addActor(ActorKind::Process, "P");
    other.event(1, EventKind::Fork, ActorId(0));
    model.setTrace(other.b.snapshot());
    EXPECT_EQ(reset.count(), 1);
    EXPECT_EQ(model.rowCount(), 1);
    model.setTrace(nullptr);
    EXPECT_EQ(model.rowCount(), 0);
    EXPECT_TRUE(warnings.messages().isEmpty()) << warnings.messages().join(QLatin1Char('\n')).toStdString();
}

TEST(Models, EventTableModelPassesTheTesterAndAppendsIncrementally)
{
    WarningCollector warnings;
    EventTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Warning);
    TraceWriter w;
    const ActorId t = w.b.addActor(ActorKind::Thread, "T");
    const ActorId lock = w.b.addActor(ActorKind::Lock, "L");
    w.state(0, t, State::Running);
    w.event(1500, EventKind::Acquired, t, lock);
    model.setTrace(w.b.snapshot());
    ASSERT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.index(1, EventTableModel::ActorColumn).data().toString(), QStringLiteral("T"));
    EXPECT_EQ(model.index(1, EventTableModel::TargetColumn).data().toString(), QStringLiteral("L"));
    const auto kindName = eventKindName(EventKind::Acquired);
    EXPECT_EQ(model.index(1, EventTableModel::KindColumn).data().toString(),
              QString::fromLatin1(kindName.data(), static_cast<qsizetype>(kindName.size())));
    EXPECT_EQ(model.index(1, 0).data(EventTableModel::TimestampRole).toLongLong(), 1500);
    EXPECT_EQ(model.index(0, 0).data(EventTableModel::StateRole).toInt(), static_cast<int>(State::Running));
    EXPECT_FALSE(model.index(1, 0).data(EventTableModel::StateRole).isValid());
    EXPECT_EQ(model.index(1, 0).data(EventTableModel::EventKindRole).toInt(), static_cast<int>(EventKind::Acquired));

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    for (int i = 0; i < 1000; ++i) w.event(2000 + i, EventKind::Say, t, {}, 0, "hello");
    model.setTrace(w.b.snapshot());
    EXPECT_EQ(model.rowCount(), 1002);
    ASSERT_EQ(inserted.count(), 1); // one signal per snapshot, not per event
    EXPECT_EQ(inserted.at(0).at(1).toInt(), 2);
    EXPECT_EQ(inserted.at(0).at(2).toInt(), 1001);
    EXPECT_EQ(reset.count(), 0);
    EXPECT_EQ(model.index(500, EventTableModel::DetailColumn).data().toString(), QStringLiteral("hello"));
    EXPECT_EQ(model.rowAtOrBefore(1500), 1);
    EXPECT_EQ(model.rowAtOrBefore(1999), 1);
    EXPECT_EQ(model.rowAtOrBefore(-5), -1);

    model.setTrace(lockstep::testing::classroomTrace());
    EXPECT_EQ(reset.count(), 1);
    EXPECT_TRUE(warnings.messages().isEmpty()) << warnings.messages().join(QLatin1Char('\n')).toStdString();
}

TEST(Models, EventTableModelHandlesAMillionRowsLazily)
{
    const auto trace = lockstep::testing::thrashTrace(1'000'000);
    EventTableModel model;
    model.setTrace(trace);
    EXPECT_EQ(model.rowCount(), static_cast<int>(trace->eventCount()));
    const QModelIndex last = model.index(model.rowCount() - 1, EventTableModel::TimeColumn);
    EXPECT_EQ(last.data(EventTableModel::TimestampRole).toLongLong(), trace->events().back().ts);
    EXPECT_FALSE(last.data().toString().isEmpty());
}
