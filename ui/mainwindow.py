"""The composer window: palette on the left, canvas in the middle, block settings above the Dockerfile
preview on the right, findings in a dock at the bottom; a start page in front when no project is open.

Every panel is made by its own module from the one :class:`ui.controller.DocumentController`. A panel that
cannot be loaded is replaced by a one-sentence note (and logged), so the rest of the window still opens.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QByteArray, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QWidget,
)

import desktop
from ui.actions import WindowActions, tr
from ui.controller import DocumentController
from ui.theme import current_theme
from ui.window_texts import say

_log = logging.getLogger(__name__)

LAYOUT_VERSION = 1
DEFAULT_SIZE = (1280, 800)
_PANELS = {  # name -> (module, class, objectName)
    "palette": ("ui.widgets.palette", "PaletteWidget", "Palette"),
    "canvas": ("ui.widgets.canvas", "CanvasWidget", "Canvas"),
    "inspector": ("ui.widgets.inspector", "InspectorWidget", "Inspector"),
    "preview": ("ui.widgets.preview", "PreviewWidget", "Preview"),
    "findings": ("ui.widgets.findings", "FindingsWidget", "Findings"),
    "start_page": ("ui.widgets.start_page", "StartPage", "StartPage"),
}
HIDEABLE = ("palette", "inspector", "preview", "findings")
_TEXT_INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit)


class ProjectFilesLike(Protocol):
    """What the window asks of :class:`ui.files.ProjectFiles` (the File menu's work)."""

    def new_project(self) -> None: ...
    def open_project(self, path: Path | None = None) -> None: ...
    def open_recent(self, path: Path) -> None: ...
    def save(self) -> bool: ...
    def save_as(self) -> bool: ...
    def import_dockerfile(self, path: Path | None = None) -> None: ...
    def export_dockerfile(self, path: Path | None = None) -> None: ...
    def export_dockerignore(self, path: Path | None = None) -> None: ...
    def maybe_save(self) -> bool: ...
    def recent_files(self) -> list[Path]: ...
    def start_autosave(self) -> None: ...
    def offer_recovery(self) -> None: ...


class MainWindow(QMainWindow):
    """The main window of Dockblocks.

    Attributes:
        controller: the open project; every panel reads and edits it.
        files: the File menu's work (:class:`ui.files.ProjectFiles`), or None when it could not be loaded.
        menu_actions: every menu action by name (``window.menu_actions["save"]``).
        settings: where the window keeps its size and layout.

    Signals:
        closed(): the window was closed (after any unsaved work was saved or let go).
    """

    closed = Signal()

    def __init__(
        self,
        controller: DocumentController | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setAccessibleName(say("title.app"))
        self.controller = controller if controller is not None else DocumentController(parent=self)
        self.settings = settings if settings is not None else QSettings()
        self.theme = current_theme()
        self._missing: list[str] = []
        self._switching_page = False
        self._dock_sizes_pending = True
        self.files = self._make_files()
        self._panels: dict[str, QWidget] = {}
        self._build_layout()
        self.menu_actions = WindowActions(self)
        self.statusBar().setObjectName("StatusBar")
        self._bind_toggle(self.menu_actions["explain"], "ExplainToggle")
        self._bind_toggle(self.menu_actions["edit_as_text"], "EditAsTextToggle")
        self._connect()
        if not self.restore_layout():
            self.resize(*self._default_size())
        self._update_title()
        has_project = self.controller.path is not None or bool(self.controller.document.blocks)
        self.show_editor() if has_project else self.show_start_page()

    # --- public ----------------------------------------------------------------------------------------

    def panel(self, name: str) -> QWidget:
        """One panel by name: palette, canvas, inspector, preview, findings or start_page."""
        return self._panels[name]

    def missing_panels(self) -> list[str]:
        """The panels that could not be loaded and show a note instead (empty when all is well)."""
        return list(self._missing)

    def is_showing_start_page(self) -> bool:
        return self.pages.currentWidget() is self._panels["start_page"]

    def show_start_page(self) -> None:
        """Put the start page in front (templates and recent projects); the project stays open behind it."""
        self._show_page(self._panels["start_page"])

    def show_editor(self) -> None:
        """Put the blocks, the settings and the preview in front."""
        self._show_page(self.editor)

    def set_panel_visible(self, name: str, shown: bool) -> None:
        """Show or hide one of the panels (palette, inspector, preview, findings)."""
        action = self.menu_actions[f"show_{name}"]
        if action.isChecked() != shown:
            action.setChecked(shown)  # comes back here through the action's toggled signal
            return
        if name == "findings":
            self._sync_dock()
        else:
            self._panels[name].setVisible(shown)

    def reset_layout(self) -> None:
        """Every panel shown, in its first place and size; the saved layout is forgotten."""
        for name in HIDEABLE:
            self.set_panel_visible(name, True)
        self.findings_dock.setFloating(False)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)
        self._sync_dock()
        self._apply_default_sizes()
        self.settings.remove("window")

    def save_layout(self) -> None:
        """Remember the window's place, size, panel sizes and which panels are shown."""
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState(LAYOUT_VERSION))
        s.setValue("window/editor_splitter", self.editor.saveState())
        s.setValue("window/side_splitter", self.side_splitter.saveState())
        for name in HIDEABLE:
            s.setValue(f"window/panels/{name}", self.menu_actions[f"show_{name}"].isChecked())
        s.sync()

    def restore_layout(self) -> bool:
        """Put the window back as it was saved; False when nothing was saved (or it could not be read)."""
        s = self.settings
        geometry = s.value("window/geometry")
        if not isinstance(geometry, QByteArray) or not self.restoreGeometry(geometry):
            return False
        for key, restore in (
            ("window/state", lambda data: self.restoreState(data, LAYOUT_VERSION)),
            ("window/editor_splitter", self.editor.restoreState),
            ("window/side_splitter", self.side_splitter.restoreState),
        ):
            data = s.value(key)
            if isinstance(data, QByteArray):
                restore(data)
        for name in HIDEABLE:
            self.set_panel_visible(name, bool(s.value(f"window/panels/{name}", True, type=bool)))
        self._dock_sizes_pending = False
        return True

    def start_session(self) -> None:
        """Start saving a recovery copy now and then, and offer the copy a crash left behind."""
        if self.files is not None:
            self.files.start_autosave()
            self.files.offer_recovery()

    # --- File menu -------------------------------------------------------------------------------------

    def new_project(self) -> None:
        if self.files is not None:
            self.files.new_project()

    def open_project(self) -> None:
        if self.files is not None:
            self.files.open_project()

    def save(self) -> None:
        if self.files is not None:
            self.files.save()
        self._update_title()

    def save_as(self) -> None:
        if self.files is not None:
            self.files.save_as()
        self._update_title()

    def import_dockerfile(self) -> None:
        if self.files is not None:
            self.files.import_dockerfile()

    def export_dockerfile(self) -> None:
        if self.files is not None:
            self.files.export_dockerfile()

    def export_dockerignore(self) -> None:
        if self.files is not None:
            self.files.export_dockerignore()

    def fill_recent_menu(self) -> None:
        """Refill File > Open Recent with the recent projects, newest first."""
        menu = self.menu_actions.recent_menu
        menu.clear()
        paths = self.files.recent_files() if self.files is not None else []
        for number, path in enumerate(paths[:9], start=1):
            action = menu.addAction(f"&{number} {path.name.replace('&', '&&')}")
            action.setStatusTip(str(path))
            action.setToolTip(str(path))
            action.triggered.connect(lambda _checked=False, chosen=path: self._open_recent(chosen))
        if not paths:
            menu.addAction(say("recent.none")).setEnabled(False)

    # --- Edit menu: a focused text field keeps its own cut/copy/paste; else the blocks are meant ---------

    def cut(self) -> None:
        target = self._text_target(editable=True)
        target.cut() if target is not None else self._canvas_call("cut_selection")

    def copy(self) -> None:
        target = self._text_target(editable=False)
        target.copy() if target is not None else self._canvas_call("copy_selection")

    def paste(self) -> None:
        target = self._text_target(editable=True)
        target.paste() if target is not None else self._canvas_call("paste")

    def duplicate(self) -> None:
        self._canvas_call("duplicate_selection")

    def delete(self) -> None:
        target = self._text_target(editable=True)
        if target is None:
            self._canvas_call("delete_selection")
            return
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier))

    def select_all(self) -> None:
        target = self._text_target(editable=False)
        if target is not None:
            target.selectAll()
        else:
            self.controller.select([block.id for block in self.controller.document.blocks])

    # --- Help menu --------------------------------------------------------------------------------------

    def show_about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            say("about.title"),
            say("about.text", version=desktop.__version__),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("AboutBox")
        box.setIconPixmap(self.windowIcon().pixmap(64))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def open_reference(self) -> None:
        QDesktopServices.openUrl(QUrl(say("reference.url")))

    # --- Qt events --------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.files is not None and not self.files.maybe_save():
            event.ignore()
            return
        self.save_layout()
        self.controller.wait_for_lint()  # no worker thread may outlive the window
        event.accept()
        self.closed.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dock_sizes_pending:  # dock sizes only hold once the window has its size
            self._dock_sizes_pending = False
            self._apply_default_sizes()

    # --- building -------------------------------------------------------------------------------------

    def _make_files(self) -> ProjectFilesLike | None:
        try:
            from ui.files import ProjectFiles
        except Exception:  # the window opens without it; the File menu then does nothing
            _log.exception("the project files module could not be loaded")
            return None
        files: ProjectFilesLike = ProjectFiles(self.controller, self)
        return files

    def _load_panel(self, name: str, *args: object) -> QWidget:
        module_name, class_name, object_name = _PANELS[name]
        try:
            widget: QWidget = getattr(importlib.import_module(module_name), class_name)(*args)
        except Exception:  # one broken panel must not keep the whole window from opening
            _log.exception("the %s could not be made", name)
            self._missing.append(name)
            widget = QLabel(say("panel.missing", panel=say(f"panel.{name}")))
            widget.setWordWrap(True)
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            widget.setMargin(self.theme.spacing(2))
            widget.setAccessibleName(say(f"panel.{name}"))
        if not widget.objectName():
            widget.setObjectName(object_name)
        self._panels[name] = widget
        return widget

    def _build_layout(self) -> None:
        c = self.controller
        self.editor = QSplitter(Qt.Orientation.Horizontal)
        self.editor.setObjectName("EditorSplitter")
        self.editor.addWidget(self._load_panel("palette", c))
        self.editor.addWidget(self._load_panel("canvas", c))
        self.side_splitter = QSplitter(Qt.Orientation.Vertical)
        self.side_splitter.setObjectName("SideSplitter")
        self.side_splitter.addWidget(self._load_panel("inspector", c))
        self.side_splitter.addWidget(self._load_panel("preview", c))
        self.editor.addWidget(self.side_splitter)
        for splitter in (self.editor, self.side_splitter):
            splitter.setChildrenCollapsible(False)
        self.editor.setStretchFactor(1, 1)  # the canvas takes what the window grows by
        self.pages = QStackedWidget()
        self.pages.setObjectName("Pages")
        self.pages.addWidget(self._load_panel("start_page", c, self.files))
        self.pages.addWidget(self.editor)
        self.setCentralWidget(self.pages)
        self.findings_dock = QDockWidget(tr("Findings"), self)
        self.findings_dock.setObjectName("FindingsDock")
        self.findings_dock.setWidget(self._load_panel("findings", c))
        self.findings_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)

    def _connect(self) -> None:
        c = self.controller
        c.undo_stack.cleanChanged.connect(lambda clean: self.setWindowModified(not clean))
        c.projectReplaced.connect(self._project_replaced)
        c.selectionChanged.connect(self._update_edit_actions)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._update_edit_actions)
        self.findings_dock.visibilityChanged.connect(self._dock_visibility_changed)
        self.menu_actions["start_page"].triggered.connect(
            lambda front: self.show_start_page() if front else self.show_editor()
        )
        start = self._panels["start_page"]
        for signal_name in ("templateChosen", "openRequested"):
            signal = getattr(start, signal_name, None)
            if signal is not None:
                signal.connect(self.show_editor)
        recent = getattr(self.files, "recentChanged", None)
        if recent is not None:
            recent.connect(self.fill_recent_menu)
        for name in ("new", "open", "save", "save_as", "import_dockerfile", "export_dockerfile"):
            self.menu_actions[name].setEnabled(self.files is not None)
        self.menu_actions["export_dockerignore"].setEnabled(self.files is not None)
        self.setWindowModified(not c.undo_stack.isClean())
        self._update_edit_actions()

    def _bind_toggle(self, action: QAction, object_name: str) -> None:
        """Keep a View menu entry and the matching toggle button of a panel in step."""
        button = self.findChild(QAbstractButton, object_name)
        other = button if button is not None else self.findChild(QAction, object_name)
        if other is None or not other.isCheckable():
            action.setEnabled(False)
            return
        action.setChecked(other.isChecked())
        action.toggled.connect(other.setChecked)
        other.toggled.connect(action.setChecked)

    # --- behaviour --------------------------------------------------------------------------------------

    def _show_page(self, page: QWidget) -> None:
        self._switching_page = True
        try:
            self.pages.setCurrentWidget(page)
            self._sync_dock()
            self.menu_actions["start_page"].setChecked(page is self._panels["start_page"])
        finally:
            self._switching_page = False
        self._update_title()
        self._update_edit_actions()

    def _sync_dock(self) -> None:
        """The findings dock shows with the editor when its View entry is on; never on the start page."""
        wanted = self.menu_actions["show_findings"].isChecked() and not self.is_showing_start_page()
        self._switching_page, was = True, self._switching_page
        try:
            self.findings_dock.setVisible(wanted)
        finally:
            self._switching_page = was

    def _dock_visibility_changed(self, _visible: bool) -> None:
        # The dock's own close button hides it: the View entry follows. (A tab switched away is not hidden.)
        if not self._switching_page and not self.is_showing_start_page():
            self.menu_actions["show_findings"].setChecked(not self.findings_dock.isHidden())

    def _apply_default_sizes(self) -> None:
        width = max(self.width(), 900)
        palette, side = round(width * 0.19), round(width * 0.34)
        self.editor.setSizes([palette, width - palette - side, side])
        height = max(self.side_splitter.height(), 400)
        self.side_splitter.setSizes([round(height * 0.5), height - round(height * 0.5)])
        self.resizeDocks(
            [self.findings_dock], [max(120, round(self.height() * 0.2))], Qt.Orientation.Vertical
        )

    def _default_size(self) -> tuple[int, int]:
        room = self.screen().availableGeometry()
        return min(DEFAULT_SIZE[0], room.width()), min(DEFAULT_SIZE[1], room.height())

    def _project_replaced(self) -> None:
        self.setWindowModified(False)
        self.show_editor()
        self._update_title()

    def _open_recent(self, path: Path) -> None:
        if self.files is not None:
            self.files.open_recent(path)

    def _update_title(self) -> None:
        project, path = self.controller.project, self.controller.path
        name = project.name or (path.stem if path is not None else say("title.untitled"))
        # "[*]" is where Qt shows the unsaved-changes star; a literal "[*]" in a name is written "[*][*]".
        self.setWindowTitle(f"{name.replace('[*]', '[*][*]')}[*] — {say('title.app')}")

    def _update_edit_actions(self, *_args: object) -> None:
        on_editor = not self.is_showing_start_page()
        selected = on_editor and bool(self.controller.selection())
        text = self._text_target(editable=False) is not None
        editable = self._text_target(editable=True) is not None
        canvas = self._panels["canvas"]
        for name, method, enabled in (
            ("cut", "cut_selection", selected or editable),
            ("copy", "copy_selection", selected or text),
            ("paste", "paste", on_editor or editable),
            ("duplicate", "duplicate_selection", selected),
            ("delete", "delete_selection", selected or editable),
            ("select_all", None, on_editor or text),
        ):
            works = method is None or callable(getattr(canvas, method, None)) or text
            self.menu_actions[name].setEnabled(enabled and works)

    def _text_target(self, editable: bool) -> QLineEdit | QTextEdit | QPlainTextEdit | None:
        focus = QApplication.focusWidget()
        if not isinstance(focus, _TEXT_INPUTS) or not self.isAncestorOf(focus):
            return None
        if editable and focus.isReadOnly():
            return None
        return focus

    def _canvas_call(self, method: str) -> None:
        call = getattr(self._panels["canvas"], method, None)
        if callable(call):
            call()
