#include "gui/ExportController.h"

#include "gui/Format.h"
#include "gui/LessonPage.h"
#include "gui/MainWindow.h"
#include "gui/RunController.h"
#include "render/TimelineExporter.h"
#include "timeline/TimelineWidget.h"

#include "lockstep/trace/ChromeTraceWriter.h"

#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QGuiApplication>
#include <QSaveFile>
#include <QStandardPaths>

#include <functional>

namespace lockstep::ui {

namespace {
QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}
} // namespace

ExportController::ExportController(MainWindow* window) : QObject(window), m_window(window)
{
}

TracePtr ExportController::traceOrError(QString* error) const
{
    TracePtr trace = m_window->controller()->trace();
    if (!trace && error) *error = tr("There is no trace yet: run the lesson first.");
    return trace;
}

QString ExportController::title() const
{
    const Lesson* l = m_window->currentLesson();
    if (!l) return {};
    const Lang lang = m_window->language();
    QString title = qs(l->title.get(lang));
    if (const Variant* v = m_window->page()->variant())
        title += QStringLiteral(" — ") + qs(v->title.get(lang).empty() ? v->id : v->title.get(lang));
    return title;
}

QString ExportController::subtitle() const
{
    const RunController* controller = m_window->controller();
    const auto& result = controller->result();
    QStringList parts;
    if (const RunRequest* r = controller->request()) {
        for (const auto& [k, v] : r->params)
            parts << qs(k) + QLatin1Char('=') + qs(v);
    }
    if (result) {
        parts.prepend(tr("outcome: %1").arg(runOutcomeLabel(result->outcome)));
        parts << tr("%1 events").arg(formatCount(result->trace ? result->trace->eventCount() : 0));
    }
    return parts.join(QStringLiteral(" · "));
}

ExportOptions ExportController::pictureOptions(double scale) const
{
    ExportOptions options;
    options.scale = scale;
    options.title = title();
    options.subtitle = subtitle();
    // A selected range on the timeline is what the slide is about: export just that.
    const auto [t0, t1] = m_window->timeline()->selection();
    if (t0 >= 0 && t1 > t0) {
        options.t0 = t0;
        options.t1 = t1;
    }
    const RunController* controller = m_window->controller();
    if (controller->cursor() < controller->traceEnd()) options.cursor = controller->cursor();
    return options;
}

bool ExportController::exportTimelinePng(const QString& path, double scale, QString* error)
{
    const TracePtr trace = traceOrError(error);
    return trace && ::lockstep::ui::exportTimelinePng(*trace, path, pictureOptions(scale), error);
}

bool ExportController::exportTimelineSvg(const QString& path, QString* error)
{
    const TracePtr trace = traceOrError(error);
    return trace && ::lockstep::ui::exportTimelineSvg(*trace, path, pictureOptions(1.0), error);
}

bool ExportController::exportTrace(const QString& path, QString* error)
{
    const TracePtr trace = traceOrError(error);
    if (!trace) return false;
    nlohmann::json meta = nlohmann::json::object();
    if (const auto& result = m_window->controller()->result())
        meta = result->summary;
    else if (const Lesson* l = m_window->currentLesson())
        meta["lesson"] = l->id;
    std::string why;
    if (!ChromeTraceWriter::writeFile(*trace, path.toStdString(), meta, &why)) {
        if (error) *error = qs(why);
        return false;
    }
    return true;
}

bool ExportController::exportSummary(const QString& path, QString* error)
{
    const auto& result = m_window->controller()->result();
    if (!result) {
        if (error) *error = tr("No run has finished yet.");
        return false;
    }
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        const std::string text = result->summary.dump(2) + "\n";
        file.write(text.data(), static_cast<qint64>(text.size()));
        if (file.commit()) return true;
    }
    if (error) *error = path + QStringLiteral(": ") + file.errorString();
    return false;
}

bool ExportController::copyImageToClipboard(QString* error)
{
    const TracePtr trace = traceOrError(error);
    if (!trace) return false;
    const QImage image = renderTimelineImage(*trace, pictureOptions(2.0));
    if (image.isNull()) {
        if (error) *error = tr("The timeline could not be rendered.");
        return false;
    }
    QGuiApplication::clipboard()->setImage(image);
    return true;
}

QString ExportController::suggestedFileName(const QString& suffix) const
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (dir.isEmpty()) dir = QDir::homePath();
    const Lesson* lesson = m_window->currentLesson();
    QString name = lesson ? qs(lesson->id) : QStringLiteral("lockstep");
    if (!m_window->page()->currentVariant().isEmpty()) name += QLatin1Char('-') + m_window->page()->currentVariant();
    return QDir(dir).filePath(name + suffix);
}

void ExportController::exportInteractive(Kind kind, double scale)
{
    // What the save dialog asks for, and what writes the file.
    struct Flow {
        QString caption;
        QString suffix;
        QString filter;
        std::function<bool(const QString&, QString*)> write;
    };
    Flow flow;
    switch (kind) {
    case Kind::Png:
        flow = { tr("Export timeline as PNG"), QStringLiteral("@%1x.png").arg(scale), tr("PNG images (*.png)"),
            [this, scale](const QString& p, QString* e) { return exportTimelinePng(p, scale, e); } };
        break;
    case Kind::Svg:
        flow = { tr("Export timeline as SVG"), QStringLiteral(".svg"), tr("SVG images (*.svg)"),
            [this](const QString& p, QString* e) { return exportTimelineSvg(p, e); } };
        break;
    case Kind::Trace:
        flow = { tr("Export trace"), QStringLiteral(".trace.json"), tr("Chrome trace JSON (*.json)"),
            [this](const QString& p, QString* e) { return exportTrace(p, e); } };
        break;
    case Kind::Summary:
        flow = { tr("Export run summary"), QStringLiteral(".summary.json"), tr("JSON (*.json)"),
            [this](const QString& p, QString* e) { return exportSummary(p, e); } };
        break;
    }
    const QString path
        = QFileDialog::getSaveFileName(m_window, flow.caption, suggestedFileName(flow.suffix), flow.filter);
    if (path.isEmpty()) return;
    QString error;
    if (!flow.write(path, &error))
        Q_EMIT failed(tr("Export failed"), error);
    else if (kind == Kind::Trace)
        Q_EMIT saved(tr("Saved %1 — open it in ui.perfetto.dev or chrome://tracing").arg(path));
    else
        Q_EMIT saved(tr("Saved %1").arg(path));
}

} // namespace lockstep::ui
