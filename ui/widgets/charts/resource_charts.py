"""CPU % and memory of each instance as lines, one chart each, sharing the timeline's time axis."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from desktop.history.series import ResourceSeries
from ui.widgets.charts.style import apply_palette

MIB = 1024 * 1024


def line_colour(index: int) -> str:
    """A distinct, stable hue for the ``index``-th instance (golden-angle steps around the colour wheel)."""
    return pg.intColor(index, hues=12, values=2, minValue=160).name()


class ResourceChart(pg.PlotWidget):  # type: ignore[misc]
    """One line per instance of one measure (column 1 = CPU %, 2 = memory in MiB) over time.

    Attributes:
        lines: the drawn line of each container.
    """

    def __init__(self, title: str, column: int, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.setObjectName(object_name)
        self.setAccessibleName(title)
        self.setTitle(title)
        self.setMouseEnabled(x=True, y=False)
        self.getPlotItem().hideButtons()
        self.showGrid(x=True, y=True, alpha=0.2)
        apply_palette(self, self)
        self.enableAutoRange(axis="y")
        self.setAutoVisible(y=True)  # the y range fits what is in view of the zoomed time span
        self.lines: dict[str, pg.PlotDataItem] = {}
        self._column = column

    def show_series(
        self, series: Mapping[str, ResourceSeries], order: list[str], names: Mapping[str, str]
    ) -> None:
        """Draws every container of ``series``; colours follow ``order`` (the timeline's rows)."""
        for container in [c for c in self.lines if c not in series]:
            self.removeItem(self.lines.pop(container))
        for container, one in series.items():
            rows = one.rows()
            data = np.asarray(rows, dtype=float).reshape(-1, 3)
            values = data[:, self._column] / (MIB if self._column == 2 else 1)
            line = self.lines.get(container)
            if line is None:
                index = order.index(container) if container in order else len(self.lines)
                line = self.plot(
                    pen=pg.mkPen(line_colour(index), width=1.5), name=names.get(container, container)
                )
                line.setClipToView(True)  # only the samples in view are drawn when zoomed in
                line.setDownsampling(auto=True, method="peak")
                self.lines[container] = line
            line.setData(data[:, 0], values)
