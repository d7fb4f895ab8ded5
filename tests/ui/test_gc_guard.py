"""Garbage is collected on the GUI thread only, so Qt objects never die in a worker thread."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from ui.gc_guard import MainThreadCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_automatic_collection_is_off_and_the_timer_collects(qtbot: QtBot) -> None:
    parent = QObject()
    collector = MainThreadCollector(parent, interval_ms=10)
    try:
        assert not gc.isenabled()
        for _ in range(collector.thresholds[0] + 10):
            _Cycle()
        assert gc.get_count()[0] > collector.thresholds[0]
        qtbot.waitUntil(lambda: gc.get_count()[0] < collector.thresholds[0], timeout=2000)
    finally:
        parent.deleteLater()
        del parent
        qtbot.waitUntil(gc.isenabled, timeout=2000)
    assert gc.isenabled()
