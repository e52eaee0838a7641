#include "gui/LessonBrowser.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QPainter>
#include <QStyledItemDelegate>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace lockstep::ui {

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kSearchRole = Qt::UserRole + 2;
constexpr int kErrorRole = Qt::UserRole + 3; // a broken file's error, drawn under its name

// Broken files get two lines: the name, and the error in smaller type, both in the disabled
// colour. Every other row is drawn as usual.
class BrokenLessonDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        if (!index.data(kErrorRole).toString().isEmpty())
            size.rheight() += QFontMetrics(smallFont(option)).height() + 2;
        return size;
    }

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const QString error = index.data(kErrorRole).toString();
        if (error.isEmpty()) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString name = opt.text;
        opt.text.clear();
        const QWidget* widget = opt.widget;
        QStyle* style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
        const QRect r = opt.rect.adjusted(4, 2, -4, -2);
        const QFontMetrics nameMetrics(opt.font);
        const QFont small = smallFont(opt);
        const QFontMetrics smallMetrics(small);
        painter->save();
        painter->setPen(opt.palette.color(QPalette::Disabled, QPalette::Text));
        painter->setFont(opt.font);
        painter->drawText(QRect(r.left(), r.top(), r.width(), nameMetrics.height()), Qt::AlignLeft | Qt::AlignVCenter,
            nameMetrics.elidedText(name, Qt::ElideRight, r.width()));
        painter->setFont(small);
        painter->drawText(QRect(r.left(), r.top() + nameMetrics.height(), r.width(), smallMetrics.height()),
            Qt::AlignLeft | Qt::AlignVCenter, smallMetrics.elidedText(error, Qt::ElideRight, r.width()));
        painter->restore();
    }

private:
    static QFont smallFont(const QStyleOptionViewItem& option)
    {
        QFont f = option.font;
        f.setPixelSize(std::max(9, (f.pixelSize() > 0 ? f.pixelSize() : 14) * 6 / 7));
        return f;
    }
};

// Display names of the topics the course uses; anything else is shown humanised.
struct TopicName {
    const char* id;
    const char* text;
};
constexpr TopicName kTopics[] = {
    { "basics", QT_TRANSLATE_NOOP("Topic", "Basics") },
    { "threads", QT_TRANSLATE_NOOP("Topic", "Threads") },
    { "locks", QT_TRANSLATE_NOOP("Topic", "Locks") },
    { "sync", QT_TRANSLATE_NOOP("Topic", "Synchronisation") },
    { "synchronization", QT_TRANSLATE_NOOP("Topic", "Synchronisation") },
    { "race", QT_TRANSLATE_NOOP("Topic", "Race conditions") },
    { "races", QT_TRANSLATE_NOOP("Topic", "Race conditions") },
    { "deadlock", QT_TRANSLATE_NOOP("Topic", "Deadlock") },
    { "gil", QT_TRANSLATE_NOOP("Topic", "The GIL") },
    { "python", QT_TRANSLATE_NOOP("Topic", "Python internals") },
    { "condition", QT_TRANSLATE_NOOP("Topic", "Conditions") },
    { "conditions", QT_TRANSLATE_NOOP("Topic", "Conditions") },
    { "io", QT_TRANSLATE_NOOP("Topic", "I/O multiplexing") },
    { "iomux", QT_TRANSLATE_NOOP("Topic", "I/O multiplexing") },
    { "processes", QT_TRANSLATE_NOOP("Topic", "Processes") },
    { "coroutines", QT_TRANSLATE_NOOP("Topic", "Coroutines") },
    { "generators", QT_TRANSLATE_NOOP("Topic", "Generators") },
    { "async", QT_TRANSLATE_NOOP("Topic", "Async") },
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
    // Broken files take two lines (see BrokenLessonDelegate); all other rows are one.
    m_tree->setUniformRowHeights(false);
    m_tree->setItemDelegate(new BrokenLessonDelegate(m_tree));
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
    for (const QString& sep : { QStringLiteral(": "), QStringLiteral("："), QStringLiteral(" — ") }) {
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

void LessonBrowser::setBrokenLessons(QList<BrokenLesson> broken)
{
    m_broken = std::move(broken);
    rebuild();
}

BrokenLesson LessonBrowser::brokenLesson(const QString& error, const QString& dir)
{
    // Loader messages start with the file's path: "<dir>/name.json:line:column: ...".
    const QString marker = QStringLiteral(".json:");
    const auto at = error.indexOf(marker);
    BrokenLesson b;
    b.file = at > 0 ? QDir(dir).relativeFilePath(error.left(at + marker.size() - 1)) : QDir(dir).dirName();
    b.error = error;
    if (at > 0) b.error = b.file + error.mid(at + marker.size() - 1);
    return b;
}

void LessonBrowser::addBrokenGroup()
{
    if (m_broken.isEmpty()) return;
    auto* group = new QTreeWidgetItem(m_tree);
    group->setText(0, tr("Could not be loaded"));
    group->setData(0, kSearchRole, group->text(0));
    group->setFlags(Qt::ItemIsEnabled);
    QFont f = group->font(0);
    f.setBold(true);
    group->setFont(0, f);
    for (const BrokenLesson& b : m_broken) {
        auto* item = new QTreeWidgetItem(group);
        item->setText(0, b.file);
        item->setData(0, kErrorRole, b.error);
        item->setData(0, kSearchRole, QString(b.file + QLatin1Char(' ') + b.error));
        item->setToolTip(0,
            QStringLiteral("<b>%1</b><br/>%2<br/><i>%3</i>")
                .arg(b.file.toHtmlEscaped(), b.error.toHtmlEscaped(),
                    tr("Fix the file and restart Lockstep to load it.").toHtmlEscaped()));
        // Greyed and not selectable: there is no lesson to open.
        item->setFlags(Qt::NoItemFlags);
    }
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
            item->setToolTip(0,
                QStringLiteral("<b>%1</b> <code>%2</code><br/>%3")
                    .arg(title.toHtmlEscaped(), QString::fromStdString(lesson.id),
                        QString::fromStdString(lesson.summary.get(m_lang)).toHtmlEscaped()));
            item->setData(0, kIdRole, QString::fromStdString(lesson.id));
            item->setData(0, kSearchRole,
                QString::fromStdString(lesson.id + ' ' + lesson.title.en + ' ' + lesson.title.zh + ' '
                    + lesson.summary.en + ' ' + lesson.summary.zh + ' ' + lesson.engine));
            if (item->data(0, kIdRole).toString() == m_current) current = item;
        }
    }
    addBrokenGroup();
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
            for (const QString& w : words)
                match = match && text.contains(w, Qt::CaseInsensitive);
            item->setHidden(!match);
            shown += match ? 1 : 0;
        }
        group->setHidden(shown == 0);
    }
}

void LessonBrowser::setFilter(const QString& text)
{
    m_filter->setText(text);
}

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

QString LessonBrowser::currentLesson() const
{
    return m_current;
}

QStringList LessonBrowser::visibleLessons() const
{
    QStringList out;
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        const QTreeWidgetItem* group = m_tree->topLevelItem(g);
        if (group->isHidden()) continue;
        for (int i = 0; i < group->childCount(); ++i)
            if (!group->child(i)->isHidden() && !group->child(i)->data(0, kIdRole).toString().isEmpty())
                out << group->child(i)->data(0, kIdRole).toString();
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
