"""A right-click on a chart opens no menu: pyqtgraph's own (View All, Mouse Mode, Plot Options with an FFT
transform, Export... with its exporters) is turned off; the panel's PNG and CSV buttons export instead."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu

from ui.widgets.charts.resource_charts import ResourceChart
from ui.widgets.charts.timeline_chart import TimelineChart


def open_menus() -> list[QMenu]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, QMenu) and widget.isVisible()
    ]


# Nothing takes the click any more, which QTest reports as a warning: that is the point.
@pytest.mark.qt_log_ignore(r'Mouse event "Mouse(Press|Release)" not accepted')
@pytest.mark.parametrize(
    "make", [lambda: ResourceChart("CPU", 1, "CpuChart"), TimelineChart], ids=["cpu", "timeline"]
)
def test_a_right_click_on_a_chart_opens_no_menu(qtbot: Any, make: Any) -> None:
    chart = make()
    qtbot.addWidget(chart)
    chart.resize(500, 300)
    if isinstance(chart, ResourceChart):
        rows = np.array([[0.0, 5.0, 1.0], [1.0, 50.0, 2.0], [2.0, 25.0, 3.0]])
        chart.show_arrays({"a": rows}, ["a"], {"a": "a"})
    chart.show()
    qtbot.waitExposed(chart)
    assert not chart.getPlotItem().menuEnabled() and not chart.getViewBox().menuEnabled()
    viewport = chart.viewport()
    for where in (
        viewport.rect().center(),
        QPoint(20, viewport.height() - 10),
        QPoint(viewport.width() // 2, 8),
    ):
        qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=where)  # the plot, an axis, the title
        qtbot.wait(20)
        assert QApplication.activePopupWidget() is None
        assert open_menus() == []
    assert chart.scene().contextMenu == []  # no "Export..." for any item's menu either
