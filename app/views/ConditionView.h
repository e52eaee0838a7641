#pragma once

#include "views/ConditionModel.h"
#include "views/LessonView.h"
#include "views/TraceReplay.h"

#include <limits>

namespace lockstep::ui {

// The Condition lesson's view: the underlying lock and its owner, the waiter queue with each
// waiter's own lock, the last notify as arrows from the notifier to the waiters it released (or a
// lost notify when nobody waited), and the dialogue as speech bubbles, one speaker per side.
class ConditionView final : public LessonView {
    Q_OBJECT
public:
    explicit ConditionView(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;
    void setTrace(std::shared_ptr<const Trace> trace) override;
    void setCursor(std::int64_t ts) override;

    [[nodiscard]] const ConditionModel& model() const { return m_replay.model(); }
    // The dialogue so far as "speaker: line".
    [[nodiscard]] QStringList transcript() const;
    [[nodiscard]] QString ownerName() const;
    [[nodiscard]] QSize sizeHint() const override { return {1280, 800}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void refresh();
    struct Card {
        QRectF inner;            // inside the padding, title included
        double titleHeight = 0;
    };
    Card beginCard(QPainter& p, const QRectF& r, const QString& title) const;
    void paintMechanics(QPainter& p, const QRectF& r) const;
    void paintDialogue(QPainter& p, const QRectF& r) const;
    [[nodiscard]] QString name(ActorId id) const;
    [[nodiscard]] QString spoken(const ConditionModel::Line& line) const;

    TraceReplay<ConditionModel> m_replay;
    std::int64_t m_cursor = std::numeric_limits<std::int64_t>::max();
};

} // namespace lockstep::ui
