"""The CPU and memory charts' value axis: on a short chart its labels never stand on each other."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QFontMetricsF, QImage, QPainter

from ui.widgets.charts.resource_charts import ResourceChart
from ui.widgets.charts.style import LABEL_ROOM, ValueAxis, rounder_step


def test_rounder_steps_go_1_2_5_10() -> None:
    steps = [0.1]
    for _ in range(6):
        steps.append(rounder_step(steps[-1]))
    assert steps == pytest.approx([0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0])
    assert rounder_step(25.0) == pytest.approx(50.0)


def _labels(axis: pg.AxisItem) -> list[Any]:
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _axis_spec, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [rect for rect, _flags, _text in texts]


def _chart(qtbot: Any, height: int) -> ResourceChart:
    chart = ResourceChart("CPU %", 1, "CpuChart")
    qtbot.addWidget(chart)
    chart.resize(500, height)
    chart.show()
    qtbot.waitExposed(chart)
    chart.setYRange(0, 80, padding=0)
    qtbot.wait(20)
    return chart


@pytest.mark.parametrize(("height", "at_least"), [(90, 1), (130, 3), (170, 3)])
def test_a_short_chart_labels_fewer_steps_none_over_another(qtbot: Any, height: int, at_least: int) -> None:
    chart = _chart(qtbot, height)
    axis = chart.getPlotItem().getAxis("left")
    assert isinstance(axis, ValueAxis)

    rects = _labels(axis)

    assert len(rects) >= at_least  # still says where the scale is
    for number, rect in enumerate(rects):
        assert not any(rect.intersects(other) for other in rects[number + 1 :]), (height, rects)


def test_pyqtgraphs_own_steps_would_put_labels_over_each_other_there(qtbot: Any) -> None:
    chart = _chart(qtbot, 90)
    axis = chart.getPlotItem().getAxis("left")
    text_height = QFontMetricsF(axis.font()).height()

    plain = pg.AxisItem.tickSpacing(axis, 0, 80, axis.height())[0][0]
    ours = axis.tickSpacing(0, 80, axis.height())[0][0]

    assert axis.height() * plain / 80 < text_height  # pyqtgraph's labels: closer than one line of text
    assert axis.height() * ours / 80 >= text_height * LABEL_ROOM


def test_a_tall_chart_keeps_pyqtgraphs_steps(qtbot: Any) -> None:
    chart = _chart(qtbot, 400)
    axis = chart.getPlotItem().getAxis("left")

    assert axis.tickSpacing(0, 80, axis.height())[0] == pg.AxisItem.tickSpacing(axis, 0, 80, axis.height())[0]
