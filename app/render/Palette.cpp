#include "render/Palette.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <iterator>
#include <cmath>
#include <atomic>
#include <mutex>

namespace lockstep::ui {

namespace {

// Okabe & Ito (2008), "Color Universal Design". Chosen per category so that the pairs a student
// must tell apart (running vs ready, blocked vs waiting) differ in lightness as well as hue.
constexpr QRgb kOkabeGreen = 0x009E73; // bluish green
constexpr QRgb kOkabeYellow = 0xF0E442;
constexpr QRgb kOkabeVermillion = 0xD55E00;
constexpr QRgb kOkabeOrange = 0xE69F00;
constexpr QRgb kOkabeSky = 0x56B4E9;
constexpr QRgb kOkabePurple = 0xCC79A7; // reddish purple
constexpr QRgb kOkabeBlue = 0x0072B2;

struct CategorySpec {
    QRgb fill;
    const char* label; // translated in context "Palette"
    const char* glyph; // UTF-8
};

// Glyphs are all in fonts installed on Debian (DejaVu Sans / Noto Sans CJK), so they render
// headless too. Order matches StateCategory.
constexpr CategorySpec kCategories[] = {
    {kOkabeGreen, QT_TRANSLATE_NOOP("Palette", "running"), "\u25B6"},      // ▶
    {kOkabeYellow, QT_TRANSLATE_NOOP("Palette", "ready"), "\u25B7"},       // ▷ could run, not running
    {kOkabeVermillion, QT_TRANSLATE_NOOP("Palette", "blocked"), "\u25A0"}, // ■ stopped at a lock
    {kOkabeOrange, QT_TRANSLATE_NOOP("Palette", "waiting"), "\u2016"},     // ‖ paused until notified
    {kOkabeSky, QT_TRANSLATE_NOOP("Palette", "sleeping"), "\u263E"},       // ☾
    {kOkabePurple, QT_TRANSLATE_NOOP("Palette", "zombie"), "\u2620"},      // ☠
    {0x8C8C8C, QT_TRANSLATE_NOOP("Palette", "done"), "\u2713"},            // ✓
    {0xDCDCDC, QT_TRANSLATE_NOOP("Palette", "idle"), "\u25CB"},            // ○
};
// Idle is "nothing going on": a pale grey on a light page, a dim one on a dark page.
constexpr QRgb kIdleOnDark = 0x4A525C;
constexpr std::size_t kIdleIndex = std::size(kCategories) - 1;

std::atomic<bool> g_dark{false};
static_assert(std::size(kCategories) == kAllStateCategories.size());

struct Styles {
    std::array<StateStyle, kAllStateCategories.size()> byCategory; // light
    std::array<StateStyle, kAllStateCategories.size()> onDark;
    bool translated = false;
};

std::mutex& stylesMutex()
{
    static std::mutex m;
    return m;
}

Styles& styles()
{
    static Styles s = [] {
        Styles init;
        for (std::size_t i = 0; i < init.byCategory.size(); ++i) {
            StateStyle& st = init.byCategory[i];
            st.fill = QColor::fromRgb(kCategories[i].fill);
            st.ink = Palette::inkOn(st.fill);
            st.glyph = QString::fromUtf8(kCategories[i].glyph);
            st.label = QString::fromLatin1(kCategories[i].label);
        }
        init.onDark = init.byCategory;
        StateStyle& idle = init.onDark[kIdleIndex];
        idle.fill = QColor::fromRgb(kIdleOnDark);
        idle.ink = Palette::inkOn(idle.fill);
        return init;
    }();
    return s;
}

void fillLabels(Styles& s)
{
    for (std::size_t i = 0; i < s.byCategory.size(); ++i) {
        s.byCategory[i].label = QCoreApplication::translate("Palette", kCategories[i].label);
        s.onDark[i].label = s.byCategory[i].label;
    }
    s.translated = true;
}

double linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }

double luminance(const QColor& c)
{
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
}

QFont makeFont(const QStringList& families, double pixels, int weight = QFont::Normal)
{
    QFont f;
    f.setFamilies(families);
    f.setPixelSize(std::max(1, static_cast<int>(std::lround(pixels))));
    f.setWeight(static_cast<QFont::Weight>(weight));
    f.setStyleHint(QFont::SansSerif);
    // Hinting off: exports at 2x/4x then look like the 1x output scaled, not re-fitted.
    f.setHintingPreference(QFont::PreferNoHinting);
    return f;
}

const QStringList& sansFamilies()
{
    static const QStringList f = {QStringLiteral("Noto Sans"), QStringLiteral("Noto Sans CJK SC"),
                                  QStringLiteral("DejaVu Sans")};
    return f;
}

const QStringList& monoFamilies()
{
    static const QStringList f = {QStringLiteral("Noto Sans Mono"), QStringLiteral("Noto Sans Mono CJK SC"),
                                  QStringLiteral("DejaVu Sans Mono")};
    return f;
}

} // namespace

const StateStyle& Palette::style(StateCategory category)
{
    Styles& s = styles();
    if (!s.translated && QCoreApplication::instance()) {
        std::lock_guard lock(stylesMutex());
        if (!s.translated) fillLabels(s);
    }
    const auto i = std::min(static_cast<std::size_t>(category), s.byCategory.size() - 1);
    return dark() ? s.onDark[i] : s.byCategory[i];
}

void Palette::setDark(bool dark) { g_dark.store(dark, std::memory_order_relaxed); }
bool Palette::dark() { return g_dark.load(std::memory_order_relaxed); }

