#include "charts/RunHistory.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lockstep::ui {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }

bool sameLesson(const nlohmann::json& s, const QString& lesson)
{
    return s.is_object() && s.contains("lesson") && s["lesson"].is_string() && qs(s["lesson"].get<std::string>()) == lesson;
}

QString variantOf(const nlohmann::json& s)
{
    return s.contains("variant") && s["variant"].is_string() ? qs(s["variant"].get<std::string>()) : QStringLiteral("?");
}

// Keys that are bookkeeping, not measurements.
bool ignoredKey(const std::string& k) { return k == "seed" || k == "params" || k == "lesson" || k == "variant"; }

const nlohmann::json* sweepArray(const nlohmann::json& s)
{
    if (!s.contains("results") || !s["results"].is_array()) return nullptr;
    for (const auto& e : s["results"])
        if (!e.is_object() || !e.contains("fds") || !e["fds"].is_number()) return nullptr;
    return &s["results"];
}

struct KnownMetric {
    const char* key;
    const char* title;
};
constexpr KnownMetric kKnown[] = {
    {"wall_ms", QT_TRANSLATE_NOOP("Metrics", "Wall time (ms)")},
    {"events", QT_TRANSLATE_NOOP("Metrics", "Events recorded")},
    {"gil_switches", QT_TRANSLATE_NOOP("Metrics", "GIL switches")},
    {"gil_switches_per_s", QT_TRANSLATE_NOOP("Metrics", "GIL switches per second")},
    {"switch_interval_ms", QT_TRANSLATE_NOOP("Metrics", "Switch interval (ms)")},
    {"io_latency_ms.median", QT_TRANSLATE_NOOP("Metrics", "I/O latency, median (ms)")},
    {"io_latency_ms.p99", QT_TRANSLATE_NOOP("Metrics", "I/O latency, 99th percentile (ms)")},
    {"detected_after_ms", QT_TRANSLATE_NOOP("Metrics", "Deadlock detected after (ms)")},
    {"retries", QT_TRANSLATE_NOOP("Metrics", "Retries")},
    {"meals", QT_TRANSLATE_NOOP("Metrics", "Meals eaten")},
    {"waits", QT_TRANSLATE_NOOP("Metrics", "Waits")},
    {"notifies", QT_TRANSLATE_NOOP("Metrics", "Notifies")},
    {"lost_updates", QT_TRANSLATE_NOOP("Metrics", "Lost updates")},
    {"counter", QT_TRANSLATE_NOOP("Metrics", "Final counter")},
    {"ns_per_wait", QT_TRANSLATE_NOOP("Metrics", "ns per wait against fds")},
    {"scanned_per_wait", QT_TRANSLATE_NOOP("Metrics", "fds scanned per wait against fds")},
    {"ready_per_wait", QT_TRANSLATE_NOOP("Metrics", "Ready fds per wait against fds")},
    {"waits@sweep", QT_TRANSLATE_NOOP("Metrics", "Waits against fds")},
    {"actors", QT_TRANSLATE_NOOP("Metrics", "Time per thread, latest run (ms)")},
    {"stalled_fds", QT_TRANSLATE_NOOP("Metrics", "Stalled fds")},
};

// Comparison charts (a group of fields) and their bars (one field).
constexpr KnownMetric kGroups[] = {
    { "throughput_rps", QT_TRANSLATE_NOOP("Metrics", "Throughput (requests/s)") },
    { "latency_ms", QT_TRANSLATE_NOOP("Metrics", "Latency, p50 and p99 (ms)") },
    { "max", QT_TRANSLATE_NOOP("Metrics", "Peak threads, processes and fds") },
    { "rss_kb", QT_TRANSLATE_NOOP("Metrics", "Peak memory (kB)") },
    { "rss_added_kb", QT_TRANSLATE_NOOP("Metrics", "Memory added while serving (kB)") },
    { "requests", QT_TRANSLATE_NOOP("Metrics", "Requests served") },
    { "slow_client_ms", QT_TRANSLATE_NOOP("Metrics", "Slow client's request (ms)") },
    { "syscalls", QT_TRANSLATE_NOOP("Metrics", "System calls") },
    { "eagain", QT_TRANSLATE_NOOP("Metrics", "EAGAIN returns") },
    { "cpu_ms", QT_TRANSLATE_NOOP("Metrics", "CPU time (ms)") },
    { "wait_ms", QT_TRANSLATE_NOOP("Metrics", "Waiting for the data (ms)") },
    { "copy_us", QT_TRANSLATE_NOOP("Metrics", "Copying the data (µs)") },
};
// In the order their bars stand in a group.
constexpr KnownMetric kFields[] = {
    { "max_threads", QT_TRANSLATE_NOOP("Metrics", "threads") },
    { "max_processes", QT_TRANSLATE_NOOP("Metrics", "processes") },
    { "max_fds", QT_TRANSLATE_NOOP("Metrics", "fds") },
};
constexpr KnownMetric kArrays[] = {
    { "race", QT_TRANSLATE_NOOP("Metrics", "Race") },
    { "models", QT_TRANSLATE_NOOP("Metrics", "I/O models") },
};

