#include "gui/Theme.h"

#include "gui/Icons.h"
#include "render/Palette.h"

#include <QApplication>
#include <QFile>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

#include <cmath>

namespace lockstep::ui {

namespace {
struct Current {
    bool dark = false;
    double scale = 1.0;
    Theme::Colours colours = Theme::coloursFor(false);
};
Current& current()
{
    static Current c;
    return c;
}
} // namespace

Theme::Colours Theme::coloursFor(bool dark)
{
    Colours c;
    if (dark) {
        c.bg = QColor(0x16, 0x19, 0x1d);
        c.panel = QColor(0x1e, 0x22, 0x28);
        c.canvas = QColor(0x1b, 0x1f, 0x24);
        c.border = QColor(0x33, 0x3a, 0x43);
        c.groove = QColor(0x3a, 0x42, 0x4c);
        c.hover = QColor(0x2a, 0x30, 0x38);
        c.text = QColor(0xd7, 0xdc, 0xe2);
        c.muted = QColor(0x8b, 0x94, 0x9e);
        c.accent = QColor(0x2f, 0x8f, 0xd0);
        c.accentHover = QColor(0x47, 0xa0, 0xdc);
        c.accentSoft = QColor(0x1f, 0x34, 0x4a);
        c.accentText = QColor(0x79, 0xc0, 0xff);
        c.tooltip = QColor(0x2a, 0x30, 0x38);
        c.tooltipText = c.text;
        c.input = QColor(0x14, 0x17, 0x1b);
        c.alarmSoft = QColor(0x3b, 0x1e, 0x1e);
        c.alarmBorder = QColor(0x8c, 0x33, 0x2d);
        c.alarmText = QColor(0xff, 0xb4, 0xab);
    } else {
        c.bg = QColor(0xf3, 0xf5, 0xf8);
        c.panel = QColor(0xff, 0xff, 0xff);
        c.canvas = QColor(0xff, 0xff, 0xff);
        c.border = QColor(0xd6, 0xdb, 0xe1);
        c.groove = QColor(0xdd, 0xe2, 0xe8);
        c.hover = QColor(0xee, 0xf1, 0xf5);
        c.text = QColor(0x1f, 0x23, 0x28);
        c.muted = QColor(0x65, 0x6d, 0x76);
        c.accent = Palette::accent();
        c.accentHover = c.accent.lighter(115);
        c.accentSoft = QColor(0xe1, 0xee, 0xf9);
        c.accentText = c.accent.darker(110);
        c.tooltip = QColor(0xff, 0xff, 0xf4);
        c.tooltipText = c.text;
        c.input = QColor(0xff, 0xff, 0xff);
        c.alarmSoft = QColor(0xfd, 0xec, 0xea);
        c.alarmBorder = QColor(0xe6, 0x9a, 0x91);
        c.alarmText = QColor(0x9b, 0x1c, 0x10);
    }
    return c;
}

void Theme::apply(bool dark, double scale)
{
    Current& cur = current();
    cur.dark = dark;
    cur.scale = scale;
    cur.colours = coloursFor(dark);
    const Colours& c = cur.colours;

    if (QStyle* fusion = QStyleFactory::create(QStringLiteral("Fusion"))) QApplication::setStyle(fusion);

    QPalette pal;
    pal.setColor(QPalette::Window, c.bg);
    pal.setColor(QPalette::WindowText, c.text);
    pal.setColor(QPalette::Base, c.input);
    pal.setColor(QPalette::AlternateBase, c.hover);
    pal.setColor(QPalette::ToolTipBase, c.tooltip);
    pal.setColor(QPalette::ToolTipText, c.tooltipText);
    pal.setColor(QPalette::PlaceholderText, c.muted);
    pal.setColor(QPalette::Text, c.text);
    pal.setColor(QPalette::Button, c.panel);
    pal.setColor(QPalette::ButtonText, c.text);
    pal.setColor(QPalette::BrightText, Qt::white);
    pal.setColor(QPalette::Highlight, c.accent);
    pal.setColor(QPalette::HighlightedText, Qt::white);
    pal.setColor(QPalette::Link, c.accentText);
    pal.setColor(QPalette::Light, c.panel.lighter(110));
    pal.setColor(QPalette::Midlight, c.border.lighter(105));
    pal.setColor(QPalette::Mid, c.border);
    pal.setColor(QPalette::Dark, c.border.darker(130));
    pal.setColor(QPalette::Shadow, QColor(0, 0, 0, 80));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        pal.setColor(QPalette::Disabled, role, c.muted);
    QApplication::setPalette(pal);

    QFont font = Palette::uiFont(1.0);
    font.setPixelSize(static_cast<int>(std::lround(kChromePixelSize * scale)));
    QApplication::setFont(font);

    Icons::setInk(c.text, c.accent);

    QFile qss(QStringLiteral(":/lockstep/theme/lockstep.qss"));
    QString sheet;
    if (qss.open(QIODevice::ReadOnly)) sheet = QString::fromUtf8(qss.readAll());
    const std::pair<const char*, QColor> vars[] = {
        { "@bg@", c.bg },
        { "@panel@", c.panel },
        { "@canvas@", c.canvas },
        { "@border@", c.border },
        { "@groove@", c.groove },
        { "@hover@", c.hover },
        { "@text@", c.text },
        { "@muted@", c.muted },
        { "@accent@", c.accent },
        { "@accentHover@", c.accentHover },
        { "@accentSoft@", c.accentSoft },
        { "@accentText@", c.accentText },
        { "@tooltip@", c.tooltip },
        { "@tooltipText@", c.tooltipText },
        { "@input@", c.input },
        { "@alarmSoft@", c.alarmSoft },
        { "@alarmBorder@", c.alarmBorder },
        { "@alarmText@", c.alarmText },
    };
    for (const auto& [name, colour] : vars)
        sheet.replace(QLatin1String(name), colour.name());
    sheet.replace(QLatin1String("@small@"), QString::number(std::lround(12 * scale)));
    sheet.replace(QLatin1String("@mono@"), Palette::monoFont().family());
    qApp->setStyleSheet(sheet);
}

bool Theme::dark()
{
    return current().dark;
}
double Theme::scale()
{
    return current().scale;
}
const Theme::Colours& Theme::colours()
{
    return current().colours;
}

} // namespace lockstep::ui
