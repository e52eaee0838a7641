#include "charts/MetricsChart.h"

#include "gui/Theme.h"
#include "render/Palette.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QStackedWidget>
#include <QToolButton>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lockstep::ui {

namespace {
const QString kScalar = QStringLiteral("scalar:");
const QString kSweep = QStringLiteral("sweep:");
const QString kActors = QStringLiteral("actors");
const QString kCompare = QStringLiteral("compare:");

QString formatValue(double v)
{
    if (std::abs(v) >= 1000 || v == std::floor(v)) return QString::number(v, 'f', 0);
    return QString::number(v, 'g', 3);
}

// Colour of a per-actor time field: the state colour it measures, so the chart reads like the timeline.
QColor fieldColour(const QString& field, int index)
{
    if (field.contains(QLatin1String("running"))) return Palette::style(StateCategory::Running).fill;
    if (field.contains(QLatin1String("gil")) || field.contains(QLatin1String("ready")))
        return Palette::style(StateCategory::Ready).fill;
    if (field.contains(QLatin1String("io")) || field.contains(QLatin1String("blocked")))
        return Palette::style(StateCategory::Blocked).fill;
    if (field.contains(QLatin1String("wait"))) return Palette::style(StateCategory::Waiting).fill;
    if (field.contains(QLatin1String("sleep"))) return Palette::style(StateCategory::Sleeping).fill;
    return Palette::seriesColor(index);
}
} // namespace

