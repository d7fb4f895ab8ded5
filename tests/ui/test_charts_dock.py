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
