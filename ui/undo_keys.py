"""Ctrl+Z in a text field with nothing of its own to take back undoes the project's last step.

A text field keeps Ctrl+Z (and the redo keys) for itself whether or not it has typing to take back; with
nothing to take back the key did nothing. That bit right after a block is dropped from the palette: its
first field gets the keyboard, and Ctrl+Z, the usual "oops", left the block there. So while a field of the
window has no undo of its own, the keys go to the Edit menu's Undo and Redo; once it has, the field's own
undo comes first (it steps back through the typing, which the project keeps as one step per field).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget

_WATCHED = "dockblocksUndoKeys"  # a widget property: the filter is installed once per field


class UndoKeys(QObject):
    """An event filter for the window's text fields (installed as each first gets the keyboard)."""

    def watch(self, field: QWidget) -> None:
        """Let the undo keys through to the window when ``field`` has nothing to undo (once per field)."""
        if not field.property(_WATCHED):
            field.setProperty(_WATCHED, True)
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if event.matches(QKeySequence.StandardKey.Undo):
            own = has_own_step(watched, redo=False)
        elif event.matches(QKeySequence.StandardKey.Redo):
            own = has_own_step(watched, redo=True)
        else:
            return False
        if own:
            return False
        event.ignore()  # not wanted by the field: the window's shortcut takes the key
        return True


def has_own_step(field: QObject, redo: bool) -> bool:
    """Whether a text field has typing of its own to take back (``redo``: to do again)."""
    if isinstance(field, QLineEdit):
        return not field.isReadOnly() and (field.isRedoAvailable() if redo else field.isUndoAvailable())
    if isinstance(field, QTextEdit | QPlainTextEdit):
        if field.isReadOnly() or not field.isUndoRedoEnabled():
            return False
        document = field.document()
        return document.isRedoAvailable() if redo else document.isUndoAvailable()
    return False
