#pragma once

#include "views/GeneratorModel.h"
#include "views/LessonView.h"
#include "views/TraceReplay.h"

#include <limits>

namespace lockstep::ui {

// The generator lesson's view: the caller's and the generator's stacks side by side (each frame
// with its current Python line), the last control transfer as a big arrow carrying its value, the
// generator's state, the `yield from` delegation chain, and below, every send / throw / close /
// yield / return / raise so far as a sequence diagram, next to what the code printed.
class GeneratorView final : public LessonView {
    Q_OBJECT
public:
    explicit GeneratorView(QWidget* parent = nullptr);

    [[nodiscard]] bool appliesTo(const Trace& trace) const override;
    [[nodiscard]] QString title() const override;
    void setTrace(std::shared_ptr<const Trace> trace) override;
    void setCursor(std::int64_t ts) override;

    // inspect.getgeneratorstate() name of the generator the caller drives: "GEN_CREATED",
    // "GEN_RUNNING", "GEN_SUSPENDED" or "GEN_CLOSED"; empty when there is none.
    [[nodiscard]] QString generatorState() const;
    [[nodiscard]] ActorId generator() const;
    [[nodiscard]] ActorId caller() const;
    // Outermost first: the generator and the subgenerators it delegates to with `yield from`.
    [[nodiscard]] std::vector<ActorId> delegationChain() const;
    // "send(10)", "yield 10.0", ... for each transfer so far.
    [[nodiscard]] QStringList transferLabels() const;
    [[nodiscard]] const GeneratorModel& model() const { return m_replay.model(); }
    [[nodiscard]] QSize sizeHint() const override { return {1280, 800}; }

    static QString inspectName(State state);
    // A value as the engine records it (JSON) written the way Python prints it: null -> None.
    static QString pythonText(const QString& json);

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void refresh();
    void resolveRoles();
    [[nodiscard]] QString label(const GeneratorModel::Transfer& t) const;
    [[nodiscard]] QString callText(const GeneratorModel::Transfer& t) const;
    [[nodiscard]] QColor colorOf(EventKind kind) const;
    [[nodiscard]] QString name(ActorId id) const;
    void paintStacks(QPainter& p, const QRectF& r) const;
    QRectF paintFrame(QPainter& p, const QRectF& r, ActorId actor, bool coroutine, bool active) const;
    void paintSequence(QPainter& p, const QRectF& r) const;
    void paintOutput(QPainter& p, const QRectF& r) const;

    TraceReplay<GeneratorModel> m_replay;
    std::int64_t m_cursor = std::numeric_limits<std::int64_t>::max();
    ActorId m_generator; // resolved from the whole trace, so roles do not swap while scrubbing
    ActorId m_caller;
    std::size_t m_rolesScanned = 0;
};

} // namespace lockstep::ui
