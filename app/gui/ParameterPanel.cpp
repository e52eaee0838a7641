#include "gui/ParameterPanel.h"

#include "lockstep/lesson/LessonLoader.h"
#include "lockstep/lesson/ParamChecker.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSlider>
#include <QSpinBox>

#include <climits>
#include <cmath>
#include <exception>

namespace lockstep::ui {

namespace {
constexpr int kSliderSteps = 1000;
constexpr int kMaxParamsPerRow = 3;

QString qs(const std::string& s) { return QString::fromStdString(s); }
} // namespace

ParameterPanel::ParameterPanel(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("parameterPanel"));
    m_grid = new QGridLayout(this);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setHorizontalSpacing(10);
    m_grid->setVerticalSpacing(6);
}

void ParameterPanel::setLesson(const Lesson* lesson, const Variant* variant, Lang lang)
{
    m_lesson = lesson;
    m_variant = variant;
    m_lang = lang;
    rebuild();
}

void ParameterPanel::setVariant(const Variant* variant)
{
    m_variant = variant;
    resetToDefaults();
    layoutRows();
}

void ParameterPanel::setLanguage(Lang lang)
{
    if (lang == m_lang) return;
    m_lang = lang;
    retranslate();
}

void ParameterPanel::setScale(double scale)
{
    m_scale = scale;
    for (Row& row : m_rows) {
        if (row.slider) row.slider->setMinimumWidth(static_cast<int>(40 * scale));
        if (auto* line = qobject_cast<QLineEdit*>(row.editor)) line->setMinimumWidth(static_cast<int>(180 * scale));
    }
    layoutRows();
}

void ParameterPanel::rebuild()
{
    m_rows.clear();
    while (QLayoutItem* item = m_grid->takeAt(0)) {
        if (QWidget* w = item->widget()) delete w;
        else if (QLayout* l = item->layout()) {
            while (QLayoutItem* inner = l->takeAt(0)) {
                delete inner->widget();
                delete inner;
            }
        }
        delete item;
    }
    m_empty = nullptr;
    if (!m_lesson) return;
    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("mutedLabel"));
    m_grid->addWidget(m_empty, 0, 0, 1, kMaxParamsPerRow * 3);

    for (const ParamSpec& spec : m_lesson->params) {
        Row row;
        row.spec = &spec;
        row.label = new QLabel(this);
        const QString name = qs(spec.name);
        const auto lo = ParamChecker::effectiveMin(spec);
        const auto hi = ParamChecker::effectiveMax(spec, ParamChecker::Mode::Run);
        const QString suffix = spec.unit.empty() ? QString() : QLatin1Char(' ') + qs(spec.unit);
        switch (spec.type) {
        case ParamType::Int: {
            auto* spin = new QSpinBox(this);
            spin->setRange(lo ? static_cast<int>(std::max<double>(*lo, INT_MIN)) : -1'000'000'000,
                           hi ? static_cast<int>(std::min<double>(*hi, INT_MAX)) : 1'000'000'000);
            spin->setSuffix(suffix);
            spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
            spin->setGroupSeparatorShown(true);
            spin->setAccelerated(true);
            row.editor = spin;
            connect(spin, &QSpinBox::valueChanged, this, [this, i = m_rows.size()] {
                if (!m_syncing) syncSliderFromEditor(m_rows[i]);
                Q_EMIT valuesChanged();
            });
            break;
        }
        case ParamType::Float: {
            auto* spin = new QDoubleSpinBox(this);
            const double min = lo.value_or(-1e9), max = hi.value_or(1e9);
            int decimals = 2;
            if (lo && *lo > 0) decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(*lo))) + 1, 2, 6);
            spin->setDecimals(decimals);
            spin->setRange(min, max);
            spin->setSuffix(suffix);
            spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
            spin->setAccelerated(true);
            row.editor = spin;
            connect(spin, &QDoubleSpinBox::valueChanged, this, [this, i = m_rows.size()] {
                if (!m_syncing) syncSliderFromEditor(m_rows[i]);
                Q_EMIT valuesChanged();
            });
            break;
        }
        case ParamType::Bool: {
            auto* box = new QCheckBox(this);
            row.editor = box;
            connect(box, &QCheckBox::toggled, this, &ParameterPanel::valuesChanged);
            break;
        }
        case ParamType::Choice: {
            auto* combo = new QComboBox(this);
            for (const auto& c : spec.choices) combo->addItem(qs(c), qs(c));
            row.editor = combo;
            connect(combo, &QComboBox::currentIndexChanged, this, &ParameterPanel::valuesChanged);
            break;
        }
        case ParamType::String:
        case ParamType::IntList: {
            auto* line = new QLineEdit(this);
            if (spec.type == ParamType::IntList) {
                line->setValidator(new QRegularExpressionValidator(
                    QRegularExpression(QStringLiteral("^\\s*(-?\\d+\\s*(,\\s*-?\\d+\\s*)*)?,?\\s*$")), line));
            }
            line->setMinimumWidth(static_cast<int>(180 * m_scale));
            row.editor = line;
            connect(line, &QLineEdit::textChanged, this, &ParameterPanel::valuesChanged);
            break;
        }
        }
        row.editor->setObjectName(QStringLiteral("param_") + name);
        row.label->setBuddy(row.editor);

        const bool numeric = spec.type == ParamType::Int || spec.type == ParamType::Float;
        if (numeric && lo && hi && *hi > *lo) {
            row.lo = *lo;
            row.hi = *hi;
            // Ranges spanning decades (0.1..100 ms, 1..16000 fds) get a log slider so the small
            // values are not crammed into the first pixel.
            row.logSlider = *lo > 0 && *hi / *lo >= 100;
            const int steps = spec.type == ParamType::Int && !row.logSlider
                                  ? static_cast<int>(std::min<double>(*hi - *lo, kSliderSteps))
                                  : kSliderSteps;
            row.slider = new QSlider(Qt::Horizontal, this);
            row.slider->setObjectName(QStringLiteral("slider_") + name);
            row.slider->setRange(0, steps);
            row.slider->setMinimumWidth(static_cast<int>(40 * m_scale));
            row.slider->setFocusPolicy(Qt::NoFocus);
            connect(row.slider, &QSlider::valueChanged, this, [this, i = m_rows.size()] {
                if (!m_syncing) syncEditorFromSlider(m_rows[i]);
            });
        }

        m_rows.push_back(row);
    }
    retranslate();
    resetToDefaults();
    layoutRows();
}

