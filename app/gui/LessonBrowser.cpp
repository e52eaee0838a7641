#include "gui/LessonBrowser.h"

#include <QCoreApplication>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace lockstep::ui {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kSearchRole = Qt::UserRole + 2;

// Display names of the topics the course uses; anything else is shown humanised.
struct TopicName {
    const char* id;
    const char* text;
};
constexpr TopicName kTopics[] = {
    {"basics", QT_TRANSLATE_NOOP("Topic", "Basics")},
    {"threads", QT_TRANSLATE_NOOP("Topic", "Threads")},
    {"locks", QT_TRANSLATE_NOOP("Topic", "Locks")},
    {"sync", QT_TRANSLATE_NOOP("Topic", "Synchronisation")},
    {"synchronization", QT_TRANSLATE_NOOP("Topic", "Synchronisation")},
    {"race", QT_TRANSLATE_NOOP("Topic", "Race conditions")},
    {"races", QT_TRANSLATE_NOOP("Topic", "Race conditions")},
    {"deadlock", QT_TRANSLATE_NOOP("Topic", "Deadlock")},
    {"gil", QT_TRANSLATE_NOOP("Topic", "The GIL")},
    {"python", QT_TRANSLATE_NOOP("Topic", "Python internals")},
    {"condition", QT_TRANSLATE_NOOP("Topic", "Conditions")},
    {"conditions", QT_TRANSLATE_NOOP("Topic", "Conditions")},
    {"io", QT_TRANSLATE_NOOP("Topic", "I/O multiplexing")},
    {"iomux", QT_TRANSLATE_NOOP("Topic", "I/O multiplexing")},
    {"processes", QT_TRANSLATE_NOOP("Topic", "Processes")},
    {"coroutines", QT_TRANSLATE_NOOP("Topic", "Coroutines")},
    {"generators", QT_TRANSLATE_NOOP("Topic", "Generators")},
    {"async", QT_TRANSLATE_NOOP("Topic", "Async")},
};
} // namespace

LessonBrowser::LessonBrowser(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("lessonBrowser"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 4, 8);
    layout->setSpacing(6);
    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("panelHeading"));
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("lessonFilter"));
    m_filter->setClearButtonEnabled(true);
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("lessonTree"));
    m_tree->setHeaderHidden(true);
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::Stretch);
    m_tree->setTextElideMode(Qt::ElideRight);
    m_tree->setIndentation(14);
    m_tree->setAnimated(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    layout->addWidget(m_heading);
    layout->addWidget(m_filter);
    layout->addWidget(m_tree, 1);

    connect(m_filter, &QLineEdit::textChanged, this, &LessonBrowser::applyFilter);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (m_silent || !item) return;
        const QString id = item->data(0, kIdRole).toString();
        if (id.isEmpty() || id == m_current) return;
        m_current = id;
        Q_EMIT lessonSelected(id);
    });
    retranslate();
}

QString LessonBrowser::topicTitle(const QString& topic)
{
    for (const auto& t : kTopics)
        if (topic == QLatin1String(t.id)) return QCoreApplication::translate("Topic", t.text);
    QString s = topic;
    s.replace(QLatin1Char('-'), QLatin1Char(' ')).replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!s.isEmpty()) s[0] = s[0].toUpper();
    return s.isEmpty() ? QCoreApplication::translate("Topic", "Other") : s;
}

QString LessonBrowser::shortTitle(const QString& title)
{
    // "The GIL: why Python threads do not speed up CPU work" -> "The GIL": the part before the
    // colon names the lesson; the rest is its question, shown in the page header and the tooltip.
    for (const QString& sep : {QStringLiteral(": "), QStringLiteral("："), QStringLiteral(" — ")}) {
        const auto at = title.indexOf(sep);
        if (at >= 2) return title.left(at);
    }
    return title;
}

void LessonBrowser::setLessons(const std::vector<Lesson>* lessons, Lang lang)
{
    m_lessons = lessons;
    m_lang = lang;
    rebuild();
}

void LessonBrowser::setLanguage(Lang lang)
{
    if (m_lang == lang) return;
    m_lang = lang;
    rebuild();
}

