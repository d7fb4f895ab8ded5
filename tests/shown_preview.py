"""The Dockerfile preview shown on its own, as the preview's repaint tests look at it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from desktop.dockerfile import import_text
from desktop.project import Project
from ui.controller import DocumentController
from ui.widgets.preview import PreviewWidget


def show_preview(qtbot: Any, text: str) -> tuple[PreviewWidget, DocumentController]:
    """The preview of ``text`` at 700x420, shown and exposed, with its controller."""
    controller = DocumentController(Project(document=import_text(text)))
    preview = PreviewWidget(controller)
    qtbot.addWidget(preview)
    preview.resize(700, 420)
    preview.show()
    qtbot.waitExposed(preview)
    return preview, controller


def settle(qtbot: Any) -> None:
    """Lets the preview finish what an edit or a selection started (its repaints, a turn of deferred work)."""
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(20)
