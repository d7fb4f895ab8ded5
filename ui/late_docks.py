"""Docks the window adds after its first picture and lists in the Run menu (instances, charts)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget


def add_run_menu_dock(
    window: QMainWindow, title: str, object_name: str, content: QWidget, tab_with: QDockWidget | None = None
) -> QDockWidget:
    """A bottom dock holding ``content``, shown again if the saved layout shows it, toggled from the Run menu.

    ``tab_with``: a dock to share a place with, as a tab (otherwise it stands beside the others). Turned on
    from the menu, the dock comes to the front of its tabs.

    It is hidden before it is placed: a shown dock would make the window grow to hold it.
    """
    dock = QDockWidget(title, window)
    dock.setObjectName(object_name)
    dock.setAccessibleName(title)
    dock.setWidget(content)
    dock.hide()
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    if tab_with is not None:
        window.tabifyDockWidget(tab_with, dock)
    window.restoreDockWidget(dock)
    toggle = dock.toggleViewAction()
    toggle.triggered.connect(lambda shown: dock.raise_() if shown else None)
    run_menu = window.findChild(QMenu, "RunMenu")
    if run_menu is not None:
        run_menu.addAction(toggle)
    return dock
