"""A main window as a user first meets it on a project: 1280x800, the editor in front, a close that
discards (the tests' projects are throw-away), its layout kept in the test's own folder."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ui.controller import DocumentController
from ui.mainwindow import MainWindow

ShownWidget = TypeVar("ShownWidget", bound=QWidget)


def shown(qtbot: QtBot, widget: ShownWidget, width: int, height: int) -> ShownWidget:
    """``widget``, closed with the test, shown at ``width`` x ``height`` and exposed."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def editor_window(qtbot: QtBot, controller: DocumentController, folder: Path) -> MainWindow:
    """The window on ``controller``'s project, shown at 1280x800 with the editor in front and active."""
    made = MainWindow(controller, QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat))
    assert made.files is not None
    made.files.ask_save_changes = lambda _name: QMessageBox.StandardButton.Discard
    shown(qtbot, made, 1280, 800)
    made.show_editor()
    made.activateWindow()
    qtbot.waitUntil(made.isActiveWindow)
    return made
