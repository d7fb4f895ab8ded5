"""The main window's menu bar: every action with its text, shortcut and icon, grouped into menus.

The actions only call methods of :class:`ui.mainwindow.MainWindow` (or of the project files, the undo
stack and the theme it holds); what they do lives there. Keeping the long list of menu entries here keeps
the window's own file about layout and behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from ui.icons import icon
from ui.theme import SCHEMES
from ui.window_texts import say

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from ui.mainwindow import MainWindow

StandardKey = QKeySequence.StandardKey
ICONS = {  # action name -> resources/icons file; the icons follow the palette's text colour
    "new": "action-new.svg",
    "open": "action-open.svg",
    "save": "action-save.svg",
    "undo": "action-undo.svg",
    "redo": "action-redo.svg",
    "cut": "action-cut.svg",
    "copy": "action-copy.svg",
    "paste": "action-paste.svg",
    "duplicate": "action-duplicate.svg",
    "delete": "action-delete.svg",
    "explain": "action-explain.svg",
    "edit_as_text": "action-edit-text.svg",
    "reference": "action-reference.svg",
    "about": "action-about.svg",
}


def tr(text: str) -> str:
    """Translate a menu text (Qt's translation tools find these by the "MainWindow" context)."""
    return QCoreApplication.translate("MainWindow", text)


class WindowActions:
    """Every action of the menu bar, by name (tests and other widgets look them up here).

    Attributes:
        by_name: each action under a short stable name, e.g. ``"save"``, ``"undo"``, ``"show_findings"``.
        recent_menu: the File > Open Recent submenu, refilled each time it opens.
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.by_name: dict[str, QAction] = {}
        self.recent_menu = QMenu(tr("Open &Recent"), window)
        self.recent_menu.setObjectName("RecentMenu")
        self._build_file()
        self._build_edit()
        self._build_view()
        self._build_help()

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]

    def fill_recent_menu(self, paths: list[Path], open_recent: Callable[[Path], object]) -> None:
        """Refill File > Open Recent with these projects (newest first); choosing one calls open_recent."""
        menu = self.recent_menu
        menu.clear()
        for number, path in enumerate(paths[:9], start=1):
            action = menu.addAction(f"&{number} {path.name.replace('&', '&&')}")
            action.setStatusTip(str(path))
            action.setToolTip(str(path))
            action.triggered.connect(lambda _checked=False, chosen=path: open_recent(chosen))
        if not paths:
            menu.addAction(say("recent.none")).setEnabled(False)

    def bind_undo_stack(self, stack: QUndoStack) -> None:
        """Undo and Redo follow this stack from now on, as ``QUndoStack.createUndoAction`` makes them do:
        on only when there is something to undo (redo), named after it ("Undo Change tag")."""
        undo, redo = self.by_name["undo"], self.by_name["redo"]
        # Receivers that go with the actions: a project may outlive its window.
        undo_name, redo_name = _StepName(undo, tr("Undo")), _StepName(redo, tr("Redo"))
        undo_name.show(stack.undoText())
        redo_name.show(stack.redoText())
        undo.setEnabled(stack.canUndo())
        redo.setEnabled(stack.canRedo())
        stack.undoTextChanged.connect(undo_name.show)
        stack.redoTextChanged.connect(redo_name.show)
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        undo.triggered.connect(lambda _checked=False: stack.undo())
        redo.triggered.connect(lambda _checked=False: stack.redo())

    def _add(
        self,
        name: str,
        text: str,
        slot: Callable[[], object] | None = None,
        shortcuts: tuple[QKeySequence | StandardKey | str, ...] = (),
        tip: str = "",
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self._window)
        if name in ICONS:
            action.setIcon(icon(ICONS[name]))
        action.setObjectName(f"action_{name}")
        keys: list[QKeySequence] = []
        for shortcut in shortcuts:
            if isinstance(shortcut, StandardKey):
                keys.extend(QKeySequence.keyBindings(shortcut))
            else:
                keys.append(QKeySequence(shortcut))
        # One key listed twice (Ctrl+Q is also the standard Quit) would make Qt call it ambiguous.
        action.setShortcuts(_unique(keys))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        self.by_name[name] = action
        return action

    def _build_file(self) -> None:
        w = self._window
        menu = w.menuBar().addMenu(tr("&File"))
        menu.setObjectName("FileMenu")
        menu.addAction(
            self._add(
                "new",
                tr("&New"),
                partial(w.file_command, "new_project"),
                (StandardKey.New,),
                tr("Start an empty project."),
            )
        )
        menu.addAction(
            self._add(
                "open",
                tr("&Open…"),
                partial(w.file_command, "open_project"),
                (StandardKey.Open,),
                tr("Open a saved project."),
            )
        )
        menu.addMenu(self.recent_menu)
        self.recent_menu.aboutToShow.connect(w.fill_recent_menu)
        menu.addSeparator()
        menu.addAction(
            self._add(
                "save",
                tr("&Save"),
                partial(w.file_command, "save"),
                (StandardKey.Save,),
                tr("Save the project."),
            )
        )
        menu.addAction(
            self._add(
                "save_as",
                tr("Save &As…"),
                partial(w.file_command, "save_as"),
                ("Ctrl+Shift+S",),
                tr("Save the project under a new name."),
            )
        )
        menu.addSeparator()
        menu.addAction(
            self._add(
                "import_dockerfile",
                tr("&Import Dockerfile…"),
                partial(w.file_command, "import_dockerfile"),
                ("Ctrl+I",),
                tr("Turn an existing Dockerfile into blocks."),
            )
        )
        menu.addAction(
            self._add(
                "export_dockerfile",
                tr("&Export Dockerfile…"),
                partial(w.file_command, "export_dockerfile"),
                ("Ctrl+E",),
                tr("Write the Dockerfile of these blocks to a file."),
            )
        )
        menu.addAction(
            self._add(
                "export_dockerignore",
                tr("Export .&dockerignore…"),
                partial(w.file_command, "export_dockerignore"),
                tip=tr("Write a .dockerignore file that keeps unneeded files out of the build."),
            )
        )
        menu.addSeparator()
        menu.addAction(
            self._add("quit", tr("&Quit"), w.close, (StandardKey.Quit, "Ctrl+Q"), tr("Close Dockblocks."))
        )

    def _build_edit(self) -> None:
        w = self._window
        menu = w.menuBar().addMenu(tr("&Edit"))
        menu.setObjectName("EditMenu")
        # Off until the project's undo stack is bound (bind_undo_stack): a window opening on its start page
        # makes its project just after the first picture.
        undo = self._add("undo", tr("Undo"), shortcuts=(StandardKey.Undo,))
        redo = self._add("redo", tr("Redo"), shortcuts=(StandardKey.Redo, "Ctrl+Y"))
        for action in (undo, redo):
            action.setEnabled(False)
        menu.addActions([undo, redo])
        menu.addSeparator()
        menu.addAction(self._add("cut", tr("Cu&t"), w.edit.cut, (StandardKey.Cut,)))
        menu.addAction(self._add("copy", tr("&Copy"), w.edit.copy, (StandardKey.Copy,)))
        menu.addAction(self._add("paste", tr("&Paste"), w.edit.paste, (StandardKey.Paste,)))
        menu.addAction(
            self._add(
                "duplicate",
                tr("&Duplicate"),
                w.edit.duplicate,
                ("Ctrl+D",),
                tr("Make a copy of the selected blocks."),
            )
        )
        menu.addAction(
            self._add("delete", tr("De&lete"), w.edit.delete, ("Del",), tr("Remove the selected blocks."))
        )
        menu.addSeparator()
        menu.addAction(
            self._add("select_all", tr("Select &All"), w.edit.select_all, (StandardKey.SelectAll,))
        )

    def _build_view(self) -> None:
        w = self._window
        menu = w.menuBar().addMenu(tr("&View"))
        menu.setObjectName("ViewMenu")
        menu.addAction(
            self._add(
                "explain",
                tr("E&xplain Each Line"),
                shortcuts=("F1",),
                tip=tr("Show beside each Dockerfile line what it does, in plain words."),
                checkable=True,
            )
        )
        menu.addAction(
            self._add(
                "edit_as_text",
                tr("Edit as &Text"),
                shortcuts=("Ctrl+T",),
                tip=tr("Type the Dockerfile yourself; your text is turned back into blocks."),
                checkable=True,
            )
        )
        menu.addSeparator()
        panels = menu.addMenu(tr("&Panels"))
        panels.setObjectName("PanelsMenu")
        for name, text in (
            ("palette", tr("Block &Palette")),
            ("inspector", tr("Block &Settings")),
            ("preview", tr("&Dockerfile")),
            ("findings", tr("&Findings")),
        ):
            action = self._add(f"show_{name}", text, checkable=True)
            action.setChecked(True)
            action.toggled.connect(lambda shown, panel=name: w.set_panel_visible(panel, shown))
            panels.addAction(action)
        menu.addAction(
            self._add(
                "reset_layout", tr("&Reset Layout"), w.reset_layout, tip=tr("Put every panel back in place.")
            )
        )
        menu.addAction(
            self._add(
                "start_page", tr("&Start Page"), tip=tr("Pick a template or a project."), checkable=True
            )
        )
        menu.addSeparator()
        menu.addAction(
            self._add(
                "find_block",
                tr("&Find a Block…"),
                w.find_block,
                (StandardKey.Find,),
                tr("Type what you want to do, e.g. install or copy, to find the block for it."),
            )
        )
        menu.addAction(
            self._add(
                "next_panel",
                tr("Ne&xt Panel"),
                lambda: w.focus_panel(+1),
                ("F6",),
                tr("Move to the next panel."),
            )
        )
        menu.addAction(
            self._add("previous_panel", tr("Pre&vious Panel"), lambda: w.focus_panel(-1), ("Shift+F6",))
        )
        menu.addSeparator()
        theme = w.theme
        menu.addAction(self._add("zoom_in", tr("Zoom &In"), theme.zoom_in, ("Ctrl+=", StandardKey.ZoomIn)))
        menu.addAction(
            self._add("zoom_out", tr("Zoom &Out"), theme.zoom_out, (StandardKey.ZoomOut, "Ctrl+-"))
        )
        menu.addAction(self._add("zoom_reset", tr("&Normal Size"), theme.reset_zoom, ("Ctrl+0",)))
        appearance = menu.addMenu(tr("&Appearance"))
        appearance.setObjectName("AppearanceMenu")
        for name, text, tip in (
            ("system", tr("Like the &System"), tr("Light or dark, as the computer is set.")),
            ("light", tr("&Light"), tr("Dark words on light backgrounds, whatever the computer says.")),
            ("dark", tr("&Dark"), tr("Light words on dark backgrounds, whatever the computer says.")),
        ):
            action = self._add(f"scheme_{name}", text, tip=tip, checkable=True)
            action.setChecked(theme.scheme_name() == name)
            action.triggered.connect(lambda _checked=False, chosen=name: self._choose_scheme(chosen))
            appearance.addAction(action)

    def _choose_scheme(self, name: str) -> None:
        self._window.theme.choose_scheme(name)
        for other in SCHEMES:  # one of the three is checked, as in a group of radio buttons
            self.by_name[f"scheme_{other}"].setChecked(other == name)

    def _build_help(self) -> None:
        w = self._window
        menu = w.menuBar().addMenu(tr("&Help"))
        menu.setObjectName("HelpMenu")
        menu.addAction(
            self._add(
                "reference",
                tr("Dockerfile &Reference"),
                w.open_reference,
                tip=tr("Open Docker's guide to every Dockerfile instruction in your web browser."),
            )
        )
        menu.addSeparator()
        menu.addAction(self._add("about", tr("&About Dockblocks"), w.show_about))


def _unique(keys: list[QKeySequence]) -> list[QKeySequence]:
    out: list[QKeySequence] = []
    for key in keys:
        if not key.isEmpty() and key not in out:
            out.append(key)
    return out


class _StepName(QObject):
    """Names Undo or Redo after the step it would take, as Qt's own undo actions do ("Undo Change tag")."""

    def __init__(self, action: QAction, prefix: str) -> None:
        super().__init__(action)
        self._action, self._prefix = action, prefix

    def show(self, text: str) -> None:
        self._action.setText(f"{self._prefix} {text}" if text else self._prefix)
