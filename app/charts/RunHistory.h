#pragma once

#include <nlohmann/json.hpp>

#include <QPointF>
#include <QString>
#include <QStringList>

#include <map>
#include <utility>
#include <vector>

namespace lockstep::ui {

// The summaries of the runs finished in this session, and the numbers a chart can draw from them:
// scalar metrics per variant (wall_ms, gil_switches, io_latency_ms.median, ...), sweep curves from a
// `results` array (ns_per_wait against fds, one curve per multiplexer) and per-actor times from an
// `actors` array (running / waiting for the GIL / blocked on I/O).
class RunHistory {
public:
    static constexpr const char* kActorsMetric = "actors";

    void add(const nlohmann::json& summary);
    void clear(const QString& lesson);
    [[nodiscard]] int count(const QString& lesson) const;
    [[nodiscard]] std::vector<const nlohmann::json*> runs(const QString& lesson) const;

    [[nodiscard]] QStringList scalarMetrics(const QString& lesson) const;
    [[nodiscard]] QStringList sweepMetrics(const QString& lesson) const; // y keys drawn against fds
    [[nodiscard]] bool hasActors(const QString& lesson) const;

    // Latest value of `metric` for each variant, variants in the order first run.
    [[nodiscard]] std::vector<std::pair<QString, double>> latestByVariant(const QString& lesson,
                                                                         const QString& metric) const;
    // Every run's value of `metric` per variant (for several runs of one variant side by side).
    [[nodiscard]] std::vector<std::pair<QString, std::vector<double>>> allByVariant(const QString& lesson,
                                                                                   const QString& metric) const;
    // Points (fds, y) per curve; the curve is the element's "mux" (or the run's variant).
    [[nodiscard]] std::map<QString, std::vector<QPointF>> sweep(const QString& lesson, const QString& yKey) const;
    // The latest run's actors: names and, per numeric field, one value per actor.
    struct ActorTable {
        QStringList names;
        std::vector<std::pair<QString, std::vector<double>>> fields;
        QString variant;
    };
    [[nodiscard]] ActorTable latestActors(const QString& lesson) const;

    // The latest run's comparison: an array of entries that each name what they measured
    // ("server": the servers race, "model": the I/O models), with their numbers side by side.
    // Fields of a nested object are "outer.inner" (latency_ms.p50).
    struct Comparison {
        QString array; // the summary key: "race", "models"
        QString variant;
        QStringList names; // one per entry
        std::vector<std::pair<QString, std::vector<double>>> fields; // one value per entry
    };
    [[nodiscard]] Comparison latestComparison(const QString& lesson) const;
    // Fields drawn in one chart: an object's members (latency_ms: p50 and p99), the peaks
    // (max_threads, max_processes, max_fds: "max"); any other field alone.
    [[nodiscard]] static QString comparisonGroup(const QString& field);
    [[nodiscard]] static QStringList comparisonGroups(const Comparison& c);
    // Display names: of a group (the chart) and of a field within it (a bar's legend).
    [[nodiscard]] static QString groupTitle(const QString& group);
    [[nodiscard]] static QString fieldTitle(const QString& field);
    [[nodiscard]] static QString arrayTitle(const QString& array); // "race": "Race"

    // A metric's value in one summary ("a.b" looks one level into an object); nullopt-like NaN if absent.
    [[nodiscard]] static double value(const nlohmann::json& summary, const QString& metric);
    // Display name of a metric key (translated where known).
    [[nodiscard]] static QString metricTitle(const QString& metric);

private:
    std::vector<nlohmann::json> m_runs;
};

} // namespace lockstep::ui
