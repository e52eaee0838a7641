#pragma once

#include "lockstep/lesson/Lesson.h"

#include <QString>
#include <QWidget>

#include <vector>

class QLineEdit;
class QTreeWidget;
class QTreeWidgetItem;
class QLabel;

namespace lockstep::ui {

// A lesson file that did not load: listed greyed, with the loader's located error under its name,
// so that one bad file costs the course one entry, not the window.
struct BrokenLesson {
    QString file; // its name in the lessons folder
    QString error; // "file:line:column: key: what is wrong"
};

// The lessons as a tree grouped by topic, with a filter box that matches ids, titles (both
// languages), topics and summaries. Emits lessonSelected when the user picks a lesson.
class LessonBrowser : public QWidget {
    Q_OBJECT
public:
    explicit LessonBrowser(QWidget* parent = nullptr);

    void setLessons(const std::vector<Lesson>* lessons, Lang lang);
    void setBrokenLessons(QList<BrokenLesson> broken);
    // One loader error as an entry: the file it names (relative to `dir`), else the folder itself.
    [[nodiscard]] static BrokenLesson brokenLesson(const QString& error, const QString& dir);
    void setLanguage(Lang lang);
    void setCurrentLesson(const QString& id); // selects without emitting
    [[nodiscard]] QString currentLesson() const;
    void setFilter(const QString& text);
    // Lesson ids visible under the current filter, in tree order (for tests).
    [[nodiscard]] QStringList visibleLessons() const;
    [[nodiscard]] QTreeWidget* tree() const { return m_tree; }
    [[nodiscard]] static QString topicTitle(const QString& topic); // translated display name
    // The tree's label for a lesson title: the part before its colon, if it has one.
    [[nodiscard]] static QString shortTitle(const QString& title);

Q_SIGNALS:
    void lessonSelected(const QString& id);

protected:
    void changeEvent(QEvent* event) override;

private:
    void rebuild();
    void applyFilter();
    void retranslate();

    void addBrokenGroup();

    const std::vector<Lesson>* m_lessons = nullptr;
    QList<BrokenLesson> m_broken;
    Lang m_lang = Lang::En;
    QString m_current;
    bool m_silent = false;
    QLabel* m_heading = nullptr;
    QLineEdit* m_filter = nullptr;
    QTreeWidget* m_tree = nullptr;
};

} // namespace lockstep::ui