// A key's place in a table (the table's size when not in it): the order bars and charts come in.
template <std::size_t N> int rankIn(const QString& key, const KnownMetric (&table)[N])
{
    for (std::size_t i = 0; i < N; ++i)
        if (key == QLatin1String(table[i].key)) return static_cast<int>(i);
    return static_cast<int>(N);
}

// The key that names each entry of a comparison array.
const char* const kEntryNames[] = { "server", "model" };

const char* entryNameKey(const nlohmann::json& array)
{
    if (!array.is_array() || array.size() < 2) return nullptr;
    for (const char* key : kEntryNames) {
        const bool all = std::all_of(array.begin(), array.end(),
            [&](const nlohmann::json& e) { return e.is_object() && e.contains(key) && e[key].is_string(); });
        if (all) return key;
    }
    return nullptr;
}

QString translated(const QString& key, const auto& table)
{
    for (const auto& k : table)
        if (key == QLatin1String(k.key)) return QCoreApplication::translate("Metrics", k.title);
    return key;
}
} // namespace

void RunHistory::add(const nlohmann::json& summary)
{
    if (summary.is_object()) m_runs.push_back(summary);
}

void RunHistory::clear(const QString& lesson)
{
    std::erase_if(m_runs, [&](const nlohmann::json& s) { return sameLesson(s, lesson); });
}

int RunHistory::count(const QString& lesson) const
{
    return static_cast<int>(std::count_if(m_runs.begin(), m_runs.end(), [&](const auto& s) { return sameLesson(s, lesson); }));
}

std::vector<const nlohmann::json*> RunHistory::runs(const QString& lesson) const
{
    std::vector<const nlohmann::json*> out;
    for (const auto& s : m_runs)
        if (sameLesson(s, lesson)) out.push_back(&s);
    return out;
}

double RunHistory::value(const nlohmann::json& summary, const QString& metric)
{
    constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
    const std::string key = metric.toStdString();
    const auto dot = key.find('.');
    const nlohmann::json* v = nullptr;
    if (dot == std::string::npos) {
        if (summary.contains(key)) v = &summary[key];
    } else {
        const std::string outer = key.substr(0, dot), inner = key.substr(dot + 1);
        if (summary.contains(outer) && summary[outer].is_object() && summary[outer].contains(inner))
            v = &summary[outer][inner];
    }
    if (!v) return kNone;
    if (v->is_number()) return v->get<double>();
    if (v->is_boolean()) return v->get<bool>() ? 1.0 : 0.0;
    return kNone;
}

QStringList RunHistory::scalarMetrics(const QString& lesson) const
{
    QStringList out;
    auto add = [&](const QString& k) {
        if (!out.contains(k)) out << k;
    };
    for (const auto* s : runs(lesson)) {
        for (const auto& [k, v] : s->items()) {
            if (ignoredKey(k)) continue;
            if (v.is_number()) add(qs(k));
            else if (v.is_object())
                for (const auto& [k2, v2] : v.items())
                    if (v2.is_number()) add(qs(k + '.' + k2));
        }
    }
    // wall_ms first: it is what every lesson compares.
    if (out.removeAll(QStringLiteral("wall_ms"))) out.prepend(QStringLiteral("wall_ms"));
    return out;
}

QStringList RunHistory::sweepMetrics(const QString& lesson) const
{
    QStringList out;
    for (const auto* s : runs(lesson)) {
        const nlohmann::json* arr = sweepArray(*s);
        if (!arr) continue;
        for (const auto& e : *arr)
            for (const auto& [k, v] : e.items())
                if (v.is_number() && k != "fds" && k != "active" && !out.contains(qs(k))) out << qs(k);
    }
    if (out.removeAll(QStringLiteral("ns_per_wait"))) out.prepend(QStringLiteral("ns_per_wait"));
    return out;
}

bool RunHistory::hasActors(const QString& lesson) const { return !latestActors(lesson).names.isEmpty(); }

std::vector<std::pair<QString, double>> RunHistory::latestByVariant(const QString& lesson, const QString& metric) const
{
    std::vector<std::pair<QString, double>> out;
    for (const auto& [variant, values] : allByVariant(lesson, metric)) out.emplace_back(variant, values.back());
    return out;
}

std::vector<std::pair<QString, std::vector<double>>> RunHistory::allByVariant(const QString& lesson,
                                                                             const QString& metric) const
{
    std::vector<std::pair<QString, std::vector<double>>> out;
    for (const auto* s : runs(lesson)) {
        const double v = value(*s, metric);
        if (std::isnan(v)) continue;
        const QString variant = variantOf(*s);
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == variant; });
        if (it == out.end()) out.emplace_back(variant, std::vector<double>{v});
        else it->second.push_back(v);
    }
    return out;
}

