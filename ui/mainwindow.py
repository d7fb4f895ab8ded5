"""The composer window: palette on the left, canvas in the middle, block settings above the Dockerfile
preview on the right, findings in a dock at the bottom; a start page in front when no project is open.

Every panel is made by its own module from the one :class:`ui.controller.DocumentController`. A panel that
cannot be loaded is replaced by a one-sentence note (and logged), so the rest of the window still opens.
A window opening on its start page may make the editor (its panels, their splitters and the findings
dock) just after its first picture (``defer_editor``, see :mod:`ui.window_panels`); anything that needs
them makes them at once.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSettings, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QMainWindow, QStackedWidget, QWidget

import desktop
from ui import window_layout
from ui.actions import WindowActions, tr
from ui.edit_routing import EditRouting
from ui.theme import current_theme
from ui.window_layout import HIDEABLE
from ui.window_panels import EDITOR_PANELS, bind_toggle, make_panel
from ui.window_texts import say

if TYPE_CHECKING:
    from ui.controller import DocumentController
    from ui.engine_monitor import EngineMonitor
    from ui.files import ProjectFiles

_log = logging.getLogger(__name__)

NOTICE_MS = 6000  # how long "Saved to …" stays in the status bar
EDITOR_FALLBACK_MS = 1500  # a window never painted (started minimised) makes its editor panels anyway
FOCUS_ORDER = ("palette", "canvas", "inspector", "preview", "findings")  # F6 goes round in this order


class MainWindow(QMainWindow):
    """The main window of Dockblocks.

    Attributes:
        controller: the open project; every panel reads and edits it. A window opening on its start page
            without one makes it just after its first picture (or when first asked): its module brings
            the block model, the Dockerfile renderer and the project format, none of which the start page
            needs.
        files: the File menu's work (:class:`ui.files.ProjectFiles`), or None when it could not be loaded;
            a window opening on its start page loads it just after its first picture (or when first asked).
        menu_actions: every menu action by name (``window.menu_actions["save"]``).
        settings: where the window keeps its size and layout.
        engine: the Docker Engine monitor (:mod:`ui.engine_monitor`), made with the editor panels.

    Signals:
        closed(): the window was closed (after any unsaved work was saved or let go).
        firstPainted(): the window's first picture is on the screen (its first paint pass has ended).
        editorReady(): the editor panels have been made (at once, or just after the first picture).
    """

    closed = Signal()
    firstPainted = Signal()
    editorReady = Signal()
    engine: EngineMonitor

    def __init__(
        self,
        controller: DocumentController | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        defer_editor: bool = False,
    ) -> None:
        """``defer_editor``: opening on the start page, make the editor panels just after the first
        picture, not now (``dockblocks`` does; anything that needs them makes them at once)."""
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setAccessibleName(say("title.app"))
        self._controller = controller
        self._controller_connected = False
        self.settings = settings if settings is not None else QSettings()
        self.theme = current_theme()
        self._missing: list[str] = []
        self._switching_page = False
        self._dock_sizes_pending = True
        self._painted = False
        self._panels: dict[str, QWidget] = {}
        has_project = controller is not None and (
            controller.path is not None or bool(controller.document.blocks)
        )
        self._editor_pending = defer_editor and not has_project
        if self._controller is None and not self._editor_pending:
            self._controller = self._make_controller()
        # The File menu's work (recovery copies, file dialogs) waits for the first picture with the panels.
        self._files_pending = self._editor_pending
        self._files = None if self._files_pending else self._make_files()
        self._build_pages()
        if not self._editor_pending:
            self._build_editor_frame()
        self.edit = EditRouting(self, self._controller, self._panels.get("canvas"), self._on_blocks)
        self.menu_actions = WindowActions(self)
        if not self._editor_pending:
            self._install_engine()  # Build and Run ask it (issue 4); else made just after the first picture
        self.statusBar().setObjectName("StatusBar")
        self._connect()
        if self._controller is not None:
            self._connect_controller()
        if not self._files_pending:
            self._connect_files()
        if not self.restore_layout():
            self.resize(*window_layout.default_size(self))
        self._update_title()
        if self._editor_pending:
            QTimer.singleShot(EDITOR_FALLBACK_MS, self, self.build_editor)
        else:
            self._connect_editor()
        self.show_editor() if has_project else self.show_start_page()

    # --- public ----------------------------------------------------------------------------------------

    @property
    def controller(self) -> DocumentController:
        """The open project (made now if the window left it for after its first picture)."""
        if self._controller is None:
            self._controller = self._make_controller()
            self._connect_controller()
        return self._controller

    @property
    def files(self) -> ProjectFiles | None:
        """The File menu's work (loaded now if it was left for after the first picture)."""
        self._load_files()
        return self._files

    def panel(self, name: str) -> QWidget:
        """One panel by name: palette, canvas, inspector, preview, findings or start_page.

        An editor panel not made yet is made now (with the others).
        """
        if name in EDITOR_PANELS:
            self.build_editor()
        return self._panels[name]

    def missing_panels(self) -> list[str]:
        """The parts that could not be loaded (panels showing a note instead, "files" for the File menu)."""
        self.build_editor()  # a panel not made yet cannot be known to load
        return list(self._missing)

    def is_editor_ready(self) -> bool:
        """Whether the editor panels have been made (they may still be behind the start page)."""
        return not self._editor_pending

    def build_editor(self) -> None:
        """Make the editor panels now, in the places kept for them, if they were left for later."""
        if not self._editor_pending or not shiboken6.isValid(self.pages):
            return
        self._editor_pending = False
        self._load_files()
        self._build_editor_frame()
        if window_layout.restore_editor_layout(self):
            self._dock_sizes_pending = False
        elif self.isVisible():  # dock sizes only hold once the window has its size (else: showEvent)
            self._dock_sizes_pending = False
            window_layout.apply_default_sizes(self)
        self._install_engine()  # its docks join the findings' place, as restored
        self.edit.set_canvas(self._panels["canvas"])
        self._sync_dock()
        self._connect_editor()

    def is_showing_start_page(self) -> bool:
        return self.pages.currentWidget() is self._panels["start_page"]

    def _first_picture_shown(self) -> None:
        self.firstPainted.emit()
        self.build_editor()

    def _on_blocks(self) -> bool:
        return shiboken6.isValid(self.pages) and not self.is_showing_start_page()

    def show_start_page(self) -> None:
        """Put the start page in front (templates and recent projects); the project stays open behind it."""
        self._show_page(self._panels["start_page"])

    def show_editor(self) -> None:
        """Put the blocks, the settings and the preview in front."""
        self.build_editor()
        self._show_page(self.editor)

    def find_block(self) -> None:
        """Put the keyboard in the palette's search field (showing the palette if it was hidden)."""
        self.show_editor()
        self.set_panel_visible("palette", True)
        from PySide6.QtCore import Qt  # here: not built before the first picture (see _build_editor_frame)
        from PySide6.QtWidgets import QLineEdit  # here: its enums need not be made before the first picture

        search = self._panels["palette"].findChild(QLineEdit, "PaletteSearch")
        if search is not None:
            search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            search.selectAll()

    def focus_panel(self, step: int) -> None:
        """Move the keyboard to the next (+1) or previous (-1) shown panel, as F6 does in many programs."""
        self.build_editor()
        order = [self._panels[n] for n in FOCUS_ORDER if self._panels[n].isVisible()]
        if not order:
            return
        from PySide6.QtCore import Qt  # here: not built before the first picture (see _build_editor_frame)

        focus = QApplication.focusWidget()
        here = next((i for i, p in enumerate(order) if focus is not None and p.isAncestorOf(focus)), -1)
        if here == -1 and step < 0:
            here = 0
        target = order[(here + step) % len(order)]
        focusable = [target, *target.findChildren(QWidget)]
        chosen = next(
            (w for w in focusable if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus), target
        )
        chosen.setFocus(Qt.FocusReason.TabFocusReason)

    def set_panel_visible(self, name: str, shown: bool) -> None:
        """Show or hide one of the panels (palette, inspector, preview, findings)."""
        action = self.menu_actions[f"show_{name}"]
        if action.isChecked() != shown:
            action.setChecked(shown)  # comes back here through the action's toggled signal
            return
        if self._editor_pending:
            return  # the editor, made later, follows the View menu
        if name == "findings":
            self._sync_dock()
        else:
            self._panels[name].setVisible(shown)

    def reset_layout(self) -> None:
        """Every panel shown, in its first place and size; the saved layout is forgotten."""
        self.build_editor()
        for name in HIDEABLE:
            self.set_panel_visible(name, True)
        self.findings_dock.setFloating(False)
        self._dock_findings()
        self._sync_dock()
        window_layout.apply_default_sizes(self)
        window_layout.forget_layout(self)

    def save_layout(self) -> None:
        """Remember the window's place, size, panel sizes and which panels are shown."""
        window_layout.save_layout(self)

    def restore_layout(self) -> bool:
        """Put the window back as it was saved; False when nothing was saved (or it could not be read)."""
        restored = window_layout.restore_layout(self)
        self._dock_sizes_pending = self._dock_sizes_pending and not restored
        return restored

    def start_session(self) -> None:
        """Start watching the engine, saving a recovery copy now and then, and offer a crash's copy."""
        self._install_engine()  # made with the editor panels, unless the first picture never came
        self.engine.start()  # needs the running qasync loop, as main_async has
        if self.files is not None:
            self.files.start_autosave()
            if self.files.offer_recovery():
                self.show_editor()

    # --- File menu -------------------------------------------------------------------------------------

    def file_command(self, name: str) -> None:
        """Run one File menu command of the project files (``"save"``, ``"open_project"``, …)."""
        if self.files is not None:
            getattr(self.files, name)()
        self._update_title()  # a save may have given the project a name

    def fill_recent_menu(self) -> None:
        """Refill File > Open Recent with the recent projects, newest first."""
        paths = self.files.recent_files() if self.files is not None else []
        self.menu_actions.fill_recent_menu(paths, self._open_recent)

    # --- Help menu --------------------------------------------------------------------------------------

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # here: its enums need not be made before the first picture

        box = QMessageBox(
            QMessageBox.Icon.Information,
            say("about.title"),
            say("about.text", version=desktop.__version__),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("AboutBox")
        box.setIconPixmap(self.windowIcon().pixmap(64))
        from PySide6.QtCore import Qt  # here: not built before the first picture (see _build_editor_frame)

        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def open_reference(self) -> None:
        from PySide6.QtCore import QUrl  # here, not at start: QUrl's five enums cost ~2 ms to make
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl(say("reference.url")))

    # --- Qt events --------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.files is not None and not self.files.maybe_save():
            event.ignore()
            return
        self.save_layout()
        if self._controller is not None:
            self._controller.wait_for_lint()  # no worker thread may outlive the window
        event.accept()
        self.closed.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:  # the window is painted before its children: the rest of the pass follows
            self._painted = True
            QTimer.singleShot(0, self, self._first_picture_shown)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dock_sizes_pending and not self._editor_pending:  # they hold once the window has its size
            self._dock_sizes_pending = False
            window_layout.apply_default_sizes(self)

    # --- building -------------------------------------------------------------------------------------

    def _make_controller(self) -> DocumentController:
        from ui.controller import DocumentController  # with the core's block model, renderer and projects

        return DocumentController(parent=self)

    def _make_files(self) -> ProjectFiles | None:
        try:
            from ui.files import ProjectFiles  # with the recovery copies and the file dialogs it brings

            return ProjectFiles(self.controller, self, settings=self.settings)
        except Exception:  # the window still opens; the File menu is then switched off
            _log.exception("the project files could not be set up")
            self._missing.append("files")
            return None

    def _install_engine(self) -> None:
        """The engine monitor as ``self.engine`` (once). Its module imports the engine's networking (ssl,
        sockets, ~100 ms): never before the first picture."""
        from ui.build_window import install_build_panel
        from ui.engine_monitor import install_engine_monitor
        from ui.run_action import install_run
        from ui.widgets.charts.dock import install_charts_panel
        from ui.widgets.engine_status import install_engine_status
        from ui.widgets.instances_panel import install_instances_panel

        self.engine = install_engine_monitor(self, self.settings)
        install_run(self)  # the Run menu and the Output dock, once (issue 4)
        install_build_panel(self)  # the Build menu, the Build panel and the marks on the blocks, once
        install_engine_status(self)  # the engine in the status bar and the Engine menu, once
        install_instances_panel(self)  # the Instances dock (issue 5); follows the engine once shown
        install_charts_panel(self)  # the Instance charts dock (issue 5); pyqtgraph is imported once shown

    def _load_panel(self, name: str, *args: object) -> QWidget:
        widget, made = make_panel(name, *args, margin=self.theme.spacing(2))
        if not made:
            self._missing.append(name)
        self._panels[name] = widget
        return widget

    def _build_pages(self) -> None:
        """The start page, in the pages the editor joins (at once, or just after the first picture)."""
        self.pages = QStackedWidget()
        self.pages.setObjectName("Pages")
        start_args = (self._controller, self._files, self.settings, self._files_pending)
        self.pages.addWidget(self._load_panel("start_page", *start_args))
        self.setCentralWidget(self.pages)

    def _build_editor_frame(self) -> None:
        """The editor panels in their splitters, the second page, and the findings dock.

        Its splitter's orientation and the dock's place are ``Qt`` enums, and the first one PySide makes
        builds all ~95 of them (~35 ms): a window opening on its start page makes this after its first
        picture.
        """
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDockWidget, QSplitter  # made here: their types and enums too

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
        inspector = self._panels["inspector"]
        if hasattr(inspector, "tab_after"):  # a panel showing a note has no form
            inspector.tab_after = self._panels["canvas"]  # Tab goes from the blocks to their settings
        self.pages.addWidget(self.editor)
        self.findings_dock = QDockWidget(tr("Findings"), self)
        self.findings_dock.setObjectName("FindingsDock")
        self.findings_dock.setWidget(self._load_panel("findings", c))
        self.findings_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self._dock_findings()
        self.findings_dock.visibilityChanged.connect(self._dock_visibility_changed)

    def _dock_findings(self) -> None:
        from PySide6.QtCore import Qt  # here: not built before the first picture (see _build_editor_frame)

        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)

    def _connect(self) -> None:
        self.menu_actions["start_page"].triggered.connect(
            lambda front: self.show_start_page() if front else self.show_editor()
        )
        opened = getattr(self._panels["start_page"], "projectOpened", None)
        if opened is not None:  # the start page made or opened a project: show it
            opened.connect(self.show_editor)
        wanted = getattr(self._panels["start_page"], "filesWanted", None)
        if wanted is not None:  # clicked before the File menu's work was loaded: load it at once
            wanted.connect(self._load_files)
        edit_names = ("cut", "copy", "paste", "duplicate", "delete", "select_all")
        self.edit.bind({name: self.menu_actions[name] for name in edit_names})

    def _connect_controller(self) -> None:
        """Follow the project (once): the title's star, Undo and Redo, the Edit menu's selection."""
        if self._controller_connected or self._controller is None:
            return
        self._controller_connected = True
        c = self._controller
        # Bound methods, not lambdas: Qt cuts them off when the window goes, a controller may live on.
        c.undo_stack.cleanChanged.connect(self._clean_changed)
        c.projectReplaced.connect(self._project_replaced)
        self.setWindowModified(not c.undo_stack.isClean())
        self.menu_actions.bind_undo_stack(c.undo_stack)
        self.edit.attach_controller(c)

    def _load_files(self) -> None:
        """Load the File menu's work if it was left for later, and hand it to the start page."""
        if not self._files_pending:
            return
        self._files_pending = False
        self._files = self._make_files()
        self._connect_files()
        attach_files = getattr(self._panels["start_page"], "attach_files", None)
        if callable(attach_files):  # a start page showing a note has none
            attach_files(self._files)

    def _connect_files(self) -> None:
        files = self._files
        if files is not None:
            files.recentChanged.connect(self.fill_recent_menu)
            files.currentPathChanged.connect(self._update_title)
            files.notice.connect(lambda text: self.statusBar().showMessage(text, NOTICE_MS))
        for name in (
            "new",
            "open",
            "save",
            "save_as",
            "import_dockerfile",
            "export_dockerfile",
            "export_dockerignore",
        ):
            self.menu_actions[name].setEnabled(files is not None)

    def _connect_editor(self) -> None:
        """Connect the editor panels (a panel showing a note has none of these signals)."""
        from ui.widgets.canvas import CanvasWidget  # made by now: importing is free
        from ui.widgets.palette import PaletteWidget

        canvas, palette = self._panels["canvas"], self._panels["palette"]
        if isinstance(canvas, CanvasWidget):
            canvas.editRequested.connect(self._edit_block)
            canvas.statusMessage.connect(lambda text: self.statusBar().showMessage(text, NOTICE_MS))
        if isinstance(palette, PaletteWidget):
            # Added by Enter or a double-click, as by a drop: what the user types next fills the new block.
            palette.blockAdded.connect(self._edit_block)
        explain = self.findChild(QAbstractButton, "ExplainToggle")
        if explain is not None:
            from ui.explain_room import ExplainRoom  # here: not needed for the first picture

            ExplainRoom(self.editor, self.side_splitter, explain)
        bind_toggle(self, self.menu_actions["explain"], "ExplainToggle")
        bind_toggle(self, self.menu_actions["edit_as_text"], "EditAsTextToggle")
        self.editorReady.emit()

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
        self.edit.update_actions()

    def _sync_dock(self) -> None:
        """The findings dock shows with the editor when its View entry is on; never on the start page."""
        if self._editor_pending:
            return
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

    def _project_replaced(self) -> None:
        self.setWindowModified(False)
        self.show_editor()
        self._update_title()

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def _edit_block(self, block_id: str) -> None:
        """Enter on a block: its settings get the keyboard focus (once the form for it is built)."""
        self.controller.select([block_id])
        focus_first_field = getattr(self.panel("inspector"), "focus_first_field", None)
        if callable(focus_first_field) and not focus_first_field():
            QTimer.singleShot(0, focus_first_field)

    def _open_recent(self, path: Path) -> None:
        if self.files is not None:
            self.files.open_recent(path)

    def _update_title(self) -> None:
        c = self._controller  # none yet: a new project, untitled
        project_name, path = (c.project.name, c.path) if c is not None else ("", None)
        name = project_name or (path.stem if path is not None else say("title.untitled"))
        # "[*]" is where Qt shows the unsaved-changes star; a literal "[*]" in a name is written "[*][*]".
        self.setWindowTitle(f"{name.replace('[*]', '[*][*]')}[*] — {say('title.app')}")
