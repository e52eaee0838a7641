#pragma once

#include "lockstep/trace/Trace.h"

#include <QAbstractTableModel>

#include <memory>

namespace lockstep::ui {

// Every event of a trace as a table (time, actor, event, target, detail, line), for the event log
// and for tests. Rows are read straight from the shared snapshot (nothing is copied), so a table
// of ten million events costs nothing until rows are shown. A later snapshot of the same run
// appends rows (one rowsInserted per update, not per event); another run resets the model.
class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, ActorColumn, KindColumn, TargetColumn, DetailColumn, LineColumn, ColumnCount };
    enum Roles {
        EventIndexRole = Qt::UserRole, // qulonglong: EventIndex::value (== row)
        TimestampRole,                 // qint64 ns
        ActorIdRole,                   // quint32, or -1 (as qint64) for none
        TargetIdRole,                  // quint32, or -1 (as qint64) for none
        EventKindRole,                 // int: EventKind
        StateRole,                     // int: State (StateChange events), else invalid
        ValueRole,                     // qint64
        TextRole,                      // QString: the event's text payload
        SortRole,                      // a value that sorts naturally for the column
    };
    Q_ENUM(Roles)

    explicit EventTableModel(QObject* parent = nullptr);

    void setTrace(std::shared_ptr<const Trace> trace);
    [[nodiscard]] const std::shared_ptr<const Trace>& trace() const { return m_trace; }
    // Row of the last event at or before ts (for "scroll the log to the cursor"); -1 if none.
    [[nodiscard]] int rowAtOrBefore(std::int64_t ts) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    [[nodiscard]] QString detail(const Event& e) const;

    std::shared_ptr<const Trace> m_trace;
    int m_rows = 0; // rows announced to views (event count, capped at INT_MAX)
};

} // namespace lockstep::ui
