#pragma once

#include "views/BoardModel.h"
#include "views/LessonView.h"
#include "views/TraceReplay.h"

#include <QColor>
#include <QPointer>
#include <QVariantAnimation>

#include <vector>

namespace lockstep::ui {

// A card per executor (thread, process, coroutine): its state in the Palette's colour, label and
// glyph, how long it has been in it, what it holds, what it waits for and the Python line it
// reached. State changes fade the card's colour so a student sees which card just changed.
class StateBoard final : public LessonView {
    Q_OBJECT
public:
    explicit StateBoard(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;
    void setTrace(std::shared_ptr<const Trace> trace) override;
    void setCursor(std::int64_t ts) override;

    // Off: colours jump (exports, tests). On by default.
    void setAnimated(bool animated) { m_animated = animated; }
    [[nodiscard]] int cardCount() const { return static_cast<int>(m_cards.size()); }
    // State shown on the card of `actor` (New if it has no card).
    [[nodiscard]] State cardState(ActorId actor) const;
    // What the card says `actor` holds / waits for (names), for tests and tooltips.
    [[nodiscard]] QStringList holdsOf(ActorId actor) const;
    [[nodiscard]] QString waitsForOf(ActorId actor) const;
    [[nodiscard]] QSize sizeHint() const override { return {1280, 800}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Card {
        ActorId id;
        State state = State::New;
        QColor shown;                           // current (possibly mid-fade) fill
        QPointer<QVariantAnimation> fade;
    };
    struct Grid {
        int columns = 1;
        double cardWidth = 0;
        double cardHeight = 0;
        double gap = 0;
        double fontScale = 1;
    };

    void refresh();
    void syncCards();
    [[nodiscard]] std::int64_t now() const;
    [[nodiscard]] Grid layout(int count, const QRectF& area) const;
    void paintHeader(QPainter& p, const QRectF& r) const;
    void paintCard(QPainter& p, const QRectF& r, const Card& card, double fontScale) const;
    [[nodiscard]] QString waitText(ActorId actor) const;

    TraceReplay<BoardModel> m_replay;
    std::int64_t m_cursor = std::numeric_limits<std::int64_t>::max();
    std::vector<Card> m_cards;
    std::size_t m_actorsSeen = 0;
    bool m_animated = true;
};

} // namespace lockstep::ui
