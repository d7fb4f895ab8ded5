"""The charts dock: installed cheaply, the charts made the first time it is shown, once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from ui.widgets.charts.charts_panel import ChartsPanel
from ui.widgets.charts.dock import install_charts_panel


class NoEngine(QObject):
    """An engine monitor that has found no engine (the charts wait for one; nothing is started)."""

    stateChanged = Signal()
    info = None

    def is_connected(self) -> bool:
        return False


def test_dock_makes_the_charts_when_first_shown(qtbot: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.engine = NoEngine(window)  # type: ignore[attr-defined]
    run_menu = window.menuBar().addMenu("Run")
    run_menu.setObjectName("RunMenu")
    dock = install_charts_panel(window)
    assert install_charts_panel(window) is dock  # once
    assert dock.objectName() == "ChartsDock" and isinstance(dock.widget(), QLabel)
    assert dock.toggleViewAction() in window.findChild(QMenu, "RunMenu").actions()
    window.show()
    dock.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: isinstance(dock.widget(), ChartsPanel))
    panel = dock.widget()
    assert window.charts_panel is panel  # type: ignore[attr-defined]
    assert panel.timeline_chart.bands == [] and panel.status.isVisible()
    window.engine.stateChanged.emit()  # type: ignore[attr-defined]
    assert dock.widget() is panel


def test_hidden_charts_neither_sample_nor_redraw(qtbot: Any) -> None:
    """An app nobody charts costs the engine nothing: closing the dock stops the samples and the redraws,
    opening it again asks for both again (once per real change of visibility)."""
    window = QMainWindow()
    qtbot.addWidget(window)
    window.engine = NoEngine(window)  # type: ignore[attr-defined]
    dock = install_charts_panel(window)
    window.show()
    dock.show()
    qtbot.waitUntil(lambda: isinstance(dock.widget(), ChartsPanel))
    feed = window.charts_panel.feed  # type: ignore[attr-defined]
    monitor = window.monitor  # type: ignore[attr-defined]
    monitor.timeline.apply_event(  # an instance runs: its band grows, so a shown chart redraws every second
        {"Type": "container", "Action": "start", "Actor": {"ID": "a", "Attributes": {"name": "a"}},
         "timeNano": 1_700_000_000 * 10**9}
    )  # fmt: skip
    assert feed.running() and feed.shown and monitor._sampling == 1
    redraws: list[int] = []
    feed.updated.connect(lambda: redraws.append(1))
    qtbot.waitUntil(lambda: bool(redraws), timeout=3000)

    dock.hide()
    assert not feed.shown and monitor._sampling == 0
    dock.hide()  # no change: asked once
    assert monitor._sampling == 0
    redraws.clear()
    qtbot.wait(2300)
    assert redraws == []

    dock.show()
    assert feed.shown and monitor._sampling == 1
    qtbot.waitUntil(lambda: bool(redraws), timeout=3000)
    assert window.charts_panel.feed is feed  # type: ignore[attr-defined]
