"""What the charts share: colours from the system palette (light or dark) and one left-axis width."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

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
