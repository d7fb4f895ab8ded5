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


def install_charts_panel(window: QMainWindow) -> QDockWidget:
    """Adds the charts dock to the main window, once (``window.charts_dock``; later ``window.charts_panel``).

    The dock starts hidden (View it from the Run menu). The first time it is shown the charts are made and
    observe the window's follower of the engine (``window.monitor``, :mod:`ui.monitor_feed`): its saved
    history at once, then its events and its samples (taken from then on: nobody charts, nothing sampled).
    Hidden again (closed, or behind another tab), the charts stop redrawing and nothing is sampled until
    they are shown once more.
    """
    existing = getattr(window, DOCK_ATTRIBUTE, None)
    if isinstance(existing, QDockWidget):
        return existing
    dock = add_run_menu_dock(window, say("panel.title"), "ChartsDock", QLabel(say("empty")))
    setattr(window, DOCK_ATTRIBUTE, dock)

    def shown(visible: bool) -> None:
        panel = getattr(window, PANEL_ATTRIBUTE, None)
        if panel is None:
            if visible:
                _make_panel(window, dock)
            return
        panel.feed.set_shown(visible)

    dock.visibilityChanged.connect(shown)
    if dock.isVisible():  # the saved layout showed it
        _make_panel(window, dock)
    return dock


def _make_panel(window: QMainWindow, dock: QDockWidget) -> ChartsPanel:
    from ui.charts_feed import ChartsFeed, observe
    from ui.monitor_feed import install_monitor
    from ui.widgets.charts.charts_panel import ChartsPanel

    monitor = install_monitor(window)  # the window's one follower of the engine, shared with the instances
    feed = ChartsFeed(monitor.timeline, monitor.series, parent=window)
    observe(feed, monitor)
    panel = ChartsPanel(feed)
    dock.setWidget(panel)
    setattr(window, PANEL_ATTRIBUTE, panel)
    return panel
