// Timeline frame time: build the draw list for the visible window + paint it onto a 1920x1080
// QImage, for traces of 1M and 10M events, at several zoom levels. The target is 60 frames
// per second while panning and zooming, i.e. well under 16 ms per frame.
//
// Run: ./timeline_gui_bench  (offscreen; no display needed)

#include "../gui/TimelineTestTraces.h"

#include "render/TimelineRenderer.h"

#include <benchmark/benchmark.h>

#include <QGuiApplication>
#include <QImage>
#include <QPainter>

#include <cstdlib>
#include <map>
#include <memory>

using namespace lockstep;
using namespace lockstep::ui;

namespace {

struct Fixture {
    std::shared_ptr<const Trace> trace;
    TimelineIndex index;
};

// Built once per size: 8 threads thrashing on the GIL (every event is a state change or a GIL
// hand-over, the worst case for the timeline: nothing is idle).
Fixture& fixture(std::size_t events)
{
    static std::map<std::size_t, std::unique_ptr<Fixture>> cache;
    auto& f = cache[events];
    if (!f) {
        f = std::make_unique<Fixture>();
        f->trace = lockstep::testing::thrashTrace(events, 8, 1000);
        f->index.update(*f->trace);
    }
    return *f;
}

// zoomPercent: the share of the run that is visible (100 = all of it).
void BM_TimelineFrame(benchmark::State& state)
{
    const auto events = static_cast<std::size_t>(state.range(0));
    const double zoom = static_cast<double>(state.range(1)) / 1000.0;
    Fixture& f = fixture(events);
    const QSize size(1920, 1080);
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    TimelineLayoutOptions lo;
    const TimelineLayout layout = TimelineLayout::compute(*f.trace, f.index, QSizeF(size), lo);
    TimelineGeometry g;
    g.plotLeft = layout.plot.left();
    g.plotWidth = layout.plot.width();
    g.setBounds(0, f.trace->endTs());
    const double span = static_cast<double>(f.trace->endTs()) * zoom;
    double start = 0;
    TimelineDrawList list;
    TimelineRenderOptions options;
    options.cursor = f.trace->endTs() / 3;
    std::size_t items = 0;
    for (auto _ : state) {
        // Pan a little every frame, as while dragging.
        g.setVisibleRange(start, start + span);
        start += span / 50;
        if (start + span > static_cast<double>(f.trace->endTs())) start = 0;
        TimelineRenderer::build(*f.trace, f.index, layout, g, options, list);
        QPainter p(&image);
        TimelineRenderer::paint(p, *f.trace, f.index, layout, g, list, options);
        p.end();
        items += list.size();
        benchmark::DoNotOptimize(image.constBits());
    }
    state.counters["draw_items"] =
        benchmark::Counter(static_cast<double>(items) / static_cast<double>(state.iterations()));
    state.counters["events"] = static_cast<double>(f.trace->eventCount());
}

// Only the draw list (no painting): the part whose cost could grow with the trace.
void BM_TimelineBuildDrawList(benchmark::State& state)
{
    const auto events = static_cast<std::size_t>(state.range(0));
    Fixture& f = fixture(events);
    const TimelineLayout layout = TimelineLayout::compute(*f.trace, f.index, QSizeF(1920, 1080), {});
    TimelineGeometry g;
    g.plotLeft = layout.plot.left();
    g.plotWidth = layout.plot.width();
    g.setBounds(0, f.trace->endTs());
    g.fitAll();
    TimelineDrawList list;
    for (auto _ : state) {
        TimelineRenderer::build(*f.trace, f.index, layout, g, {}, list);
        benchmark::DoNotOptimize(list.spans.data());
    }
    state.counters["draw_items"] = static_cast<double>(list.size());
}

// One-off cost when a finished trace is opened: the index (holders, markers) over all events.
void BM_TimelineIndexBuild(benchmark::State& state)
{
    const auto events = static_cast<std::size_t>(state.range(0));
    Fixture& f = fixture(events);
    for (auto _ : state) {
        TimelineIndex index(*f.trace);
        benchmark::DoNotOptimize(index.lanes().data());
    }
}

} // namespace

// range(1): visible share of the run in per mille (1000 = all, 10 = 1 %, 1 = 0.1 %).
BENCHMARK(BM_TimelineFrame)
    ->Args({1'000'000, 1000})
    ->Args({1'000'000, 10})
    ->Args({1'000'000, 1})
    ->Args({10'000'000, 1000})
    ->Args({10'000'000, 10})
    ->Args({10'000'000, 1})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TimelineBuildDrawList)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TimelineIndexBuild)->Arg(1'000'000)->Arg(10'000'000)->Unit(benchmark::kMillisecond)->Iterations(3);

int main(int argc, char** argv)
{
    if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    QGuiApplication app(argc, argv); // fonts
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
