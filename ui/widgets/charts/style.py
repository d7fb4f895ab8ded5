"""What the charts share: colours from the system palette one left-axis width, cached axes."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF, QPalette
from PySide6.QtWidgets import QGraphicsItem, QWidget

LEFT_AXIS_WIDTH = 110  # the same for every chart, so their time axes line up to the pixel
LABEL_ROOM = 1.25  # lines of text from one value label to the next: a quarter line of air between them


class ValueAxis(pg.AxisItem):  # type: ignore[misc]
    """A value axis that gives each label room: on a short chart fewer, rounder steps (0, 40, 80 rather than
    0, 20, 40, 60, 80 in 50 pixels). pyqtgraph always labels at least three steps, however short the axis,
    and draws the labels over each other where they do not fit."""

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        levels: list[tuple[float, float]] = super().tickSpacing(minVal, maxVal, size)
        if not levels or levels[0][0] <= 0:
            return levels
        room = size / (QFontMetricsF(self.font()).height() * LABEL_ROOM)  # labels that fit the axis
        span, major = abs(maxVal - minVal), levels[0][0]
        while span / major > room:
            major = rounder_step(major)
        return [(major, 0.0), *[(step, offset) for step, offset in levels[1:] if step < major]]


def rounder_step(step: float) -> float:
    """The next round step above ``step``: 1, 2 and 5 times a power of ten (0.2 → 0.5 → 1 → 2)."""
    return round_up(step * 1.001)


def round_up(value: float) -> float:
    """The smallest of 1, 2 or 5 x 10^n at or above ``value`` (1 for nothing above zero)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 5.0, 10.0):
        if value <= step * power * (1 + 1e-9):
            return float(step * power)
    return float(10 * power)


def apply_palette(chart: pg.PlotWidget, widget: QWidget) -> None:
    """Gives ``chart`` the palette's base background and text colour, and the shared left-axis width."""
    palette = widget.palette()
    chart.setBackground(palette.color(QPalette.ColorRole.Base))
    text = palette.color(QPalette.ColorRole.Text)
    plot = chart.getPlotItem()
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
    plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
    plot.titleLabel.setAttr("color", text.name())
    plot.setTitle(plot.titleLabel.text)


def cache_axes(chart: pg.PlotWidget) -> None:
    """Keeps each axis (its labels and the grid lines it draws across the chart) as a picture in pixels.

    A live tick paints again only the strip of the chart that grew; without the cache every axis crossing that
    strip replays all its text and grid lines each time. The picture is made again when the axis changes
    (the view moved, the chart was resized)."""
    for name in ("left", "bottom", "right", "top"):
        chart.getPlotItem().getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
