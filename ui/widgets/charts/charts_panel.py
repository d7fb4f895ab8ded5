"""The charts panel: the state timeline, and CPU % and memory under it on the same time axis, with exports.

It redraws when its :class:`ui.charts_feed.ChartsFeed` says so (at most once a second). "Follow live" keeps
the newest moment at the right edge, keeping the zoomed width; dragging the charts back in time turns it off.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.history.export_csv import export_history
from ui.charts_feed import ChartsFeed
from ui.widgets.charts.export import export_png
from ui.widgets.charts.resource_charts import ResourceChart, SeriesArrays
from ui.widgets.charts.texts import say
from ui.widgets.charts.timeline_chart import TimelineChart

_log = logging.getLogger(__name__)
LIVE_SPAN = 300.0  # seconds in view when following live before the user zooms
HEADROOM = 0.1  # share of the view ahead of "now" while following live: the view moves once per tenth


class ChartsPanel(QWidget):
    """Timeline, CPU and memory charts, their time axes linked, and the export buttons.

    Attributes:
        feed: where the data comes from.
        timeline_chart, cpu_chart, memory_chart: the three charts.
        follow: the "follow live" switch.
    """

    def __init__(self, feed: ChartsFeed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ChartsPanel")
        self.setAccessibleName(say("panel.title"))
        self.feed = feed
        self.timeline_chart = TimelineChart()
        self.cpu_chart = ResourceChart(say("cpu.title"), 1, "CpuChart")
        self.memory_chart = ResourceChart(say("memory.title"), 2, "MemoryChart")
        for chart in (self.cpu_chart, self.memory_chart):
            chart.setXLink(self.timeline_chart)  # one time axis: zoom or pan one, all follow
        for chart in (self.timeline_chart, self.cpu_chart):
            chart.getPlotItem().getAxis("bottom").setStyle(showValues=False)  # the memory chart's says it
        self.charts = QSplitter(Qt.Orientation.Vertical)
        self.charts.setObjectName("ChartsSplitter")
        for chart in (self.timeline_chart, self.cpu_chart, self.memory_chart):
            self.charts.addWidget(chart)
        self.charts.setSizes([300, 150, 150])
        self.follow = QCheckBox(say("follow"))
        self.follow.setObjectName("ChartsFollow")
        self.follow.setAccessibleName(say("follow"))
        self.follow.setToolTip(say("follow.tip"))
        self.follow.setChecked(True)
        self.png_button = self._button(say("export.png"), "ChartsExportPng", self._ask_png)
        self.csv_button = self._button(say("export.csv"), "ChartsExportCsv", self._ask_csv)
        self.status = QLabel(say("empty"))
        self.status.setObjectName("ChartsStatus")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.follow)
        bar.addStretch(1)
        bar.addWidget(self.png_button)
        bar.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        # Under the buttons, the panel's whole width: between them it was squeezed to a word per line.
        layout.addWidget(self.status)
        layout.addWidget(self.charts, 1)
        self._moving = False
        self._span = LIVE_SPAN
        self.series_arrays = SeriesArrays()
        self.timeline_chart.getViewBox().sigRangeChangedManually.connect(self._user_moved)
        feed.updated.connect(self.redraw)
        self.redraw()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.clicked.connect(slot)
        return button

    def redraw(self) -> None:
        """Draws the feed's data as they are now; keeps the newest moment in view when following."""
        now = self.feed.clock()
        timeline = self.feed.timeline
        self.timeline_chart.show_timeline(timeline, now)
        names = {c.id: c.name for c in timeline.containers.values()}
        series = {c: s for c, s in self.feed.series.items() if c in timeline.containers}
        arrays = self.series_arrays.update(series, self.feed.take_new_rows())
        for chart in (self.cpu_chart, self.memory_chart):
            chart.show_arrays(arrays, self.timeline_chart.rows, names)
        self.status.setVisible(not timeline.containers)
        # With nothing to show yet, the last minutes: the time axis says the time, not "00.250" of 1970.
        first = self.timeline_chart.first_time
        earliest = first if first is not None else now - self._span
        if self.follow.isChecked():
            left, right = self.timeline_chart.visible_range()
            if not left < now <= right or right - left > self._span * (1 + HEADROOM) + 1:
                # The view moves in steps, "now" at nine tenths of its width: between steps the time axes
                # keep their labels (redrawing the axes' text every second is most of a live tick's cost).
                self._moving = True
                start = max(earliest, now - self._span * (1 - HEADROOM))
                self.timeline_chart.setXRange(start, start + self._span, padding=0)
                self._moving = False

    def _user_moved(self, *_: object) -> None:
        # A drag or wheel zoom: keep following only if the newest moment is still in view.
        if self._moving:
            return
        left, right = self.timeline_chart.visible_range()
        self._span = max(right - left, 1.0)  # following again keeps this zoom
        if right < self.feed.clock() - 2:
            self.follow.setChecked(False)

    def save_png(self, path: Path) -> None:
        """Saves the three charts as one picture and says so."""
        size = export_png(self.charts, path)
        _log.info("charts: saved %s (%dx%d)", path, size.width(), size.height())
        self.status.setText(say("export.png.done", path=str(path)))
        self.status.show()

    def save_csv(self, path: Path) -> None:
        """Saves the states and the CPU/memory samples as two CSV files and says so."""
        states, resources = export_history(path, self.feed.timeline, self.feed.series)
        self.status.setText(say("export.csv.done", states=str(states), resources=str(resources)))
        self.status.show()

    def _ask_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, say("export.png"), "instances.png", say("export.png.filter")
        )
        if path:
            self._saving(self.save_png, Path(path))

    def _ask_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, say("export.csv"), "instances.csv", say("export.csv.filter")
        )
        if path:
            self._saving(self.save_csv, Path(path))

    def _saving(self, save: Any, path: Path) -> None:
        try:
            save(path)
        except OSError as error:  # a read-only folder, a full disk: say it, never a traceback
            self.status.setText(say("export.failed", reason=error.strerror or str(error)))
            self.status.show()
