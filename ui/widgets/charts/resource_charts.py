"""CPU % and memory of each instance as lines, one chart each, sharing the timeline's time axis.

A hundred instances sampled once a second must cost little per second, so:

- samples live in numpy ring buffers (:class:`SeriesArrays`): a tick appends the new rows, and a line is
  handed a view of its buffer, never a copy made by a Python loop;
- all lines of a chart are one graphics item (:class:`LinesItem`), not a hundred: each line keeps a path
  made from the part of its samples in view (clipped with a binary search, thinned to about one point per
  pixel with min/max pairs when zoomed out), made again only when the view changed; a new sample is one
  ``lineTo`` appended to it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from desktop.history.series import COARSE_SAMPLES, FINE_SAMPLES, ResourceSeries
from ui.widgets.charts.style import ValueAxis, apply_palette, cache_axes, round_up

MIB = 1024 * 1024
BOUNDS_STEP = 600.0  # seconds: how far ahead of the newest sample the painted bounds reach, at most


def line_colour(index: int) -> str:
    """A distinct, stable hue for the ``index``-th instance (golden-angle steps around the colour wheel)."""
    return pg.intColor(index, hues=12, values=2, minValue=160).name()


# The lowest top of the value axis: 1 % of a processor, 1 MiB. An idle instance's 0.0001 % would otherwise
# fill the chart, its axis labelled "1e-09".
LEAST_TOP = 1.0


def thin(x: np.ndarray, y: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """At most ``2 * buckets`` points keeping each bucket's lowest and highest value (peaks stay visible)."""
    if buckets <= 0 or len(x) <= 2 * buckets:
        return x, y
    size = len(x) // buckets
    whole = size * buckets
    shaped = y[:whole].reshape(buckets, size)
    xs = x[:whole:size]
    thinned_x = np.repeat(xs, 2)
    thinned_y = np.column_stack([shaped.min(axis=1), shaped.max(axis=1)]).ravel()
    return thinned_x, thinned_y


class Line:
    """One instance's line: its samples (views of the ring buffer) and the path last made from them."""

    def __init__(self, pen: QPen) -> None:
        self.pen = pen
        self.x = np.empty(0)
        self.y = np.empty(0)
        self.path = QPainterPath()
        self.made_for: tuple[float, float, int] | None = None  # the view the path was made for
        self.thinned = False  # the path holds fewer points than the samples (zoomed out)
        self.last_time = float("-inf")  # the newest sample in the path

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        """The samples drawn: times and values."""
        return self.x, self.y


