"""Block icons on block faces: the catalog's SVG line icons tinted to the face's ink colour.

The drawing itself (rendered at device resolution, recoloured, cached) is :func:`ui.icons.tinted_pixmap`'s.
A kind whose icon file is missing still gets a recognisable mark: a rounded square with its keyword.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter

from desktop.paths import resource_path
from ui.icons import tinted_pixmap


@functools.cache
def icon_exists(icon_name: str) -> bool:
    """Whether ``resources/icons/`` has the icon (names with or without ``.svg``)."""
    name = icon_name if icon_name.endswith(".svg") else f"{icon_name}.svg"
    try:
        resource_path("icons", name)
    except (FileNotFoundError, ValueError):
        return False
    return True


def paint_icon(painter: QPainter, rect: QRectF, icon_name: str, colour: QColor, fallback_text: str) -> None:
    """Paint a block icon, square and centred in ``rect``, in ``colour``.

    Args:
        painter: an active painter.
        rect: where the icon goes.
        icon_name: the catalog's icon file name ("run.svg").
        colour: the colour of the lines.
        fallback_text: a word to write in a rounded square when the icon file is missing.
    """
    side = min(rect.width(), rect.height())
    square = QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side)
    if not icon_name or not icon_exists(icon_name):
        _paint_stand_in(painter, square, colour, fallback_text)
        return
    device = painter.device()
    ratio = device.devicePixelRatioF() if device is not None else 1.0
    pixels = max(1, round(side))
    painter.drawPixmap(square.topLeft(), tinted_pixmap(icon_name, QSize(pixels, pixels), colour, ratio))


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