MetricsChart::MetricsChart(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("metricsChart"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    auto* top = new QHBoxLayout;
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("fieldLabel"));
    m_metric = new QComboBox(this);
    m_metric->setObjectName(QStringLiteral("metricBox"));
    m_metric->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_clear = new QToolButton(this);
    m_clear->setObjectName(QStringLiteral("clearMetrics"));
    top->addWidget(m_title);
    top->addWidget(m_metric, 1);
    top->addWidget(m_clear);
    layout->addLayout(top);

    m_stack = new QStackedWidget(this);
    m_empty = new QLabel(m_stack);
    m_empty->setObjectName(QStringLiteral("mutedLabel"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_view = new QChartView(m_stack);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setObjectName(QStringLiteral("metricsView"));
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_view);
    layout->addWidget(m_stack, 1);

    connect(m_metric, &QComboBox::currentIndexChanged, this, [this] {
        if (m_metric->signalsBlocked()) return;
        m_preferred = currentMetric();
        rebuild();
    });
    connect(m_clear, &QToolButton::clicked, this, &MetricsChart::clearLesson);
    retranslate();
    rebuild();
}

void MetricsChart::setLesson(const QString& lessonId)
{
    if (lessonId == m_lesson) return;
    m_lesson = lessonId;
    m_preferred.clear();
    refreshChoices();
    rebuild();
}

void MetricsChart::addSummary(const nlohmann::json& summary)
{
    m_history.add(summary);
    if (summary.contains("lesson") && summary["lesson"].is_string() &&
        QString::fromStdString(summary["lesson"].get<std::string>()) == m_lesson) {
        refreshChoices();
        rebuild();
    }
    Q_EMIT changed();
}

void MetricsChart::clearLesson()
{
    m_history.clear(m_lesson);
    refreshChoices();
    rebuild();
    Q_EMIT changed();
}

void MetricsChart::setDark(bool dark)
{
    m_dark = dark;
    rebuild();
}

void MetricsChart::setScale(double scale)
{
    m_scale = scale;
    rebuild();
}

QStringList MetricsChart::metricIds() const
{
    QStringList ids;
    for (int i = 0; i < m_metric->count(); ++i) ids << m_metric->itemData(i).toString();
    return ids;
}

bool MetricsChart::setMetric(const QString& id)
{
    const int i = m_metric->findData(id);
    if (i < 0) return false;
    m_metric->setCurrentIndex(i);
    return true;
}

QString MetricsChart::currentMetric() const { return m_metric->currentData().toString(); }

QChart* MetricsChart::chart() const { return m_view->chart(); }

void MetricsChart::refreshChoices()
{
    const QSignalBlocker block(m_metric);
    m_metric->clear();
    // A comparison first, then sweep curves: when a lesson reports them they are its point.
    const RunHistory::Comparison comparison = m_history.latestComparison(m_lesson);
    for (const QString& g : RunHistory::comparisonGroups(comparison))
        m_metric->addItem(tr("%1: %2").arg(RunHistory::arrayTitle(comparison.array), RunHistory::groupTitle(g)),
            QString(kCompare + g));
    for (const QString& k : m_history.sweepMetrics(m_lesson)) {
        QString title = RunHistory::metricTitle(k);
        if (title == k) title = RunHistory::metricTitle(k + QStringLiteral("@sweep"));
        if (title == k + QStringLiteral("@sweep")) title = tr("%1 against fds").arg(k);
        m_metric->addItem(title, QString(kSweep + k));
    }
    for (const QString& k : m_history.scalarMetrics(m_lesson)) m_metric->addItem(RunHistory::metricTitle(k), QString(kScalar + k));
    if (m_history.hasActors(m_lesson)) m_metric->addItem(RunHistory::metricTitle(kActors), kActors);
    const int preferred = m_preferred.isEmpty() ? -1 : m_metric->findData(m_preferred);
    m_metric->setCurrentIndex(preferred >= 0 ? preferred : 0);
    m_metric->setEnabled(m_metric->count() > 0);
    m_clear->setEnabled(m_history.count(m_lesson) > 0);
}

void MetricsChart::rebuild()
{
    const QString metric = currentMetric();
    if (m_history.count(m_lesson) == 0 || metric.isEmpty()) {
        m_stack->setCurrentWidget(m_empty);
        return;
    }
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    if (metric.startsWith(kSweep)) buildSweep(chart, metric.mid(kSweep.size()));
    else if (metric == kActors) buildActors(chart);
    else if (metric.startsWith(kCompare))
        buildComparison(chart, metric.mid(kCompare.size()));
    else buildScalar(chart, metric.mid(kScalar.size()));
    styleChart(chart);
    QChart* old = m_view->chart();
    m_view->setChart(chart);
    delete old;
    m_stack->setCurrentWidget(m_view);
}

void MetricsChart::buildScalar(QChart* chart, const QString& metric)
{
    const auto byVariant = m_history.allByVariant(m_lesson, metric);
    auto* set = new QBarSet(RunHistory::metricTitle(metric));
    set->setColor(Palette::accent());
    set->setBorderColor(Palette::accent().darker(120));
    QStringList categories;
    double maxValue = 0;
    QStringList tips;
    for (const auto& [variant, values] : byVariant) {
        categories << variant;
        set->append(values.back());
        maxValue = std::max(maxValue, values.back());
        QString tip = QStringLiteral("<b>%1</b><br/>%2: %3").arg(variant, RunHistory::metricTitle(metric),
                                                                formatValue(values.back()));
        if (values.size() > 1) {
            const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
            tip += QStringLiteral("<br/>") + tr("%n run(s), from %1 to %2", nullptr, static_cast<int>(values.size()))
                                                 .arg(formatValue(*lo), formatValue(*hi));
        }
        tips << tip;
    }
    auto* series = new QBarSeries;
    series->append(set);
    series->setBarWidth(0.6);
    addBars(chart, series, categories, maxValue, tips);
    chart->legend()->setVisible(false);
    chart->setTitle(RunHistory::metricTitle(metric) + QStringLiteral(" — ") + tr("latest run of each variant"));
}

void MetricsChart::addBars(
    QChart* chart, QBarSeries* series, const QStringList& categories, double maxValue, const QStringList& tips)
{
    series->setLabelsVisible(true);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    series->setLabelsPrecision(6); // 16930, not 1.693e+04
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(categories);
    // Names in full (asynchronous, threading-tcp-server), slanted when they would not fit.
    x->setTruncateLabels(false);
    const auto longest = std::max_element(
        categories.begin(), categories.end(), [](const QString& a, const QString& b) { return a.size() < b.size(); });
    if (longest != categories.end() && longest->size() * categories.size() > 50) x->setLabelsAngle(-30);
    auto* y = new QValueAxis;
    y->setRange(0, maxValue > 0 ? maxValue * 1.15 : 1);
    y->setLabelFormat(QStringLiteral("%.6g")); // 10000, not 1e+04
    y->applyNiceNumbers();
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    connect(series, &QBarSeries::hovered, this, [tips](bool on, int index, QBarSet*) {
        if (on && index >= 0 && index < tips.size()) QToolTip::showText(QCursor::pos(), tips[index]);
        else QToolTip::hideText();
    });
}

void MetricsChart::buildSweep(QChart* chart, const QString& metric)
{
    const auto curves = m_history.sweep(m_lesson, metric);
    double xmin = std::numeric_limits<double>::max(), xmax = 0, ymin = std::numeric_limits<double>::max(), ymax = 0;
    for (const auto& [name, pts] : curves)
        for (const QPointF& p : pts) {
            xmin = std::min(xmin, p.x());
            xmax = std::max(xmax, p.x());
            if (p.y() > 0) ymin = std::min(ymin, p.y());
            ymax = std::max(ymax, p.y());
        }
    const bool logX = xmin > 0 && xmax / xmin >= 10;
    const bool logY = ymin > 0 && ymin < std::numeric_limits<double>::max() && ymax / ymin >= 20;
    QAbstractAxis* x = nullptr;
    QAbstractAxis* y = nullptr;
    if (logX) {
        auto* ax = new QLogValueAxis;
        ax->setBase(10);
        ax->setLabelFormat(QStringLiteral("%g"));
        ax->setRange(xmin / 1.3, xmax * 1.3);
        ax->setMinorTickCount(-1);
        x = ax;
    } else {
        auto* ax = new QValueAxis;
        ax->setLabelFormat(QStringLiteral("%g"));
        ax->setRange(0, std::max(1.0, xmax * 1.1));
        ax->applyNiceNumbers();
        x = ax;
    }
    if (logY) {
        auto* ay = new QLogValueAxis;
        ay->setBase(10);
        ay->setLabelFormat(QStringLiteral("%g"));
        ay->setRange(ymin / 1.5, ymax * 1.5);
        ay->setMinorTickCount(-1);
        y = ay;
    } else {
        auto* ay = new QValueAxis;
        ay->setLabelFormat(QStringLiteral("%.4g"));
        ay->setRange(0, ymax > 0 ? ymax * 1.15 : 1);
        ay->applyNiceNumbers();
        y = ay;
    }
    x->setTitleText(tr("fds watched"));
    y->setTitleText(metric);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    int index = 0;
    for (const auto& [name, pts] : curves) {
        const QColor colour = Palette::seriesColor(index++);
        auto* line = new QLineSeries;
        line->setName(name);
        QPen pen(colour);
        pen.setWidthF(2.5 * m_scale);
        line->setPen(pen);
        auto* dots = new QScatterSeries;
        dots->setColor(colour);
        dots->setBorderColor(colour);
        dots->setMarkerSize(8 * m_scale);
        for (const QPointF& p : pts) {
            if ((logX && p.x() <= 0) || (logY && p.y() <= 0)) continue;
            line->append(p);
            dots->append(p);
        }
        chart->addSeries(line);
        chart->addSeries(dots);
        for (QAbstractSeries* s : {static_cast<QAbstractSeries*>(line), static_cast<QAbstractSeries*>(dots)}) {
            s->attachAxis(x);
            s->attachAxis(y);
        }
        // One legend entry per curve.
        for (QLegendMarker* m : chart->legend()->markers(dots)) m->setVisible(false);
        const QString metricName = metric;
        connect(dots, &QScatterSeries::hovered, this, [name, metricName](const QPointF& p, bool on) {
            if (on)
                QToolTip::showText(QCursor::pos(), QStringLiteral("<b>%1</b><br/>fds = %2<br/>%3 = %4")
                                                       .arg(name, formatValue(p.x()), metricName, formatValue(p.y())));
            else QToolTip::hideText();
        });
    }
    chart->legend()->setVisible(true);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setTitle(RunHistory::metricTitle(metric).contains(QLatin1String("fds"))
                        ? RunHistory::metricTitle(metric)
                        : tr("%1 against fds").arg(metric));
}

void MetricsChart::buildActors(QChart* chart)
{
    const RunHistory::ActorTable table = m_history.latestActors(m_lesson);
    auto* series = new QHorizontalStackedBarSeries;
    int index = 0;
    for (const auto& [field, values] : table.fields) {
        auto* set = new QBarSet(field);
        const QColor colour = fieldColour(field, index++);
        set->setColor(colour);
        set->setBorderColor(colour.darker(115));
        set->setLabelColor(Palette::inkOn(colour));
        for (double v : values) set->append(v);
        series->append(set);
    }
    series->setBarWidth(0.65);
    chart->addSeries(series);
    auto* names = new QBarCategoryAxis;
    names->append(table.names);
    auto* ms = new QValueAxis;
    ms->setLabelFormat(QStringLiteral("%.4g"));
    ms->setTitleText(QStringLiteral("ms"));
    chart->addAxis(names, Qt::AlignLeft);
    chart->addAxis(ms, Qt::AlignBottom);
    series->attachAxis(names);
    series->attachAxis(ms);
    ms->applyNiceNumbers();
    chart->legend()->setVisible(true);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setTitle(RunHistory::metricTitle(kActors) + QStringLiteral(" — ") + table.variant);
}

void MetricsChart::buildComparison(QChart* chart, const QString& group)
{
    const RunHistory::Comparison c = m_history.latestComparison(m_lesson);
    auto* series = new QBarSeries;
    double maxValue = 0;
    int index = 0;
    QStringList tips;
    for (const QString& name : c.names)
        tips << QStringLiteral("<b>%1</b>").arg(name);
    for (const auto& [field, values] : c.fields) {
        if (RunHistory::comparisonGroup(field) != group) continue;
        auto* set = new QBarSet(RunHistory::fieldTitle(field));
        const QColor colour = Palette::seriesColor(index++);
        set->setColor(colour);
        set->setBorderColor(colour.darker(120));
        for (std::size_t i = 0; i < values.size(); ++i) {
            set->append(values[i]);
            maxValue = std::max(maxValue, values[i]);
            tips[static_cast<int>(i)] += QStringLiteral("<br/>%1: %2").arg(set->label(), formatValue(values[i]));
        }
        series->append(set);
    }
    series->setBarWidth(index > 1 ? 0.8 : 0.6);
    addBars(chart, series, c.names, maxValue, tips);
    // A legend only when bars of several fields stand side by side.
    chart->legend()->setVisible(index > 1);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setTitle(RunHistory::groupTitle(group) + QStringLiteral(" — ") + tr("latest run of %1").arg(c.variant));
}

void MetricsChart::styleChart(QChart* chart) const
{
    const Theme::Colours c = Theme::coloursFor(m_dark);
    chart->setBackgroundBrush(c.panel);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setPlotAreaBackgroundVisible(false);
    QFont title = Palette::uiFont(m_scale);
    title.setPixelSize(static_cast<int>(14 * m_scale));
    title.setBold(true);
    chart->setTitleFont(title);
    chart->setTitleBrush(c.text);
    QFont labels = Palette::uiFont(m_scale);
    labels.setPixelSize(static_cast<int>(12 * m_scale));
    chart->legend()->setFont(labels);
    chart->legend()->setLabelColor(c.text);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsFont(labels);
        axis->setLabelsColor(c.text);
        axis->setTitleFont(labels);
        axis->setTitleBrush(c.muted);
        axis->setLinePenColor(c.border);
        axis->setGridLineColor(c.border);
        axis->setMinorGridLineColor(c.hover);
    }
    for (QAbstractSeries* s : chart->series()) {
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(s)) {
            for (QBarSet* set : bars->barSets()) {
                set->setLabelFont(labels);
                if (qobject_cast<QBarSeries*>(bars)) set->setLabelColor(c.text);
            }
        }
    }
}

void MetricsChart::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        refreshChoices();
        rebuild();
    }
    QWidget::changeEvent(event);
}

void MetricsChart::retranslate()
{
    m_title->setText(tr("Chart:"));
    m_metric->setToolTip(tr("Which number to compare across the runs of this lesson"));
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Forget the runs of this lesson"));
    m_empty->setText(tr("Numbers from finished runs appear here.\nRun the lesson, or use Run ▸ Compare all "
                        "variants to see them side by side."));
}

} // namespace lockstep::ui
