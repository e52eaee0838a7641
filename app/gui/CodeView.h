#pragma once

#include <QColor>
#include <QPlainTextEdit>
#include <QString>

#include <vector>

namespace lockstep::ui {

class PythonHighlighter;

// The Python snippet a lesson models: line numbers, syntax colours, the line the latest event
// reached (accent band), the line the current narration step talks about (marked in the gutter),
// and a tag per thread at the right of the line that thread is on.
class CodeView : public QPlainTextEdit {
    Q_OBJECT
public:
    struct ThreadMarker {
        int line = 0;
        QString name;
        QColor colour;
        QColor ink;   // text on top of `colour`
    };

    explicit CodeView(QWidget* parent = nullptr);

    void setCode(const QString& code);
    void setExecutionLine(int line);        // 0 = none
    void setNarrationLine(int line);        // 0 = none
    void setThreadMarkers(std::vector<ThreadMarker> markers);
    void setDark(bool dark);
    void setScale(double scale);
    [[nodiscard]] int executionLine() const { return m_execLine; }
    [[nodiscard]] int narrationLine() const { return m_narrationLine; }
    [[nodiscard]] const std::vector<ThreadMarker>& threadMarkers() const { return m_markers; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void updateHighlights();
    void updateGutterWidth();
    void paintGutter(QPaintEvent* event);
    [[nodiscard]] int gutterWidth() const;

    QWidget* m_gutter = nullptr;
    PythonHighlighter* m_highlighter = nullptr;
    int m_execLine = 0;
    int m_narrationLine = 0;
    bool m_dark = false;
    double m_scale = 1.0;
    std::vector<ThreadMarker> m_markers;
};

} // namespace lockstep::ui
