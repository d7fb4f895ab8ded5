"""CPU % and memory of each instance as lines, one chart each, sharing the timeline's time axis."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from desktop.history.series import COARSE_SAMPLES, FINE_SAMPLES, ResourceSeries
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
        self._drawn: dict[str, np.ndarray] = {}

    def show_arrays(
        self, arrays: Mapping[str, np.ndarray], order: list[str], names: Mapping[str, str]
    ) -> None:
        """Draws one line per container from its (time, cpu %, memory) rows; colours follow ``order``."""
        for container in [c for c in self.lines if c not in arrays]:
            self.removeItem(self.lines.pop(container))
            self._drawn.pop(container, None)
        for container, data in arrays.items():
            if self._drawn.get(container) is data:
                continue  # unchanged since the last redraw (a stopped instance): no new geometry
            self._drawn[container] = data
            values = data[:, self._column] / (MIB if self._column == 2 else 1)
            line = self.lines.get(container)
            if line is None:
                index = order.index(container) if container in order else len(self.lines)
                line = self.plot(
                    pen=pg.mkPen(line_colour(index), width=1), name=names.get(container, container)
                )
                line.setClipToView(True)  # only the samples in view are drawn when zoomed in
                line.setDownsampling(auto=True, method="peak")
                line.setSkipFiniteCheck(True)  # samples are always finite numbers
                self.lines[container] = line
            line.setData(data[:, 0], values)


class SeriesArrays:
    """The rows the resource charts draw, as numpy arrays kept up to date by appending the new samples.

    Reading every ring again each second costs 100 x 600 Python tuples; appending the few new rows does not.

    Attributes:
        arrays: (time, cpu %, memory) rows by container, oldest first.
    """

    def __init__(self, limit: int = FINE_SAMPLES + COARSE_SAMPLES) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self._limit = limit  # never more than the series themselves hold

    def update(
        self, series: Mapping[str, ResourceSeries], new_rows: Mapping[str, list[tuple[float, float, float]]]
    ) -> dict[str, np.ndarray]:
        """Brings the arrays to ``series``: whole for a container seen the first time, else its new rows."""
        for container in [c for c in self.arrays if c not in series]:
            del self.arrays[container]
        for container, one in series.items():
            data = self.arrays.get(container)
            if data is None:
                self.arrays[container] = np.asarray(one.rows(), dtype=float).reshape(-1, 3)
                continue
            rows = [row for row in new_rows.get(container, ()) if not len(data) or row[0] > data[-1, 0]]
            if rows:
                data = np.concatenate([data, np.asarray(rows, dtype=float)])
                self.arrays[container] = data[-self._limit :]
        return self.arrays
