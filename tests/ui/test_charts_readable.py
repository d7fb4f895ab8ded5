"""The charts read well in a small dock: value labels never stand on each other, every row of the state
chart is named, an idle instance keeps a readable scale, and the panel without instances says so in a line
over charts that show the time now."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QFontMetricsF, QImage, QPainter

from desktop.history.timeline import Timeline
from ui.widgets.charts.resource_charts import LEAST_TOP, ResourceChart
from ui.widgets.charts.style import LABEL_ROOM, ValueAxis, rounder_step
from ui.widgets.charts.timeline_chart import TimelineChart

T0 = 1_700_000_000.0


def test_rounder_steps_go_1_2_5_10() -> None:
    steps = [0.1]
    for _ in range(6):
        steps.append(rounder_step(steps[-1]))
    assert steps == pytest.approx([0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0])
    assert rounder_step(25.0) == pytest.approx(50.0)


def _drawn_texts(axis: pg.AxisItem) -> list[Any]:
    """The (rect, flags, text) of each label the axis draws."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _axis_spec, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return list(texts)


def _labels(axis: pg.AxisItem) -> list[Any]:
    return [rect for rect, _flags, _text in _drawn_texts(axis)]


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


def _scale_top(qtbot: Any, values: list[float], column: int) -> float:
    chart = ResourceChart("chart", column, "Chart")
    qtbot.addWidget(chart)
    chart.resize(500, 200)
    times = np.arange(len(values), dtype=float) + 1.7e9
    rows = np.column_stack([times, values, np.array(values) * 1024 * 1024])
    chart.show_arrays({"a": rows}, ["a"], {"a": "web-1"})
    chart.setXRange(times[0], times[-1], padding=0)
    chart.fit_y()
    return float(chart.getViewBox().viewRange()[1][1])


def test_an_idle_instance_keeps_a_readable_scale(qtbot: Any) -> None:
    # An idle busybox used 1e-10 % of a processor: the axis went up to 1e-09 and said so.
    assert _scale_top(qtbot, [0.0, 1e-10, 3e-11], 1) == LEAST_TOP == 1.0
    assert _scale_top(qtbot, [0.1, 0.3, 0.2], 2) == 1.0  # 0.3 MiB of memory: a 1 MiB scale
    assert _scale_top(qtbot, [10.0, 37.0, 12.0], 1) == 50.0  # above it, a round number over the highest


def test_every_row_of_the_state_chart_is_named_however_long_its_name(qtbot: Any) -> None:
    timeline = Timeline()
    names = [
        "busy_raman",
        "practical_sutherland",
        "dockblocks-python-alpine-web-1",
        "dockblocks-python-alpine-web-2",
    ]
    for number, name in enumerate(names):
        for action, at in (("create", T0 + number), ("start", T0 + number + 1)):
            actor = {"ID": f"id{number}", "Attributes": {"name": name, "image": "busybox"}}
            timeline.apply_event(
                {"Type": "container", "Action": action, "Actor": actor, "timeNano": int(at * 1e9)}
            )
    chart = TimelineChart()
    qtbot.addWidget(chart)
    chart.resize(410, 260)
    chart.show()
    qtbot.waitExposed(chart)
    chart.show_timeline(timeline, now=T0 + 30)
    qtbot.wait(20)

    labels = [text for _rect, _flags, text in _drawn_texts(chart.getAxis("left"))]

    assert len(labels) == len(names)  # "practical_sutherland" was too wide for the axis and left out
    assert labels[0] == "busy_raman"
    assert labels[2] != labels[3] and labels[2].endswith("1") and labels[3].endswith("2")  # ends kept


def test_the_panel_without_instances_says_so_in_one_line_and_shows_the_time_now(qtbot: Any) -> None:
    from desktop.history.series import ResourceSeries
    from ui.charts_feed import ChartsFeed
    from ui.widgets.charts.charts_panel import ChartsPanel

    series: dict[str, ResourceSeries] = {}
    panel = ChartsPanel(ChartsFeed(Timeline(), series, clock=lambda: T0 + 30, interval_ms=20))
    qtbot.addWidget(panel)
    panel.resize(440, 400)  # the charts dock beside the instances at 1280x800
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.wait(50)

    status = panel.status
    assert status.isVisible() and status.width() >= panel.width() * 0.9  # not a word per line
    assert status.height() <= 3 * status.fontMetrics().height()
    assert _drawn_texts(panel.timeline_chart.getAxis("left")) == []  # rows are named, none numbered
    left, right = panel.timeline_chart.visible_range()
    assert left < T0 + 30 <= right  # the time axis shows the last minutes, not 1970
