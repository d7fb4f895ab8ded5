"""A scroll bar that keeps a picture of itself, and shows it again while it would be drawn the same.

Qt repaints both scroll bars of a scroll area whenever the range of either changes: the area lays out its
children again and raises the bars' containers one after the other, and a raised widget is painted
again. In the preview every edit that adds or removes a line changes the vertical range (a widest line
that grows or shrinks, the horizontal one), and the Fusion style takes ~0.7 ms to draw each bar, though
the handle mostly stays on the same pixels. Here a bar that the mouse is not over or pressing is drawn
once into a pixmap, and as long as what the style draws (where the handle and the other parts are, the
state and the palette) stays the same, a repaint copies that pixmap.

Under the mouse, or pressed, the bar is drawn by ``QScrollBar`` itself: it alone knows which part is
hovered or held.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QScrollBar, QStyle, QStyleOptionSlider, QWidget

_PARTS = (
    QStyle.SubControl.SC_ScrollBarSlider,
    QStyle.SubControl.SC_ScrollBarAddPage,
    QStyle.SubControl.SC_ScrollBarSubPage,
    QStyle.SubControl.SC_ScrollBarAddLine,
    QStyle.SubControl.SC_ScrollBarSubLine,
)


class QuietScrollBar(QScrollBar):
    """A ``QScrollBar`` whose repaints copy a picture of it while nothing it shows has changed."""

    def __init__(self, orientation: Qt.Orientation, parent: QWidget | None = None) -> None:
        super().__init__(orientation, parent)
        self._picture: QPixmap | None = None
        self._picture_key: tuple[object, ...] = ()

    def _option(self) -> tuple[QStyleOptionSlider, tuple[object, ...]]:
        """The style option of a bar at rest, and everything the drawing depends on: where each part of the
        bar is (not the range and value themselves: a range one line longer mostly leaves the handle on the
        same pixels), whether the handle rests at either end, the state and the palette."""
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        option.subControls = QStyle.SubControl.SC_All
        option.activeSubControls = QStyle.SubControl.SC_None  # what QScrollBar draws with no hover or press
        style = self.style()
        parts = [
            style.subControlRect(QStyle.ComplexControl.CC_ScrollBar, option, part, self).getRect()
            for part in _PARTS
        ]
        key = (
            option.rect.getRect(),
            *parts,
            option.sliderValue == option.minimum,
            option.sliderValue == option.maximum,
            option.minimum == option.maximum,
            option.state.value,
            option.direction,
            option.palette.cacheKey(),
            self.devicePixelRatioF(),
            id(style),
        )
        return option, key

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.underMouse() or self.isSliderDown():
            self._picture = None  # hovered or held: the drawing differs from the picture at rest
            super().paintEvent(event)
            return
        option, key = self._option()
        if self._picture is None or key != self._picture_key:
            ratio = self.devicePixelRatioF()
            picture = QPixmap(round(self.width() * ratio), round(self.height() * ratio))
            picture.setDevicePixelRatio(ratio)
            picture.fill(option.palette.window().color())  # opaque, as the screen: same blending, same pixels
            painter = QPainter(picture)
            self.style().drawComplexControl(QStyle.ComplexControl.CC_ScrollBar, option, painter, self)
            painter.end()
            self._picture, self._picture_key = picture, key
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._picture)
        painter.end()
