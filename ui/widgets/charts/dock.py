"""The charts dock in the main window: cheap to install, the charts themselves made when first shown.

pyqtgraph and numpy take about 0.6 s to import: the dock holds a light placeholder until the user opens it,
so neither start-up nor the first picture pays for charts nobody looked at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

from ui.late_docks import add_run_menu_dock
from ui.widgets.charts.texts import say

if TYPE_CHECKING:
    from ui.widgets.charts.charts_panel import ChartsPanel

DOCK_ATTRIBUTE = "charts_dock"
PANEL_ATTRIBUTE = "charts_panel"
FEED_TASK = "charts.feed"
SAMPLER_TASK = "charts.sampler"


def install_charts_panel(window: QMainWindow) -> QDockWidget:
    """Adds the charts dock to the main window, once (``window.charts_dock``; later ``window.charts_panel``).

    The dock starts hidden (View it from the Run menu). The first time it is shown the charts are made and
    follow the engine in use (``window.engine``): an events feed fills the timeline and a sampler (a few
    worker threads, one-shot stats) samples the running instances once a second; both start again on every
    change of engine.
    """
    existing = getattr(window, DOCK_ATTRIBUTE, None)
    if isinstance(existing, QDockWidget):
        return existing
    dock = add_run_menu_dock(window, say("panel.title"), "ChartsDock", QLabel(say("empty")))
    setattr(window, DOCK_ATTRIBUTE, dock)

    def shown(visible: bool) -> None:
        if visible and getattr(window, PANEL_ATTRIBUTE, None) is None:
            _make_panel(window, dock)

    dock.visibilityChanged.connect(shown)
    if dock.isVisible():  # the saved layout showed it
        _make_panel(window, dock)
    return dock


def _make_panel(window: QMainWindow, dock: QDockWidget) -> ChartsPanel:
    from desktop.engine.events import HistoryFeed
    from desktop.engine.sampler import Sampler
    from desktop.history.timeline import Timeline
    from ui.asyncqt import AsyncRunner
    from ui.charts_feed import ChartsFeed
    from ui.engine_monitor import ENGINE_ATTRIBUTE
    from ui.widgets.charts.charts_panel import ChartsPanel

    runner = AsyncRunner.of(window)
    engine = getattr(window, ENGINE_ATTRIBUTE)
    feed = ChartsFeed(Timeline(), {}, parent=window)
    panel = ChartsPanel(feed)
    dock.setWidget(panel)
    setattr(window, PANEL_ATTRIBUTE, panel)

    followed: list[object] = [None]

    def follow() -> None:
        if engine.info is None or (engine.info is followed[0] and runner.is_running(FEED_TASK)):
            return  # lost (the feed retries and reconciles on its own), or the same engine still followed
        for name in (FEED_TASK, SAMPLER_TASK):
            runner.cancel(name)
        followed[0] = engine.info
        timeline = Timeline()
        sampler = Sampler(lambda: engine.new_api_client(), on_samples=feed.add_samples)

        def timeline_changed() -> None:
            sampler.watch(timeline.running())  # only running instances cost a sample
            feed.mark_changed()

        history = HistoryFeed(timeline, lambda: engine.new_api_client(), on_change=timeline_changed)
        feed.replace(timeline, sampler.series)
        runner.start(FEED_TASK, history.run())
        runner.start(SAMPLER_TASK, sampler.run())

    engine.stateChanged.connect(follow)
    follow()
    return panel
