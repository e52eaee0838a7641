// PNG / SVG export of the timeline, headless.

#include "TimelineTestTraces.h"

#include "render/Palette.h"
#include "render/TimelineExporter.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QPainter>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <set>

using namespace lockstep;
using namespace lockstep::ui;

namespace {

// Distinct colours in a coarse grid of samples: a blank (or one-colour) picture has 1.
std::size_t colourCount(const QImage& img)
{
    std::set<QRgb> colours;
    for (int y = 0; y < img.height(); y += std::max(1, img.height() / 97))
        for (int x = 0; x < img.width(); x += std::max(1, img.width() / 211)) colours.insert(img.pixel(x, y));
    return colours.size();
}

// All character data inside <text> / <tspan> elements of an SVG, concatenated per element.
QStringList svgTexts(const QByteArray& svg, QString* error)
{
    QStringList out;
    QXmlStreamReader xml(svg);
    int depth = 0;
    QString current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && (xml.name() == QLatin1String("text") || xml.name() == QLatin1String("tspan"))) {
            ++depth;
        } else if (xml.isEndElement() &&
                   (xml.name() == QLatin1String("text") || xml.name() == QLatin1String("tspan"))) {
            if (--depth == 0) {
                out << current.trimmed();
                current.clear();
            }
        } else if (xml.isCharacters() && depth > 0) {
            current += xml.text().toString();
        }
    }
    if (xml.hasError()) *error = xml.errorString();
    return out;
}

} // namespace

TEST(RenderExport, PngAtScales124)
{
    const auto trace = lockstep::testing::classroomTrace();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    dir.setAutoRemove(!qEnvironmentVariableIsSet("LOCKSTEP_KEEP_EXPORTS"));
    for (double scale : {1.0, 2.0, 4.0}) {
        ExportOptions o;
        o.scale = scale;
        o.title = QStringLiteral("Deadlock: two locks, opposite order");
        o.subtitle = QStringLiteral("lesson deadlock · variant classic");
        const QString path = dir.filePath(QStringLiteral("timeline-%1x.png").arg(scale));
        QString error;
        ASSERT_TRUE(exportTimelinePng(*trace, path, o, &error)) << error.toStdString();
        QImageReader reader(path);
        EXPECT_EQ(reader.format(), "png");
        const QImage img = reader.read();
        ASSERT_FALSE(img.isNull());
        EXPECT_EQ(img.width(), static_cast<int>(1920 * scale));
        EXPECT_EQ(img.height(), static_cast<int>(1080 * scale));
        EXPECT_GT(colourCount(img), 10u) << "blank picture at scale " << scale;
        // Data colours are in the picture at every scale.
        bool running = false;
        for (int y = 0; y < img.height() && !running; y += 2)
            for (int x = img.width() / 4; x < img.width() && !running; x += 3)
                running = QColor(img.pixel(x, y)) == Palette::stateColor(State::Running);
        EXPECT_TRUE(running) << "no 'running' colour at scale " << scale;
    }
}

TEST(RenderExport, DarkExportHasADarkPageAndTheSameStateColours)
{
    const auto trace = lockstep::testing::classroomTrace();
    const QImage lightImg = renderTimelineImage(*trace, ExportOptions{});
    Palette::setDark(true);
    const QImage darkImg = renderTimelineImage(*trace, ExportOptions{});
    Palette::setDark(false);
    ASSERT_FALSE(darkImg.isNull());
    ASSERT_EQ(darkImg.size(), lightImg.size());
    EXPECT_LT(QColor(darkImg.pixel(2, darkImg.height() - 3)).lightness(), 60);
    EXPECT_GT(QColor(lightImg.pixel(2, lightImg.height() - 3)).lightness(), 200);
    bool running = false;
    for (int y = 0; y < darkImg.height() && !running; y += 2)
        for (int x = darkImg.width() / 4; x < darkImg.width() && !running; x += 3)
            running = QColor(darkImg.pixel(x, y)) == Palette::stateColor(State::Running);
    EXPECT_TRUE(running);
    EXPECT_GT(colourCount(darkImg), 10u);
}

