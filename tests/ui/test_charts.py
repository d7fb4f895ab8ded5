"""The charts: bands and marks drawn for a timeline, zoom and pan, PNG export, the once-a-second feed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage

from desktop.history.model import MarkerKind, State
from desktop.history.series import ResourceSeries
from desktop.history.timeline import Timeline
from ui.charts_feed import ChartsFeed
from ui.widgets.charts.charts_panel import ChartsPanel
from ui.widgets.charts.timeline_chart import STATE_COLOURS, TimelineChart

T0 = 1_700_000_000.0


def event(container: str, action: str, at: float, **attributes: str) -> dict[str, Any]:
    """One engine event as the events stream decodes it."""
    return {
        "Type": "container",
        "Action": action,
        "Actor": {"ID": container, "Attributes": {"name": container, "image": "busybox", **attributes}},
        "timeNano": int(at * 1e9),
    }


def sample_timeline() -> Timeline:
    """Three instances: one exits with code 3, one is OOM-killed, one is paused then runs again."""
    timeline = Timeline()
    for item in [
        event("a", "create", T0),
        event("a", "start", T0 + 1),
        event("a", "die", T0 + 11, exitCode="3"),
        event("b", "create", T0 + 2),
        event("b", "start", T0 + 3),
        event("b", "oom", T0 + 20),
        event("b", "die", T0 + 20.1, exitCode="137"),
        event("c", "create", T0 + 4),
        event("c", "start", T0 + 5),
        event("c", "pause", T0 + 15),
        event("c", "unpause", T0 + 25),
    ]:
        timeline.apply_event(item)
    return timeline


def test_bands_and_marks_follow_the_timeline(qtbot: Any) -> None:
    chart = TimelineChart()
    qtbot.addWidget(chart)
    chart.show_timeline(sample_timeline(), now=T0 + 30)
    assert chart.rows == ["a", "b", "c"]
    states = [(b.row, b.state, b.start - T0, round(b.end - T0, 1)) for b in chart.bands]
    assert (0, State.RUNNING, 1.0, 11.0) in states
    assert (0, State.EXITED, 11.0, 30.0) in states
    assert (2, State.PAUSED, 15.0, 25.0) in states
    assert (2, State.RUNNING, 25.0, 30.0) in states  # open: reaches "now"
    exited = next(b for b in chart.bands if b.row == 0 and b.state is State.EXITED)
    assert exited.exit_code == 3 and exited.open  # it is still exited now
    kinds = {(m.row, m.kind, m.code) for m in chart.marks}
    assert (0, MarkerKind.EXIT, 3) in kinds
    assert (1, MarkerKind.OOM, None) in kinds
    assert "code 3" in next(m.text for m in chart.marks if m.kind is MarkerKind.EXIT)
    assert "memory" in next(m.text for m in chart.marks if m.kind is MarkerKind.OOM)
    assert "paused" in chart.tooltip_at(T0 + 20, 2)
    assert "exit code 3" in chart.tooltip_at(T0 + 20, 0)
    assert chart.tooltip_at(T0 + 20, 0.5) == ""  # between rows


def test_a_swarm_task_is_named_by_its_slot_in_the_rows_and_the_tooltips(qtbot: Any) -> None:
    task = "web.1.x7k2m9q4r8t1v5w3y6z0a2b4c"  # the engine names a task's container <service>.<slot>.<task id>
    timeline = Timeline()
    for item in [event("t", "create", T0, name=task), event("t", "start", T0 + 1, name=task)]:
        timeline.apply_event(item)
    timeline.apply_event(event("t", "die", T0 + 5, name=task, exitCode="1"))
    chart = TimelineChart()
    qtbot.addWidget(chart)
    chart.show_timeline(timeline, now=T0 + 10)
    band = chart.tooltip_at(T0 + 3, 0)
    mark = chart.tooltip_at(T0 + 5, 0, time_slack=0.5)
    assert "web.1" in band and "web.1" in mark
    assert "x7k2" not in band + mark


def _near(colour: QColor, hex_colour: str) -> bool:
    expected = QColor(hex_colour)
    return all(abs(a - b) <= 12 for a, b in zip(colour.getRgb()[:3], expected.getRgb()[:3], strict=True))


def test_band_pixels_have_their_state_colour(qtbot: Any) -> None:
    chart = TimelineChart()
    qtbot.addWidget(chart)
    chart.resize(800, 300)
    chart.show()
    chart.show_timeline(sample_timeline(), now=T0 + 30)
    chart.setXRange(T0, T0 + 30, padding=0)
    qtbot.wait(50)
    view = chart.getViewBox()
    image: QImage = chart.grab().toImage()
    ratio = image.devicePixelRatio()

    def colour_at(time: float, row: float) -> QColor:
        widget_point = chart.mapFromScene(view.mapViewToScene(_point(time, row)))
        return image.pixelColor(int(widget_point.x() * ratio), int(widget_point.y() * ratio))

    assert _near(colour_at(T0 + 6.5, 0), STATE_COLOURS[State.RUNNING])
    assert _near(colour_at(T0 + 12.5, 0), STATE_COLOURS[State.EXITED])
    assert _near(colour_at(T0 + 17.5, 2), STATE_COLOURS[State.PAUSED])


def _point(x: float, y: float) -> Any:
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_zoom_and_pan_change_the_visible_time(qtbot: Any) -> None:
    chart = TimelineChart()
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    chart.show_timeline(sample_timeline(), now=T0 + 30)
    chart.setXRange(T0, T0 + 30, padding=0)
    left, right = chart.visible_range()
    chart.getViewBox().scaleBy(x=0.5, center=_point(T0 + 15, 1))  # what the wheel does
    zoomed = chart.visible_range()
    assert zoomed[1] - zoomed[0] == pytest.approx((right - left) / 2, rel=0.01)
    chart.getViewBox().translateBy(x=-5)  # what a drag does
    panned = chart.visible_range()
    assert panned[0] == pytest.approx(zoomed[0] - 5, abs=0.01)
    _, rows = chart.getViewBox().viewRange()
    assert rows[0] < 0 and rows[1] > 2  # rows never move


def panel_with(qtbot: Any, now: float) -> ChartsPanel:
    series: dict[str, ResourceSeries] = {}
    for index, container in enumerate(["a", "b", "c"]):
        one = series.setdefault(container, ResourceSeries())
        for second in range(20):
            one.add(T0 + 5 + second, 10.0 * (index + 1), 1024 * 1024 * (index + 5))
    feed = ChartsFeed(sample_timeline(), series, clock=lambda: now, interval_ms=20)
    panel = ChartsPanel(feed)
    qtbot.addWidget(panel)
    return panel


def test_panel_draws_lines_on_the_shared_axis_and_exports_png(qtbot: Any, tmp_path: Path) -> None:
    panel = panel_with(qtbot, now=T0 + 30)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.wait(50)  # the layout settles
    assert set(panel.cpu_chart.lines) == {"a", "b", "c"}
    x, y = panel.cpu_chart.lines["b"].getData()
    assert len(x) == 20 and y[0] == pytest.approx(20.0)
    _, memory = panel.memory_chart.lines["a"].getData()
    assert memory[0] == pytest.approx(5.0)  # MiB
    panel.timeline_chart.setXRange(T0 + 10, T0 + 20, padding=0)
    assert panel.cpu_chart.getViewBox().viewRange()[0] == pytest.approx([T0 + 10, T0 + 20], abs=0.5)
    target = tmp_path / "charts.png"
    expected = panel.charts.size() * panel.charts.devicePixelRatioF()  # the size the charts have on screen
    panel.save_png(target)
    image = QImage(str(target))
    assert image.width() == expected.width() and image.height() == expected.height()
    assert "charts.png" in panel.status.text()


def test_panel_csv_export_and_failure_message(qtbot: Any, tmp_path: Path) -> None:
    panel = panel_with(qtbot, now=T0 + 30)
    panel.save_csv(tmp_path / "run.csv")
    states = (tmp_path / "run-states.csv").read_text().splitlines()
    assert states[0].startswith("container,name,image,kind")
    assert any(",event,exit," in line and ",3," in line for line in states)
    assert len((tmp_path / "run-resources.csv").read_text().splitlines()) == 1 + 60
    panel._saving(panel.save_png, tmp_path / "missing" / "x.png")
    assert "could not be written" in panel.status.text()


def test_feed_emits_once_per_tick_however_many_changes(qtbot: Any) -> None:
    timeline = Timeline()
    feed = ChartsFeed(timeline, {}, interval_ms=30)
    emitted: list[int] = []
    feed.updated.connect(lambda: emitted.append(1))
    for _ in range(100):
        feed.mark_changed(["x"])
    qtbot.waitUntil(lambda: len(emitted) >= 1)
    qtbot.wait(100)
    assert len(emitted) == 1  # nothing runs and nothing changed since: no more redraws
    feed.stop()


def test_new_samples_are_appended_not_read_again(qtbot: Any) -> None:
    panel = panel_with(qtbot, now=T0 + 30)
    before = panel.series_arrays.arrays["a"]
    assert before.shape == (20, 3)
    panel.feed.series["a"].add(T0 + 40, 99.0, 1024 * 1024)
    panel.feed.add_samples(["a", "gone"])
    panel.redraw()
    after = panel.series_arrays.arrays["a"]
    assert after.shape == (21, 3) and after[-1, 1] == 99.0
    assert panel.series_arrays.arrays["b"] is panel.series_arrays.arrays["b"]  # untouched
    x, y = panel.cpu_chart.lines["a"].getData()
    assert x[-1] == T0 + 40 and y[-1] == 99.0
    panel.redraw()  # nothing new: the same rows, no duplicate
    assert panel.series_arrays.arrays["a"].shape == (21, 3)