void LessonBrowser::rebuild()
{
    m_silent = true;
    m_tree->clear();
    QTreeWidgetItem* current = nullptr;
    if (m_lessons) {
        // Topics in the order their first lesson appears (lessons come sorted by order, id).
        QMap<QString, QTreeWidgetItem*> topics;
        QStringList topicOrder;
        for (const Lesson& lesson : *m_lessons) {
            const QString topic = QString::fromStdString(lesson.topic);
            QTreeWidgetItem* group = topics.value(topic);
            if (!group) {
                group = new QTreeWidgetItem(m_tree);
                group->setText(0, topicTitle(topic));
                group->setData(0, kSearchRole, QString(topic + QLatin1Char(' ') + topicTitle(topic)));
                group->setFlags(Qt::ItemIsEnabled);
                QFont f = group->font(0);
                f.setBold(true);
                group->setFont(0, f);
                topics.insert(topic, group);
            }
            auto* item = new QTreeWidgetItem(group);
            const QString title = QString::fromStdString(lesson.title.get(m_lang));
            item->setText(0, shortTitle(title));
            item->setToolTip(0, QStringLiteral("<b>%1</b> <code>%2</code><br/>%3")
                                    .arg(title.toHtmlEscaped(), QString::fromStdString(lesson.id),
                                         QString::fromStdString(lesson.summary.get(m_lang)).toHtmlEscaped()));
            item->setData(0, kIdRole, QString::fromStdString(lesson.id));
            item->setData(0, kSearchRole,
                          QString::fromStdString(lesson.id + ' ' + lesson.title.en + ' ' + lesson.title.zh + ' ' +
                                                 lesson.summary.en + ' ' + lesson.summary.zh + ' ' + lesson.engine));
            if (item->data(0, kIdRole).toString() == m_current) current = item;
        }
    }
    // A rebuilt tree opens at once, before the current item is set: making an item in a collapsed
    // group current expands that group with the (user-facing) animation, and a list caught
    // mid-animation by a language switch or a screenshot is drawn half empty.
    const bool animated = m_tree->isAnimated();
    m_tree->setAnimated(false);
    m_tree->expandAll();
    if (current) m_tree->setCurrentItem(current);
    m_tree->setAnimated(animated);
    m_silent = false;
    applyFilter();
}

void LessonBrowser::applyFilter()
{
    const QStringList words = m_filter->text().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = m_tree->topLevelItem(g);
        const QString groupText = group->data(0, kSearchRole).toString();
        int shown = 0;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            const QString text = item->data(0, kSearchRole).toString() + QLatin1Char(' ') + groupText;
            bool match = true;
            for (const QString& w : words) match = match && text.contains(w, Qt::CaseInsensitive);
            item->setHidden(!match);
            shown += match ? 1 : 0;
        }
        group->setHidden(shown == 0);
    }
}

void LessonBrowser::setFilter(const QString& text) { m_filter->setText(text); }

void LessonBrowser::setCurrentLesson(const QString& id)
{
    m_current = id;
    m_silent = true;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = m_tree->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i)
            if (group->child(i)->data(0, kIdRole).toString() == id) m_tree->setCurrentItem(group->child(i));
    }
    m_silent = false;
}

QString LessonBrowser::currentLesson() const { return m_current; }

QStringList LessonBrowser::visibleLessons() const
{
    QStringList out;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        const QTreeWidgetItem* group = m_tree->topLevelItem(g);
        if (group->isHidden()) continue;
        for (int i = 0; i < group->childCount(); ++i)
            if (!group->child(i)->isHidden()) out << group->child(i)->data(0, kIdRole).toString();
    }
    return out;
}

void LessonBrowser::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        rebuild();
    }
    QWidget::changeEvent(event);
}

void LessonBrowser::retranslate()
{
    m_heading->setText(tr("Lessons"));
    m_filter->setPlaceholderText(tr("Filter lessons…"));
    m_filter->setToolTip(tr("Type words to match lesson titles, ids and topics (English or Chinese)"));
}

} // namespace lockstep::ui
