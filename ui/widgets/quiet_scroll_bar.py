"""Scroll bars that are not drawn again when nothing they show has changed.

Qt repaints both scroll bars of a scroll area whenever the range of either changes: the area lays out its
children again (to show or hide a bar) and raises the bars' containers one after the other, and a raised
widget is painted again. In the preview every edit that adds or removes a line changes the vertical range
(a widest line that grows or shrinks, the horizontal one), though the handle mostly stays on the same
pixels; the Fusion style takes ~1.1 ms to draw a bar, and on X11 each repainted bar is one more area
sent to the server (~0.5 ms more on Xvfb).

:func:`lay_out_only_to_show_or_hide` lets the area lay out its bars again only when a range change shows
or hides one. A bar whose handle moves repaints itself, as every ``QAbstractSlider`` does.
:class:`QuietScrollBar` keeps a picture of itself for the repaints that remain (a scroll of the other
bar, the window's own repaints): a bar that the mouse is not over or pressing is drawn once into a
pixmap, and as long as what the style draws (where the handle and the other parts are, the state and the
palette) stays the same, a repaint copies that pixmap.

Under the mouse, or pressed, the bar is drawn by ``QScrollBar`` itself: it alone knows which part is
hovered or held.
"""

from __future__ import annotations

from PySide6.QtCore import SIGNAL, SLOT, QMetaObject, QObject, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QScrollBar,
    QStyle,
    QStyleOptionSlider,
    QWidget,
)

from ui.icons import device_pixmap

_ALL_BUT_GROOVE = (
    QStyle.SubControl.SC_ScrollBarAddLine
    | QStyle.SubControl.SC_ScrollBarSubLine
    | QStyle.SubControl.SC_ScrollBarAddPage
    | QStyle.SubControl.SC_ScrollBarSubPage
    | QStyle.SubControl.SC_ScrollBarFirst
    | QStyle.SubControl.SC_ScrollBarLast
    | QStyle.SubControl.SC_ScrollBarSlider
)
"""Drawn over the kept groove: everything else of a bar, in the style's own order."""
_LOOKS_CHANGES = (
    QAbstractSlider.SliderChange.SliderRangeChange,
    QAbstractSlider.SliderChange.SliderValueChange,
    QAbstractSlider.SliderChange.SliderStepsChange,
)
_QT_SLOT = "_q_showOrHideScrollBars"  # QAbstractScrollArea's own (private) slot, known to its meta-object


