"""A main window as a user first meets it on a project: 1280x800, the editor in front, a close that
discards (the tests' projects are throw-away), its layout kept in the test's own folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ui.controller import DocumentController
from ui.mainwindow import MainWindow


def editor_window(qtbot: QtBot, controller: DocumentController, folder: Path) -> MainWindow:
    """The window on ``controller``'s project, shown at 1280x800 with the editor in front and active."""
    made = MainWindow(controller, QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(made)
    assert made.files is not None
    made.files.ask_save_changes = lambda _name: QMessageBox.StandardButton.Discard
    made.resize(1280, 800)
    made.show()
    qtbot.waitExposed(made)
    made.show_editor()
    made.activateWindow()
    qtbot.waitUntil(made.isActiveWindow)
    return made
