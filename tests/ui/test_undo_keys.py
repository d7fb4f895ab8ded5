"""Ctrl+Z in a text field with nothing of its own to undo undoes the project's last step (the drop of a
block, whose first field got the keyboard); with typing to take back, the field's own undo comes first."""

from __future__ import annotations

from pathlib import Path

import pytest
from canvas_drops import drop, kind_mime, spot
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from shown_window import editor_window

from desktop.blocks.kinds import Kind
from ui.mainwindow import MainWindow

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.usefixtures("private_settings"),
]


@pytest.fixture
def window(qtbot, controller_for, tmp_path: Path) -> MainWindow:
    return editor_window(qtbot, controller_for("FROM alpine:3.20\nRUN echo hi\n"), tmp_path)


def _press(qtbot, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, key, modifiers)


def test_ctrl_z_right_after_a_drop_takes_the_block_away(qtbot, window: MainWindow) -> None:
    controller, canvas = window.controller, window.panel("canvas")
    drop(canvas, kind_mime(Kind.RUN), spot(canvas, 1, "lower"))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not canvas)
    assert QApplication.focusWidget().objectName() == "field-command"  # the new block's first field
    assert len(controller.document.blocks) == 3
    _press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(controller.document.blocks) == 2  # the drop undone
    _press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(controller.document.blocks) == 3  # and done again


def test_a_fields_own_typing_is_taken_back_first(qtbot, window: MainWindow) -> None:
    controller, canvas = window.controller, window.panel("canvas")
    drop(canvas, kind_mime(Kind.WORKDIR), spot(canvas, 1, "lower"))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not canvas)
    field = QApplication.focusWidget()
    workdir = controller.document.blocks[2]
    starter = workdir.params["path"]  # a new WORKDIR suggests a folder, selected so typing replaces it
    qtbot.keyClicks(field, "/srv")
    qtbot.waitUntil(lambda: workdir.params["path"] == "/srv", timeout=3000)
    _press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: workdir.params["path"] == starter, timeout=3000)
    assert len(controller.document.blocks) == 3  # the typing went, the block stays
    assert controller.undo_stack.undoText() == "Add WORKDIR"  # typing taken back leaves no step
    _press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing more to take back here
    assert len(controller.document.blocks) == 2
