"""A window opening on its start page loads the File menu's work (:class:`ui.files.ProjectFiles`, with the
recovery copies and file dialogs) just after its first picture: the page shows the recent files and
offers every choice from the start, and everything works once the window has been painted."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from desktop.project import Project, save_project
from ui.files import ProjectFiles
from ui.mainwindow import MainWindow
from ui.recent_files import store_recent
from ui.widgets.start_page import StartPage

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.usefixtures("private_settings"),
]

FILE_ACTIONS = ("new", "open", "save", "save_as", "import_dockerfile", "export_dockerfile")


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def recent(tmp_path: Path, settings: QSettings) -> list[Path]:
    """Two saved projects in the recent list, and a third whose file is gone."""
    paths = [tmp_path / "shop.dockblocks", tmp_path / "gone.dockblocks", tmp_path / "demo.dockblocks"]
    for path in (paths[0], paths[2]):
        save_project(Project(), path)
    store_recent(settings, paths)
    return [paths[0], paths[2]]


def test_the_page_lists_recent_files_and_offers_everything_before_the_files_come(
    qtbot, controller_for, settings: QSettings, recent: list[Path]
) -> None:
    controller = controller_for("")
    page = StartPage(controller, None, settings, files_later=True)
    qtbot.addWidget(page)

    assert [button.text() for button in page.recent_buttons()] == [p.name for p in recent]
    assert all(card.isEnabled() for card in page.cards.values())
    assert page.open_button.isEnabled() and page.import_button.isEnabled()

    page.attach_files(None)  # the files module could not be loaded after all: nothing is offered
    assert not any(card.isEnabled() for card in page.cards.values())
    assert not page.open_button.isEnabled() and page.recent_buttons() == []


def test_files_attached_later_keep_the_recent_list(
    qtbot, controller_for, tmp_path: Path, settings: QSettings, recent: list[Path]
) -> None:
    controller = controller_for("")
    page = StartPage(controller, None, settings, files_later=True)
    qtbot.addWidget(page)
    holder = QWidget()
    qtbot.addWidget(holder)
    files = ProjectFiles(controller, holder, settings=settings, autosave_dir=tmp_path / "autosave")

    page.attach_files(files)
    newer = tmp_path / "newer.dockblocks"
    save_project(Project(), newer)
    assert files.open_project(newer)

    assert [button.text() for button in page.recent_buttons()] == [p.name for p in [newer, *recent]]
    assert all(card.isEnabled() for card in page.cards.values())
    files.autosaver.stop()


def test_the_window_has_its_files_right_after_its_first_picture(
    qtbot, controller_for, settings: QSettings, recent: list[Path]
) -> None:
    window = MainWindow(controller_for(""), settings, defer_editor=True)
    qtbot.addWidget(window)
    page = window.panel("start_page")
    assert isinstance(page, StartPage)
    assert [button.text() for button in page.recent_buttons()] == [p.name for p in recent]
    assert all(window.menu_actions[name].isEnabled() for name in FILE_ACTIONS)

    with qtbot.waitSignal(window.editorReady, timeout=5000):
        window.show()

    assert isinstance(window.files, ProjectFiles) and window.missing_panels() == []
    assert all(window.menu_actions[name].isEnabled() for name in FILE_ACTIONS)
    with qtbot.waitSignal(page.projectOpened):
        page.recent_buttons()[1].click()
    assert window.controller.path == recent[1]
    assert not window.is_showing_start_page()
    assert window.windowTitle().startswith("demo")
    window.files.autosaver.stop()  # type: ignore[union-attr]