bool ParameterPanel::isUsed(const std::string& name) const
{
    if (!m_lesson || !m_variant) return true;
    // Lessons whose configs name parameters as "$name" tell which ones each variant reads; an engine
    // that reads its parameters directly (no "$" anywhere) gets all of them shown.
    bool anyReference = false;
    for (const Variant& v : m_lesson->variants) anyReference = anyReference || referencesAny(v.config);
    if (!anyReference) return true;
    return m_variant->params.contains(name) || references(m_variant->config, "$" + name);
}

bool ParameterPanel::referencesAny(const nlohmann::json& config)
{
    if (config.is_string()) return config.get<std::string>().starts_with('$');
    if (config.is_structured())
        for (const auto& e : config)
            if (referencesAny(e)) return true;
    return false;
}

bool ParameterPanel::references(const nlohmann::json& config, const std::string& ref)
{
    if (config.is_string()) return config.get<std::string>() == ref;
    if (config.is_structured())
        for (const auto& e : config)
            if (references(e, ref)) return true;
    return false;
}

void ParameterPanel::layoutRows()
{
    // Only the parameters the selected variant reads take room; the others keep their values.
    for (Row& row : m_rows) {
        for (QWidget* w : {static_cast<QWidget*>(row.label), row.editor, static_cast<QWidget*>(row.slider)}) {
            if (!w) continue;
            m_grid->removeWidget(w);
            w->hide();
        }
    }
    // Presenter mode's larger type fits two parameters to a row, normal type three.
    const int perRow = m_scale > 1.15 ? 2 : kMaxParamsPerRow;
    for (int c = 0; c < kMaxParamsPerRow * 3; ++c) m_grid->setColumnStretch(c, c < perRow * 3 && c % 3 == 2 ? 1 : 0);
    int index = 0; // grid slot
    int shown = 0;
    // Compact editors first, in file order; the full-width line edits below them.
    std::vector<Row*> order;
    for (Row& row : m_rows)
        if (!qobject_cast<QLineEdit*>(row.editor)) order.push_back(&row);
    for (Row& row : m_rows)
        if (qobject_cast<QLineEdit*>(row.editor)) order.push_back(&row);
    for (Row* rowPtr : order) {
        Row& row = *rowPtr;
        if (!isUsed(row.spec->name)) continue;
        ++shown;
        if (qobject_cast<QLineEdit*>(row.editor)) {
            // Scripts and lists are long: a row of their own, the editor as wide as the panel.
            if (index % perRow != 0) index += perRow - index % perRow;
            const int r = index / perRow;
            m_grid->addWidget(row.label, r, 0, Qt::AlignRight | Qt::AlignVCenter);
            m_grid->addWidget(row.editor, r, 1, 1, perRow * 3 - 1);
            row.label->show();
            row.editor->show();
            index += perRow;
            continue;
        }
        const int r = index / perRow;
        const int c = (index % perRow) * 3;
        m_grid->addWidget(row.label, r, c, Qt::AlignRight | Qt::AlignVCenter);
        if (row.slider) {
            m_grid->addWidget(row.editor, r, c + 1);
            m_grid->addWidget(row.slider, r, c + 2);
        } else {
            m_grid->addWidget(row.editor, r, c + 1, 1, 2, Qt::AlignLeft | Qt::AlignVCenter);
        }
        for (QWidget* w : {static_cast<QWidget*>(row.label), row.editor, static_cast<QWidget*>(row.slider)})
            if (w) w->show();
        ++index;
    }
    m_visible = shown;
    if (m_empty) m_empty->setVisible(shown == 0);
}

