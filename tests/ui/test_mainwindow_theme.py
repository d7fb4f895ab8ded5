"""The window's look: light and dark palettes, block colours that stay readable, tinted SVG icons that are
sharp at any screen scale and follow a light/dark switch, and the zoom of the whole window."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from desktop.blocks.catalog import catalog_entry, palette_groups
from desktop.blocks.kinds import Kind
from desktop.paths import resource_path
from ui import icons
from ui.theme import (
    SCALE_KEY,
    SCHEME_KEY,
    SEEN_KEY,
    Theme,
    contrast_ratio,
    current_theme,
    make_palette,
    readable_on,
)
from ui.widgets.block_paint import group_colour, hovered_colour, on_colour

ICON_DIR = resource_path("icons")


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[Theme]:
    made = current_theme()
    yield made
    made.set_scheme(Qt.ColorScheme.Light)
    made.set_scheme(Qt.ColorScheme.Unknown)


def _strongest_pixel(image: QImage) -> QColor:
    """The colour of the most opaque pixel (the middle of a line of the drawing)."""
    best = QColor(0, 0, 0, 0)
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() > best.alpha():
                best = colour
    return best


def _icon_colour(icon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> QColor:
    return _strongest_pixel(icon.pixmap(QSize(24, 24), 1.0, mode).toImage())


def test_every_kind_and_group_has_an_icon_file() -> None:
    for kind in Kind:
        assert (ICON_DIR / catalog_entry(kind).icon).is_file(), kind
    for group in palette_groups():
        assert (ICON_DIR / f"group-{group.id}.svg").is_file(), group.id
    assert (ICON_DIR / icons.APP_ICON).is_file()


@pytest.mark.parametrize("path", sorted(ICON_DIR.glob("*.svg")), ids=lambda p: p.name)
def test_icons_are_valid_single_colour_drawings(qapp: QApplication, path: Path) -> None:
    assert QSvgRenderer(str(path)).isValid()
    text = path.read_text(encoding="utf-8")
    assert "<script" not in text and "xlink:href" not in text and "<image" not in text
    if path.name != icons.APP_ICON:  # the application icon keeps its own colours
        colours = set(re.findall(r'(?:fill|stroke)="([^"]+)"', text))
        assert colours <= {"none", "#000000"}, f"{path.name} uses {colours}: tinting needs one colour"


@pytest.mark.parametrize("ratio", [1.0, 1.5, 2.0, 3.0])
def test_tinted_pixmaps_are_drawn_at_the_screen_resolution(qapp: QApplication, ratio: float) -> None:
    pixmap = icons.tinted_pixmap("run.svg", QSize(16, 16), QColor("#d9480f"), ratio)
    assert pixmap.devicePixelRatio() == ratio
    assert pixmap.width() == round(16 * ratio) and pixmap.height() == round(16 * ratio)
    colour = _strongest_pixel(pixmap.toImage())
    assert colour.alpha() == 255 and colour.name() == "#d9480f"
    again = icons.tinted_pixmap("run", QSize(16, 16), QColor("#d9480f"), ratio)
    assert again.cacheKey() == pixmap.cacheKey(), "asking twice costs nothing"


def test_icons_follow_the_light_and_dark_palette(theme: Theme) -> None:
    plain = icons.icon("action-save.svg")
    kind = icons.kind_icon(Kind.RUN)
    theme.set_scheme(Qt.ColorScheme.Light)
    light_plain, light_kind = _icon_colour(plain), _icon_colour(kind)
    assert light_plain.lightnessF() < 0.3, "dark lines on a light window"
    theme.set_scheme(Qt.ColorScheme.Dark)
    assert theme.is_dark
    dark_plain, dark_kind = _icon_colour(plain), _icon_colour(kind)
    assert dark_plain.lightnessF() > 0.7, "light lines on a dark window"
    assert dark_kind != light_kind and dark_kind.lightnessF() > light_kind.lightnessF()
    assert _icon_colour(plain, QIcon.Mode.Disabled) == QApplication.palette().color(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText
    )


def test_the_theme_follows_the_system_switching_to_dark(
    theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme.set_scheme(Qt.ColorScheme.Unknown)
    assert not theme.is_dark
    changes: list[bool] = []
    theme.changed.connect(lambda: changes.append(theme.is_dark))
    # The desktop switches to dark (the offscreen test platform cannot, so its answer is stood in for).
    monkeypatch.setattr(Theme, "system_scheme", lambda self: Qt.ColorScheme.Dark)
    QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.is_dark and changes == [True]
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.3
    monkeypatch.setattr(Theme, "system_scheme", lambda self: Qt.ColorScheme.Light)
    QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not theme.is_dark and changes == [True, False]


def test_a_missing_icon_file_shows_the_unknown_icon(qapp: QApplication) -> None:
    missing = icons.tinted_pixmap("no-such-icon.svg", QSize(24, 24), QColor("black"))
    unknown = icons.tinted_pixmap("unknown.svg", QSize(24, 24), QColor("black"))
    assert missing.toImage() == unknown.toImage()


def test_app_icon_is_in_colour(qapp: QApplication) -> None:
    image = icons.app_icon().pixmap(64).toImage()
    colours = {_strongest_pixel(image.copy(0, y, 64, 8)).name() for y in (8, 26, 44)}
    assert len(colours) == 3


@pytest.mark.parametrize("dark", [False, True])
def test_block_colours_stay_readable(theme: Theme, dark: bool) -> None:
    theme.set_scheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    for group in palette_groups():
        accent = theme.accent(group.id)
        assert contrast_ratio(accent, window) >= 3.0, group.id
        fill = theme.fill(group.id)
        assert contrast_ratio(theme.text_on(fill), fill) >= 4.5, f"text on a {group.id} block"
        # A block's face in the palette and on the canvas: its words read at 4.5:1 (they are not large
        # text), under the pointer too, and all faces of a theme share one ink.
        face = group_colour(group.id, group.colour)
        ink = on_colour(face)
        assert ink.name() == ("#111111" if dark else "#ffffff"), group.id
        assert contrast_ratio(ink, face) >= 4.5 and contrast_ratio(ink, hovered_colour(face)) >= 4.5, group.id
        assert contrast_ratio(face, QApplication.palette().color(QPalette.ColorRole.Base)) >= 3.0, group.id
    assert theme.kind_accent(Kind.COPY) == theme.accent("files")


@pytest.mark.parametrize("dark", [False, True])
def test_palettes_have_readable_text(dark: bool) -> None:
    palette = make_palette(dark)
    role = QPalette.ColorRole
    for text, background in (
        (role.WindowText, role.Window),
        (role.Text, role.Base),
        (role.HighlightedText, role.Highlight),
    ):
        assert contrast_ratio(palette.color(text), palette.color(background)) >= 4.5


def test_contrast_helpers() -> None:
    assert contrast_ratio(QColor("white"), QColor("black")) == pytest.approx(21.0)
    lifted = readable_on(QColor("#1c7ed6"), QColor("#17191d"), 6.0)
    assert contrast_ratio(lifted, QColor("#17191d")) >= 6.0


def test_zoom_steps_are_remembered(qapp: QApplication, tmp_path: Path) -> None:
    before = QApplication.font().pointSizeF()
    gap = current_theme().spacing(2)
    settings = QSettings(str(tmp_path / "zoom.ini"), QSettings.Format.IniFormat)
    settings.setValue(SCALE_KEY, 1.5)
    zoomed = Theme(qapp, settings)
    try:
        assert zoomed.scale == 1.5
        assert QApplication.font().pointSizeF() == pytest.approx(before * 1.5)
        zoomed.zoom_in()
        assert float(settings.value(SCALE_KEY)) == 1.75
        for _ in range(20):
            zoomed.zoom_in()
        assert not zoomed.can_zoom(+1) and zoomed.can_zoom(-1)
        assert zoomed.spacing(2) > gap, "spacing grows with the text"
    finally:
        zoomed.reset_zoom()
        zoomed.setParent(None)
        zoomed.deleteLater()
    assert QApplication.font().pointSizeF() == pytest.approx(before)
    assert float(settings.value(SCALE_KEY)) == 1.0


def test_a_broken_zoom_setting_is_ignored(qapp: QApplication, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "zoom.ini"), QSettings.Format.IniFormat)
    settings.setValue(SCALE_KEY, "large")
    broken = Theme(qapp, settings)
    try:
        assert broken.scale == 1.0
    finally:
        broken.setParent(None)
        broken.deleteLater()


def test_a_chosen_scheme_is_kept_for_the_next_start_and_a_broken_one_ignored(
    qapp: QApplication, tmp_path: Path
) -> None:
    # A projector often washes a dark window out: View > Appearance lets a teacher pick light for good.
    settings = QSettings(str(tmp_path / "look.ini"), QSettings.Format.IniFormat)
    first = Theme(qapp, settings)
    try:
        assert first.scheme_name() == "system"
        first.choose_scheme("dark")
        assert first.is_dark and settings.value(SCHEME_KEY) == "dark"
        again = Theme(qapp, settings)  # the next start
        assert again.is_dark and again.scheme_name() == "dark"
        again.choose_scheme("light")
        assert not again.is_dark and settings.value(SCHEME_KEY) == "light"
        settings.setValue(SCHEME_KEY, "purple")
        assert Theme(qapp, settings).scheme_name() == "system"
    finally:
        for made in [t for t in qapp.findChildren(Theme) if t is not current_theme()]:
            made.setParent(None)
            made.deleteLater()
        current_theme().set_scheme(Qt.ColorScheme.Unknown)


def test_monospace_font_matches_the_text_size(theme: Theme) -> None:
    font = theme.monospace_font()
    assert font.pointSizeF() == QApplication.font().pointSizeF()


def test_a_start_opens_in_the_last_scheme_seen_and_follows_the_desktop_once_asked(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start decides light or dark from the desktop's answer at the last start (asking the desktop
    builds all of Qt's enums, which the first picture does without), then asks and turns if it switched."""
    settings = QSettings(str(tmp_path / "look.ini"), QSettings.Format.IniFormat)
    settings.setValue(SEEN_KEY, "dark")
    asked: list[bool] = []

    def desktop_says_light(self: Theme) -> Qt.ColorScheme:
        asked.append(True)
        return Qt.ColorScheme.Light

    monkeypatch.setattr(Theme, "system_scheme", desktop_says_light)
    started = Theme(qapp, settings, remembered_scheme=True)
    try:
        assert started.is_dark and asked == [], "dark, as the desktop was at the last start; not asked yet"
        changes: list[bool] = []
        started.changed.connect(lambda: changes.append(started.is_dark))
        started.follow_system()
        assert asked and not started.is_dark and changes == [False]
        assert settings.value(SEEN_KEY) == "light", "kept for the next start"
        # A first start knows no answer: it asks at once, and keeps it.
        settings.remove(SEEN_KEY)
        asked.clear()
        first = Theme(qapp, settings, remembered_scheme=True)
        assert asked and not first.is_dark and settings.value(SEEN_KEY) == "light"
        # A chosen scheme needs no answer from the desktop before the first picture.
        settings.setValue(SCHEME_KEY, "dark")
        asked.clear()
        assert Theme(qapp, settings, remembered_scheme=True).is_dark and asked == []
    finally:
        for made in [t for t in qapp.findChildren(Theme) if t is not current_theme()]:
            made.setParent(None)
            made.deleteLater()
        current_theme().set_scheme(Qt.ColorScheme.Unknown)
