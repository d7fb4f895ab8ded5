"""Letting go of widgets and their controllers in the main thread, at the end of a test."""

from __future__ import annotations

import gc

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ui.controller import DocumentController


def release(widgets: list[QObject], controllers: list[DocumentController]) -> None:
    """Delete the widgets, then their controllers, here in the main thread.

    Left to the garbage collector, they may be collected while a lint check runs Python in a worker thread:
    Qt objects deleted from the wrong thread (their timers then fire on freed memory), or a controller gone
    while its check still reports to it.
    """
    for widget in widgets:
        if isinstance(widget, QWidget):
            widget.close()
        shiboken6.delete(widget)
    widgets.clear()
    for controller in controllers:
        controller.wait_for_lint()
    controllers.clear()
    gc.collect()