TEST(RenderExport, AutoHeightGrowsWithTheLanes)
{
    lockstep::testing::TraceWriter w;
    for (int i = 0; i < 64; ++i) {
        const ActorId t = w.b.addActor(ActorKind::Thread, "thread-" + std::to_string(i));
        w.state(i * 1000, t, State::Running);
    }
    w.b.setEndTs(100'000);
    const auto trace = w.b.snapshot();
    ExportOptions o;
    const QSize size = timelineExportSize(*trace, o);
    EXPECT_EQ(size.width(), 1920);
    EXPECT_GT(size.height(), 1080);
    const QImage img = renderTimelineImage(*trace, o);
    EXPECT_EQ(img.size(), size);
    o.height = 900; // an explicit height is kept
    EXPECT_EQ(renderTimelineImage(*trace, o).height(), 900);
}

TEST(RenderExport, TimeRangeIsHonoured)
{
    const auto trace = lockstep::testing::classroomTrace();
    ExportOptions whole;
    ExportOptions part;
    part.t0 = 60'000'000;
    part.t1 = 70'000'000;
    EXPECT_NE(renderTimelineImage(*trace, whole), renderTimelineImage(*trace, part));
}

TEST(RenderExport, UnwritablePathGivesTheReason)
{
    const auto trace = lockstep::testing::classroomTrace();
    QString error;
    const QString path = QStringLiteral("/nonexistent-lockstep-dir/sub/timeline.png");
    EXPECT_FALSE(exportTimelinePng(*trace, path, {}, &error));
    EXPECT_TRUE(error.contains(path)) << error.toStdString();
    EXPECT_GT(error.size(), path.size() + 4) << error.toStdString();
    error.clear();
    EXPECT_FALSE(exportTimelineSvg(*trace, QStringLiteral("/nonexistent-lockstep-dir/t.svg"), {}, &error));
    EXPECT_FALSE(error.isEmpty());
}

TEST(RenderExport, SvgParsesAndNamesEveryLane)
{
    const auto trace = lockstep::testing::classroomTrace();
    QTemporaryDir dir;
    dir.setAutoRemove(!qEnvironmentVariableIsSet("LOCKSTEP_KEEP_EXPORTS"));
    const QString path = dir.filePath(QStringLiteral("timeline.svg"));
    ExportOptions o;
    o.title = QStringLiteral("GIL 线程切换"); // Chinese titles must survive
    QString error;
    ASSERT_TRUE(exportTimelineSvg(*trace, path, o, &error)) << error.toStdString();

    QSvgRenderer renderer(path);
    EXPECT_TRUE(renderer.isValid());
    EXPECT_EQ(renderer.defaultSize(), QSize(1920, 1080));

    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QString xmlError;
    const QStringList texts = svgTexts(bytes, &xmlError);
    EXPECT_TRUE(xmlError.isEmpty()) << xmlError.toStdString();
    for (const char* lane : {"MainThread", "T1", "T2", "T3", "GIL", "lock_a", "lock_b"})
        EXPECT_TRUE(texts.contains(QString::fromLatin1(lane))) << "lane name missing: " << lane;
    // Text with two scripts may be split into one <text> per font run.
    EXPECT_TRUE(texts.join(QString()).contains(QStringLiteral("线程切换")));
    EXPECT_TRUE(texts.contains(Palette::style(StateCategory::Running).label));

    // And it draws: the rasterised SVG is not blank.
    QImage img(960, 540, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::white);
    QPainter p(&img);
    renderer.render(&p);
    p.end();
    EXPECT_GT(colourCount(img), 10u);
}

TEST(RenderExport, EmptyTraceStillExports)
{
    lockstep::TraceBuilder b;
    const auto trace = b.snapshot();
    const QImage img = renderTimelineImage(*trace, {});
    EXPECT_EQ(img.size(), QSize(1920, 1080));
}
