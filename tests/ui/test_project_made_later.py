"""A window opening on its start page without a project (``dockblocks`` with no command) makes its project
(the controller, with the block model, the renderer and the project format) just after its first picture:
the first picture does not wait for that code, Undo and Redo are there and off until then, and a choice
made on the start page meanwhile is carried out, not lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from desktop.blocks.operations import SetParams
from ui.mainwindow import EDITOR_FALLBACK_MS, MainWindow
from ui.widgets.start_page import StartPage

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.usefixtures("private_settings"),
]

# What the project brings; the start page needs none of it (bench/ui_cold_start.py).
PROJECT_MODULES = ("ui.controller", "desktop.blocks.model", "desktop.dockerfile", "desktop.project")


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    made = MainWindow(None, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat), defer_editor=True)
    qtbot.addWidget(made)
    return made


def _no_questions(window: MainWindow) -> None:
    assert window.files is not None
    window.files.ask_save_changes = lambda _name: QMessageBox.StandardButton.Discard
    window.files.autosaver.stop()


def test_the_first_picture_needs_no_project_code(tmp_path: Path) -> None:
    probe = (
        "import sys, desktop.cli, ui.app\n"
        "ui.app.create_application(['probe'])\n"
        "window = ui.app.create_main_window(defer_editor=True)\n"
        f"print(','.join(name for name in {PROJECT_MODULES!r} if name in sys.modules))\n"
        "window.build_editor()\n"  # what the window does just after its first picture
        f"print(','.join(name for name in {PROJECT_MODULES!r} if name in sys.modules))\n"
        "print(len(window.controller.document.blocks), window.menu_actions['undo'].text())\n"
        "window.controller.wait_for_lint()\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env)
    before, after, state = done.stdout.splitlines()
    assert before == "", f"made before the first picture: {before}"
    assert after == ",".join(PROJECT_MODULES)
    assert state == "0 Undo"


def test_undo_and_redo_wait_for_the_project_then_follow_it(window: MainWindow) -> None:
    undo, redo = window.menu_actions["undo"], window.menu_actions["redo"]
    assert (undo.text(), redo.text()) == ("Undo", "Redo")
    assert not undo.isEnabled() and not redo.isEnabled()
    assert not window.isWindowModified() and window.windowTitle() == "Untitled[*] — Dockblocks"

    window.build_editor()  # just after the first picture
    _no_questions(window)
    assert window.files is not None and window.files.new_project("python-alpine")
    controller = window.controller
    from_block = next(b for b in controller.document.blocks if b.kind.value == "FROM")
    controller.apply(SetParams(from_block.id, {"image": "debian"}))
    assert undo.isEnabled() and undo.text().startswith("Undo ") and not redo.isEnabled()
    assert window.isWindowModified()
    undo.trigger()
    assert controller.block(from_block.id).params["image"] == "alpine"
    assert redo.isEnabled() and redo.text().startswith("Redo ")
    redo.trigger()
    assert controller.block(from_block.id).params["image"] == "debian"


def test_a_template_clicked_before_the_window_made_its_project_is_started(qtbot, window: MainWindow) -> None:
    page = window.panel("start_page")
    assert isinstance(page, StartPage) and not window.is_editor_ready()
    # The click comes before the window's own step after its first picture (a queued click, say).
    with qtbot.waitSignal(page.projectOpened, timeout=2000):
        qtbot.mouseClick(page.cards["python-alpine"], Qt.MouseButton.LeftButton)
    _no_questions(window)
    assert window.is_editor_ready() and not window.is_showing_start_page()
    kinds = [b.kind.value for b in window.controller.document.blocks]
    assert {"FROM", "RUN", "CMD"} <= set(kinds)
    assert window.menu_actions["undo"].text() == "Undo"  # a new project: nothing to undo yet
    with qtbot.waitSignal(window.editorReady, timeout=EDITOR_FALLBACK_MS * 3, raising=False):
        pass  # the window's own later step finds everything made and changes nothing
    assert [b.kind.value for b in window.controller.document.blocks] == kinds


def test_the_edit_menu_follows_the_selection_of_the_project_made_later(qtbot, window: MainWindow) -> None:
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    window.build_editor()
    _no_questions(window)
    assert window.files is not None and window.files.new_project("python-alpine")
    window.show_editor()
    duplicate = window.menu_actions["duplicate"]
    controller = window.controller
    controller.select([controller.document.blocks[1].id])
    assert duplicate.isEnabled()
    controller.select([])
    assert not duplicate.isEnabled()
