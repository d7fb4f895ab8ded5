"""SVG icons from ``resources/icons/``, tinted at paint time and sharp at any screen scale.

The icon files are drawn in one colour (black on transparent). An icon made here keeps no pixels: each time
Qt asks for a pixmap, the SVG is rendered at the exact device-pixel size (size x devicePixelRatio), filled
with the colour wanted *now* and cached in :class:`QPixmapCache`. So a light/dark switch re-tints every
icon on the next repaint, and a window moved to a 2x screen gets crisp icons without reloading anything.

Typical use::

    button.setIcon(icons.icon("run.svg"))            # follows the palette's text colour
    item.setIcon(icons.kind_icon(Kind.RUN))          # the block's colour, adjusted for light/dark
    icons.icon("copy.svg", "#2b8a3e")                # a fixed colour
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
    QPixmapCache,
)
from PySide6.QtSvg import QSvgRenderer

from desktop.paths import resource_path
from ui.theme import current_theme

if TYPE_CHECKING:
    from desktop.blocks.kinds import Kind

APP_ICON = "dockblocks.svg"
ColourSource = Callable[[], QColor]
"""A colour looked up when the icon is painted, so it can follow the theme."""

_FALLBACK = "unknown.svg"


def icon(name: str, colour: QColor | str | ColourSource | None = None) -> QIcon:
    """A tinted icon from ``resources/icons/``.

    Args:
        name: the file name, with or without ``.svg`` (e.g. ``"run.svg"`` or ``"group-start"``).
        colour: a fixed colour, a function giving the colour at paint time, or None to follow the
            application palette's text colour (and its disabled/selected colours).

    Returns:
        The icon. A missing file gives the "unknown" icon rather than failing: a packaging slip must not
        stop the window from opening.
    """
    return QIcon(TintedSvgEngine(_file_name(name), colour))


def kind_icon(kind: Kind) -> QIcon:
    """The icon of a block kind, in its palette group's colour for the current light/dark scheme."""
    # Here, not at the top: the start page (the first picture) shows no block, so it needs no catalog.
    from desktop.blocks.catalog import catalog_entry

    info = catalog_entry(kind)
    return icon(info.icon, functools.partial(_group_colour, info.group))


def group_icon(group: str) -> QIcon:
    """The icon of a palette group (``resources/icons/group-<id>.svg``) in the group's colour."""
    return icon(f"group-{group}.svg", functools.partial(_group_colour, group))


def app_icon() -> QIcon:
    """The application icon, in its own colours (never tinted), drawn at each size when first asked for."""
    return QIcon(_PlainSvgEngine(APP_ICON, None))


def tinted_pixmap(name: str, size: QSize, colour: QColor, device_pixel_ratio: float = 1.0) -> QPixmap:
    """One icon drawn at ``size`` logical pixels for a screen of the given scale, filled with ``colour``.

    Results are cached (QPixmapCache), so asking again for the same look costs a hash lookup.
    """
    name = _file_name(name)
    tint = colour.name(QColor.NameFormat.HexArgb)
    key = f"dockblocks-icon:{name}:{size.width()}x{size.height()}@{device_pixel_ratio:g}:{tint}"
    cached = QPixmap()
    if QPixmapCache.find(key, cached) and not cached.isNull():
        return cached
    pixmap = _render(_renderer(name), size, device_pixel_ratio, colour)
    QPixmapCache.insert(key, pixmap)
    return pixmap


class TintedSvgEngine(QIconEngine):
    """Paints one SVG file in one colour, resolved when painted (see the module docstring)."""

    def __init__(self, name: str, colour: QColor | str | ColourSource | None) -> None:
        super().__init__()
        self._name = name
        self._colour = colour

    def colour_for(self, mode: QIcon.Mode) -> QColor:
        """The colour this icon is painted with in a mode (normal, disabled, selected, active)."""
        palette = QGuiApplication.palette()
        if mode == QIcon.Mode.Disabled:
            return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        if self._colour is None:
            role = (
                QPalette.ColorRole.HighlightedText
                if mode == QIcon.Mode.Selected
                else QPalette.ColorRole.WindowText
            )
            return palette.color(role)
        if callable(self._colour):
            return QColor(self._colour())
        return QColor(self._colour)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        return tinted_pixmap(self._name, size, self.colour_for(mode), scale)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        device = painter.device()
        scale = device.devicePixelRatioF() if device is not None else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, scale))

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        return size  # vector art fills any square it is given

    def clone(self) -> QIconEngine:
        return TintedSvgEngine(self._name, self._colour)

    def key(self) -> str:
        return "dockblocks-tinted-svg"


