"""The main window: its panels, menus and shortcuts, undo/redo, the unsaved-work marker, asking before
closing, the remembered layout and the start page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDockWidget, QLineEdit, QMenu, QMessageBox, QSplitter, QWidget

import desktop
from desktop.blocks.kinds import Kind
from desktop.blocks.operations import SetParams
from desktop.dockerfile import import_text
from desktop.project import Project
from ui.controller import DocumentController
from ui.mainwindow import FOCUS_ORDER, MainWindow

# The offscreen test platform cannot pass a window's size limits on; real platforms can.
pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.usefixtures("private_settings"),
]

Button = QMessageBox.StandardButton
PANELS = ("Palette", "Canvas", "Inspector", "Preview", "Findings", "StartPage")


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


def _make_window(qtbot, controller: DocumentController, settings: QSettings) -> MainWindow:
    made = MainWindow(controller, settings)
    qtbot.addWidget(made)
    assert made.files is not None
    # Closing at the end of a test must not wait for an answer: unsaved test edits are let go.
    made.files.ask_save_changes = lambda _name: Button.Discard
    return made


@pytest.fixture
def window(qtbot, controller: DocumentController, settings: QSettings) -> MainWindow:
    made = _make_window(qtbot, controller, settings)
    made.resize(1280, 800)
    made.show()
    qtbot.waitExposed(made)
    return made


def _from_block(controller: DocumentController) -> str:
    return next(b.id for b in controller.document.blocks if b.kind is Kind.FROM)


def _menu(window: MainWindow, object_name: str) -> QMenu:
    menu = window.menuBar().findChild(QMenu, object_name)
    assert menu is not None, object_name
    return menu


def test_opens_at_1280x800_with_every_panel(window: MainWindow) -> None:
    assert window.objectName() == "MainWindow"
    assert window.size().width() == 1280 and window.size().height() == 800
    for name in PANELS:
        panel = window.findChild(QWidget, name)
        assert panel is not None, f"no widget named {name}"
        assert panel.accessibleName(), f"{name} has no accessible name"
    assert window.missing_panels() == []
    # An opened project shows the editor: palette, canvas, inspector and preview side by side.
    assert not window.is_showing_start_page()
    shown = [window.panel(n) for n in ("palette", "canvas", "inspector", "preview", "findings")]
    assert all(p.isVisible() for p in shown)
    left = [p.mapTo(window, p.rect().topLeft()).x() for p in shown[:3]]
    assert left[0] < left[1] < left[2], "palette, canvas and settings should sit left to right"
    inspector, preview = (
        window.panel(n).mapTo(window, window.panel(n).rect().topLeft()) for n in ("inspector", "preview")
    )
    assert inspector.y() < preview.y(), "the settings should sit above the Dockerfile"
    dock = window.findChild(QDockWidget, "FindingsDock")
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea


@pytest.mark.parametrize(
    ("menu", "action", "keys"),
    [
        ("FileMenu", "new", "Ctrl+N"),
        ("FileMenu", "open", "Ctrl+O"),
        ("FileMenu", "save", "Ctrl+S"),
        ("FileMenu", "save_as", "Ctrl+Shift+S"),
        ("FileMenu", "import_dockerfile", "Ctrl+I"),
        ("FileMenu", "export_dockerfile", "Ctrl+E"),
        ("FileMenu", "export_dockerignore", ""),
        ("FileMenu", "quit", "Ctrl+Q"),
        ("EditMenu", "undo", "Ctrl+Z"),
        ("EditMenu", "redo", "Ctrl+Y"),
        ("EditMenu", "cut", "Ctrl+X"),
        ("EditMenu", "copy", "Ctrl+C"),
        ("EditMenu", "paste", "Ctrl+V"),
        ("EditMenu", "duplicate", "Ctrl+D"),
        ("EditMenu", "delete", "Del"),
        ("EditMenu", "select_all", "Ctrl+A"),
        ("ViewMenu", "explain", "F1"),
        ("ViewMenu", "edit_as_text", "Ctrl+T"),
        ("ViewMenu", "reset_layout", ""),
        ("ViewMenu", "zoom_in", "Ctrl+="),
        ("ViewMenu", "zoom_out", "Ctrl+-"),
        ("ViewMenu", "zoom_reset", "Ctrl+0"),
        ("HelpMenu", "about", ""),
        ("HelpMenu", "reference", ""),
    ],
)
def test_menus_hold_the_actions_with_their_shortcuts(
    window: MainWindow, menu: str, action: str, keys: str
) -> None:
    found = window.menu_actions[action]
    assert found in _menu(window, menu).actions()
    assert found.text().replace("&", "").strip()
    if keys:
        assert QKeySequence(keys) in found.shortcuts()


def test_recent_and_panel_submenus(window: MainWindow) -> None:
    file_actions = _menu(window, "FileMenu").actions()
    assert window.menu_actions.recent_menu.menuAction() in file_actions
    panels = _menu(window, "PanelsMenu").actions()
    assert [a.objectName() for a in panels] == [
        f"action_show_{n}" for n in ("palette", "inspector", "preview", "findings")
    ]


def test_no_shortcut_is_used_twice(window: MainWindow) -> None:
    seen: dict[str, str] = {}
    for name, action in window.menu_actions.by_name.items():
        for key in action.shortcuts():
            text = key.toString()
            assert text not in seen, f"{text} is the shortcut of {seen.get(text)} and {name}"
            seen[text] = name


def test_undo_and_redo_follow_the_stack_with_readable_texts(
    window: MainWindow, controller: DocumentController
) -> None:
    undo, redo = window.menu_actions["undo"], window.menu_actions["redo"]
    assert not undo.isEnabled() and not redo.isEnabled()
    controller.apply(SetParams(_from_block(controller), {"tag": "3.13-slim"}))
    assert undo.isEnabled() and undo.text() == "Undo Change tag"
    undo.trigger()
    assert controller.block(_from_block(controller)).params["tag"] == "3.12-slim"
    assert redo.isEnabled() and redo.text() == "Redo Change tag"
    redo.trigger()
    assert controller.block(_from_block(controller)).params["tag"] == "3.13-slim"


def test_title_shows_the_name_and_a_star_for_unsaved_work(
    window: MainWindow, controller: DocumentController
) -> None:
    assert window.windowTitle() == "Untitled[*] — Dockblocks"
    assert not window.isWindowModified()
    controller.apply(SetParams(_from_block(controller), {"tag": "3.13-slim"}))
    assert window.isWindowModified()
    controller.undo_stack.undo()
    assert not window.isWindowModified(), "back at the saved state: no star"
    controller.replace_project(Project(document=import_text("FROM alpine\n"), name="classroom"), None)
    assert window.windowTitle() == "classroom[*] — Dockblocks"


def test_closing_with_unsaved_work_asks_first(window: MainWindow, controller: DocumentController) -> None:
    assert window.files is not None
    asked: list[str] = []
    answers = [Button.Cancel, Button.Discard]

    def answer(name: str) -> QMessageBox.StandardButton:
        asked.append(name)
        return answers.pop(0)

    window.files.ask_save_changes = answer
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    controller.apply(SetParams(_from_block(controller), {"tag": "3.13-slim"}))
    assert not window.close(), "Cancel keeps the window open"
    assert window.isVisible() and not closed and asked == ["Untitled"]
    assert window.close(), "Discard closes it"
    assert not window.isVisible() and closed == [True] and len(asked) == 2


def test_closing_saved_work_asks_nothing(window: MainWindow) -> None:
    assert window.files is not None
    window.files.ask_save_changes = lambda _name: pytest.fail("nothing unsaved: no question")
    assert window.close()


def test_layout_is_remembered(qtbot, controller: DocumentController, settings: QSettings) -> None:
    first = _make_window(qtbot, controller, settings)
    first.resize(760, 540)  # the offscreen test screen is 800 x 800
    first.show()
    qtbot.waitExposed(first)
    first.set_panel_visible("palette", False)
    first.set_panel_visible("findings", False)
    first.side_splitter.setSizes([200, 400])
    QApplication.processEvents()
    sizes = first.side_splitter.sizes()
    first.save_layout()
    first.hide()

    second = _make_window(qtbot, controller, settings)
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (760, 540)
    assert not second.panel("palette").isVisible()
    assert not second.findChild(QDockWidget, "FindingsDock").isVisible()
    assert not second.menu_actions["show_palette"].isChecked()
    QApplication.processEvents()
    assert second.side_splitter.sizes() == pytest.approx(sizes, abs=2)

    second.reset_layout()
    assert second.panel("palette").isVisible() and second.findChild(QDockWidget, "FindingsDock").isVisible()
    assert settings.value("window/geometry") is None, "reset forgets the saved layout"


def test_panel_entries_hide_and_show_panels(window: MainWindow) -> None:
    for name in ("palette", "inspector", "preview"):
        window.menu_actions[f"show_{name}"].trigger()
        assert not window.panel(name).isVisible()
        window.menu_actions[f"show_{name}"].trigger()
        assert window.panel(name).isVisible()
    dock = window.findChild(QDockWidget, "FindingsDock")
    dock.close()  # its own close button
    assert not window.menu_actions["show_findings"].isChecked()
    window.menu_actions["show_findings"].trigger()
    assert dock.isVisible()


def test_start_page_in_front_until_a_project_is_open(qtbot, settings: QSettings) -> None:
    empty = DocumentController()
    window = _make_window(qtbot, empty, settings)
    window.show()
    qtbot.waitExposed(window)
    assert window.is_showing_start_page()
    assert window.findChild(QWidget, "StartPage").isVisible()
    assert not window.findChild(QDockWidget, "FindingsDock").isVisible(), (
        "no findings panel on the start page"
    )
    assert not window.menu_actions["duplicate"].isEnabled()
    empty.replace_project(Project(document=import_text("FROM alpine\n")), None)
    assert not window.is_showing_start_page()
    assert window.panel("canvas").isVisible() and window.findChild(QDockWidget, "FindingsDock").isVisible()
    window.menu_actions["start_page"].trigger()
    assert window.is_showing_start_page()
    window.menu_actions["start_page"].trigger()
    assert not window.is_showing_start_page()
    empty.wait_for_lint()


def test_edit_entries_act_on_blocks_or_on_the_focused_text_field(
    window: MainWindow, controller: DocumentController, qtbot
) -> None:
    canvas = window.panel("canvas")
    canvas.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is canvas)
    window.menu_actions["select_all"].trigger()
    assert controller.selection() == [b.id for b in controller.document.blocks]
    calls: list[str] = []
    for method in ("copy_selection", "cut_selection", "paste", "duplicate_selection", "delete_selection"):
        setattr(canvas, method, lambda name=method: calls.append(name))
    for action in ("copy", "cut", "paste", "duplicate", "delete"):
        window.menu_actions[action].trigger()
    assert calls == ["copy_selection", "cut_selection", "paste", "duplicate_selection", "delete_selection"]

    field = QLineEdit("hello world", window.panel("inspector"))
    field.show()
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    field.selectAll()
    window.menu_actions["copy"].trigger()
    assert QApplication.clipboard().text() == "hello world"
    window.menu_actions["delete"].trigger()
    assert field.text() == ""
    assert len(calls) == 5, "with a text field focused, the blocks are left alone"


def test_recent_menu_lists_recent_projects(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert window.files is not None
    monkeypatch.setattr(window.files, "recent_files", lambda: [])
    window.fill_recent_menu()
    [empty] = window.menu_actions.recent_menu.actions()
    assert not empty.isEnabled() and empty.text() == "No recent projects"
    paths = [tmp_path / "web & api.dockblocks", tmp_path / "hello.dockblocks"]
    opened: list[Path] = []
    monkeypatch.setattr(window.files, "recent_files", lambda: paths)
    monkeypatch.setattr(window.files, "open_recent", opened.append)
    window.fill_recent_menu()
    entries = window.menu_actions.recent_menu.actions()
    assert [a.text() for a in entries] == ["&1 web && api.dockblocks", "&2 hello.dockblocks"]
    entries[1].trigger()
    assert opened == [paths[1]]


def test_view_toggles_drive_the_preview_buttons(window: MainWindow) -> None:
    from PySide6.QtWidgets import QAbstractButton

    for action, name in (("explain", "ExplainToggle"), ("edit_as_text", "EditAsTextToggle")):
        button = window.findChild(QAbstractButton, name)
        assert button is not None and window.menu_actions[action].isEnabled()
        window.menu_actions[action].setChecked(True)
        assert button.isChecked()
        button.setChecked(False)
        assert not window.menu_actions[action].isChecked()


def test_zoom_changes_the_whole_window_font(window: MainWindow, qtbot) -> None:
    theme = window.theme
    before = QApplication.font().pointSizeF()
    try:
        window.menu_actions["zoom_in"].trigger()
        assert QApplication.font().pointSizeF() > before
        canvas = window.panel("canvas")
        qtbot.waitUntil(lambda: canvas.font().pointSizeF() == QApplication.font().pointSizeF())
        assert theme.scale > 1.0
        window.menu_actions["zoom_out"].trigger()
        window.menu_actions["zoom_out"].trigger()
        assert QApplication.font().pointSizeF() < before
    finally:
        theme.reset_zoom()
    assert QApplication.font().pointSizeF() == before


def test_splitters_keep_every_panel(window: MainWindow) -> None:
    for splitter in window.findChildren(QSplitter):
        if splitter.objectName() in ("EditorSplitter", "SideSplitter"):
            assert not splitter.childrenCollapsible()
            assert all(size > 0 for size in splitter.sizes())


def test_keyboard_reaches_every_panel(window: MainWindow, qtbot) -> None:
    window.menu_actions["find_block"].trigger()
    search = window.findChild(QLineEdit, "PaletteSearch")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search)
    visited = []
    for _ in FOCUS_ORDER:
        window.menu_actions["next_panel"].trigger()
        focus = QApplication.focusWidget()
        visited.append(
            next(n for n in FOCUS_ORDER if window.panel(n).isAncestorOf(focus) or window.panel(n) is focus)
        )
    assert visited == ["canvas", "inspector", "preview", "findings", "palette"]
    window.menu_actions["previous_panel"].trigger()
    assert window.panel("findings").isAncestorOf(QApplication.focusWidget())


def test_enter_on_a_block_puts_the_keyboard_in_its_settings(
    window: MainWindow, controller: DocumentController, qtbot
) -> None:
    block_id = _from_block(controller)
    window.panel("canvas").editRequested.emit(block_id)
    assert controller.selection() == [block_id]
    qtbot.waitUntil(lambda: window.panel("inspector").isAncestorOf(QApplication.focusWidget()))


def test_a_block_added_from_the_palettes_search_gets_the_keyboard(
    window: MainWindow, controller: DocumentController, qtbot
) -> None:
    # Enter on a search result added the block and left the keyboard in the search: the command typed
    # next went into the search ("installecho").
    window.show_editor()
    window.menu_actions["find_block"].trigger()
    search = window.findChild(QLineEdit, "PaletteSearch")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search)
    QTest.keyClicks(search, "install")
    QTest.keyClick(search, Qt.Key.Key_Return)
    assert [controller.block(i).kind for i in controller.selection()] == [Kind.RUN]
    qtbot.waitUntil(lambda: window.panel("inspector").isAncestorOf(QApplication.focusWidget()))
    assert QApplication.focusWidget().objectName() == "field-command"
    controller.replace_project(Project(document=import_text("FROM alpine\n")), None)
    assert search.text() == ""  # a new project: the whole palette again


def test_panel_messages_reach_the_status_bar(window: MainWindow) -> None:
    window.panel("canvas").statusMessage.emit("Nothing to paste: copy some blocks first.")
    assert window.statusBar().currentMessage() == "Nothing to paste: copy some blocks first."
    assert window.files is not None
    window.files.notice.emit("Saved to /tmp/app.dockblocks.")
    assert window.statusBar().currentMessage() == "Saved to /tmp/app.dockblocks."


def test_help_menu_about_and_reference(window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    window.menu_actions["reference"].trigger()
    assert opened == ["https://docs.docker.com/reference/dockerfile/"]
    window.menu_actions["about"].trigger()
    box = window.findChild(QMessageBox, "AboutBox")
    assert box is not None and box.isVisible()
    assert desktop.__version__ in box.text() and "Dockerfile" in box.text()
    box.done(0)


def test_view_appearance_picks_light_or_dark_whatever_the_system_says(window: MainWindow) -> None:
    actions = {name: window.menu_actions[f"scheme_{name}"] for name in ("system", "light", "dark")}
    assert [name for name, action in actions.items() if action.isChecked()] == ["system"]
    try:
        actions["dark"].trigger()
        assert window.theme.is_dark and window.theme.scheme_name() == "dark"
        assert [name for name, action in actions.items() if action.isChecked()] == ["dark"]
        actions["light"].trigger()
        assert not window.theme.is_dark
        assert [name for name, action in actions.items() if action.isChecked()] == ["light"]
    finally:
        actions["system"].trigger()
    assert window.theme.scheme_name() == "system"
