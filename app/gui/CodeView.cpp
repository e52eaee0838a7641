#include "gui/CodeView.h"

#include "gui/PythonHighlighter.h"
#include "render/Palette.h"

#include <QPaintEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QTextBlock>

#include <algorithm>
#include <map>

namespace lockstep::ui {

CodeView::CodeView(QWidget* parent) : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("codeView"));
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setFocusPolicy(Qt::ClickFocus);
    m_gutter = new QWidget(this);
    m_gutter->setObjectName(QStringLiteral("codeGutter"));
    m_gutter->installEventFilter(this);
    m_highlighter = new PythonHighlighter(document());
    connect(this, &QPlainTextEdit::blockCountChanged, this, &CodeView::updateGutterWidth);
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
        if (dy) m_gutter->scroll(0, dy);
        else m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    });
    setScale(1.0);
}

void CodeView::setCode(const QString& code)
{
    setPlainText(code);
    m_execLine = 0;
    m_narrationLine = 0;
    m_markers.clear();
    updateGutterWidth();
    updateHighlights();
}

void CodeView::setExecutionLine(int line)
{
    if (line == m_execLine) return;
    m_execLine = line;
    updateHighlights();
    if (line > 0) {
        // Keep the running line in view without jumping the page on every event.
        const QTextBlock block = document()->findBlockByNumber(line - 1);
        if (block.isValid()) {
            const QRectF r = blockBoundingGeometry(block).translated(contentOffset());
            if (r.top() < 0 || r.bottom() > viewport()->height()) {
                QTextCursor c(block);
                setTextCursor(c);
                centerCursor();
            }
        }
    }
}

void CodeView::setNarrationLine(int line)
{
    if (line == m_narrationLine) return;
    m_narrationLine = line;
    updateHighlights();
    m_gutter->update();
}

void CodeView::setThreadMarkers(std::vector<ThreadMarker> markers)
{
    m_markers = std::move(markers);
    viewport()->update();
}

void CodeView::setDark(bool dark)
{
    m_dark = dark;
    m_highlighter->setDark(dark);
    updateHighlights();
    m_gutter->update();
}

void CodeView::setScale(double scale)
{
    m_scale = scale;
    QFont f = Palette::monoFont(scale);
    setFont(f);
    document()->setDefaultFont(f);
    setTabStopDistance(QFontMetricsF(f).horizontalAdvance(QLatin1Char(' ')) * 4);
    updateGutterWidth();
}

int CodeView::gutterWidth() const
{
    const int digits = std::max(2, static_cast<int>(QString::number(std::max(1, blockCount())).size()));
    return 18 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * digits;
}

void CodeView::updateGutterWidth() { setViewportMargins(gutterWidth(), 0, 0, 0); }

void CodeView::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect cr = contentsRect();
    m_gutter->setGeometry(QRect(cr.left(), cr.top(), gutterWidth(), cr.height()));
}

bool CodeView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_gutter && event->type() == QEvent::Paint) {
        paintGutter(static_cast<QPaintEvent*>(event));
        return true;
    }
    return QPlainTextEdit::eventFilter(watched, event);
}

void CodeView::updateHighlights()
{
    QList<QTextEdit::ExtraSelection> selections;
    auto band = [&](int line, QColor colour) {
        const QTextBlock block = document()->findBlockByNumber(line - 1);
        if (!block.isValid()) return;
        QTextEdit::ExtraSelection sel;
        sel.format.setBackground(colour);
        sel.format.setProperty(QTextFormat::FullWidthSelection, true);
        sel.cursor = QTextCursor(block);
        sel.cursor.clearSelection();
        selections.append(sel);
    };
    if (m_narrationLine > 0 && m_narrationLine != m_execLine) {
        QColor c = m_dark ? QColor(0xe5, 0xc0, 0x7b) : QColor(0xf0, 0xc0, 0x40);
        c.setAlpha(m_dark ? 40 : 60);
        band(m_narrationLine, c);
    }
    if (m_execLine > 0) {
        QColor c = Palette::accent();
        c.setAlpha(m_dark ? 80 : 55);
        band(m_execLine, c);
    }
    setExtraSelections(selections);
}

void CodeView::paintGutter(QPaintEvent* event)
{
    QPainter p(m_gutter);
    const QColor bg = m_dark ? QColor(0x1b, 0x1f, 0x26) : QColor(0xf0, 0xf2, 0xf5);
    const QColor ink = m_dark ? QColor(0x7d, 0x86, 0x90) : QColor(0x8a, 0x93, 0x9d);
    p.fillRect(event->rect(), bg);
    p.setFont(font());
    QTextBlock block = firstVisibleBlock();
    int number = block.blockNumber() + 1;
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    const int w = m_gutter->width();
    while (block.isValid() && top <= event->rect().bottom()) {
        const qreal height = blockBoundingRect(block).height();
        if (block.isVisible() && top + height >= event->rect().top()) {
            const QRectF r(0, top, w - 8, height);
            if (number == m_execLine) {
                p.fillRect(QRectF(w - 4, top, 4, height), Palette::accent());
                QFont f = font();
                f.setBold(true);
                p.setFont(f);
                p.setPen(Palette::accent());
                p.drawText(r, Qt::AlignRight | Qt::AlignVCenter, QString::number(number));
                p.setFont(font());
            } else {
                if (number == m_narrationLine)
                    p.fillRect(QRectF(w - 4, top, 4, height), m_dark ? QColor(0xe5, 0xc0, 0x7b) : QColor(0xd9, 0xa4, 0x00));
                p.setPen(ink);
                p.drawText(r, Qt::AlignRight | Qt::AlignVCenter, QString::number(number));
            }
        }
        block = block.next();
        top += height;
        ++number;
    }
}

void CodeView::paintEvent(QPaintEvent* event)
{
    QPlainTextEdit::paintEvent(event);
    if (m_markers.empty()) return;
    // Thread tags, right-aligned on the line each thread is on; several threads on one line share it.
    std::map<int, std::vector<const ThreadMarker*>> byLine;
    for (const auto& m : m_markers)
        if (m.line > 0) byLine[m.line].push_back(&m);
    QPainter p(viewport());
    p.setRenderHint(QPainter::Antialiasing);
    QFont f = Palette::uiFont(m_scale * 0.85);
    f.setBold(true);
    p.setFont(f);
    const QFontMetrics fm(f);
    for (const auto& [line, markers] : byLine) {
        const QTextBlock block = document()->findBlockByNumber(line - 1);
        if (!block.isValid()) continue;
        const QRectF br = blockBoundingGeometry(block).translated(contentOffset());
        if (br.bottom() < 0 || br.top() > viewport()->height()) continue;
        qreal right = viewport()->width() - 6;
        for (auto it = markers.rbegin(); it != markers.rend(); ++it) {
            const ThreadMarker& m = **it;
            const qreal tw = fm.horizontalAdvance(m.name) + 12;
            const QRectF pill(right - tw, br.top() + 2, tw, br.height() - 4);
            QPainterPath path;
            path.addRoundedRect(pill, pill.height() / 2, pill.height() / 2);
            p.fillPath(path, m.colour);
            p.setPen(m.ink.isValid() ? m.ink : QColor(Qt::white));
            p.drawText(pill, Qt::AlignCenter, m.name);
            right -= tw + 4;
        }
    }
}

} // namespace lockstep::ui