void Palette::retranslate()
{
    std::lock_guard lock(stylesMutex());
    fillLabels(styles());
}

QString Palette::stateLabel(State state)
{
    switch (state) {
    case State::New: return QCoreApplication::translate("Palette", "new");
    case State::Ready: return QCoreApplication::translate("Palette", "ready");
    case State::Running: return QCoreApplication::translate("Palette", "running");
    case State::Blocked: return QCoreApplication::translate("Palette", "blocked");
    case State::Waiting: return QCoreApplication::translate("Palette", "waiting");
    case State::Sleeping: return QCoreApplication::translate("Palette", "sleeping");
    case State::BlockedIo: return QCoreApplication::translate("Palette", "blocked on I/O");
    case State::Zombie: return QCoreApplication::translate("Palette", "zombie");
    case State::Terminated: return QCoreApplication::translate("Palette", "terminated");
    case State::GenCreated: return QCoreApplication::translate("Palette", "created");
    case State::GenRunning: return QCoreApplication::translate("Palette", "running");
    case State::GenSuspended: return QCoreApplication::translate("Palette", "suspended");
    case State::GenClosed: return QCoreApplication::translate("Palette", "closed");
    case State::Free: return QCoreApplication::translate("Palette", "free");
    case State::Held: return QCoreApplication::translate("Palette", "held");
    case State::FdIdle: return QCoreApplication::translate("Palette", "idle");
    case State::FdReadable: return QCoreApplication::translate("Palette", "readable");
    case State::FdWritable: return QCoreApplication::translate("Palette", "writable");
    case State::FdHangup: return QCoreApplication::translate("Palette", "hung up");
    }
    return QString::fromLatin1(stateName(state).data(), static_cast<qsizetype>(stateName(state).size()));
}

// Dark values: contrast of text on background as on the light page (foreground >= 12:1, muted
// >= 4.5:1, checked by the tests), lines just visible, accent and alarm lifted to read on dark.
QColor Palette::background() { return dark() ? QColor(0x1B, 0x1F, 0x24) : QColor(0xFF, 0xFF, 0xFF); }
QColor Palette::panel() { return dark() ? QColor(0x24, 0x29, 0x30) : QColor(0xF4, 0xF5, 0xF7); }
QColor Palette::foreground() { return dark() ? QColor(0xE8, 0xEC, 0xF0) : QColor(0x1B, 0x1F, 0x24); }
// Light: 7:1 on white, still legible dimmed.
QColor Palette::mutedText() { return dark() ? QColor(0xA7, 0xB0, 0xBA) : QColor(0x55, 0x5B, 0x63); }
QColor Palette::grid() { return dark() ? QColor(0x32, 0x39, 0x41) : QColor(0xE3, 0xE6, 0xEA); }
QColor Palette::border() { return dark() ? QColor(0x44, 0x4C, 0x56) : QColor(0xC9, 0xCE, 0xD4); }
QColor Palette::accent() { return dark() ? QColor(0x4F, 0xA8, 0xE8) : QColor::fromRgb(kOkabeBlue); }
QColor Palette::selection()
{
    QColor c = accent();
    c.setAlpha(dark() ? 60 : 40);
    return c;
}
// A dark crimson: distinct in lightness from the vermillion of "blocked" so that a deadlock marker
// does not disappear into a blocked span, even in greyscale. On dark, a light rose for the same reason.
QColor Palette::alarm() { return dark() ? QColor(0xFF, 0x7A, 0x93) : QColor(0xA5, 0x00, 0x26); }
QColor Palette::gilColor() { return accent(); }
QColor Palette::fdReadable() { return QColor::fromRgb(kOkabeGreen); }
QColor Palette::fdWritable() { return QColor::fromRgb(kOkabeSky); }
QColor Palette::fdHangup() { return QColor::fromRgb(kOkabeVermillion); }

QColor Palette::seriesColor(int index)
{
    // Paul Tol's qualitative schemes, ordered so that the first holders get the colours least like
    // any state colour (dark indigo, wine, olive, ...): a GIL lane must not look like a state lane.
    static constexpr QRgb kMuted[] = {0x332288, 0x882255, 0x999933, 0x6699CC, 0xAA4499,
                                      0x117733, 0xCC6677, 0x44AA99, 0x88CCEE, 0xDDCC77};
    constexpr int n = static_cast<int>(std::size(kMuted));
    const int i = ((index % n) + n) % n;
    const QColor c = QColor::fromRgb(kMuted[i]);
    // The darkest ones would sink into a dark page: lifted there, same hue.
    return dark() && luminance(c) < 0.12 ? c.lighter(145) : c;
}

double Palette::contrastRatio(const QColor& a, const QColor& b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor Palette::inkOn(const QColor& fill)
{
    const QColor dark(0x11, 0x11, 0x11);
    const QColor light(0xFF, 0xFF, 0xFF);
    return contrastRatio(fill, dark) >= contrastRatio(fill, light) ? dark : light;
}

QFont Palette::uiFont(double scale) { return makeFont(sansFamilies(), kUiPixelSize * scale); }
QFont Palette::monoFont(double scale) { return makeFont(monoFamilies(), kUiPixelSize * scale); }
QFont Palette::titleFont(double scale) { return makeFont(sansFamilies(), 24 * scale, QFont::DemiBold); }
QFont Palette::smallFont(double scale) { return makeFont(sansFamilies(), 13 * scale); }

} // namespace lockstep::ui