std::map<QString, std::vector<QPointF>> RunHistory::sweep(const QString& lesson, const QString& yKey) const
{
    std::map<QString, std::vector<QPointF>> out;
    const std::string y = yKey.toStdString();
    for (const auto* s : runs(lesson)) {
        const nlohmann::json* arr = sweepArray(*s);
        if (!arr) continue;
        for (const auto& e : *arr) {
            if (!e.contains(y) || !e[y].is_number()) continue;
            const QString curve = e.contains("mux") && e["mux"].is_string() ? qs(e["mux"].get<std::string>()) : variantOf(*s);
            auto& pts = out[curve];
            const QPointF p(e["fds"].get<double>(), e[y].get<double>());
            // A later run at the same N replaces the earlier point.
            auto same = std::find_if(pts.begin(), pts.end(), [&](const QPointF& q) { return q.x() == p.x(); });
            if (same != pts.end()) *same = p;
            else pts.push_back(p);
        }
    }
    for (auto& [curve, pts] : out)
        std::sort(pts.begin(), pts.end(), [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
    return out;
}

RunHistory::ActorTable RunHistory::latestActors(const QString& lesson) const
{
    ActorTable table;
    const auto all = runs(lesson);
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        const nlohmann::json& s = **it;
        if (!s.contains("actors") || !s["actors"].is_array() || s["actors"].empty()) continue;
        const auto& actors = s["actors"];
        QStringList fields;
        for (const auto& a : actors) {
            if (!a.is_object()) continue;
            for (const auto& [k, v] : a.items())
                if (v.is_number() && !fields.contains(qs(k))) fields << qs(k);
        }
        if (fields.isEmpty()) continue;
        for (const QString& f : fields) table.fields.emplace_back(f, std::vector<double>{});
        for (const auto& a : actors) {
            if (!a.is_object()) continue;
            table.names << (a.contains("name") && a["name"].is_string() ? qs(a["name"].get<std::string>())
                                                                       : QString::number(table.names.size() + 1));
            for (auto& [f, values] : table.fields) {
                const std::string k = f.toStdString();
                values.push_back(a.contains(k) && a[k].is_number() ? a[k].get<double>() : 0.0);
            }
        }
        table.variant = variantOf(s);
        break;
    }
    return table;
}

RunHistory::Comparison RunHistory::latestComparison(const QString& lesson) const
{
    Comparison c;
    const auto all = runs(lesson);
    for (auto it = all.rbegin(); it != all.rend() && c.names.isEmpty(); ++it) {
        const nlohmann::json& s = **it;
        for (const auto& [key, array] : s.items()) {
            const char* nameKey = entryNameKey(array);
            if (!nameKey) continue;
            // Numbers only (a flag such as thread_blocked is no bar); one level into objects.
            QStringList fields;
            for (const auto& e : array)
                for (const auto& [k, v] : e.items()) {
                    if (v.is_number() && !fields.contains(qs(k))) fields << qs(k);
                    if (v.is_object())
                        for (const auto& [k2, v2] : v.items())
                            if (v2.is_number() && !fields.contains(qs(k + '.' + k2))) fields << qs(k + '.' + k2);
                }
            if (fields.isEmpty()) continue;
            std::stable_sort(fields.begin(), fields.end(),
                [](const QString& a, const QString& b) { return rankIn(a, kFields) < rankIn(b, kFields); });
            c.array = qs(key);
            c.variant = variantOf(s);
            for (const auto& e : array)
                c.names << qs(e[nameKey].get<std::string>());
            for (const QString& f : fields) {
                std::vector<double> values;
                for (const auto& e : array) {
                    const double v = value(e, f);
                    values.push_back(std::isnan(v) ? 0.0 : v);
                }
                c.fields.emplace_back(f, std::move(values));
            }
            break;
        }
    }
    return c;
}

QString RunHistory::comparisonGroup(const QString& field)
{
    if (const auto dot = field.indexOf(QLatin1Char('.')); dot > 0) return field.left(dot);
    if (field.startsWith(QLatin1String("max_"))) return QStringLiteral("max");
    return field;
}

QStringList RunHistory::comparisonGroups(const Comparison& c)
{
    QStringList groups;
    for (const auto& [field, values] : c.fields)
        if (const QString g = comparisonGroup(field); !groups.contains(g)) groups << g;
    // Known groups in kGroups' order (throughput first), then the rest as they came.
    std::stable_sort(groups.begin(), groups.end(),
        [](const QString& a, const QString& b) { return rankIn(a, kGroups) < rankIn(b, kGroups); });
    return groups;
}

QString RunHistory::groupTitle(const QString& group)
{
    return translated(group, kGroups);
}

QString RunHistory::arrayTitle(const QString& array)
{
    return translated(array, kArrays);
}

QString RunHistory::fieldTitle(const QString& field)
{
    if (const auto dot = field.indexOf(QLatin1Char('.')); dot > 0) return field.mid(dot + 1);
    const QString t = translated(field, kFields);
    return t == field ? groupTitle(field) : t;
}

QString RunHistory::metricTitle(const QString& metric)
{
    return translated(metric, kKnown);
}

} // namespace lockstep::ui
