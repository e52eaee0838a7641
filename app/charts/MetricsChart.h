#pragma once

#include "charts/RunHistory.h"

#include <nlohmann/json.hpp>

#include <QString>
#include <QStringList>
#include <QWidget>

class QBarSeries;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QStackedWidget;
class QToolButton;

namespace lockstep::ui {

// Qt Charts of the numbers lessons report in their summaries, updated as runs finish: a metric per
// variant as bars (several variants side by side), sweep curves (ns_per_wait against fds, one per
// multiplexer, log axes), and the latest run's time per thread as stacked bars.
class MetricsChart : public QWidget {
    Q_OBJECT
public:
    explicit MetricsChart(QWidget* parent = nullptr);

    void setLesson(const QString& lessonId);
    void addSummary(const nlohmann::json& summary);
    void clearLesson();
    void setDark(bool dark);
    void setScale(double scale);

    // Chart choices for the current lesson: "compare:<group>" (the latest race or comparison of
    // several servers or models), "sweep:<key>", "scalar:<key>", "actors".
    [[nodiscard]] QStringList metricIds() const;
    bool setMetric(const QString& id);
    [[nodiscard]] QString currentMetric() const;
    [[nodiscard]] int runCount() const { return m_history.count(m_lesson); }
    [[nodiscard]] QChart* chart() const;
    [[nodiscard]] const RunHistory& history() const { return m_history; }

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent* event) override;

private:
    void refreshChoices();
    void rebuild();
    void buildScalar(QChart* chart, const QString& metric);
    void buildSweep(QChart* chart, const QString& metric);
    void buildActors(QChart* chart);
    void buildComparison(QChart* chart, const QString& group);
    // Bars by category, labelled with their values, on a value axis from 0; `tips` per category.
    void addBars(
        QChart* chart, QBarSeries* series, const QStringList& categories, double maxValue, const QStringList& tips);
    void styleChart(QChart* chart) const;
    void retranslate();

    RunHistory m_history;
    QString m_lesson;
    QString m_preferred;       // the user's last choice, kept across runs
    bool m_dark = false;
    double m_scale = 1.0;
    QLabel* m_title = nullptr;
    QComboBox* m_metric = nullptr;
    QToolButton* m_clear = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_empty = nullptr;
    QChartView* m_view = nullptr;
};

} // namespace lockstep::ui
