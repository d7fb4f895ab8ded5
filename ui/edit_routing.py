"""Where the Edit menu's Cut, Copy, Paste, Duplicate, Delete and Select All go.

A focused text field (a setting in the inspector, the Dockerfile text) keeps its own clipboard keys, as in
any program; anywhere else they mean the selected blocks, and the canvas does the work through its public
methods (``copy_selection``, ``cut_selection``, ``paste``, ``duplicate_selection``, ``delete_selection``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from typing import TypeAlias

    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit

    from ui.controller import DocumentController
    from ui.undo_keys import UndoKeys

    TextInput: TypeAlias = QLineEdit | QTextEdit | QPlainTextEdit


_TEXT_CLASSES = ("QLineEdit", "QTextEdit", "QPlainTextEdit")


class EditRouting(QObject):
    """Sends each Edit menu command to the focused text field or to the canvas, and keeps the menu
    entries enabled only when they can do something."""

    def __init__(
        self,
        window: QWidget,
        controller: DocumentController | None,
        canvas: QWidget | None,
        on_blocks: Callable[[], bool],
    ) -> None:
        """
        Args:
            window: the main window; only text fields inside it count.
            controller: the open project (for Select All and the selection); None until the window
                has made it (see ``attach_controller``): the blocks are not in front before that.
            canvas: the canvas widget (or the note in its place), None until it is made (``set_canvas``).
            on_blocks: whether the blocks are in front (False on the start page).
        """
        super().__init__(window)
        self._window, self._controller, self._canvas, self._on_blocks = window, controller, canvas, on_blocks
        self._actions: dict[str, QAction] = {}
        self._undo_filter: UndoKeys | None = None  # made when a text field first gets the keyboard

    def set_canvas(self, canvas: QWidget) -> None:
        """Send block commands to this canvas from now on (the window made its panels later)."""
        self._canvas = canvas
        self.update_actions()

    def attach_controller(self, controller: DocumentController) -> None:
        """The open project, made after the window (its first picture shows the start page only)."""
        if controller is self._controller:
            return  # given when this was made: bind() follows it
        self._controller = controller
        if self._actions:
            controller.selectionChanged.connect(self.update_actions)
            self.update_actions()

    def bind(self, actions: dict[str, QAction]) -> None:
        """Start keeping these actions' enabled state up to date (keys: cut, copy, paste, …)."""
        self._actions = actions
        if self._controller is not None:
            self._controller.selectionChanged.connect(self.update_actions)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.update_actions()

    def cut(self) -> None:
        target = self.text_target(editable=True)
        target.cut() if target is not None else self._canvas_call("cut_selection")

    def copy(self) -> None:
        target = self.text_target(editable=False)
        target.copy() if target is not None else self._canvas_call("copy_selection")

    def paste(self) -> None:
        target = self.text_target(editable=True)
        target.paste() if target is not None else self._canvas_call("paste")

    def duplicate(self) -> None:
        self._canvas_call("duplicate_selection")

    def delete(self) -> None:
        target = self.text_target(editable=True)
        if target is None:
            self._canvas_call("delete_selection")
            return
        from PySide6.QtCore import Qt  # here: Qt's enums are built on first use, not before the first picture

        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier))

    def select_all(self) -> None:
        target = self.text_target(editable=False)
        if target is not None:
            target.selectAll()
        elif self._controller is not None:
            self._controller.select([block.id for block in self._controller.document.blocks])

    def update_actions(self, *_args: object) -> None:
        """Enable each entry only when it can act (a selection, or a focused text field)."""
        if not self._actions:
            return
        on_blocks = self._on_blocks()
        selected = on_blocks and self._controller is not None and bool(self._controller.selection())
        text = self.text_target(editable=False) is not None
        editable = self.text_target(editable=True) is not None
        for name, method, enabled in (
            ("cut", "cut_selection", selected or editable),
            ("copy", "copy_selection", selected or text),
            ("paste", "paste", on_blocks or editable),
            ("duplicate", "duplicate_selection", selected),
            ("delete", "delete_selection", selected or editable),
            ("select_all", None, on_blocks or text),
        ):
            # A canvas that could not be loaded has no methods: then only text fields are served.
            works = method is None or text or callable(getattr(self._canvas, method, None))
            self._actions[name].setEnabled(enabled and works)

    def _focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        # Focus also moves while a closed window is taken apart: then there is nothing to update.
        if shiboken6.isValid(self._window) and self._window.isVisible():
            self.update_actions()
            field = self.text_target(editable=True)
            if field is not None:
                self._undo_keys().watch(field)

    def _undo_keys(self) -> UndoKeys:
        if self._undo_filter is None:
            from ui.undo_keys import UndoKeys  # here: its text field classes are not needed at start

            self._undo_filter = UndoKeys(self)
        return self._undo_filter

    def text_target(self, editable: bool) -> TextInput | None:
        """The focused text field of the window, if any (only an editable one when ``editable``)."""
        focus = QApplication.focusWidget()
        # Asked of Qt by class name first: the keyboard is on a start page card when the window opens,
        # and PySide need not make the three text classes and their enums before the first picture.
        if focus is None or not any(focus.inherits(name) for name in _TEXT_CLASSES):
            return None
        from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit

        if not isinstance(focus, QLineEdit | QTextEdit | QPlainTextEdit):
            return None
        if not self._window.isAncestorOf(focus):
            return None
        if editable and focus.isReadOnly():
            return None
        return focus

    def _canvas_call(self, method: str) -> None:
        call = getattr(self._canvas, method, None)
        if callable(call):
            call()
