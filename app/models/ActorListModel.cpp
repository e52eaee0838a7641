#include "models/ActorListModel.h"

#include "render/Palette.h"
#include "render/TraceIdentity.h"

namespace lockstep::ui {

namespace {
QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
} // namespace

ActorListModel::ActorListModel(QObject* parent) : QAbstractTableModel(parent) {}

void ActorListModel::setTrace(std::shared_ptr<const Trace> trace)
{
    if (trace == m_trace) return;
    const bool continues = m_trace && trace && isContinuationOf(*trace, *m_trace);
    if (!continues) {
        beginResetModel();
        m_trace = std::move(trace);
        endResetModel();
        return;
    }
    const int oldRows = rowCount();
    const int newRows = static_cast<int>(trace->actors().size());
    if (newRows > oldRows) {
        beginInsertRows({}, oldRows, newRows - 1);
        m_trace = std::move(trace);
        endInsertRows();
    } else {
        m_trace = std::move(trace);
    }
    refreshVolatileColumns();
}

void ActorListModel::setCursor(std::int64_t ts)
{
    if (ts == m_cursor) return;
    m_cursor = ts;
    refreshVolatileColumns();
}

void ActorListModel::refreshVolatileColumns()
{
    // One signal for the whole block: names and kinds never change, states and counts do.
    if (rowCount() > 0) Q_EMIT dataChanged(index(0, StateColumn), index(rowCount() - 1, EventsColumn));
}

std::int64_t ActorListModel::effectiveCursor() const
{
    return m_cursor >= 0 ? m_cursor : (m_trace ? m_trace->endTs() : 0);
}

ActorId ActorListModel::actorAt(int row) const
{
    if (!m_trace || row < 0 || row >= rowCount()) return {};
    return m_trace->actors()[static_cast<std::size_t>(row)].id;
}

int ActorListModel::rowOf(ActorId actor) const
{
    if (!m_trace || !actor.valid() || actor.value >= m_trace->actors().size()) return -1;
    return static_cast<int>(actor.value); // actors are stored by id
}

int ActorListModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_trace) return 0;
    return static_cast<int>(m_trace->actors().size());
}

int ActorListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ActorListModel::data(const QModelIndex& idx, int role) const
{
    if (!checkIndex(idx, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_trace) return {};
    const ActorInfo& a = m_trace->actors()[static_cast<std::size_t>(idx.row())];
    const bool exec = isExecutor(a.kind);
    // Resources without state changes (most locks) are "free"/"idle" rather than "new".
    const State state = m_trace->spans(a.id).empty() && !exec ? State::Free : m_trace->stateAt(a.id, effectiveCursor());

    switch (role) {
    case ActorIdRole: return QVariant::fromValue<quint32>(a.id.value);
    case ActorKindRole: return static_cast<int>(a.kind);
    case StateRole: return static_cast<int>(state);
    case StateCategoryRole: return static_cast<int>(stateCategory(state));
    case ParentIdRole:
        return a.parent.valid() ? QVariant::fromValue<qint64>(a.parent.value) : QVariant::fromValue<qint64>(-1);
    case EventCountRole: return QVariant::fromValue<qulonglong>(m_trace->eventsOf(a.id).size());
    case IsExecutorRole: return exec;
    default: break;
    }

    switch (idx.column()) {
    case NameColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole || role == SortRole) return qstr(a.name);
        break;
    case KindColumn:
        if (role == Qt::DisplayRole || role == SortRole) return qstr(actorKindName(a.kind));
        break;
    case StateColumn:
        if (role == Qt::DisplayRole)
            return QString(Palette::style(state).glyph + QLatin1Char(' ') + Palette::stateLabel(state));
        if (role == Qt::DecorationRole) return Palette::stateColor(state);
        if (role == Qt::ToolTipRole) return Palette::stateLabel(state);
        if (role == SortRole) return static_cast<int>(stateCategory(state));
        break;
    case EventsColumn:
        if (role == Qt::DisplayRole || role == SortRole)
            return QVariant::fromValue<qulonglong>(m_trace->eventsOf(a.id).size());
        if (role == Qt::TextAlignmentRole) return QVariant::fromValue<int>(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default: break;
    }
    return {};
}

QVariant ActorListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case NameColumn: return tr("Actor");
    case KindColumn: return tr("Kind");
    case StateColumn: return tr("State");
    case EventsColumn: return tr("Events");
    default: return {};
    }
}

QHash<int, QByteArray> ActorListModel::roleNames() const
{
    auto names = QAbstractTableModel::roleNames();
    names.insert(ActorIdRole, "actorId");
    names.insert(ActorKindRole, "actorKind");
    names.insert(StateRole, "state");
    names.insert(StateCategoryRole, "stateCategory");
    names.insert(ParentIdRole, "parentId");
    names.insert(EventCountRole, "eventCount");
    names.insert(IsExecutorRole, "isExecutor");
    names.insert(SortRole, "sort");
    return names;
}

} // namespace lockstep::ui
