#pragma once

#include <QFrame>
#include <QString>

class QLabel;
class QToolButton;

namespace lockstep::ui {

// A tinted strip on the lesson page that says why the last run failed: which thread, at which
// Python line, with what message. It stays until the user closes it or the next run starts, so
// that a failure is not just a status-bar message that fades before anyone reads it.
class RunBanner : public QFrame {
    Q_OBJECT
public:
    explicit RunBanner(QWidget* parent = nullptr);

    void showMessage(const QString& title, const QString& detail);
    void dismiss();
    [[nodiscard]] QString title() const;
    [[nodiscard]] QString detail() const;
    [[nodiscard]] QToolButton* closeButton() const { return m_close; }

Q_SIGNALS:
    void dismissed();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslate();

    QLabel* m_title = nullptr;
    QLabel* m_detail = nullptr;
    QToolButton* m_close = nullptr;
};

} // namespace lockstep::ui
