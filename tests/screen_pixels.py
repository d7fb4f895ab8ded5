"""A widget's pixels as the screen shows them, and as a fresh paint: equal when partial repaints are right."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget


def on_screen(widget: QWidget) -> QImage:
    """The widget's pixels as the window shows them (its backing store), not painted afresh."""
    window = widget.window()
    corner = widget.mapTo(window, QPoint(0, 0))
    shot = window.screen().grabWindow(window.winId()).toImage()
    ratio = shot.devicePixelRatio()
    area = QRect(corner * ratio, widget.size() * ratio)
    return shot.copy(area).convertToFormat(QImage.Format.Format_RGB32)


def painted_afresh(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
