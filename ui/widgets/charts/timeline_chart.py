"""The state timeline: one row per instance, a coloured band per state, marks for exits and OOM kills.

Built on pyqtgraph: its view box gives zoom (wheel) and pan (drag) in time for free; only the x axis moves,
rows stay put. A redraw costs what changed, not what is shown:

- the finished bands of a row are read into numpy arrays once, and again only when that row changed; a
  paint draws only those overlapping the part in view, one ``drawRects`` per state colour;
- the open band of each row (the state it is in now) is one rectangle painted up to ``now``: a running
  instance's band grows every second without reading anything again;
- the marks are one scatter item per kind, set from numpy arrays only when a row's marks changed;
- tooltips are worked out when the pointer rests on a row, from that row's history alone.
"""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QResizeEvent
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from desktop.engine.services import task_short_name
from desktop.history.model import ContainerHistory, MarkerKind, State
from desktop.history.timeline import Timeline
from ui.widgets.charts.style import LEFT_AXIS_WIDTH, apply_palette, cache_axes
from ui.widgets.charts.texts import say

NAME_MARGIN = 16  # pixels of the left axis that are not a row name's: its tick and the gap to the text
# The same hues as the instances panel's state colours: green runs, amber pauses, grey stopped, red broken.
STATE_COLOURS: dict[State, str] = {
    State.CREATED: "#90a4ae",
    State.RUNNING: "#43a047",
    State.PAUSED: "#fbc02d",
    State.EXITED: "#757575",
    State.DEAD: "#c62828",
}
MARKER_STYLES: dict[MarkerKind, tuple[str, str]] = {  # symbol, colour
    MarkerKind.EXIT: ("t", "#e53935"),
    MarkerKind.OOM: ("star", "#ff6d00"),
    MarkerKind.KILL: ("x", "#6a1b9a"),
    MarkerKind.RESTART: ("o", "#1565c0"),
}
MARK_OFFSETS = {MarkerKind.OOM: -0.2, MarkerKind.EXIT: 0.15}  # an OOM kill and its exit, side by side
BAND_HEIGHT = 0.7  # of a row: the gap between rows keeps them apart
BOUNDS_STEP = 600.0  # seconds: how far ahead of "now" the painted bounds reach, at most


@dataclass(frozen=True, slots=True)
class Band:
    """One drawn stretch: row ``row`` in ``state`` from ``start`` to ``end`` (``open`` while it lasts)."""

    row: int
    container: str
    state: State
    start: float
    end: float
    open: bool
    exit_code: int | None


@dataclass(frozen=True, slots=True)
class Mark:
    """One drawn moment, with the sentence its tooltip says."""

    row: int
    container: str
    kind: MarkerKind
    time: float
    code: int | None
    text: str


def clock(moment: float) -> str:
    """A moment as local wall-clock time, to the second."""
    return datetime.datetime.fromtimestamp(moment).strftime("%H:%M:%S")


def row_signature(history: ContainerHistory) -> tuple[int, int, int, int]:
    """What changes whenever a row must be recorded again: intervals and markers are only appended, and the
    oldest dropped (the bound), so their counts and first keys tell."""
    intervals, markers = history.intervals, history.markers
    return (
        len(intervals),
        intervals[0].key if intervals else 0,
        len(markers),
        markers[0].key if markers else 0,
    )


def _mark_text(kind: MarkerKind, name: str, time: float, code: int | None, detail: str) -> str:
    return say(f"marker.{kind.value}", name=name, code=code, detail=detail, time=clock(time))


_STATES = list(STATE_COLOURS)
_STATE_INDEX = {state: index for index, state in enumerate(_STATES)}


@dataclass(slots=True)
class _Row:
    """What one row draws: its finished bands as arrays, its open band, its marks' times by kind."""

    signature: tuple[int, int, int, int]
    starts: np.ndarray  # finished bands
    ends: np.ndarray
    states: np.ndarray  # index in _STATES
    left: float  # where its first band starts
    open_state: State | None  # the state it is in now (None: removed, nothing grows)
    open_start: float
    marks: dict[MarkerKind, np.ndarray]


