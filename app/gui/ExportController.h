#pragma once

#include "lockstep/trace/Trace.h"

#include <QObject>
#include <QString>

namespace lockstep::ui {

class MainWindow;
struct ExportOptions;

// The window's exports of the current run: the timeline as PNG/SVG or on the clipboard, the trace
// as Chrome JSON, the summary as JSON. Every picture gets the same title, subtitle and range from
// one place, and the File menu's save dialogs share one flow (ask for a path, write, report).
class ExportController : public QObject {
    Q_OBJECT
public:
    enum class Kind { Png, Svg, Trace, Summary };

    explicit ExportController(MainWindow* window);

    bool exportTimelinePng(const QString& path, double scale, QString* error = nullptr);
    bool exportTimelineSvg(const QString& path, QString* error = nullptr);
    bool exportTrace(const QString& path, QString* error = nullptr);
    bool exportSummary(const QString& path, QString* error = nullptr);
    bool copyImageToClipboard(QString* error = nullptr);
    // Asks for a file name, then writes `kind` there (`scale` for PNG only).
    void exportInteractive(Kind kind, double scale = 1);

Q_SIGNALS:
    void saved(const QString& message);
    void failed(const QString& title, const QString& error);

private:
    // The trace to export, or nullptr with the reason in `error`.
    [[nodiscard]] TracePtr traceOrError(QString* error) const;
    // Title, subtitle, selected range and cursor as the window shows them.
    [[nodiscard]] ExportOptions pictureOptions(double scale) const;
    [[nodiscard]] QString title() const;
    [[nodiscard]] QString subtitle() const;
    [[nodiscard]] QString suggestedFileName(const QString& suffix) const;

    MainWindow* m_window;
};

} // namespace lockstep::ui
