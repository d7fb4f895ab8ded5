"""A live tick paints only the strip of the charts that grew: what the screen then shows must be exactly what
a fresh paint of the whole charts shows (lines, open bands, axes and grid), tick after tick."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QWidget
from screen_pixels import on_screen as _on_screen
from screen_pixels import painted_afresh as _painted_afresh

from desktop.history.series import ResourceSeries
from desktop.history.timeline import Timeline
from ui.charts_feed import ChartsFeed
from ui.widgets.charts.charts_panel import ChartsPanel

T0 = 1_700_000_000.0
INSTANCES = ["a", "b", "c", "d"]


def event(container: str, action: str, at: float) -> dict[str, Any]:
    return {
        "Type": "container",
        "Action": action,
        "Actor": {"ID": container, "Attributes": {"name": container, "image": "busybox"}},
        "timeNano": int(at * 1e9),
    }


def _settle(qtbot: Any) -> None:
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(10)


def test_live_ticks_show_exactly_what_a_fresh_paint_shows(qtbot: Any) -> None:
    timeline = Timeline()
    series: dict[str, ResourceSeries] = {}
    for index, container in enumerate(INSTANCES):
        timeline.apply_event(event(container, "create", T0 + index))
        timeline.apply_event(event(container, "start", T0 + index + 0.5))
        one = series[container] = ResourceSeries()
        for second in range(60):
            one.add(T0 + second, (second * (index + 3)) % 40 + 1.0, 1024 * 1024 * (index + 5 + second % 7))
    now = [T0 + 60]
    feed = ChartsFeed(timeline, series, clock=lambda: now[0], interval_ms=3_600_000)
    panel = ChartsPanel(feed)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    _settle(qtbot)
    charts = (panel.timeline_chart, panel.cpu_chart, panel.memory_chart)
    strips = 0
    for tick in range(1, 13):
        now[0] += 1.0
        for index, container in enumerate(INSTANCES):
            series[container].add(now[0], (tick * (index + 7)) % 35 + 2.0, 1024 * 1024 * (6 + tick % 5))
        feed.add_samples(INSTANCES)
        panel.redraw()
        exposed: list[QRect] = []
        for chart in charts:
            chart.paintEvent = _recording(chart, exposed)
        _settle(qtbot)
        for chart in charts:
            del chart.paintEvent  # back to the class's own
        strips += sum(1 for rect in exposed if rect.width() < panel.cpu_chart.viewport().width() / 4)
        for chart in charts:
            assert _on_screen(chart.viewport()) == _painted_afresh(chart.viewport()), (
                f"{chart.objectName()} after tick {tick}"
            )
    assert strips >= 12  # the ticks did paint strips, not the whole charts: the comparison tested them


def _recording(chart: QWidget, exposed: list[QRect]) -> Any:
    """The chart's own paint, noting the part of it each paint was asked for."""
    paint = type(chart).paintEvent

    def recorded(event: Any) -> None:
        exposed.append(event.rect())
        paint(chart, event)

    return recorded