class QuietScrollBar(QScrollBar):
    """A ``QScrollBar`` whose repaints copy a picture of it while nothing it shows has changed."""

    def __init__(self, orientation: Qt.Orientation, parent: QWidget | None = None) -> None:
        super().__init__(orientation, parent)
        self._picture: QPixmap | None = None
        self._picture_key: tuple[object, ...] = ()
        self._groove_picture: QPixmap | None = None
        self._groove_setting: tuple[object, ...] = ()

    def _option(self) -> tuple[QStyleOptionSlider, tuple[object, ...]]:
        """The style option of a bar at rest, and everything the drawing depends on: where the handle is
        (not the range and value themselves: a range one line longer mostly leaves the handle on the same
        pixels), whether it rests at either end, the bar's size, state and palette."""
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        option.subControls = QStyle.SubControl.SC_All
        option.activeSubControls = QStyle.SubControl.SC_None  # what QScrollBar draws with no hover or press
        style = self.style()
        # The handle's place is the one part that moves: the arrows and the groove depend on the bar's size
        # alone, and the pages on either side of the handle are what the handle leaves of the groove.
        handle = style.subControlRect(
            QStyle.ComplexControl.CC_ScrollBar, option, QStyle.SubControl.SC_ScrollBarSlider, self
        ).getRect()
        setting = (  # what the groove alone depends on
            option.rect.getRect(),
            option.state.value,
            option.direction,
            option.palette.cacheKey(),
            self.devicePixelRatioF(),
            id(style),
        )
        at_ends = (option.sliderValue == option.minimum, option.sliderValue == option.maximum)
        return option, (setting, handle, *at_ends, option.minimum == option.maximum)

    def _groove(self, option: QStyleOptionSlider, setting: tuple[object, ...]) -> QPixmap:
        """The bar's groove alone, kept for its size, state and palette: Fusion fills it with a gradient,
        ~1 ms of the ~1.1 ms the whole bar takes, and it does not change when the handle moves."""
        if self._groove_picture is None or setting != self._groove_setting:
            ratio = self.devicePixelRatioF()
            # Opaque, as the screen: the same blending, the same pixels.
            picture = device_pixmap(self.width(), self.height(), ratio, option.palette.window().color())
            painter = QPainter(picture)
            groove = QStyleOptionSlider(option)
            groove.subControls = QStyle.SubControl.SC_ScrollBarGroove
            self.style().drawComplexControl(QStyle.ComplexControl.CC_ScrollBar, groove, painter, self)
            painter.end()
            self._groove_picture, self._groove_setting = picture, setting
        return self._groove_picture

    def sliderChange(self, change: QAbstractSlider.SliderChange) -> None:
        # QAbstractSlider repaints the bar on every change of range or value; not when it would look the same.
        if change in _LOOKS_CHANGES and self._picture is not None and self._option()[1] == self._picture_key:
            return
        super().sliderChange(change)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.underMouse() or self.isSliderDown():
            self._picture = None  # hovered or held: the drawing differs from the picture at rest
            super().paintEvent(event)
            return
        option, key = self._option()
        if self._picture is None or key != self._picture_key:
            picture = QPixmap(self._groove(option, key[0]))  # a copy, drawn on below
            painter = QPainter(picture)
            option.subControls = _ALL_BUT_GROOVE
            self.style().drawComplexControl(QStyle.ComplexControl.CC_ScrollBar, option, painter, self)
            painter.end()
            self._picture, self._picture_key = picture, key
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._picture)
        painter.end()


def lay_out_only_to_show_or_hide(area: QAbstractScrollArea) -> None:
    """Let ``area`` lay out its scroll bars after a range change only when that shows or hides one.

    Qt connects each bar's ``rangeChanged`` to the area's private slot that lays the bars out again (and
    repaints both). That connection is replaced by one that calls the same slot only when a bar is to come
    or go. Where the slot is not found (another Qt), Qt's connection stays as it is.
    """
    if area.metaObject().indexOfSlot(f"{_QT_SLOT}()") < 0:
        return
    for bar in (area.verticalScrollBar(), area.horizontalScrollBar()):
        if QObject.disconnect(bar, SIGNAL("rangeChanged(int,int)"), area, SLOT(f"{_QT_SLOT}()")):
            bar.rangeChanged.connect(lambda _low, _high, bar=bar: _show_or_hide(area, bar))


def _show_or_hide(area: QAbstractScrollArea, bar: QScrollBar) -> None:
    """Ask the area to lay its bars out when ``bar``'s new range shows or hides it (by the bar's policy)."""
    vertical = bar.orientation() == Qt.Orientation.Vertical
    policy = area.verticalScrollBarPolicy() if vertical else area.horizontalScrollBarPolicy()
    wanted = policy == Qt.ScrollBarPolicy.ScrollBarAlwaysOn or (
        policy == Qt.ScrollBarPolicy.ScrollBarAsNeeded and bar.minimum() < bar.maximum()
    )
    # The area shows and hides the bar's container (a private class: asking the bar for its parent makes
    # PySide look its type up, ~0.1 ms); the bar is visible to the area exactly when that container is shown.
    shown = bar.isVisibleTo(area)
    if wanted != shown:
        # Queued, as Qt's own connection was: the other bar's range may change in the same edit.
        QMetaObject.invokeMethod(area, _QT_SLOT, Qt.ConnectionType.QueuedConnection)
