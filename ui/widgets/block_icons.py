"""Block icons: the catalog's SVG line icons tinted to any colour, or a drawn stand-in when one is missing.

The SVGs in ``resources/icons/`` are black line drawings; painted white on a coloured block face (or in
the group colour elsewhere) they stay crisp at any screen scale, because they are drawn at the size asked.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from desktop.paths import resource_path


@functools.cache
def _icon_file(icon_name: str) -> Path | None:
    name = icon_name if icon_name.endswith(".svg") else f"{icon_name}.svg"
    try:
        return resource_path("icons", name)
    except (FileNotFoundError, ValueError):
        return None


@functools.cache
def _renderer(path: Path) -> QSvgRenderer | None:
    renderer = QSvgRenderer(str(path))
    return renderer if renderer.isValid() else None


def paint_icon(painter: QPainter, rect: QRectF, icon_name: str, colour: QColor, fallback_text: str) -> None:
    """Paint a block icon into ``rect`` in ``colour``.

    Args:
        painter: an active painter.
        rect: where the icon goes; it is drawn square, centred.
        icon_name: the catalog's icon file name ("run.svg").
        colour: the colour of the lines.
        fallback_text: a word to write in a rounded square when the icon file is missing or unreadable.
    """
    side = min(rect.width(), rect.height())
    square = QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)
    path = _icon_file(icon_name)
    renderer = _renderer(path) if path is not None else None
    if renderer is None:
        _paint_stand_in(painter, square, colour, fallback_text)
        return
    # Draw at device resolution into an image, recolour it, then place it: sharp on high-DPI screens.
    ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
    pixels = max(1, round(side * ratio))
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    image_painter = QPainter(image)
    renderer.render(image_painter, QRectF(0, 0, pixels, pixels))
    image_painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    image_painter.fillRect(image.rect(), colour)
    image_painter.end()
    image.setDevicePixelRatio(ratio)
    painter.drawImage(square.topLeft(), image)


def _paint_stand_in(painter: QPainter, square: QRectF, colour: QColor, text: str) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(square, square.width() * 0.22, square.width() * 0.22)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(max(6, round(square.height() * (0.5 if len(text) <= 2 else 0.34))))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff") if colour.lightnessF() < 0.6 else QColor("#000000"))
    painter.drawText(square, Qt.AlignmentFlag.AlignCenter, text[:3])
    painter.restore()
