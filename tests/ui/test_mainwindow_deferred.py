"""A window opening on its start page makes its editor (panels, splitters, findings dock) just after its first
picture (``defer_editor``, as ``dockblocks`` does): they appear then, in the places and sizes kept for them,
and anything that needs them earlier makes them at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QApplication, QDockWidget, QMessageBox, QSplitter, QWidget

from desktop.dockerfile import import_text
from desktop.project import Project
from ui.controller import DocumentController
from ui.mainwindow import EDITOR_FALLBACK_MS, MainWindow
from ui.widgets.canvas import CanvasWidget
from ui.widgets.findings import FindingsWidget
from ui.widgets.inspector import InspectorWidget
from ui.widgets.palette import PaletteWidget
from ui.widgets.preview import PreviewWidget

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.usefixtures("private_settings"),
]

EDITOR_CLASSES = {
    "palette": PaletteWidget,
    "canvas": CanvasWidget,
    "inspector": InspectorWidget,
    "preview": PreviewWidget,
    "findings": FindingsWidget,
}
OBJECT_NAMES = ("Palette", "Canvas", "Inspector", "Preview", "Findings")


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def empty(controller_for) -> DocumentController:
    return controller_for("")


def _window(qtbot, controller: DocumentController, settings: QSettings, defer: bool = True) -> MainWindow:
    made = MainWindow(controller, settings, defer_editor=defer)
    qtbot.addWidget(made)
    assert made.files is not None
    made.files.ask_save_changes = lambda _name: QMessageBox.StandardButton.Discard
    return made


def _assert_real_panels(window: MainWindow) -> None:
    for name, kind in EDITOR_CLASSES.items():
        assert isinstance(window.panel(name), kind), name
    for object_name in OBJECT_NAMES:
        assert window.findChild(QWidget, object_name) is not None, object_name
    assert window.findChild(QSplitter, "EditorSplitter") is window.editor
    assert window.findChild(QDockWidget, "FindingsDock") is window.findings_dock


def test_the_first_picture_shows_the_start_page_and_the_panels_follow(
    qtbot, empty: DocumentController, settings: QSettings
) -> None:
    window = _window(qtbot, empty, settings)
    assert window.is_showing_start_page() and not window.is_editor_ready()
    for name in ("Canvas", "EditorSplitter", "SideSplitter", "FindingsDock"):
        assert window.findChild(QWidget, name) is None, f"{name} is made before the picture"
    assert window.findChild(QWidget, "StartPage") is not None
    with qtbot.waitSignal(window.editorReady, timeout=EDITOR_FALLBACK_MS - 500):
        window.resize(1280, 800)
        window.show()
    assert window.is_editor_ready() and window.is_showing_start_page()
    _assert_real_panels(window)
    assert window.missing_panels() == []
    # Made behind the start page, the findings and the docks that share their place stay hidden there,
    # and the build's and the run's output share the findings' place as tabs, as in a window made at once.
    build = window.findChild(QDockWidget, "BuildDock")
    assert build is not None and not build.isVisible() and not window.findings_dock.isVisible()
    assert (window.width(), window.height()) == (1280, 800), "the start page's window keeps its size"
    window.show_editor()
    build.show()
    assert window.tabifiedDockWidgets(window.findings_dock) == [build]
    # The View entries drive the preview's toggles, as in a window made all at once.
    explain = window.menu_actions["explain"]
    assert explain.isEnabled()
    explain.trigger()
    toggle = window.findChild(QAbstractButton, "ExplainToggle")
    assert toggle is not None and toggle.isChecked()


def test_asking_for_a_panel_makes_the_editor_at_once(
    qtbot, empty: DocumentController, settings: QSettings
) -> None:
    window = _window(qtbot, empty, settings)
    ready: list[bool] = []
    window.editorReady.connect(lambda: ready.append(True))
    assert isinstance(window.panel("inspector"), InspectorWidget)
    assert ready == [True] and window.is_editor_ready()
    _assert_real_panels(window)
    window.build_editor()  # a second call changes nothing
    assert ready == [True]


def test_opening_a_project_makes_and_shows_the_editor(
    qtbot, empty: DocumentController, settings: QSettings
) -> None:
    window = _window(qtbot, empty, settings)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    empty.replace_project(Project(document=import_text("FROM alpine\nRUN echo hi\n")), None)
    assert not window.is_showing_start_page() and window.is_editor_ready()
    canvas = window.panel("canvas")
    assert canvas.isVisible() and window.panel("findings").isVisible()
    # The Edit menu now reaches the canvas: Select All, then Duplicate.
    window.menu_actions["select_all"].trigger()
    assert empty.selection() == [b.id for b in empty.document.blocks]
    duplicate = window.menu_actions["duplicate"]
    assert duplicate.isEnabled()
    duplicate.trigger()
    assert [b.kind.value for b in empty.document.blocks] == ["FROM", "RUN", "FROM", "RUN"]


def test_a_window_opening_on_a_project_makes_everything_at_once(
    qtbot, controller: DocumentController, settings: QSettings
) -> None:
    window = _window(qtbot, controller, settings)
    assert window.is_editor_ready() and not window.is_showing_start_page()
    _assert_real_panels(window)


def test_the_remembered_layout_reaches_panels_made_later(
    qtbot, empty: DocumentController, controller_for, settings: QSettings
) -> None:
    first = _window(qtbot, empty, settings, defer=False)
    first.resize(760, 540)  # the offscreen test screen is 800 x 800
    first.show()
    qtbot.waitExposed(first)
    first.show_editor()
    first.set_panel_visible("palette", False)
    first.set_panel_visible("findings", False)
    first.side_splitter.setSizes([200, 400])
    QApplication.processEvents()
    sizes = first.side_splitter.sizes()
    first.save_layout()
    first.hide()

    again = _window(qtbot, controller_for(""), settings)
    with qtbot.waitSignal(again.editorReady, timeout=EDITOR_FALLBACK_MS - 500):
        again.show()
    again.show_editor()
    QApplication.processEvents()
    assert (again.width(), again.height()) == (760, 540)
    assert not again.panel("palette").isVisible() and again.panel("canvas").isVisible()
    assert not again.panel("findings").isVisible()
    assert not again.menu_actions["show_palette"].isChecked()
    assert again.side_splitter.sizes() == pytest.approx(sizes, abs=2)
    again.set_panel_visible("palette", True)
    assert again.panel("palette").isVisible()


def test_explain_switched_on_before_the_panels_exist_is_kept(
    qtbot, empty: DocumentController, settings: QSettings
) -> None:
    window = _window(qtbot, empty, settings)
    window.menu_actions["explain"].trigger()  # F1 on the start page, before the first picture
    window.build_editor()
    toggle = window.findChild(QAbstractButton, "ExplainToggle")
    assert toggle is not None and toggle.isChecked()
    assert window.menu_actions["explain"].isChecked()


def test_a_window_never_painted_makes_its_panels_anyway(
    qtbot, empty: DocumentController, settings: QSettings
) -> None:
    window = _window(qtbot, empty, settings)  # never shown: started minimised, say
    with qtbot.waitSignal(window.editorReady, timeout=EDITOR_FALLBACK_MS * 3):
        pass
    _assert_real_panels(window)
