#include "models/EventTableModel.h"

#include "render/EngineText.h"
#include "render/Palette.h"
#include "render/TimelineGeometry.h"
#include "render/TraceIdentity.h"

#include <algorithm>
#include <climits>

namespace lockstep::ui {

namespace {
QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

int rowsOf(const std::shared_ptr<const Trace>& t)
{
    return t ? static_cast<int>(std::min<std::size_t>(t->eventCount(), INT_MAX)) : 0;
}

QVariant idOrNone(ActorId id)
{
    return id.valid() ? QVariant::fromValue<quint32>(id.value) : QVariant::fromValue<qint64>(-1);
}
} // namespace

EventTableModel::EventTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void EventTableModel::setTrace(std::shared_ptr<const Trace> trace)
{
    if (trace == m_trace) return;
    const bool continues = m_trace && trace && isContinuationOf(*trace, *m_trace);
    if (!continues) {
        beginResetModel();
        m_trace = std::move(trace);
        m_rows = rowsOf(m_trace);
        endResetModel();
        return;
    }
    const int newRows = rowsOf(trace);
    if (newRows > m_rows) {
        beginInsertRows({}, m_rows, newRows - 1);
        m_trace = std::move(trace);
        m_rows = newRows;
        endInsertRows();
    } else {
        m_trace = std::move(trace);
    }
}

int EventTableModel::rowAtOrBefore(std::int64_t ts) const
{
    if (!m_trace || m_rows == 0) return -1;
    // First event after ts, minus one.
    const EventIndex after = m_trace->lowerBound(ts == INT64_MAX ? ts : ts + 1);
    const auto row = static_cast<std::int64_t>(after.value) - 1;
    return static_cast<int>(std::min<std::int64_t>(row, m_rows - 1));
}

int EventTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rows; }

int EventTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString EventTableModel::detail(const Event& e) const
{
    switch (e.kind) {
    case EventKind::StateChange: return Palette::style(e.state).glyph + QLatin1Char(' ') + Palette::stateLabel(e.state);
    case EventKind::ActorCreated:
    case EventKind::Acquired:
    case EventKind::Released:
    case EventKind::AcquireRequest:
    case EventKind::GilRequest:
    case EventKind::GilTaken:
    case EventKind::GilDropped:
    case EventKind::GilDropRequest: break;
    default:
        if (e.text.valid()) return EngineText::display(m_trace->text(e));
        if (e.value != 0) return QString::number(e.value);
        break;
    }
    return e.text.valid() ? EngineText::display(m_trace->text(e)) : QString();
}

QVariant EventTableModel::data(const QModelIndex& idx, int role) const
{
    if (!checkIndex(idx, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_trace) return {};
    const EventIndex ei(static_cast<std::uint64_t>(idx.row()));
    const Event& e = m_trace->event(ei);

    switch (role) {
    case EventIndexRole: return QVariant::fromValue<qulonglong>(ei.value);
    case TimestampRole: return QVariant::fromValue<qint64>(e.ts);
    case ActorIdRole: return idOrNone(e.actor);
    case TargetIdRole: return idOrNone(e.target);
    case EventKindRole: return static_cast<int>(e.kind);
    case StateRole: return e.kind == EventKind::StateChange ? QVariant(static_cast<int>(e.state)) : QVariant();
    case ValueRole: return QVariant::fromValue<qint64>(e.value);
    case TextRole: return qstr(m_trace->text(e));
    default: break;
    }

    switch (idx.column()) {
    case TimeColumn:
        if (role == Qt::DisplayRole)
            // ns resolution, in the unit that suits the whole run, so the column lines up.
            return TimelineGeometry::formatTime(static_cast<double>(e.ts), 1, static_cast<double>(m_trace->endTs()));
        if (role == SortRole) return QVariant::fromValue<qint64>(e.ts);
        if (role == Qt::TextAlignmentRole) return QVariant::fromValue<int>(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case ActorColumn:
        if (role == Qt::DisplayRole || role == SortRole) return qstr(m_trace->actorName(e.actor));
        break;
    case KindColumn:
        if (role == Qt::DisplayRole || role == SortRole) return qstr(eventKindName(e.kind));
        if (role == Qt::DecorationRole && e.kind == EventKind::StateChange) return Palette::stateColor(e.state);
        break;
    case TargetColumn:
        if (role == Qt::DisplayRole || role == SortRole) return qstr(m_trace->actorName(e.target));
        break;
    case DetailColumn:
        if (role == Qt::DisplayRole || role == SortRole || role == Qt::ToolTipRole) return detail(e);
        break;
    case LineColumn:
        if (role == Qt::DisplayRole) return e.line > 0 ? QVariant(e.line) : QVariant();
        if (role == SortRole) return e.line;
        if (role == Qt::TextAlignmentRole) return QVariant::fromValue<int>(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default: break;
    }
    return {};
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section;
    switch (section) {
    case TimeColumn: return tr("Time");
    case ActorColumn: return tr("Actor");
    case KindColumn: return tr("Event");
    case TargetColumn: return tr("Target");
    case DetailColumn: return tr("Detail");
    case LineColumn: return tr("Line");
    default: return {};
    }
}

QHash<int, QByteArray> EventTableModel::roleNames() const
{
    auto names = QAbstractTableModel::roleNames();
    names.insert(EventIndexRole, "eventIndex");
    names.insert(TimestampRole, "timestamp");
    names.insert(ActorIdRole, "actorId");
    names.insert(TargetIdRole, "targetId");
    names.insert(EventKindRole, "eventKind");
    names.insert(StateRole, "state");
    names.insert(ValueRole, "value");
    names.insert(TextRole, "text");
    names.insert(SortRole, "sort");
    return names;
}

} // namespace lockstep::ui
