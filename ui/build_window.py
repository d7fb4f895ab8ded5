"""The build in the main window: the Build panel in a dock beside the findings, the Build menu (Build Image
Ctrl+B, Cancel Build Ctrl+Shift+B, Show the Build Panel) and the build marks on the canvas.

:func:`install_build_panel` is all the main window calls.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget

from ui.asyncqt import AsyncRunner
from ui.build_panel import BuildPanel
from ui.widgets.build_marks import BuildMarks
from ui.widgets.build_states import say


def install_build_panel(window: Any) -> BuildPanel:
    """Give a main window its Build panel (a dock beside the findings), Build menu and canvas marks (once)."""
    from ui.widgets.build_marks import BuildMarksOverlay, follow_document

    existing = getattr(window, "build_panel", None)
    if isinstance(existing, BuildPanel):
        return existing
    marks = BuildMarks(window)
    panel = BuildPanel(
        window.controller, AsyncRunner.of(window), lambda: getattr(window, "engine", None), marks
    )
    dock = QDockWidget(say("panel.title"), window)
    dock.setObjectName("BuildDock")
    dock.setAccessibleName(say("panel.title"))
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    findings = getattr(window, "findings_dock", None)
    if findings is not None:
        window.tabifyDockWidget(findings, dock)
    dock.hide()
    window.controller.changed.connect(lambda change: follow_document(marks, change))

    def show_block(block_id: str) -> None:
        window.show_editor()
        window.controller.select([block_id])

    panel.blockRequested.connect(show_block)

    def show_panel() -> None:
        window.show_editor()
        dock.show()
        dock.raise_()

    panel.on_start = show_panel
    actions = _build_menu(window, panel, dock)

    def attach_marks() -> bool:
        canvas = window.panel("canvas") if window.is_editor_ready() else None
        if canvas is None or not hasattr(canvas, "document_model"):
            return False  # not made yet (or a note stands in its place)
        if canvas.findChild(BuildMarksOverlay) is None:
            BuildMarksOverlay(canvas, marks)
        return True

    if not attach_marks():
        window.editorReady.connect(attach_marks)
    engine = getattr(window, "engine", None)
    if engine is not None:
        engine.stateChanged.connect(panel.follow_engine)
    panel.follow_engine()
    window.build_panel = panel
    window.build_dock = dock
    window.menu_actions.by_name.update(actions)
    return panel


def _build_menu(window: Any, panel: BuildPanel, dock: QDockWidget) -> dict[str, QAction]:
    menu_bar = window.menuBar()
    menu = menu_bar.addMenu(say("panel.menu"))
    menu.setObjectName("BuildMenu")
    # Build comes before Run (one makes what the other starts), else before Help, the last menu.
    others = [a for a in menu_bar.actions() if a is not menu.menuAction()]
    run = next((a for a in others if a.menu() is not None and a.menu().objectName() == "RunMenu"), None)
    before = run if run is not None else (others[-1] if others else None)
    if before is not None:
        menu_bar.insertMenu(before, menu)
    build = QAction(say("panel.menu_build"), window)
    build.setObjectName("BuildAction")
    build.setShortcut(QKeySequence("Ctrl+B"))
    build.setStatusTip(say("panel.build_tip"))
    build.triggered.connect(panel.start_build)
    cancel = QAction(say("panel.menu_cancel"), window)
    cancel.setObjectName("CancelBuildAction")
    cancel.setShortcut(QKeySequence("Ctrl+Shift+B"))
    cancel.setStatusTip(say("panel.cancel_tip"))
    cancel.triggered.connect(panel.cancel_build)
    cancel.setEnabled(False)
    show = dock.toggleViewAction()
    show.setText(say("panel.menu_show"))
    for action in (build, cancel):
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction(show)

    def building(running: bool) -> None:
        cancel.setEnabled(running)
        build.setEnabled(not running)

    panel.buildingChanged.connect(building)
    return {"build": build, "cancel_build": cancel, "show_build": show}
