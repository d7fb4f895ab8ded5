"""The state timeline: one row per instance, a coloured band per state, marks for exits and OOM kills.

Built on pyqtgraph: its view box gives zoom (wheel) and pan (drag) in time for free; only the x axis moves,
rows stay put. Bands are painted by one item from plain rectangles (``bands``), so 100 instances with
thousands of intervals cost one paint call, not thousands of graphics items.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPicture
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from desktop.history.model import MarkerKind, State
from desktop.history.timeline import Timeline
from ui.widgets.charts.style import apply_palette
from ui.widgets.charts.texts import say

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


class BandsItem(pg.GraphicsObject):  # type: ignore[misc]
    """Paints every band from a cached QPicture (redrawn only when the bands change)."""

    def __init__(self) -> None:
        super().__init__()
        self._picture = QPicture()
        self._bounds = QRectF()

    def set_bands(self, bands: list[Band]) -> None:
        """Replaces what is painted."""
        picture = QPicture()
        painter = QPainter(picture)
        painter.setPen(Qt.PenStyle.NoPen)
        left, right, rows = float("inf"), float("-inf"), 0
        for band in bands:
            painter.setBrush(QColor(STATE_COLOURS[band.state]))
            painter.drawRect(
                QRectF(band.start, band.row - BAND_HEIGHT / 2, band.end - band.start, BAND_HEIGHT)
            )
            left, right, rows = min(left, band.start), max(right, band.end), max(rows, band.row + 1)
        painter.end()
        self.prepareGeometryChange()
        self._picture = picture
        self._bounds = QRectF(left, -0.5, right - left, rows) if bands else QRectF()
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        """Replays the cached picture."""
        painter.drawPicture(0, 0, self._picture)

    def boundingRect(self) -> QRectF:
        """Where the bands are, in data coordinates."""
        return self._bounds


class TimelineChart(pg.PlotWidget):  # type: ignore[misc]
    """One row per instance, newest instance at the bottom; time runs left to right (wall-clock axis).

    Attributes:
        bands: what is drawn, one entry per interval (REMOVED is the end of a row, never a band).
        marks: the exit, OOM, kill and restart marks drawn.
        rows: container ids, top row first.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.setObjectName("TimelineChart")
        self.setAccessibleName(say("timeline.title"))
        self.setTitle(say("timeline.title"))
        self.setMouseEnabled(x=True, y=False)  # zoom and pan in time only: rows keep their place
        self.getPlotItem().hideButtons()
        self.getViewBox().invertY(True)
        self.showGrid(x=True, y=False, alpha=0.2)
        apply_palette(self, self)
        self.bands: list[Band] = []
        self.marks: list[Mark] = []
        self.rows: list[str] = []
        self._names: dict[str, str] = {}
        self._bands_item = BandsItem()
        self.addItem(self._bands_item)
        self._marks_item = pg.ScatterPlotItem(size=11, pxMode=True)
        self.addItem(self._marks_item)
        self.scene().sigMouseMoved.connect(self._hover)

    def show_timeline(self, timeline: Timeline, now: float) -> None:
        """Draws ``timeline`` as it is at ``now`` (open intervals reach ``now``)."""
        histories = sorted(
            timeline.containers.values(), key=lambda h: h.intervals[0].start if h.intervals else now
        )
        self.rows = [h.id for h in histories]
        self._names = {h.id: h.name or h.id[:12] for h in histories}
        bands: list[Band] = []
        marks: list[Mark] = []
        for row, history in enumerate(histories):
            for interval in history.intervals:
                if interval.state is State.REMOVED:
                    continue
                end = now if interval.end is None else interval.end
                bands.append(
                    Band(
                        row,
                        history.id,
                        interval.state,
                        interval.start,
                        max(end, interval.start),
                        interval.end is None,
                        interval.exit_code,
                    )
                )
            for marker in history.markers:
                if marker.kind in MARKER_STYLES:
                    text = say(
                        f"marker.{marker.kind.value}",
                        name=self._names[history.id],
                        code=marker.code,
                        detail=marker.detail,
                        time=clock(marker.time),
                    )
                    marks.append(Mark(row, history.id, marker.kind, marker.time, marker.code, text))
        self.bands, self.marks = bands, marks
        self._bands_item.set_bands(bands)
        self._marks_item.setData(
            [
                {
                    "pos": (m.time, m.row),
                    "symbol": MARKER_STYLES[m.kind][0],
                    "data": m.text,
                    "brush": pg.mkBrush(MARKER_STYLES[m.kind][1]),
                    "pen": pg.mkPen("#202020", width=1),
                }
                for m in marks
            ]
        )
        axis = self.getAxis("left")
        axis.setTicks([[(row, self._names[c][:24]) for row, c in enumerate(self.rows)]])
        self.setYRange(-0.5, max(len(self.rows), 1) - 0.5, padding=0.02)

    def visible_range(self) -> tuple[float, float]:
        """The time span in view (zoom and pan change it)."""
        (left, right), _ = self.getViewBox().viewRange()
        return float(left), float(right)

    def band_at(self, time: float, row_position: float) -> Band | None:
        """The band under a point in data coordinates, if any."""
        row = round(row_position)
        if abs(row_position - row) > BAND_HEIGHT / 2:
            return None
        for band in self.bands:
            if band.row == row and band.start <= time <= band.end:
                return band
        return None

    def tooltip_at(self, time: float, row_position: float, time_slack: float = 0.0) -> str:
        """What hovering at a point says: the nearest mark within ``time_slack``, else the band, else ""."""
        row = round(row_position)
        near = [m for m in self.marks if m.row == row and abs(m.time - time) <= time_slack]
        if near:
            return min(near, key=lambda m: abs(m.time - time)).text
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
            name=self._names.get(band.container, ""),
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