class LinesItem(pg.GraphicsObject):  # type: ignore[misc]
    """Every line of one chart in one item: paths made for the view, drawn in one paint."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption)  # paint() is told what is exposed
        self.lines: dict[str, Line] = {}
        self._bounds = QRectF()
        self._data: tuple[float, float] | None = None  # the first and last sample's times

    def changed(self, appended_after: float | None = None) -> None:
        """The lines' data changed: new bounds, a repaint. ``appended_after``: only samples after that time
        are new (a live tick), so only the strip from there to the newest sample is painted again."""
        lefts = [line.x[0] for line in self.lines.values() if len(line.x)]
        rights = [line.x[-1] for line in self.lines.values() if len(line.x)]
        tops = [float(line.y.max()) for line in self.lines.values() if len(line.y)]
        self._data = (min(lefts), max(rights)) if lefts else None
        if lefts:
            # The painted bounds reach the next whole step of time and a round top: they change (and the
            # whole chart is painted again) once every few minutes, not with every new sample.
            right = (max(rights) // BOUNDS_STEP + 1) * BOUNDS_STEP
            top = round_up(max(max(tops), 1e-9))
            bounds = QRectF(min(lefts), 0.0, right - min(lefts), top)
        else:
            bounds = QRectF()
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
            self.informViewBoundsChanged()
            self.update()
        elif appended_after is not None and self._data is not None:
            margin = 3 * (self.pixelWidth() or 0.0)  # a line's pen reaches a pixel or two either side
            self.update(
                QRectF(
                    appended_after - margin,
                    0.0,
                    self._data[1] - appended_after + 2 * margin,
                    self._bounds.height(),
                )
            )
        else:
            self.update()

    def dataBounds(
        self, axis: int, frac: float = 1.0, orthoRange: tuple[float, float] | None = None
    ) -> tuple[float, float] | tuple[None, None]:
        """The range of times (axis 0) or of values (axis 1, within ``orthoRange`` of times if given)."""
        if not self.lines or self._data is None:
            return None, None
        if axis == 0:
            return self._data if self._data is not None else (None, None)
        top = 0.0
        for line in self.lines.values():
            if not len(line.x):
                continue
            if orthoRange is not None:
                first, last = line.x.searchsorted(orthoRange, side="left")
                values = line.y[max(first - 1, 0) : last + 1]
            else:
                values = line.y
            if len(values):
                top = max(top, float(values.max()))
        return 0.0, max(top, 1e-9)

    def boundingRect(self) -> QRectF:
        """Where the lines are, in data coordinates."""
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """Draws each line's path, made again only for lines whose data or view changed; when only a strip
        of the view is painted (a live tick), only the samples in that strip."""
        view = self.viewRect()
        if view is None:
            return
        left, right = view.left(), view.right()
        exposed = option.exposedRect
        # Stroking a whole path costs its every point even where it is clipped away: a strip draws its own.
        strip = (exposed.left(), exposed.right()) if exposed.width() < view.width() / 4 else None
        pixels = max(int(self.getViewBox().width()) if self.getViewBox() is not None else 1000, 1)
        for line in self.lines.values():
            if not len(line.x):
                continue
            view_key = (left, right, pixels)
            if line.made_for != view_key or line.thinned or not line.path.elementCount():
                _make_path(line, left, right, pixels)
                line.made_for = view_key
            elif line.x[-1] > line.last_time:  # the same view, new samples: they are appended to the path
                newer = int(line.x.searchsorted(line.last_time, side="right"))
                for time, value in zip(line.x[newer:].tolist(), line.y[newer:].tolist(), strict=True):
                    line.path.lineTo(time, value)
                line.last_time = float(line.x[-1])
            painter.setPen(line.pen)
            if strip is not None and not line.thinned:
                painter.drawPolyline(_polyline(line, strip))
            else:
                painter.drawPath(line.path)


def _polyline(line: Line, strip: tuple[float, float]) -> QPolygonF:
    """The samples of ``line`` within ``strip`` (and one either side), as a polyline filled from numpy."""
    first, last = line.x.searchsorted(strip)
    first, last = max(int(first) - 1, 0), min(int(last) + 1, len(line.x))
    polyline = pg.functions.create_qpolygonf(last - first)
    points = pg.functions.ndarray_from_qpolygonf(polyline)
    points[:, 0] = line.x[first:last]
    points[:, 1] = line.y[first:last]
    return polyline


def _make_path(line: Line, left: float, right: float, pixels: int) -> None:
    """The path of the samples in view (and one either side), thinned to the pixels when zoomed out."""
    first, last = line.x.searchsorted((left, right))
    first, last = max(int(first) - 1, 0), min(int(last) + 1, len(line.x))
    x, y = thin(line.x[first:last], line.y[first:last], pixels)
    line.path = pg.arrayToQPath(x, y, connect="all", finiteCheck=False) if len(x) else QPainterPath()
    line.thinned = len(x) < last - first
    line.last_time = float(line.x[last - 1]) if last > first else float("-inf")


class ResourceChart(pg.PlotWidget):  # type: ignore[misc]
    """One line per instance of one measure (column 1 = CPU %, 2 = memory in MiB) over time.

    Attributes:
        lines: the drawn line of each container.
    """

    def __init__(self, title: str, column: int, object_name: str, parent: QWidget | None = None) -> None:
        axes = {"bottom": pg.DateAxisItem(orientation="bottom"), "left": ValueAxis(orientation="left")}
        super().__init__(parent, axisItems=axes)
        self.setObjectName(object_name)
        self.setAccessibleName(title)
        self.setTitle(title)
        self.setMouseEnabled(x=True, y=False)
        self.getPlotItem().hideButtons()
        # No right-click menu: pyqtgraph's own (View All, Mouse Mode, an FFT transform, its exporters) is
        # for engineers, the panel's PNG and CSV buttons export; nor the scene's Export... in any item's menu.
        self.getPlotItem().setMenuEnabled(False)
        self.scene().contextMenu = []
        self.showGrid(x=True, y=True, alpha=0.2)
        apply_palette(self, self)
        cache_axes(self)
        # The y range fits what is in view of the time span, rounded up to a round number (1, 2 or 5 x 10^n):
        # while the top stays the same, the axis keeps its labels instead of being laid out every second.
        self.disableAutoRange(axis="y")
        self._top = 0.0
        self._item = LinesItem()
        self.addItem(self._item)
        self.getViewBox().sigXRangeChanged.connect(lambda *_: self.fit_y())
        self.lines: dict[str, Line] = self._item.lines
        self._column = column
        self._drawn: dict[str, np.ndarray] = {}

    def show_arrays(
        self, arrays: Mapping[str, np.ndarray], order: list[str], names: Mapping[str, str]
    ) -> None:
        """Draws one line per container from its (time, cpu %, memory) rows; colours follow ``order``."""
        changed = False
        appended_after: float | None = float("inf")  # None: more than new samples at the right changed
        for container in [c for c in self.lines if c not in arrays]:
            del self.lines[container]
            self._drawn.pop(container, None)
            appended_after = None
        for container, data in arrays.items():
            if self._drawn.get(container) is data:
                continue  # unchanged since the last redraw (a stopped instance): no new geometry
            self._drawn[container] = data
            line = self.lines.get(container)
            if line is None:
                index = order.index(container) if container in order else len(self.lines)
                line = self.lines[container] = Line(pg.mkPen(line_colour(index), width=1))
                appended_after = None
            elif appended_after is not None and len(line.x) and len(data) and data[-1, 0] >= line.x[-1]:
                appended_after = min(appended_after, float(line.x[-1]))  # the rest was painted already
            else:
                appended_after = None
            line.x = data[:, 0]
            line.y = data[:, self._column] / MIB if self._column == 2 else data[:, self._column]
            changed = True
        if changed:
            self._item.changed(appended_after if appended_after != float("inf") else None)
            self.fit_y()

    def fit_y(self) -> None:
        """Sets the y range to a round number above the highest value in the time span in view."""
        (left, right), _ = self.getViewBox().viewRange()
        _, high = self._item.dataBounds(1, orthoRange=(left, right))
        top = max(LEAST_TOP, round_up(high * 1.05)) if high is not None else LEAST_TOP
        if top != self._top:
            self._top = top
            self.setYRange(0.0, top, padding=0)


class SeriesArrays:
    """The rows the resource charts draw, in numpy ring buffers kept up to date by appending new samples.

    Each container has a buffer twice as long as the rows kept: rows are appended at the end, and only when
    it is full are the newest ``limit`` rows moved back to its start (one copy every ``limit`` samples).
    What :meth:`update` returns are views of the buffers: nothing is copied row by row.

    Attributes:
        arrays: (time, cpu %, memory) rows by container, oldest first (views).
    """

    def __init__(self, limit: int = FINE_SAMPLES + COARSE_SAMPLES) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self._limit = limit  # never more than the series themselves hold
        self._buffers: dict[str, np.ndarray] = {}
        self._spans: dict[str, tuple[int, int]] = {}

    def update(
        self, series: Mapping[str, ResourceSeries], new_rows: Mapping[str, list[tuple[float, float, float]]]
    ) -> dict[str, np.ndarray]:
        """Brings the arrays to ``series``: whole for a container seen the first time, else its new rows."""
        for container in [c for c in self.arrays if c not in series]:
            del self.arrays[container], self._buffers[container], self._spans[container]
        for container, one in series.items():
            if container not in self._buffers:
                rows = np.asarray(one.rows(), dtype=float).reshape(-1, 3)[-self._limit :]
                buffer = np.empty((2 * self._limit, 3))
                buffer[: len(rows)] = rows
                self._buffers[container], self._spans[container] = buffer, (0, len(rows))
                self.arrays[container] = buffer[: len(rows)]
                continue
            data = self.arrays[container]
            newer = [row for row in new_rows.get(container, ()) if not len(data) or row[0] > data[-1, 0]]
            if newer:
                self.arrays[container] = self._append(container, np.asarray(newer, dtype=float))
        return self.arrays

    def _append(self, container: str, rows: np.ndarray) -> np.ndarray:
        buffer = self._buffers[container]
        start, end = self._spans[container]
        rows = rows[-self._limit :]
        if end + len(rows) > len(buffer):  # full: keep the newest rows at the start
            keep = self._limit - len(rows)
            buffer[:keep] = buffer[end - keep : end]
            start, end = 0, keep
        buffer[end : end + len(rows)] = rows
        end += len(rows)
        start = max(start, end - self._limit)
        self._spans[container] = (start, end)
        return buffer[start:end]
