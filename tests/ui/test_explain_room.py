"""Switching "Explain" on gives the Dockerfile's column room for its explanations; off gives it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from shown_window import editor_window

from ui.explain_room import CANVAS_LEAST, PREVIEW_SHARE, SETTINGS_LEAST, SIDE_SHARE
from ui.mainwindow import MainWindow

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.usefixtures("private_settings"),
]


@pytest.fixture
def window(qtbot, controller, tmp_path: Path) -> MainWindow:
    return editor_window(qtbot, controller, tmp_path)


def test_explaining_widens_the_dockerfiles_column_and_gives_the_room_back(qtbot, window: MainWindow) -> None:
    preview = window.panel("preview")
    before, column = window.editor.sizes(), window.side_splitter.sizes()
    narrow_notes = preview.editor.explain_width() or 0
    window.menu_actions["explain"].trigger()
    qtbot.wait(20)
    widened = window.editor.sizes()
    assert widened[2] > before[2] and widened[1] < before[1] and widened[0] == before[0]
    assert widened[2] >= round(sum(widened) * SIDE_SHARE) - 2 or widened[1] == CANVAS_LEAST
    assert preview.editor.explain_width() > max(narrow_notes, 200)  # explanations get more room
    taller = window.side_splitter.sizes()  # and the Dockerfile more lines, under the settings
    assert taller[1] > column[1] and taller[0] < column[0]
    assert taller[1] >= round(sum(taller) * PREVIEW_SHARE) - 2 or taller[0] == SETTINGS_LEAST
    window.menu_actions["explain"].trigger()
    qtbot.wait(20)
    assert window.editor.sizes() == before and window.side_splitter.sizes() == column


def test_a_divider_moved_while_explaining_stays_where_the_user_put_it(qtbot, window: MainWindow) -> None:
    window.menu_actions["explain"].trigger()
    qtbot.wait(20)
    sizes = window.editor.sizes()
    moved = [sizes[0], sizes[1] + 60, sizes[2] - 60]
    window.editor.setSizes(moved)
    chosen = window.editor.sizes()
    window.menu_actions["explain"].trigger()
    qtbot.wait(20)
    assert window.editor.sizes() == chosen
