"""Python's garbage collector runs on the GUI thread only.

Checking a Dockerfile runs Python in a worker thread. If the cyclic collector started there, it could
delete Qt objects (widgets, timers) that belong to the GUI thread, and Qt crashes when objects die on the
wrong thread. So automatic collection is switched off and the GUI thread collects on a timer, with the
collector's own thresholds deciding how much to collect.
"""

from __future__ import annotations

import functools
import gc

import shiboken6
from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500
_collectors: list[MainThreadCollector] = []  # the live ones, found without asking Qt for children


class MainThreadCollector(QObject):
    """Collects garbage every ``INTERVAL_MS`` on the thread that owns it (the GUI thread)."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        self.destroyed.connect(gc.enable)
        _collectors.append(self)
        # A bound method would keep this object alive; the list holds it until Qt destroys it.
        self.destroyed.connect(functools.partial(_forget, id(self)))

    def check(self) -> int:
        """Collect the generations whose counts passed their thresholds; returns the objects found."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                return gc.collect(generation)
        return 0


def collector_of(parent: QObject) -> MainThreadCollector | None:
    """The collector made with this parent (the application), if there is one."""
    for collector in _collectors:
        if shiboken6.isValid(collector) and collector.parent() is parent:
            return collector
    return None


def _forget(ident: int, _object: object = None) -> None:
    _collectors[:] = [c for c in _collectors if id(c) != ident]
