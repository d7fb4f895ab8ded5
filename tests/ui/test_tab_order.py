"""Tab goes through the window in the order a user reads it: from the blocks into the chosen block's
settings, field by field, then on to the Dockerfile's buttons, for every block chosen one after another."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from shown_window import editor_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _stops_after(qtbot, start: QWidget, count: int) -> list[str]:
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    names = []
    for _ in range(count):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        names.append(QApplication.focusWidget().objectName())
    return names


def test_tab_goes_from_the_blocks_into_the_chosen_blocks_settings(
    qtbot, controller_for, tmp_path: Path
) -> None:
    controller = controller_for("FROM alpine\nRUN apk add python3\nWORKDIR /app\n")
    window = editor_window(qtbot, controller, tmp_path)
    canvas, inspector = window.panel("canvas"), window.panel("inspector")
    for block in controller.document.blocks:  # a new form each time: each must take its place again
        controller.select([block.id])
        stops = _stops_after(qtbot, canvas, 12)
        inside = stops[: stops.index("ExplainToggle")]
        assert inside and all(inspector.findChild(QWidget, name) is not None for name in inside), stops
        assert "InspectorScroll" not in stops, "the scroll area is no stop of its own (it shows no focus)"
        assert any(name.startswith("field-") for name in inside), stops
        assert stops.index("ExplainToggle") < stops.index("PreviewText"), stops
