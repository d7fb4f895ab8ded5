"""Where the Run menu's docks go: Instances as a tab beside Findings, Output and Build, the charts beside
them; turned on from the menu, a dock comes to the front of its tabs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

from ui.late_docks import add_run_menu_dock
from ui.mainwindow import MainWindow


def test_a_dock_put_with_another_is_a_tab_and_comes_to_the_front_when_turned_on(qtbot: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QLabel("blocks"))
    first = QDockWidget("Findings", window)
    first.setWidget(QLabel("findings"))
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, first)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)

    dock = add_run_menu_dock(window, "Instances", "InstancesDock", QLabel("instances"), tab_with=first)
    beside = add_run_menu_dock(window, "Instance charts", "ChartsDock", QLabel("charts"))

    assert dock.isHidden() and beside.isHidden()  # placed hidden: the window does not grow
    dock.toggleViewAction().trigger()
    beside.toggleViewAction().trigger()
    # In front of Findings, not behind it (Qt moves the tab behind out of the window, still "visible").
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())

    assert first.visibleRegion().isEmpty()
    assert window.tabifiedDockWidgets(first) == [dock]  # (Qt lists the shown tabs only)
    assert window.tabifiedDockWidgets(beside) == [] and not beside.visibleRegion().isEmpty()


def test_the_windows_instances_share_the_bottom_tabs(qtbot: Any, controller: Any, tmp_path: Path) -> None:
    window = MainWindow(controller, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    instances = window.findChild(QDockWidget, "InstancesDock")
    charts = window.findChild(QDockWidget, "ChartsDock")

    for dock in (instances, charts):
        dock.toggleViewAction().trigger()
    qtbot.wait(50)

    assert instances in window.tabifiedDockWidgets(window.findings_dock)
    assert charts not in window.tabifiedDockWidgets(window.findings_dock)
    assert window.width() <= 1280  # three docks side by side needed more and pushed the window wider
