"""The Dockerfile preview shown on its own, as the preview's repaint tests look at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
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


def preview_fixture(text: str) -> Callable[..., Iterator[tuple[PreviewWidget, DocumentController]]]:
    """A ``shown`` fixture: the preview of ``text``, settled, and its controller (its checks waited for)."""

    @pytest.fixture
    def shown(qtbot: Any) -> Iterator[tuple[PreviewWidget, DocumentController]]:
        preview, controller = show_preview(qtbot, text)
        settle(qtbot)
        yield preview, controller
        controller.wait_for_lint()

    return shown


@contextmanager
def steady_cursor() -> Iterator[None]:
    """A text cursor that does not blink meanwhile: a blink between two pictures is no difference."""
    flash = QApplication.cursorFlashTime()
    QApplication.setCursorFlashTime(0)
    try:
        yield
    finally:
        QApplication.setCursorFlashTime(flash)
