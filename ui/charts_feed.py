"""Feeds the charts: the history timeline and the sampler's series, with one redraw per second at most.

The events feed and the sampler call :meth:`ChartsFeed.mark_changed` as often as they like (once per batch
of events, once per sampling tick); the charts redraw on :attr:`ChartsFeed.updated`, which a one-second
timer emits only when something changed. So 100 instances sampled at 1 Hz make one redraw a second, not 100.

While the charts are hidden (:meth:`ChartsFeed.set_shown`) the timer stops and the follower samples nothing:
an app nobody charts costs the engine nothing. The history of states is still recorded by the follower.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.history.series import ResourceSeries
from desktop.history.timeline import Timeline

if TYPE_CHECKING:
    from ui.monitor_feed import MonitorFeed

REDRAW_MS = 1000


class ChartsFeed(QObject):
    """What the charts show, and when to show it again.

    Signals:
        updated(): the timeline or the series changed since the last emission (at most once per second).

    Attributes:
        timeline: the history drawn.
        series: CPU and memory by container id (the sampler's dictionary, shared, read only here).
    """

    updated = Signal()

    def __init__(
        self,
        timeline: Timeline,
        series: Mapping[str, ResourceSeries],
        clock: Callable[[], float] = time.time,
        parent: QObject | None = None,
        interval_ms: int = REDRAW_MS,
    ) -> None:
        super().__init__(parent)
        self.timeline = timeline
        self.series = series
        self.clock = clock
        self._dirty = False
        self._new_rows: dict[str, list[tuple[float, float, float]]] = {}
        self._shown = True
        self._want_samples: Callable[[bool], object] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def replace(self, timeline: Timeline, series: Mapping[str, ResourceSeries]) -> None:
        """Shows another history (after a change of engine) at the next tick."""
        self.timeline, self.series = timeline, series
        self._new_rows.clear()
        self.mark_changed()

    def mark_changed(self, *_: object) -> None:
        """Notes that something changed; the redraw comes at the next tick (callable with any arguments)."""
        self._dirty = True

    def add_samples(self, containers: Iterable[str]) -> None:
        """Notes the newest sample of each of ``containers`` (the sampler calls this once per tick).

        The charts then append only these rows to what they draw, instead of reading every series again.
        """
        for container in containers:
            series = self.series.get(container)
            row = series.fine.last() if series is not None else None
            if row is not None:
                self._new_rows.setdefault(container, []).append(row)
        self._dirty = True

    def take_new_rows(self) -> dict[str, list[tuple[float, float, float]]]:
        """The rows added since the last call, by container; the record starts empty again."""
        rows, self._new_rows = self._new_rows, {}
        return rows

    def running(self) -> bool:
        """Whether an instance runs now (its band grows: the chart must move even without events)."""
        return bool(self.timeline.running())

    def _tick(self) -> None:
        if self._dirty or self.running():
            self._dirty = False
            self.updated.emit()

    def stop(self) -> None:
        """Stops the redraw timer."""
        self._timer.stop()

    @property
    def shown(self) -> bool:
        """Whether the charts are on screen (the timer runs and samples are asked for only then)."""
        return self._shown

    def set_shown(self, shown: bool) -> None:
        """The charts were shown or hidden: sampling and the redraw timer follow (only on a real change).

        Shown again, the charts redraw at the next tick with what happened meanwhile."""
        if shown == self._shown:
            return
        self._shown = shown
        if self._want_samples is not None:
            self._want_samples(shown)
        if shown:
            self._dirty = True
            self._timer.start()
        else:
            self._timer.stop()

    def ask_samples_of(self, want_samples: Callable[[bool], object]) -> None:
        """Asks for samples through ``want_samples(True)`` now if shown, and ``(shown)`` at each change."""
        self._want_samples = want_samples
        if self._shown:
            want_samples(True)


def observe(feed: ChartsFeed, monitor: MonitorFeed) -> None:
    """Makes ``feed`` show what ``monitor`` follows: its history now, its changes and samples from now on,
    another history when it starts another; and asks it to sample (the charts show CPU and memory) while the
    charts are shown (:meth:`ChartsFeed.set_shown`)."""
    monitor.changed.connect(feed.mark_changed)
    monitor.sampled.connect(feed.add_samples)
    monitor.restarted.connect(lambda: feed.replace(monitor.timeline, monitor.series))
    feed.ask_samples_of(monitor.want_samples)
    feed.replace(monitor.timeline, monitor.series)
