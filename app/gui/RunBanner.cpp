#include "gui/RunBanner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace lockstep::ui {

RunBanner::RunBanner(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("runBanner"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(10, 6, 6, 6);
    row->setSpacing(8);
    auto* text = new QVBoxLayout;
    text->setSpacing(2);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("runBannerTitle"));
    m_title->setWordWrap(true);
    m_detail = new QLabel(this);
    m_detail->setObjectName(QStringLiteral("runBannerDetail"));
    m_detail->setWordWrap(true);
    // The message is what one pastes into a bug report or a search: it must be selectable.
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->setTextFormat(Qt::PlainText);
    text->addWidget(m_title);
    text->addWidget(m_detail);
    row->addLayout(text, 1);
    m_close = new QToolButton(this);
    m_close->setObjectName(QStringLiteral("runBannerClose"));
    m_close->setText(QStringLiteral("✕"));
    m_close->setAutoRaise(true);
    row->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, [this] {
        dismiss();
        Q_EMIT dismissed();
    });
    retranslate();
    hide();
}

void RunBanner::showMessage(const QString& title, const QString& detail)
{
    m_title->setText(title);
    m_detail->setText(detail);
    m_detail->setVisible(!detail.isEmpty());
    show();
}

void RunBanner::dismiss()
{
    hide();
    m_title->clear();
    m_detail->clear();
}

QString RunBanner::title() const
{
    return m_title->text();
}
QString RunBanner::detail() const
{
    return m_detail->text();
}

void RunBanner::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) retranslate();
    QFrame::changeEvent(event);
}

void RunBanner::retranslate()
{
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss"));
}

} // namespace lockstep::ui
