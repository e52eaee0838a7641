#include "render/TimelineExporter.h"

#include "render/Palette.h"
#include "render/ProcessTreePainter.h"
#include "render/TimelineIndex.h"
#include "render/TimelineLayout.h"
#include "render/TimelineRenderer.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QImageWriter>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>

namespace lockstep::ui {

namespace {

constexpr int kMinHeight = 1080;
constexpr int kMaxSide = 32768; // QImage and most viewers give up beyond this
// A run with processes gets the process tree at the cursor below its timeline (auto height).
constexpr int kTreePanelHeight = 600;

double clampScale(double s) { return std::isfinite(s) ? std::clamp(s, 0.25, 8.0) : 1.0; }

TimelineLayoutOptions layoutOptions(const ExportOptions& o)
{
    TimelineLayoutOptions lo;
    lo.scale = 1.0; // logical layout; the painter scales to the pixel size
    lo.header = !o.title.isEmpty() || !o.subtitle.isEmpty();
    lo.subtitle = !o.subtitle.isEmpty();
    lo.legend = o.legend;
    return lo;
}

// Everything needed to paint one export, at logical size.
struct ExportScene {
    TimelineIndex index;
    TimelineLayout layout;
    TimelineGeometry geometry;
    TimelineRenderOptions render;
    QSize size;
    QRectF tree;              // empty: no process tree panel
    std::int64_t treeAt = 0;  // the moment it shows
};

// Height of the process tree panel within an export of `height` (0 = none).
int treePanelHeight(const Trace& trace, const ExportOptions& o, int height)
{
    if (!ProcessTreePainter::applies(trace)) return 0;
    return o.height > 0 ? height * 2 / 5 : kTreePanelHeight;
}

QSize exportSize(const Trace& trace, const TimelineIndex& index, const ExportOptions& o)
{
    const int width = std::clamp(o.width, 320, kMaxSide);
    int height = o.height;
    if (height <= 0) {
        const double wanted = TimelineLayout::preferredHeight(index, layoutOptions(o));
        const int tree = treePanelHeight(trace, o, 0);
        height = std::max(kMinHeight - tree, static_cast<int>(std::ceil(wanted))) + tree;
    }
    return {width, std::clamp(height, 200, kMaxSide)};
}

void prepare(ExportScene& scene, const Trace& trace, const ExportOptions& o)
{
    scene.index.update(trace);
    scene.size = exportSize(trace, scene.index, o);
    const int treeH = treePanelHeight(trace, o, o.height > 0 ? scene.size.height() : scene.size.height() - kTreePanelHeight);
    const QSizeF timeline(scene.size.width(), scene.size.height() - treeH);
    scene.layout = TimelineLayout::compute(trace, scene.index, timeline, layoutOptions(o));
    if (treeH > 0) {
        scene.tree = QRectF(0, timeline.height(), scene.size.width(), treeH);
        scene.treeAt = o.cursor >= 0 ? o.cursor : (o.t1 >= 0 ? o.t1 : trace.endTs());
    }
    TimelineGeometry& g = scene.geometry;
    g.plotLeft = scene.layout.plot.left();
    g.plotWidth = scene.layout.plot.width();
    g.setBounds(0, std::max<std::int64_t>(trace.endTs(), 1));
    const std::int64_t t0 = std::max<std::int64_t>(0, o.t0);
    std::int64_t t1 = o.t1 < 0 ? trace.endTs() : o.t1;
    if (t1 <= t0) t1 = t0 + std::max<std::int64_t>(1000, trace.endTs() - t0);
    // An exact range for the picture: the bounds are widened to it so nothing is clamped away.
    g.setBounds(std::min<std::int64_t>(0, t0), std::max(trace.endTs(), t1));
    g.setVisibleRange(static_cast<double>(t0), static_cast<double>(t1));
    scene.render.title = o.title;
    scene.render.subtitle = o.subtitle;
    scene.render.cursor = o.cursor;
    scene.render.selectionStart = o.selectionStart;
    scene.render.selectionEnd = o.selectionEnd;
}

void paintScene(QPainter& p, const Trace& trace, const ExportScene& scene)
{
    TimelineRenderer::render(p, trace, scene.index, scene.layout, scene.geometry, scene.render);
    if (!scene.tree.isEmpty()) {
        const ProcessTreeModel model = ProcessTreePainter::modelAt(trace, scene.treeAt);
        p.save();
        p.setPen(QPen(Palette::border(), 1));
        p.drawLine(scene.tree.topLeft(), scene.tree.topRight());
        p.restore();
        ProcessTreePainter::paint(p, scene.tree.adjusted(0, 1, 0, 0), trace, model, scene.treeAt, 1.0);
    }
}

} // namespace

QSize timelineExportSize(const Trace& trace, const ExportOptions& options)
{
    TimelineIndex index(trace);
    return exportSize(trace, index, options);
}

QImage renderTimelineImage(const Trace& trace, const ExportOptions& options)
{
    ExportScene scene;
    prepare(scene, trace, options);
    const double s = clampScale(options.scale);
    const int w = std::min(kMaxSide, static_cast<int>(std::lround(scene.size.width() * s)));
    const int h = std::min(kMaxSide, static_cast<int>(std::lround(scene.size.height() * s)));
    QImage image(w, h, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull()) return image;
    // Metadata for slide tools: the physical size stays that of the 1x picture at 96 dpi.
    image.setDotsPerMeterX(static_cast<int>(std::lround(3780 * s)));
    image.setDotsPerMeterY(static_cast<int>(std::lround(3780 * s)));
    image.fill(Palette::background());
    QPainter p(&image);
    p.scale(static_cast<double>(w) / scene.size.width(), static_cast<double>(h) / scene.size.height());
    paintScene(p, trace, scene);
    p.end();
    return image;
}

bool exportTimelinePng(const Trace& trace, const QString& path, const ExportOptions& options, QString* error)
{
    const QImage image = renderTimelineImage(trace, options);
    if (image.isNull()) {
        if (error)
            *error =
                QCoreApplication::translate("TimelineExporter", "%1: the image is too large to allocate").arg(path);
        return false;
    }
    QImageWriter writer(path, "png");
    writer.setText(QStringLiteral("Software"), QStringLiteral("Lockstep"));
    if (!options.title.isEmpty()) writer.setText(QStringLiteral("Title"), options.title);
    if (!writer.write(image)) {
        if (error) *error = path + QStringLiteral(": ") + writer.errorString();
        return false;
    }
    return true;
}

bool exportTimelineSvg(const Trace& trace, const QString& path, const ExportOptions& options, QString* error)
{
    // QSvgGenerator does not report open errors, so find out first whether the file can be written.
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error) *error = path + QStringLiteral(": ") + file.errorString();
        return false;
    }
    ExportScene scene;
    prepare(scene, trace, options);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(scene.size);
        svg.setViewBox(QRect(QPoint(0, 0), scene.size));
        svg.setResolution(96);
        svg.setTitle(options.title.isEmpty() ? QStringLiteral("Lockstep timeline") : options.title);
        svg.setDescription(options.subtitle);
        QPainter p;
        if (!p.begin(&svg)) {
            if (error)
                *error = path + QStringLiteral(": ") +
                         QCoreApplication::translate("TimelineExporter", "cannot start the SVG painter");
            return false;
        }
        paintScene(p, trace, scene);
        p.end();
    }
    // QSvgGenerator states the size in mm, which viewers turn into pixels at 90 or 96 dpi as they
    // please; state it in pixels so the picture is exactly width x height everywhere.
    QByteArray bytes = buffer.data();
    static const QRegularExpression sizeInMm(QStringLiteral("<svg width=\"[0-9.]+mm\" height=\"[0-9.]+mm\""));
    const QString head = QString::fromUtf8(bytes.left(256));
    const auto match = sizeInMm.match(head);
    if (match.hasMatch()) {
        const QByteArray px =
            QStringLiteral("<svg width=\"%1\" height=\"%2\"").arg(scene.size.width()).arg(scene.size.height()).toUtf8();
        bytes.replace(static_cast<qsizetype>(match.capturedStart()), match.capturedLength(), px);
    }
    if (file.write(bytes) != bytes.size() || !file.flush()) {
        if (error) *error = path + QStringLiteral(": ") + file.errorString();
        return false;
    }
    file.close();
    return true;
}

} // namespace lockstep::ui
