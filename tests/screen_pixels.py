"""A widget's pixels as the screen shows them, and as a fresh paint: equal when partial repaints are right;
and the areas a widget was asked to paint."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect
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


class PaintedAreas(QObject):
    """Collects the areas of the Paint events a widget gets (from now until it is removed as a filter)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.areas: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.areas.append(event.region().boundingRect())  # type: ignore[attr-defined]
        return False