class _PlainSvgEngine(TintedSvgEngine):
    """Paints one SVG file in its own colours (the application icon), at the sizes asked for only."""

    SIZES = (16, 24, 32, 48, 64, 128, 256)  # what window systems pick from for taskbars and title bars

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        key = f"dockblocks-plain-icon:{self._name}:{size.width()}x{size.height()}@{scale:g}"
        cached = QPixmap()
        if QPixmapCache.find(key, cached) and not cached.isNull():
            return cached
        pixmap = _render(_renderer(self._name), size, scale, None)
        QPixmapCache.insert(key, pixmap)
        return pixmap

    def availableSizes(
        self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off
    ) -> list[QSize]:
        return [QSize(side, side) for side in self.SIZES]

    def clone(self) -> QIconEngine:
        return _PlainSvgEngine(self._name, None)

    def key(self) -> str:
        return "dockblocks-plain-svg"


def _group_colour(group: str) -> QColor:
    return current_theme().accent(group)


def _file_name(name: str) -> str:
    return name if name.endswith(".svg") else f"{name}.svg"


@functools.cache
def _svg_bytes(name: str) -> bytes:
    try:
        return resource_path("icons", name).read_bytes()
    except (FileNotFoundError, ValueError):
        if name == _FALLBACK:
            raise
        return _svg_bytes(_FALLBACK)


def recolour(painter: QPainter, area: QRect, colour: QColor) -> None:
    """Give what ``painter`` has drawn in ``area`` one colour, keeping its shape (its alpha).

    A pixmap of the colour laid over it, rather than a filled shape: PySide6 weighs a brush's overloads
    taking a ``Qt`` enum, and the first ``Qt`` enum it makes builds all ~95 of them (~35 ms), and
    ``QPainter.fillRect`` weighs a gradient preset's 169 names (~2 ms). The start page's icons are drawn
    before the first picture (bench/ui_cold_start.py).
    """
    solid = device_pixmap(area.width(), area.height(), painter.device().devicePixelRatio(), colour)
    painter.save()
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.drawPixmap(area.topLeft(), solid)
    painter.restore()


def transparent() -> QColor:
    """Fully transparent black, what ``Qt.GlobalColor.transparent`` stands for.

    The start page's icons are drawn before the first picture, and the first ``Qt`` enum PySide6 makes
    builds all of them (~95 enums, ~35 ms; bench/ui_cold_start.py).
    """
    return QColor(0, 0, 0, 0)


def solid_brush(colour: QColor) -> QBrush:
    """A brush of one colour, made without ``Qt`` enums (``QBrush(colour)`` weighs its overloads taking
    them, and the first one PySide6 makes builds all of them): for what is painted before the first
    picture (bench/ui_cold_start.py)."""
    holder = QPalette()
    holder.setColor(QPalette.ColorRole.Base, colour)
    return holder.brush(QPalette.ColorRole.Base)


def device_pixmap(width: float, height: float, ratio: float, fill: QColor | None = None) -> QPixmap:
    """A pixmap of ``width`` by ``height`` logical pixels, sharp on a screen of pixel ratio ``ratio``, filled
    with ``fill`` (transparent when None). Draw on it in logical pixels; it is at least one pixel square."""
    pixmap = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(transparent() if fill is None else fill)
    return pixmap


def _renderer(name: str) -> QSvgRenderer:
    # A renderer is cheap to make, and keeping none avoids QObjects that outlive the application.
    return QSvgRenderer(QByteArray(_svg_bytes(name)))


def _render(renderer: QSvgRenderer, size: QSize, scale: float, colour: QColor | None) -> QPixmap:
    device = QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))
    pixmap = QPixmap(device)
    pixmap.fill(transparent())
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    # Keep the drawing square and centred when asked for a wider or taller box.
    side = min(device.width(), device.height())
    target = QRectF((device.width() - side) / 2, (device.height() - side) / 2, side, side)
    renderer.render(painter, target)
    if colour is not None:
        recolour(painter, pixmap.rect(), colour)
    painter.end()
    pixmap.setDevicePixelRatio(scale)
    return pixmap
