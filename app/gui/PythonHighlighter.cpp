#include "gui/PythonHighlighter.h"

#include <QColor>

namespace lockstep::ui {

namespace {
QTextCharFormat charFormat(const QColor& colour, bool bold = false, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(colour);
    if (bold) f.setFontWeight(QFont::DemiBold);
    f.setFontItalic(italic);
    return f;
}
} // namespace

PythonHighlighter::PythonHighlighter(QTextDocument* document) : QSyntaxHighlighter(document) { buildRules(); }

void PythonHighlighter::setDark(bool dark)
{
    if (dark == m_dark) return;
    m_dark = dark;
    buildRules();
    rehighlight();
}

void PythonHighlighter::buildRules()
{
    // Two hand-picked sets with enough contrast on the code panel's light and dark backgrounds.
    const QColor keyword = m_dark ? QColor(0xc6, 0x78, 0xdd) : QColor(0x8e, 0x24, 0xaa);
    const QColor builtin = m_dark ? QColor(0x56, 0xb6, 0xc2) : QColor(0x00, 0x6d, 0x7a);
    const QColor number = m_dark ? QColor(0xd1, 0x9a, 0x66) : QColor(0xa6, 0x50, 0x00);
    const QColor string = m_dark ? QColor(0x98, 0xc3, 0x79) : QColor(0x2e, 0x7d, 0x32);
    const QColor comment = m_dark ? QColor(0x8b, 0x94, 0x9e) : QColor(0x6a, 0x73, 0x7d);
    const QColor defined = m_dark ? QColor(0x61, 0xaf, 0xef) : QColor(0x1f, 0x5f, 0xbf);
    const QColor decorator = m_dark ? QColor(0xe5, 0xc0, 0x7b) : QColor(0x9a, 0x6a, 0x00);

    m_rules.clear();
    auto add = [this](const QString& pattern, const QTextCharFormat& f, int group = 0) {
        m_rules.push_back({QRegularExpression(pattern), f, group});
    };
    add(QStringLiteral("\\b(and|as|assert|async|await|break|class|continue|def|del|elif|else|except|finally|for|"
                       "from|global|if|import|in|is|lambda|nonlocal|not|or|pass|raise|return|try|while|with|"
                       "yield|None|True|False)\\b"),
        charFormat(keyword, true));
    add(QStringLiteral("\\b(print|range|len|next|iter|list|dict|set|tuple|str|int|float|sum|min|max|open|"
                       "isinstance|super|self|threading|time|os|select|socket|queue|multiprocessing|"
                       "Exception|ValueError|KeyError|TypeError|RuntimeError|StopIteration|GeneratorExit)\\b"),
        charFormat(builtin));
    add(QStringLiteral("\\b[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\\b"), charFormat(number));
    add(QStringLiteral("\\b(?:def|class)\\s+([A-Za-z_][A-Za-z0-9_]*)"), charFormat(defined, true), 1);
    add(QStringLiteral("^\\s*@[A-Za-z_][A-Za-z0-9_.]*"), charFormat(decorator));
    m_string = charFormat(string);
    m_comment = charFormat(comment, false, true);
}

void PythonHighlighter::highlightBlock(const QString& text)
{
    for (const Rule& rule : m_rules) {
        auto it = rule.pattern.globalMatch(text);
        while (it.hasNext()) {
            const auto m = it.next();
            setFormat(static_cast<int>(m.capturedStart(rule.group)), static_cast<int>(m.capturedLength(rule.group)),
                      rule.format);
        }
    }
    // Strings and comments last, scanning left to right so a '#' inside a string is not a comment.
    // Block state 1/2: inside a ''' / """ string carried over from the previous line.
    int i = 0;
    const int n = static_cast<int>(text.size());
    int state = previousBlockState() > 0 ? previousBlockState() : 0;
    if (state > 0) {
        const QString close = state == 1 ? QStringLiteral("'''") : QStringLiteral("\"\"\"");
        const int end = static_cast<int>(text.indexOf(close));
        if (end < 0) {
            setFormat(0, n, m_string);
            setCurrentBlockState(state);
            return;
        }
        setFormat(0, end + 3, m_string);
        i = end + 3;
    }
    setCurrentBlockState(0);
    while (i < n) {
        const QChar c = text[i];
        if (c == QLatin1Char('#')) {
            setFormat(i, n - i, m_comment);
            return;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            const QString triple(3, c);
            if (text.mid(i, 3) == triple) {
                const int end = static_cast<int>(text.indexOf(triple, i + 3));
                if (end < 0) {
                    setFormat(i, n - i, m_string);
                    setCurrentBlockState(c == QLatin1Char('\'') ? 1 : 2);
                    return;
                }
                setFormat(i, end + 3 - i, m_string);
                i = end + 3;
                continue;
            }
            int j = i + 1;
            while (j < n && text[j] != c) j += text[j] == QLatin1Char('\\') ? 2 : 1;
            const int len = std::min(j + 1, n) - i;
            setFormat(i, len, m_string);
            i += len;
            continue;
        }
        ++i;
    }
}

} // namespace lockstep::ui
