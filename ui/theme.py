"""How the window looks: the system's light or dark scheme, block colours that read well on it, a font size
that reads well on a projector, and spacing that grows with the font.

One :class:`Theme` per application (:func:`current_theme`). It uses the Fusion style with a palette of its
own for the light and the dark scheme (the same look on every desktop), follows the system when it switches
between light and dark, and keeps a zoom factor (Ctrl+= / Ctrl+-) in the settings.

Custom-painted widgets (the canvas, the preview) ask the theme for colours when they paint and repaint on
:attr:`Theme.changed`; icons from :mod:`ui.icons` re-tint by themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    from desktop.blocks.kinds import Kind

SCALE_KEY = "ui/scale"
SCHEME_KEY = "ui/scheme"
SCHEMES = ("system", "light", "dark")
"""View > Appearance: the names kept in the settings (``system`` follows the desktop)."""
SEEN_KEY = "ui/system_scheme_seen"
"""What the desktop last said: "dark", or "light" (also where it says nothing). The start opens in it."""
SCALE_STEPS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5)
MIN_POINT_SIZE = 10.0
"""Below this the text is hard to read from the back of a classroom; a smaller system font is raised."""

# WCAG asks 3:1 for graphics; on dark backgrounds saturated colours look dim at 3:1, so ask more there.
_ACCENT_CONTRAST = {False: 3.0, True: 4.5}
_FILL_SHARE = {False: 0.14, True: 0.30}  # how much of the block colour tints a block's face (light, dark)
_DEFAULT_GROUP_COLOUR = "#6b7280"
FIELD_CLASSES = ("QLineEdit", "QAbstractSpinBox", "QComboBox", "QTextEdit", "QRadioButton", "QCheckBox")
"""The inputs whose outline Fusion draws from the window colour: in the dark scheme, :func:`field_palette`."""
_DARK_FIELD_EDGE = "#b4bcc8"  # darkened by Fusion (x1.4 to x1.5) into outlines of 3.7:1 to 5:1 on the window
_first: Theme | None = None  # the first theme made: found without asking Qt for the application's children
STYLE_ARGUMENTS = ("-style", "Fusion")
"""Command-line arguments that start a new QApplication in the Fusion style (see :class:`Theme`)."""


class Theme(QObject):
    """Palette, block colours, fonts and spacing of one application.

    Signals:
        changed(): the light/dark scheme (and so every colour) changed; repaint custom-drawn things.
        scaleChanged(float): the zoom factor changed (the application font is already updated).
    """

    changed = Signal()
    scaleChanged = Signal(float)

    def __init__(
        self,
        app: QApplication,
        settings: QSettings | None = None,
        style_given: bool = False,
        remembered_scheme: bool = False,
    ) -> None:
        """
        Args:
            app: the application.
            settings: where the zoom is kept (None: not kept).
            style_given: the application was made with :data:`STYLE_ARGUMENTS`, so it is in the Fusion
                style already. ``setStyle`` hands back the style object, and wrapping it makes PySide
                build QStyle's many enums (~15 ms of start-up the first picture does not need).
            remembered_scheme: open in the desktop's light or dark as it was at the last start, and ask
                the desktop only when :meth:`follow_system` is called (the start does so just after its
                first picture). Its answer is a ``Qt.ColorScheme``, and the first of those PySide makes
                builds all ~95 enums of the ``Qt`` namespace (~35 ms), which the first picture can do
                without. A first start has no answer kept and asks at once.
        """
        super().__init__(app)
        global _first
        if _first is None or not shiboken6.isValid(_first):
            _first = self
        self._app = app
        self._settings = settings
        self._forced = _read_scheme(settings)
        self._dark = False
        self._following = False  # asking the desktop, and told when it switches (follow_system)
        self._seen = _read_seen(settings)  # the desktop's last answer: dark (True), light (False), None
        self._system_font = QFont(QGuiApplication.font())
        self._scale = _nearest_step(_read_scale(settings))
        if not style_given:
            app.setStyle("Fusion")  # the one style that draws our palette the same everywhere
        if not remembered_scheme or (self._forced == "system" and self._seen is None):
            self.follow_system()  # asks now (a first start has no answer kept)
        else:
            self._apply_palette(force_signal=False)
        self._apply_font()

    # --- light and dark ---------------------------------------------------------------------------

    @property
    def is_dark(self) -> bool:
        """True while the dark palette is in use."""
        return self._dark

    def set_scheme(self, scheme: Qt.ColorScheme) -> None:
        """Use the light or dark scheme whatever the system says; ``Unknown`` follows the system again."""
        from PySide6.QtCore import Qt  # here: the start decides light or dark without Qt's enums

        named = {Qt.ColorScheme.Light: "light", Qt.ColorScheme.Dark: "dark"}
        self._forced = named.get(scheme, "system")
        self._apply_palette()

    def choose_scheme(self, name: str) -> None:
        """Light, dark or the system's (a name of :data:`SCHEMES`), kept for the next start.

        A projector often washes a dark window out; a teacher picks light whatever the laptop says.
        """
        self._forced = name if name in SCHEMES else "system"
        self._apply_palette()
        if self._settings is not None:
            self._settings.setValue(SCHEME_KEY, self._forced)

    def scheme_name(self) -> str:
        """The name of the chosen scheme: "system" unless light or dark was chosen."""
        return self._forced

    def system_scheme(self) -> Qt.ColorScheme:
        """What the desktop asks for (``Unknown`` where it does not say; then the light palette is used)."""
        return self._app.styleHints().colorScheme()

    def follow_system(self) -> None:
        """Ask the desktop for light or dark now, and follow it when it switches (from now on).

        A window opened in the scheme of the last start turns light or dark here if the desktop has
        switched since; the answer is kept for the next start.
        """
        if not self._following:
            self._following = True
            self._app.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self._apply_palette(force_signal=False)

    def _system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        self._apply_palette()

    def _system_is_dark(self) -> bool:
        if not self._following:
            return bool(self._seen)  # the last start's answer, until follow_system asks
        from PySide6.QtCore import Qt

        dark = self.system_scheme() == Qt.ColorScheme.Dark
        if dark != self._seen and self._settings is not None:
            self._settings.setValue(SEEN_KEY, "dark" if dark else "light")
            self._settings.sync()  # the next start reads it, whichever way this one ends
        self._seen = dark
        return dark

    def _apply_palette(self, force_signal: bool = True) -> None:
        dark = self._forced == "dark" or (self._forced == "system" and self._system_is_dark())
        changed = dark != self._dark
        self._dark = dark
        palette = make_palette(dark)
        self._app.setPalette(palette)
        if dark:  # the application's palette, just set, has replaced those of the classes
            fields = field_palette(palette)
            for class_name in FIELD_CLASSES:
                # The stub says bytes; the binding takes str (and refuses bytes).
                self._app.setPalette(fields, class_name)  # type: ignore[arg-type]
        if changed or force_signal:
            self.changed.emit()

    # --- block colours ----------------------------------------------------------------------------

    def accent(self, group: str) -> QColor:
        """The strong colour of a palette group (icons, the stripe of a block), readable on this scheme."""
        # The catalog is imported here, not at the top: the start page (the first picture) shows no block.
        from desktop.blocks.catalog import palette_groups

        try:
            base = QColor(next(g.colour for g in palette_groups() if g.id == group))
        except StopIteration:
            base = QColor(_DEFAULT_GROUP_COLOUR)
        background = self._app.palette().color(QPalette.ColorRole.Window)
        return readable_on(base, background, _ACCENT_CONTRAST[self._dark])

    def kind_accent(self, kind: Kind) -> QColor:
        """The strong colour of a block kind (its group's)."""
        from desktop.blocks.catalog import catalog_entry

        return self.accent(catalog_entry(kind).group)

    def fill(self, group: str) -> QColor:
        """The soft colour of a block's face: the group colour blended into the base colour."""
        return blend(
            self._app.palette().color(QPalette.ColorRole.Base), self.accent(group), _FILL_SHARE[self._dark]
        )

    def text_on(self, background: QColor) -> QColor:
        """Black or white, whichever reads better on ``background``."""
        black, white = QColor("#111111"), QColor("#ffffff")
        return black if contrast_ratio(black, background) >= contrast_ratio(white, background) else white

    # --- fonts, zoom and spacing ------------------------------------------------------------------

    @property
    def scale(self) -> float:
        """The zoom factor of the whole window (1.0 = the system font, raised to a readable minimum)."""
        return self._scale

    def set_scale(self, scale: float) -> None:
        """Zoom the whole window to the nearest allowed step and remember it."""
        step = _nearest_step(scale)
        if step == self._scale:
            return
        self._scale = step
        if self._settings is not None:
            self._settings.setValue(SCALE_KEY, step)
        self._apply_font()
        self.scaleChanged.emit(step)

    def zoom_in(self) -> None:
        """One step bigger (up to the largest step)."""
        self.set_scale(_step_after(self._scale, +1))

    def zoom_out(self) -> None:
        """One step smaller (down to the smallest step)."""
        self.set_scale(_step_after(self._scale, -1))

    def reset_zoom(self) -> None:
        """Back to the normal size."""
        self.set_scale(1.0)

    def can_zoom(self, direction: int) -> bool:
        """Whether there is a step left in that direction (+1 bigger, -1 smaller)."""
        return _step_after(self._scale, direction) != self._scale

    def monospace_font(self) -> QFont:
        """The system's fixed-width font at the window's text size (for Dockerfile text)."""
        from PySide6.QtGui import QFontDatabase  # here: the start page shows no Dockerfile text

        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(self._app.font().pointSizeF())
        return font

    def spacing(self, steps: float = 1.0) -> int:
        """A gap that grows with the text: one step is a third of a line (8 px for a 24 px line)."""
        unit = max(4, round(QFontMetrics(self._app.font()).height() / 3))
        return round(unit * steps)

    def _apply_font(self) -> None:
        font = QFont(self._system_font)
        size = self._system_font.pointSizeF()
        if size > 0:
            font.setPointSizeF(max(size, MIN_POINT_SIZE) * self._scale)
        else:  # a system font given in pixels
            font.setPixelSize(max(1, round(self._system_font.pixelSize() * self._scale)))
        self._app.setFont(font)


def current_theme() -> Theme:
    """The running application's theme, made (with the default settings) on first use."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("the theme needs a QApplication")
    theme = find_theme(app)
    return theme if theme is not None else Theme(app, QSettings())


def find_theme(app: QObject) -> Theme | None:
    """The theme of ``app`` (its first), or None when it has none; never makes one."""
    if _first is None:
        return None  # no theme was ever made in this process
    if shiboken6.isValid(_first) and _first.parent() is app:
        return _first
    # The first one is gone (or belongs to another application): ask Qt. The first findChild of a run
    # costs ~15 ms (PySide wraps the application's own children), so the start never comes here.
    theme = app.findChild(Theme)
    return theme if isinstance(theme, Theme) else None


def make_palette(dark: bool) -> QPalette:
    """The window palette for the light or the dark scheme (calm greys, blue selection)."""
    if dark:
        window, base, alt, text, button = "#202328", "#17191d", "#24282e", "#e8eaed", "#2c3038"
        highlight, highlighted_text, link, mid = "#2f6db5", "#ffffff", "#74b4ff", "#3a3f47"
        disabled_text, placeholder, tip = "#7d838c", "#8a919b", "#2c3038"
    else:
        window, base, alt, text, button = "#f3f4f6", "#ffffff", "#f7f8fa", "#1f2328", "#e9ebef"
        highlight, highlighted_text, link, mid = "#1c6fc4", "#ffffff", "#1864ab", "#c3c8d0"
        disabled_text, placeholder, tip = "#8c939d", "#6b7280", "#ffffff"
    role = QPalette.ColorRole
    palette = QPalette()
    for r, colour in (
        (role.Window, window),
        (role.WindowText, text),
        (role.Base, base),
        (role.AlternateBase, alt),
        (role.Text, text),
        (role.Button, button),
        (role.ButtonText, text),
        (role.BrightText, "#ff6b6b" if dark else "#c92a2a"),
        (role.Highlight, highlight),
        (role.HighlightedText, highlighted_text),
        (role.Link, link),
        (role.LinkVisited, link),
        (role.ToolTipBase, tip),
        (role.ToolTipText, text),
        (role.PlaceholderText, placeholder),
        (role.Accent, highlight),
        (role.Light, QColor(button).lighter(130).name()),
        (role.Midlight, QColor(button).lighter(115).name()),
        (role.Mid, mid),
        (role.Dark, QColor(mid).darker(130).name()),
        (role.Shadow, "#000000"),
    ):
        palette.setColor(r, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, r, QColor(disabled_text))
    palette.setColor(disabled, role.Highlight, QColor(mid))
    return palette


def field_palette(palette: QPalette) -> QPalette:
    """The dark scheme's palette of text fields, spin and combo boxes, radio buttons and check boxes.

    Fusion draws their outline in the window colour made darker. On the light palette that is a grey line
    that shows; on the dark one it is black on near-black (about 1.1:1, where WCAG asks 3:1 for the edge of
    a control), so a beginner sees a label and some text but not that it is a box to type in, nor a round
    button to pick. These inputs paint nothing else in the window colour (they are see-through around their
    box; only a text box's scroll bar takes the same edge), so for them it is a light grey whose darkened
    shade reads as an outline. The light scheme keeps Fusion's own outlines.
    """
    fields = QPalette(palette)
    fields.setColor(QPalette.ColorRole.Window, QColor(_DARK_FIELD_EDGE))
    return fields


def relative_luminance(colour: QColor) -> float:
    """WCAG relative luminance of a colour (0 black .. 1 white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours (1 .. 21)."""
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_on(colour: QColor, background: QColor, minimum: float) -> QColor:
    """``colour`` lightened (on a dark background) or darkened (on a light one) to reach the contrast."""
    # A copy by toRgb, not QColor(colour): PySide weighs the constructor taking a Qt.GlobalColor first, and
    # the first Qt enum it makes builds all ~95 of them (~35 ms before the first picture).
    result = colour.toRgb()
    lighten = relative_luminance(background) < 0.5
    for _ in range(20):
        if contrast_ratio(result, background) >= minimum:
            break
        lightness = result.lightnessF()
        lightness = min(1.0, lightness + 0.04) if lighten else max(0.0, lightness - 0.04)
        # hslHueF() is -1 for greys; fromHslF wants 0..1.
        result = QColor.fromHslF(
            max(result.hslHueF(), 0.0), result.hslSaturationF(), lightness, result.alphaF()
        )
    return result


def blend(background: QColor, colour: QColor, share: float) -> QColor:
    """``share`` of ``colour`` laid over ``background``."""

    def mix(back: float, front: float) -> float:
        return back + (front - back) * share

    return QColor.fromRgbF(
        mix(background.redF(), colour.redF()),
        mix(background.greenF(), colour.greenF()),
        mix(background.blueF(), colour.blueF()),
    )


def _read_scheme(settings: QSettings | None) -> str:
    value = settings.value(SCHEME_KEY, "system") if settings is not None else "system"
    return value if isinstance(value, str) and value in SCHEMES else "system"  # a hand-edited file


def _read_seen(settings: QSettings | None) -> bool | None:
    value = settings.value(SEEN_KEY) if settings is not None else None
    return {"dark": True, "light": False}.get(value) if isinstance(value, str) else None


def _read_scale(settings: QSettings | None) -> float:
    if settings is None:
        return 1.0
    try:
        return float(settings.value(SCALE_KEY, 1.0))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0  # a hand-edited settings file must not stop the window from opening


def _nearest_step(scale: float) -> float:
    return min(SCALE_STEPS, key=lambda step: abs(step - scale))


def _step_after(scale: float, direction: int) -> float:
    index = SCALE_STEPS.index(_nearest_step(scale)) + direction
    return SCALE_STEPS[max(0, min(len(SCALE_STEPS) - 1, index))]