void ParameterPanel::retranslate()
{
    if (m_empty)
        m_empty->setText(m_rows.empty() ? tr("This lesson has no parameters.")
                                        : tr("This variant has no parameters to set."));
    for (Row& row : m_rows) {
        const ParamSpec& spec = *row.spec;
        QString label = qs(spec.label.get(m_lang));
        if (label.isEmpty()) label = qs(spec.name);
        row.label->setText(label + QLatin1Char(':'));
        QString tip = QStringLiteral("<b>%1</b> <code>%2</code>").arg(label.toHtmlEscaped(), qs(spec.name));
        const QString help = qs(spec.help.get(m_lang));
        if (!help.isEmpty()) tip += QStringLiteral("<br/>") + help.toHtmlEscaped();
        tip += QStringLiteral("<br/><i>") +
               tr("Allowed: %1").arg(qs(ParamChecker::allowed(spec, ParamChecker::Mode::Run)).toHtmlEscaped()) +
               QStringLiteral("</i>");
        if (m_defaults.contains(spec.name))
            tip += QStringLiteral("<br/><i>") +
                   tr("Default: %1").arg(qs(m_defaults[spec.name].dump()).toHtmlEscaped()) + QStringLiteral("</i>");
        row.label->setToolTip(tip);
        row.editor->setToolTip(tip);
        if (row.slider) row.slider->setToolTip(tip);
    }
}

void ParameterPanel::resetToDefaults()
{
    m_defaults = nlohmann::json::object();
    if (!m_lesson) return;
    if (m_variant) {
        try {
            m_defaults = LessonLoader::resolveParams(*m_lesson, *m_variant, {});
        } catch (const std::exception&) {
            // A default this machine cannot honour (e.g. more fds than RLIMIT_NOFILE): show the file's
            // values anyway; running will report the problem with its full message.
            m_defaults = nlohmann::json::object();
        }
    }
    for (Row& row : m_rows) {
        const ParamSpec& spec = *row.spec;
        nlohmann::json v = spec.defaultValue;
        if (m_variant && m_variant->params.contains(spec.name)) v = m_variant->params[spec.name];
        if (m_defaults.contains(spec.name)) v = m_defaults[spec.name];
        else m_defaults[spec.name] = v;
        setRowValue(row, v);
    }
    retranslate();
    Q_EMIT valuesChanged();
}

void ParameterPanel::setRowValue(Row& row, const nlohmann::json& value)
{
    m_syncing = true;
    const ParamSpec& spec = *row.spec;
    switch (spec.type) {
    case ParamType::Int:
        if (value.is_number()) static_cast<QSpinBox*>(row.editor)->setValue(static_cast<int>(value.get<double>()));
        break;
    case ParamType::Float:
        if (value.is_number()) static_cast<QDoubleSpinBox*>(row.editor)->setValue(value.get<double>());
        break;
    case ParamType::Bool:
        if (value.is_boolean()) static_cast<QCheckBox*>(row.editor)->setChecked(value.get<bool>());
        break;
    case ParamType::Choice:
        if (value.is_string()) {
            auto* combo = static_cast<QComboBox*>(row.editor);
            combo->setCurrentIndex(std::max(0, combo->findData(qs(value.get<std::string>()))));
        }
        break;
    case ParamType::String:
        if (value.is_string()) static_cast<QLineEdit*>(row.editor)->setText(qs(value.get<std::string>()));
        break;
    case ParamType::IntList:
        if (value.is_array()) {
            QStringList parts;
            for (const auto& e : value)
                if (e.is_number()) parts << QString::number(e.get<std::int64_t>());
            static_cast<QLineEdit*>(row.editor)->setText(parts.join(QLatin1Char(',')));
        }
        break;
    }
    m_syncing = false;
    syncSliderFromEditor(row);
}

