#include "gui/NarrationView.h"

#include "render/Palette.h"

#include <QRegularExpression>
#include <QScrollBar>
#include <QTextBlock>
#include <QUrl>

namespace lockstep::ui {

NarrationView::NarrationView(QWidget* parent) : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("narrationView"));
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setFrameShape(QFrame::NoFrame);
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.scheme() != QLatin1String("step")) return;
        bool ok = false;
        const int index = url.path().toInt(&ok);
        if (ok && index >= 0 && index < stepCount()) {
            setCurrentStep(index);
            Q_EMIT stepActivated(index);
        }
    });
}

void NarrationView::setSteps(std::vector<const NarrationStep*> steps, Lang lang)
{
    m_steps = std::move(steps);
    m_lang = lang;
    m_current = 0;
    render();
}

void NarrationView::setLanguage(Lang lang)
{
    m_lang = lang;
    render();
}

void NarrationView::setCurrentStep(int index)
{
    if (m_steps.empty()) return;
    index = std::clamp(index, 0, stepCount() - 1);
    if (index == m_current) return;
    m_current = index;
    render();
}

void NarrationView::setDark(bool dark)
{
    m_dark = dark;
    render();
}

void NarrationView::setScale(double scale)
{
    m_scale = scale;
    render();
}

const NarrationStep* NarrationView::step(int index) const
{
    return index >= 0 && index < stepCount() ? m_steps[static_cast<std::size_t>(index)] : nullptr;
}

QString NarrationView::inlineHtml(const QString& text)
{
    QString s = toHtml(text);
    s.replace(QStringLiteral("</p><p>"), QStringLiteral("<br/>"));
    return s.mid(3, s.size() - 7); // without the outer <p>..</p>
}

QString NarrationView::toHtml(const QString& text)
{
    QString s = text.toHtmlEscaped();
    static const QRegularExpression code(QStringLiteral("`([^`]+)`"));
    static const QRegularExpression bold(QStringLiteral("\\*\\*([^*]+)\\*\\*"));
    static const QRegularExpression italic(QStringLiteral("(^|[^*])\\*([^*]+)\\*"));
    s.replace(code, QStringLiteral("<code>\\1</code>"));
    s.replace(bold, QStringLiteral("<b>\\1</b>"));
    s.replace(italic, QStringLiteral("\\1<i>\\2</i>"));
    s.replace(QStringLiteral("\n\n"), QStringLiteral("</p><p>"));
    s.replace(QLatin1Char('\n'), QStringLiteral("<br/>"));
    return QStringLiteral("<p>") + s + QStringLiteral("</p>");
}

void NarrationView::render()
{
    const QFont font = Palette::uiFont(m_scale * 1.08);
    document()->setDefaultFont(font);
    const QString text = m_dark ? QStringLiteral("#d7dce2") : QStringLiteral("#1f2328");
    const QString muted = m_dark ? QStringLiteral("#7d8590") : QStringLiteral("#8c959f");
    const QString currentBg = m_dark ? QStringLiteral("#1f2d3d") : QStringLiteral("#e8f1fb");
    const QString codeBg = m_dark ? QStringLiteral("#2d333b") : QStringLiteral("#eef0f3");
    const QString accent = Palette::accent().name();
    document()->setDefaultStyleSheet(QStringLiteral("code { font-family: '%1'; background-color: %2; }"
                                                    "p { margin-top: 0px; margin-bottom: 6px; }"
                                                    "a { text-decoration: none; }")
                                         .arg(Palette::monoFont().family(), codeBg));
    QString html;
    html += QStringLiteral("<table width='100%' cellspacing='0' cellpadding='8'>");
    for (int i = 0; i < stepCount(); ++i) {
        const NarrationStep* st = m_steps[static_cast<std::size_t>(i)];
        const bool current = i == m_current;
        const bool ahead = i > m_current;
        const QString colour = ahead ? muted : text;
        const QString numberColour = current ? accent : muted;
        html += QStringLiteral("<tr>");
        html += QStringLiteral("<td width='34' valign='top' align='right' %1>"
                               "<a href='step:%2' style='color:%3; font-weight:bold;'>%4</a></td>")
                    .arg(current ? QStringLiteral("bgcolor='%1'").arg(currentBg) : QString())
                    .arg(i)
                    .arg(numberColour)
                    .arg(i + 1);
        QString body = toHtml(QString::fromStdString(st->text.get(m_lang)));
        if (st->line > 0)
            body += QStringLiteral("<p style='color:%1; font-size:small;'>%2</p>")
                        .arg(muted, tr("Python line %1").arg(st->line));
        html += QStringLiteral("<td valign='top' %1 style='color:%2;'>%3</td>")
                    .arg(current ? QStringLiteral("bgcolor='%1'").arg(currentBg) : QString(), colour, body);
        html += QStringLiteral("</tr>");
    }
    html += QStringLiteral("</table>");
    if (m_steps.empty())
        html = QStringLiteral("<p style='color:%1'>%2</p>").arg(muted, tr("This lesson has no narration."));

    const int scroll = verticalScrollBar()->value();
    setHtml(html);
    verticalScrollBar()->setValue(scroll);
    // Keep the current step in view.
    if (!m_steps.empty()) {
        QTextCursor c(document());
        const QString anchor = QStringLiteral("step:%1").arg(m_current);
        for (QTextBlock b = document()->begin(); b.isValid(); b = b.next()) {
            for (auto it = b.begin(); !it.atEnd(); ++it) {
                if (it.fragment().charFormat().anchorHref() == anchor) {
                    c.setPosition(it.fragment().position());
                    setTextCursor(c);
                    ensureCursorVisible();
                    return;
                }
            }
        }
    }
}

} // namespace lockstep::ui
