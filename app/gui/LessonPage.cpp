#include "gui/LessonPage.h"

#include "gui/CodeView.h"
#include "gui/LessonBrowser.h"
#include "gui/LineTracker.h"
#include "gui/NarrationView.h"
#include "gui/ParameterPanel.h"
#include "gui/RunBanner.h"
#include "render/Palette.h"

#include <QComboBox>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace lockstep::ui {

namespace {
QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

QLabel* heading(QWidget* parent)
{
    auto* l = new QLabel(parent);
    l->setObjectName(QStringLiteral("panelHeading"));
    return l;
}
} // namespace

LessonPage::LessonPage(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("lessonPage"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(12, 8, 12, 4);
    outer->setSpacing(6);

    // Title row: title, topic chip.
    auto* titleRow = new QHBoxLayout;
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("lessonTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_topic = new QLabel(this);
    m_topic->setObjectName(QStringLiteral("topicChip"));
    titleRow->addWidget(m_title);
    titleRow->addSpacing(8);
    titleRow->addWidget(m_topic, 0, Qt::AlignVCenter);
    titleRow->addStretch(1);
    outer->addLayout(titleRow);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("lessonSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    outer->addWidget(m_summary);

    m_banner = new RunBanner(this);
    outer->addWidget(m_banner);

    // Variant and parameters, in a card.
    auto* card = new QFrame(this);
    card->setObjectName(QStringLiteral("card"));
    // Never squeezed: editors cut in half are worse than a shorter timeline.
    card->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    auto* cardLayout = new QVBoxLayout(card);
    cardLayout->setContentsMargins(10, 8, 10, 8);
    cardLayout->setSpacing(6);
    auto* variantRow = new QHBoxLayout;
    m_variantLabel = new QLabel(card);
    m_variantLabel->setObjectName(QStringLiteral("fieldLabel"));
    m_variantBox = new QComboBox(card);
    m_variantBox->setObjectName(QStringLiteral("variantBox"));
    m_variantBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_variantLabel->setBuddy(m_variantBox);
    m_variantDescription = new QLabel(card);
    m_variantDescription->setObjectName(QStringLiteral("variantDescription"));
    m_variantDescription->setWordWrap(true);
    m_variantDescription->setTextFormat(Qt::RichText);
    variantRow->addWidget(m_variantLabel);
    variantRow->addWidget(m_variantBox);
    variantRow->addSpacing(8);
    variantRow->addWidget(m_variantDescription, 1);
    cardLayout->addLayout(variantRow);
    m_paramsHeading = new QLabel(card);
    m_paramsHeading->setObjectName(QStringLiteral("fieldLabel"));
    m_params = new ParameterPanel(card);
    auto* paramsRow = new QHBoxLayout;
    paramsRow->addWidget(m_paramsHeading, 0, Qt::AlignTop);
    paramsRow->addWidget(m_params, 1);
    cardLayout->addLayout(paramsRow);
    outer->addWidget(card);

    // Narration | code.
    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setChildrenCollapsible(false);
    auto* narrationPanel = new QFrame(m_splitter);
    narrationPanel->setObjectName(QStringLiteral("card"));
    auto* nl = new QVBoxLayout(narrationPanel);
    nl->setContentsMargins(8, 6, 8, 6);
    nl->setSpacing(4);
    auto* narrationTop = new QHBoxLayout;
    m_narrationHeading = heading(narrationPanel);
    m_stepLabel = new QLabel(narrationPanel);
    m_stepLabel->setObjectName(QStringLiteral("mutedLabel"));
    m_prevStep = new QPushButton(narrationPanel);
    m_prevStep->setObjectName(QStringLiteral("previousStepButton"));
    m_nextStep = new QPushButton(narrationPanel);
    m_nextStep->setObjectName(QStringLiteral("nextStepButton"));
    m_prevStep->setFocusPolicy(Qt::NoFocus);
    m_nextStep->setFocusPolicy(Qt::NoFocus);
    narrationTop->addWidget(m_narrationHeading);
    narrationTop->addStretch(1);
    narrationTop->addWidget(m_stepLabel);
    narrationTop->addWidget(m_prevStep);
    narrationTop->addWidget(m_nextStep);
    nl->addLayout(narrationTop);
    m_narration = new NarrationView(narrationPanel);
    nl->addWidget(m_narration, 1);

    auto* codePanel = new QFrame(m_splitter);
    codePanel->setObjectName(QStringLiteral("card"));
    auto* cl = new QVBoxLayout(codePanel);
    cl->setContentsMargins(8, 6, 8, 6);
    cl->setSpacing(4);
    m_codeHeading = heading(codePanel);
    cl->addWidget(m_codeHeading);
    m_code = new CodeView(codePanel);
    cl->addWidget(m_code, 1);
    m_splitter->addWidget(narrationPanel);
    m_splitter->addWidget(codePanel);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    // Narration and code always keep room to read, however many parameters the variant has.
    m_splitter->setMinimumHeight(210);
    outer->addWidget(m_splitter, 1);

    connect(m_variantBox, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_lesson) return;
        m_params->setVariant(variant());
        updateVariantDescription();
        refreshNarration();
        Q_EMIT variantChanged(currentVariant());
    });
    connect(m_params, &ParameterPanel::valuesChanged, this, &LessonPage::parametersChanged);
    connect(m_nextStep, &QPushButton::clicked, this, &LessonPage::nextNarrationStep);
    connect(m_prevStep, &QPushButton::clicked, this, &LessonPage::previousNarrationStep);
    connect(m_narration, &NarrationView::stepActivated, this, [this](int i) { setNarrationStep(i); });
    retranslate();
}

void LessonPage::setLesson(const Lesson* lesson, Lang lang)
{
    m_lesson = lesson;
    m_lang = lang;
    m_code->setCode(lesson ? qs(lesson->python) : QString());
    fillVariants();
    m_params->setLesson(lesson, variant(), lang);
    retranslate();
    refreshNarration();
}

void LessonPage::fillVariants()
{
    const QSignalBlocker block(m_variantBox);
    m_variantBox->clear();
    if (!m_lesson) return;
    for (const Variant& v : m_lesson->variants) {
        QString title = qs(v.title.get(m_lang));
        if (title.isEmpty()) title = qs(v.id);
        m_variantBox->addItem(title, qs(v.id));
        m_variantBox->setItemData(m_variantBox->count() - 1, qs(v.description.get(m_lang)), Qt::ToolTipRole);
    }
    updateVariantDescription();
}

QString LessonPage::currentVariant() const
{
    return m_variantBox->currentData().toString();
}

const Variant* LessonPage::variant() const
{
    if (!m_lesson) return nullptr;
    return m_lesson->variant(currentVariant().toStdString());
}

bool LessonPage::setVariant(const QString& id)
{
    const int index = m_variantBox->findData(id);
    if (index < 0) return false;
    m_variantBox->setCurrentIndex(index);
    return true;
}

void LessonPage::setLanguage(Lang lang)
{
    if (lang == m_lang) return;
    m_lang = lang;
    const QString current = currentVariant();
    fillVariants();
    const QSignalBlocker block(m_variantBox);
    m_variantBox->setCurrentIndex(std::max(0, m_variantBox->findData(current)));
    updateVariantDescription();
    m_params->setLanguage(lang);
    m_narration->setLanguage(lang);
    retranslate();
}

void LessonPage::setDark(bool dark)
{
    m_code->setDark(dark);
    m_narration->setDark(dark);
}

void LessonPage::setScale(double scale)
{
    m_scale = scale;
    m_code->setScale(scale);
    m_narration->setScale(scale);
    m_params->setScale(scale);
    QFont f = Palette::uiFont(scale * 1.6);
    f.setWeight(QFont::DemiBold);
    m_title->setFont(f);
}

void LessonPage::updateVariantDescription()
{
    const Variant* v = variant();
    m_variantDescription->setText(v ? NarrationView::inlineHtml(qs(v->description.get(m_lang))) : QString());
}

void LessonPage::refreshNarration()
{
    std::vector<const NarrationStep*> steps;
    const QString variantId = currentVariant();
    if (m_lesson) {
        for (const NarrationStep& st : m_lesson->narration) {
            if (!st.variants.empty()
                && std::find(st.variants.begin(), st.variants.end(), variantId.toStdString()) == st.variants.end())
                continue;
            steps.push_back(&st);
        }
    }
    m_narration->setSteps(std::move(steps), m_lang);
    const NarrationStep* first = m_narration->step(0);
    m_code->setNarrationLine(first ? first->line : 0);
    updateStepLabel();
}

void LessonPage::setNarrationStep(int index)
{
    if (m_narration->stepCount() == 0) return;
    m_narration->setCurrentStep(index);
    const NarrationStep* st = m_narration->step(m_narration->currentStep());
    m_code->setNarrationLine(st ? st->line : 0);
    updateStepLabel();
    Q_EMIT narrationStepChanged(m_narration->currentStep());
}

void LessonPage::nextNarrationStep()
{
    setNarrationStep(m_narration->currentStep() + 1);
}
void LessonPage::previousNarrationStep()
{
    setNarrationStep(m_narration->currentStep() - 1);
}

void LessonPage::updateStepLabel()
{
    const int n = m_narration->stepCount();
    m_stepLabel->setText(n ? tr("Step %1 of %2").arg(m_narration->currentStep() + 1).arg(n) : QString());
    m_prevStep->setEnabled(n > 0 && m_narration->currentStep() > 0);
    m_nextStep->setEnabled(n > 0 && m_narration->currentStep() + 1 < n);
}

void LessonPage::setEditable(bool editable)
{
    m_variantBox->setEnabled(editable);
    m_params->setEnabled(editable);
}

void LessonPage::showCursor(const Trace* trace, std::int64_t ts)
{
    if (!trace) {
        m_code->setExecutionLine(0);
        m_code->setThreadMarkers({});
        return;
    }
    const LineTracker::Result where = LineTracker::at(*trace, ts);
    std::vector<CodeView::ThreadMarker> markers;
    markers.reserve(where.actors.size());
    for (const auto& a : where.actors) {
        const StateStyle& style = Palette::style(a.state);
        markers.push_back({ a.line, QString::fromUtf8(trace->actorName(a.actor)), style.fill, style.ink });
    }
    m_code->setThreadMarkers(std::move(markers));
    m_code->setExecutionLine(where.latestLine);
}

void LessonPage::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

void LessonPage::retranslate()
{
    if (m_lesson) {
        m_title->setText(qs(m_lesson->title.get(m_lang)));
        m_summary->setText(NarrationView::inlineHtml(qs(m_lesson->summary.get(m_lang))));
        m_topic->setText(LessonBrowser::topicTitle(qs(m_lesson->topic)));
        m_topic->setToolTip(tr("Lesson id: %1 · engine: %2").arg(qs(m_lesson->id), qs(m_lesson->engine)));
    } else {
        m_title->setText(tr("No lesson selected"));
        m_summary->setText(tr("Pick a lesson on the left."));
        m_topic->clear();
    }
    m_variantLabel->setText(tr("Variant:"));
    m_variantBox->setToolTip(tr("Which version of the program to run"));
    m_paramsHeading->setText(tr("Parameters:"));
    m_narrationHeading->setText(tr("Narration"));
    m_codeHeading->setText(tr("Python this lesson models"));
    m_prevStep->setText(tr("Previous"));
    m_prevStep->setToolTip(tr("Back to the previous narration step"));
    m_nextStep->setText(tr("Next step"));
    m_nextStep->setToolTip(tr("Go on to the next narration step (N)"));
    updateStepLabel();
}

} // namespace lockstep::ui