std::string ParameterPanel::rowText(const Row& row) const
{
    switch (row.spec->type) {
    case ParamType::Int: return std::to_string(static_cast<QSpinBox*>(row.editor)->value());
    case ParamType::Float:
        return ParamChecker::formatNumber(static_cast<QDoubleSpinBox*>(row.editor)->value(), false);
    case ParamType::Bool: return static_cast<QCheckBox*>(row.editor)->isChecked() ? "true" : "false";
    case ParamType::Choice: return static_cast<QComboBox*>(row.editor)->currentData().toString().toStdString();
    case ParamType::String: return static_cast<QLineEdit*>(row.editor)->text().toStdString();
    case ParamType::IntList: {
        QString t = static_cast<QLineEdit*>(row.editor)->text();
        t.remove(QLatin1Char(' '));
        while (t.endsWith(QLatin1Char(','))) t.chop(1);
        return t.toStdString();
    }
    }
    return {};
}

std::map<std::string, std::string> ParameterPanel::values() const
{
    std::map<std::string, std::string> out;
    for (const Row& row : m_rows) out[row.spec->name] = rowText(row);
    return out;
}

std::map<std::string, std::string> ParameterPanel::overrides() const
{
    std::map<std::string, std::string> out;
    for (const Row& row : m_rows) {
        const std::string text = rowText(row);
        std::string error;
        const auto parsed = ParamChecker::parseText(*row.spec, text, error);
        const auto def = m_defaults.find(row.spec->name);
        if (parsed && def != m_defaults.end() && *parsed == *def) continue;
        if (parsed && def != m_defaults.end() && parsed->is_number() && def->is_number() &&
            std::abs(parsed->get<double>() - def->get<double>()) <= 1e-12 * std::max(1.0, std::abs(def->get<double>())))
            continue;
        out[row.spec->name] = text;
    }
    return out;
}

bool ParameterPanel::setValues(const std::map<std::string, std::string>& values, QString* error)
{
    for (const auto& [name, text] : values) {
        auto it = std::find_if(m_rows.begin(), m_rows.end(), [&](const Row& r) { return r.spec->name == name; });
        if (it == m_rows.end()) {
            if (error) *error = tr("--param %1: unknown parameter").arg(qs(name));
            return false;
        }
        std::string why;
        const auto value = ParamChecker::parseText(*it->spec, text, why);
        if (!value) {
            if (error) *error = QStringLiteral("--param %1=%2: %3").arg(qs(name), qs(text), qs(why));
            return false;
        }
        setRowValue(*it, *value);
    }
    Q_EMIT valuesChanged();
    return true;
}

QWidget* ParameterPanel::editor(const QString& name) const
{
    for (const Row& row : m_rows)
        if (qs(row.spec->name) == name) return row.editor;
    return nullptr;
}

QSlider* ParameterPanel::slider(const QString& name) const
{
    for (const Row& row : m_rows)
        if (qs(row.spec->name) == name) return row.slider;
    return nullptr;
}

void ParameterPanel::syncSliderFromEditor(Row& row)
{
    if (!row.slider) return;
    double v = 0;
    if (auto* spin = qobject_cast<QSpinBox*>(row.editor)) v = spin->value();
    else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(row.editor)) v = dspin->value();
    v = std::clamp(v, row.lo, row.hi);
    const double f = row.logSlider ? std::log(v / row.lo) / std::log(row.hi / row.lo) : (v - row.lo) / (row.hi - row.lo);
    m_syncing = true;
    row.slider->setValue(static_cast<int>(std::lround(f * row.slider->maximum())));
    m_syncing = false;
}

void ParameterPanel::syncEditorFromSlider(Row& row)
{
    const double f = static_cast<double>(row.slider->value()) / std::max(1, row.slider->maximum());
    double v = row.logSlider ? row.lo * std::pow(row.hi / row.lo, f) : row.lo + f * (row.hi - row.lo);
    m_syncing = true;
    if (auto* spin = qobject_cast<QSpinBox*>(row.editor)) {
        spin->setValue(static_cast<int>(std::lround(v)));
    } else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(row.editor)) {
        // Round to two significant digits so the slider lands on readable values (0.25, 5.0, 40).
        if (v > 0) {
            const double mag = std::pow(10.0, std::floor(std::log10(v)) - 1);
            v = std::round(v / mag) * mag;
        }
        dspin->setValue(std::clamp(v, row.lo, row.hi));
    }
    m_syncing = false;
    Q_EMIT valuesChanged();
}

void ParameterPanel::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::LanguageChange) retranslate();
    QWidget::changeEvent(event);
}

} // namespace lockstep::ui
