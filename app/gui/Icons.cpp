#include "gui/Icons.h"

#include <QFile>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

namespace lockstep::ui {

namespace {
QColor& inkColour()
{
    static QColor c(0x3a, 0x44, 0x50);
    return c;
}
QColor& accentColour()
{
    static QColor c(0x00, 0x72, 0xb2);
    return c;
}
} // namespace

void Icons::setInk(const QColor& ink, const QColor& accent)
{
    inkColour() = ink;
    accentColour() = accent;
}

QIcon Icons::get(const QString& name, bool accented)
{
    QFile file(QStringLiteral(":/lockstep/icons/") + name + QStringLiteral(".svg"));
    if (!file.open(QIODevice::ReadOnly)) return {};
    QByteArray svg = file.readAll();
    const QColor ink = accented ? accentColour() : inkColour();
    svg.replace("currentColor", ink.name().toLatin1());
    QIcon icon;
    QSvgRenderer renderer(svg);
    for (int size : {16, 20, 24, 32, 48, 64}) {
        for (const auto mode : {QIcon::Normal, QIcon::Disabled}) {
            QPixmap pm(size, size);
            pm.fill(Qt::transparent);
            QPainter p(&pm);
            p.setRenderHint(QPainter::Antialiasing);
            if (mode == QIcon::Disabled) p.setOpacity(0.35);
            renderer.render(&p);
            p.end();
            icon.addPixmap(pm, mode);
        }
    }
    return icon;
}

QIcon Icons::appIcon()
{
    QIcon icon;
    QSvgRenderer renderer(QStringLiteral(":/lockstep/icons/lockstep.svg"));
    for (int size : {16, 24, 32, 48, 64, 128, 256}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        renderer.render(&p);
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

} // namespace lockstep::ui
