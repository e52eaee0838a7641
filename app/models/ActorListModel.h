#pragma once

#include "lockstep/trace/Trace.h"

#include <QAbstractTableModel>

#include <cstdint>
#include <memory>

namespace lockstep::ui {

// Every actor of a trace (threads, processes, coroutines, locks, the GIL, fds, ...) as a table:
// name, kind, state at the cursor, number of events. Updated by swapping snapshots: a later
// snapshot of the same run appends rows for new actors and refreshes the state column with one
// dataChanged; a snapshot of another run resets the model.
class ActorListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, KindColumn, StateColumn, EventsColumn, ColumnCount };
    enum Roles {
        ActorIdRole = Qt::UserRole, // quint32: ActorId::value
        ActorKindRole,              // int: ActorKind
        StateRole,                  // int: State at the cursor
        StateCategoryRole,          // int: StateCategory at the cursor
        ParentIdRole,               // quint32, or -1 (as qint64) for none
        EventCountRole,             // qulonglong
        IsExecutorRole,             // bool: thread / process / coroutine
        SortRole,                   // a value that sorts naturally for the column
    };
    Q_ENUM(Roles)

    explicit ActorListModel(QObject* parent = nullptr);

    void setTrace(std::shared_ptr<const Trace> trace);
    [[nodiscard]] const std::shared_ptr<const Trace>& trace() const { return m_trace; }
    // Time at which the State column is evaluated (ns); < 0: the end of the trace.
    void setCursor(std::int64_t ts);
    [[nodiscard]] std::int64_t cursor() const { return m_cursor; }
    [[nodiscard]] ActorId actorAt(int row) const;
    [[nodiscard]] int rowOf(ActorId actor) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    [[nodiscard]] std::int64_t effectiveCursor() const;
    void refreshVolatileColumns();

    std::shared_ptr<const Trace> m_trace;
    std::int64_t m_cursor = -1;
};

} // namespace lockstep::ui