def _read_row(history: ContainerHistory) -> _Row:
    finished = [
        (i.start, max(i.end, i.start), _STATE_INDEX[i.state])
        for i in history.intervals
        if i.end is not None and i.state is not State.REMOVED
    ]
    current = history.current
    live = current is not None and current.end is None and current.state is not State.REMOVED
    table = np.asarray(finished, dtype=float).reshape(-1, 3)
    times: dict[MarkerKind, list[float]] = {}
    for marker in history.markers:
        if marker.kind in MARKER_STYLES:
            times.setdefault(marker.kind, []).append(marker.time)
    return _Row(
        row_signature(history),
        table[:, 0].copy(),
        table[:, 1].copy(),
        table[:, 2].astype(np.int8),
        history.intervals[0].start if history.intervals else 0.0,
        current.state if live and current is not None else None,
        current.start if live and current is not None else 0.0,
        {kind: np.asarray(values, dtype=float) for kind, values in times.items()},
    )


class BandsItem(pg.GraphicsObject):  # type: ignore[misc]
    """Paints the bands in view: finished ones from numpy arrays (only those overlapping the view, one
    ``drawRects`` per state colour), then each row's open band up to ``now``."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption)  # paint() is told what is exposed
        self._rows: list[_Row] = []
        self._now = 0.0
        self._left = 0.0
        self._bounds = QRectF()
        self._brushes = [QColor(STATE_COLOURS[state]) for state in _STATES]
        empty = np.empty(0)
        self._starts, self._ends, self._row_of, self._state_of = empty, empty, empty, empty

    def set_rows(self, rows: list[_Row], now: float, changed: bool) -> None:
        """Replaces what is painted; the flat arrays are made again only when a row ``changed``."""
        if changed or len(rows) != len(self._rows):
            self._starts = np.concatenate([row.starts for row in rows]) if rows else np.empty(0)
            self._ends = np.concatenate([row.ends for row in rows]) if rows else np.empty(0)
            self._row_of = (
                np.concatenate([np.full(len(row.starts), index, float) for index, row in enumerate(rows)])
                if rows
                else np.empty(0)
            )
            self._state_of = np.concatenate([row.states for row in rows]) if rows else np.empty(0)
        grown_from = self._now if not changed and len(rows) == len(self._rows) else None
        self._rows, self._now = rows, now
        left = min((row.left for row in rows), default=now)
        self._left = left
        # The painted bounds reach the next whole step of time: they change (and the whole chart is painted
        # again) once every few minutes, not every second as "now" moves.
        right = (now // BOUNDS_STEP + 1) * BOUNDS_STEP
        bounds = QRectF(left, -0.5, right - left, len(rows)) if rows else QRectF()
        if bounds != self._bounds:
            self.prepareGeometryChange()
            self._bounds = bounds
            self.informViewBoundsChanged()
            self.update()
        elif grown_from is not None and rows:
            # Only the open bands grew, from the last "now" to this one: only that strip is painted again.
            margin = 2 * (self.pixelWidth() or 0.0)
            self.update(QRectF(grown_from - margin, -0.5, now - grown_from + 2 * margin, len(rows)))
        else:
            self.update()

    def dataBounds(
        self, axis: int, frac: float = 1.0, orthoRange: tuple[float, float] | None = None
    ) -> tuple[float, float] | tuple[None, None]:
        """Where the bands are (the painted bounds reach further ahead): times up to now, or the rows."""
        if not self._rows:
            return None, None
        if axis == 0:
            return self._left, max(self._now, self._left)
        return -0.5, len(self._rows) - 0.5

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """Draws the finished bands that overlap the view, then the open ones."""
        painter.setPen(Qt.PenStyle.NoPen)
        view = self.viewRect()  # what the view box shows, in data coordinates
        if view is None:
            view = self._bounds
        exposed = option.exposedRect  # a live tick paints only the strip where the open bands grew
        left, right = max(view.left(), exposed.left()), min(view.right(), exposed.right())
        top = -BAND_HEIGHT / 2
        seen = (self._ends >= left) & (self._starts <= right)
        for state, brush in enumerate(self._brushes):
            chosen = np.flatnonzero(seen & (self._state_of == state))
            if not len(chosen):
                continue
            starts = np.maximum(self._starts[chosen], left - 1)  # huge rects past the edge draw slowly
            ends = np.minimum(self._ends[chosen], right + 1)
            rects = [
                QRectF(start, row + top, end - start, BAND_HEIGHT)
                for start, end, row in zip(
                    starts.tolist(), ends.tolist(), self._row_of[chosen].tolist(), strict=True
                )
            ]
            painter.setBrush(brush)
            painter.drawRects(rects)
        open_bands: dict[State, list[QRectF]] = {}  # one drawRects per colour, not one call per row
        for index, row in enumerate(self._rows):
            if row.open_state is not None and row.open_start <= right:
                start = max(row.open_start, left - 1)
                open_bands.setdefault(row.open_state, []).append(
                    QRectF(start, index + top, max(self._now - start, 0.0), BAND_HEIGHT)
                )
        for state, rects in open_bands.items():
            painter.setBrush(self._brushes[_STATE_INDEX[state]])
            painter.drawRects(rects)

    def boundingRect(self) -> QRectF:
        """Where the bands are, in data coordinates."""
        return self._bounds


class TimelineChart(pg.PlotWidget):  # type: ignore[misc]
    """One row per instance, oldest instance at the top; time runs left to right (wall-clock axis).

    Attributes:
        rows: container ids, top row first.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.setObjectName("TimelineChart")
        self.setAccessibleName(say("timeline.title"))
        self.setTitle(say("timeline.title"))
        self.setMouseEnabled(x=True, y=False)  # zoom and pan in time only: rows keep their place
        self.getPlotItem().hideButtons()
        # No right-click menu: pyqtgraph's own (View All, Mouse Mode, an FFT transform, its exporters) is
        # for engineers, the panel's PNG and CSV buttons export; nor the scene's Export... in any item's menu.
        self.getPlotItem().setMenuEnabled(False)
        self.scene().contextMenu = []
        self.getViewBox().invertY(True)
        self.showGrid(x=True, y=False, alpha=0.2)
        apply_palette(self, self)
        cache_axes(self)
        self.rows: list[str] = []
        self.first_time: float | None = None
        self._timeline = Timeline()
        self._now = 0.0
        self._cache: dict[str, _Row] = {}
        self._ticks: list[str] = []
        self.getAxis("left").setTicks([[]])  # rows are named, never numbered: no "0 0.2 0.4 …" while empty
        self._bands_item = BandsItem()
        self.addItem(self._bands_item)
        self._marks_items: dict[MarkerKind, pg.ScatterPlotItem] = {}
        for kind, (symbol, colour) in MARKER_STYLES.items():
            item = pg.ScatterPlotItem(
                size=11, pxMode=True, symbol=symbol, brush=pg.mkBrush(colour), pen=pg.mkPen("#202020")
            )
            self.addItem(item)
            self._marks_items[kind] = item
        self.scene().sigMouseMoved.connect(self._hover)

    def show_timeline(self, timeline: Timeline, now: float) -> None:
        """Draws ``timeline`` as it is at ``now`` (open bands reach ``now``); rows that did not change since
        the last call are not recorded again."""
        self._timeline, self._now = timeline, now
        histories = sorted(
            timeline.containers.values(), key=lambda h: h.intervals[0].start if h.intervals else now
        )
        changed = False
        rows: list[_Row] = []
        for history in histories:
            cached = self._cache.get(history.id)
            if cached is None or cached.signature != row_signature(history):
                cached = self._cache[history.id] = _read_row(history)
                changed = True
            rows.append(cached)
        ids = [h.id for h in histories]
        if ids != self.rows:
            changed = True
            for gone in set(self._cache) - set(ids):
                del self._cache[gone]
        self.rows = ids
        self.first_time = min((row.left for row in rows), default=None)
        self._bands_item.set_rows(rows, now, changed)
        if changed:
            self._set_marks(rows)
        # a swarm task's row is named by its slot (web.1), not with the task id after it
        names = [row_name(h) for h in histories]  # shortened to fit as they are labelled
        if names != self._ticks:
            self._ticks = names
            self._label_rows()
            self.setYRange(-0.5, max(len(names), 1) - 0.5, padding=0.02)

    def _label_rows(self) -> None:
        # Only as many names as fit one above the other: overlapping labels cost paint time and say nothing.
        height = max(self.getViewBox().height(), 1.0)
        fit = max(int(height / (self.fontMetrics().height() + 2)), 1)
        stride = max(-(-len(self._ticks) // fit), 1)
        # A name wider than the axis is not drawn at all (pyqtgraph leaves out text that would stick out):
        # shortened in the middle it fits, and instances named alike keep their different ends (web-1, web-2).
        metrics, room = self.fontMetrics(), LEFT_AXIS_WIDTH - NAME_MARGIN
        shown = [
            (row, metrics.elidedText(self._ticks[row], Qt.TextElideMode.ElideMiddle, room))
            for row in range(0, len(self._ticks), stride)
        ]
        self.getAxis("left").setTicks([shown])

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Labels as many rows as now fit."""
        super().resizeEvent(event)
        # Qt resizes the widget while pyqtgraph makes it, and again once pyqtgraph let its plot go (close).
        if getattr(self, "_ticks", None) and getattr(self, "plotItem", None) is not None:
            self._label_rows()

    def _set_marks(self, rows: list[_Row]) -> None:
        for kind, item in self._marks_items.items():
            times = [row.marks[kind] for row in rows if kind in row.marks]
            places = [
                np.full(len(row.marks[kind]), index) for index, row in enumerate(rows) if kind in row.marks
            ]
            if not times:
                item.setData(x=np.empty(0), y=np.empty(0))
                continue
            offset = MARK_OFFSETS.get(kind, 0.0)
            item.setData(x=np.concatenate(times), y=np.concatenate(places).astype(float) + offset)

    # --- reading what is drawn (tooltips, tests, the panel) -------------------------------------------------

    @property
    def bands(self) -> list[Band]:
        """Every band drawn, one per interval (REMOVED ends a row, it is never a band). Made on demand."""
        return [band for row in range(len(self.rows)) for band in self._bands_of(row)]

    @property
    def marks(self) -> list[Mark]:
        """Every mark drawn, with its tooltip sentence. Made on demand."""
        return [mark for row in range(len(self.rows)) for mark in self._marks_of(row)]

    def _history(self, row: int) -> ContainerHistory | None:
        if not 0 <= row < len(self.rows):
            return None
        return self._timeline.containers.get(self.rows[row])

    def _bands_of(self, row: int) -> list[Band]:
        history = self._history(row)
        if history is None:
            return []
        return [
            Band(
                row,
                history.id,
                interval.state,
                interval.start,
                max(self._now if interval.end is None else interval.end, interval.start),
                interval.end is None,
                interval.exit_code,
            )
            for interval in history.intervals
            if interval.state is not State.REMOVED
        ]

    def _marks_of(self, row: int) -> list[Mark]:
        history = self._history(row)
        if history is None:
            return []
        name = history.name or history.id[:12]
        return [
            Mark(row, history.id, m.kind, m.time, m.code, _mark_text(m.kind, name, m.time, m.code, m.detail))
            for m in history.markers
            if m.kind in MARKER_STYLES
        ]

    def visible_range(self) -> tuple[float, float]:
        """The time span in view (zoom and pan change it)."""
        (left, right), _ = self.getViewBox().viewRange()
        return float(left), float(right)

    def band_at(self, time: float, row_position: float) -> Band | None:
        """The band under a point in data coordinates, if any (a search in that row's intervals only)."""
        row = round(row_position)
        if abs(row_position - row) > BAND_HEIGHT / 2:
            return None
        bands = self._bands_of(row)
        at = bisect.bisect_right([band.start for band in bands], time) - 1
        if at >= 0 and bands[at].start <= time <= bands[at].end:
            return bands[at]
        return None

    def tooltip_at(self, time: float, row_position: float, time_slack: float = 0.0) -> str:
        """What hovering at a point says: the nearest mark within ``time_slack``, else the band, else ""."""
        row = round(row_position)
        history = self._history(row)
        if history is None:
            return ""
        near = [m for m in history.markers if m.kind in MARKER_STYLES and abs(m.time - time) <= time_slack]
        if near:
            m = min(near, key=lambda m: abs(m.time - time))
            return _mark_text(m.kind, row_name(history), m.time, m.code, m.detail)
        band = self.band_at(time, row_position)
        if band is None:
            return ""
        code = (
            ""
            if band.exit_code is None or band.state not in (State.EXITED, State.DEAD)
            else say("band.exit_code", code=band.exit_code)
        )
        end = say("band.now") if band.open else clock(band.end)
        state = say(f"state.{band.state.value}") + code
        return say(
            "band.tooltip",
            name=row_name(history),
            state=state,
            start=clock(band.start),
            end=end,
        )

    def _hover(self, scene_position: QPointF) -> None:
        view = self.getViewBox()
        if not view.sceneBoundingRect().contains(scene_position):
            self.setToolTip("")
            return
        point = view.mapSceneToView(scene_position)
        pixel = view.viewPixelSize()[0]
        self.setToolTip(self.tooltip_at(point.x(), point.y(), time_slack=6 * pixel))


def row_name(history: ContainerHistory) -> str:
    """How a row is named on the chart and in its tooltips: a swarm task by its slot (``web.1``, not the
    task id after it), an instance by its name, one without a name by the start of its id."""
    return task_short_name(history.name) or history.id[:12]
