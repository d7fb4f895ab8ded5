"""Projects handed to Dockblocks from outside its window.

A double-clicked ``.dockblocks`` file starts ``dockblocks PATH`` on Windows (the installer's file association)
and on Linux (the ``.desktop`` file's ``%f``). macOS passes no argument: it sends the app an open-document
event (a QFileOpenEvent), also when the double-click is what starts it. Both end in
:func:`open_given_project`, which opens the file as File > Open does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent

if TYPE_CHECKING:
    from ui.mainwindow import MainWindow


def open_given_project(window: MainWindow, path: Path) -> bool:
    """Open ``path`` in ``window`` as File > Open would: asking first about unsaved work, and saying in plain
    words what is wrong with a file that cannot be opened.

    Returns:
        Whether the project is now open.
    """
    files = window.files
    return files is not None and files.open_project(path)


def open_soon(window: MainWindow, path: Path) -> None:
    """Open ``path`` once the event loop runs: after the first picture, and never inside the event that
    asked (opening may show a message box)."""
    QTimer.singleShot(0, window, lambda: open_given_project(window, path))


class FileOpenEvents(QObject):
    """Opens the projects macOS hands over; installed on the application, it lives as long as the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent) and event.file():
            open_soon(self._window, Path(event.file()))
            return True
        return super().eventFilter(watched, event)
