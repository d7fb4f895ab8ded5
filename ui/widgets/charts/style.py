"""What the charts share: colours from the system palette one left-axis width, cached axes."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QGraphicsItem, QWidget

LEFT_AXIS_WIDTH = 110  # the same for every chart, so their time axes line up to the pixel


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
