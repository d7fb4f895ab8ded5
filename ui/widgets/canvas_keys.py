"""The canvas's keys: which key does what, in one table read both when a key is pressed and when the
window asks whether the canvas wants a key before its menu shortcuts get it.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

Key = Qt.Key
ALT, CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier


class CanvasKey(enum.Enum):
    """What a key asks the canvas to do."""

    MOVE_UP = "move_up"  # Alt+Up: the selected blocks one place up
    MOVE_DOWN = "move_down"  # Alt+Down
    EDIT = "edit"  # Enter: edit the block in the inspector
    DELETE = "delete"  # Del or Backspace
    DUPLICATE = "duplicate"  # Ctrl+D
    COPY = "copy"
    CUT = "cut"
    PASTE = "paste"
    SELECT_ALL = "select_all"


_STANDARD = (
    (QKeySequence.StandardKey.Copy, CanvasKey.COPY),
    (QKeySequence.StandardKey.Cut, CanvasKey.CUT),
    (QKeySequence.StandardKey.Paste, CanvasKey.PASTE),
    (QKeySequence.StandardKey.SelectAll, CanvasKey.SELECT_ALL),
)


def canvas_key(event: QKeyEvent) -> CanvasKey | None:
    """The canvas command a key press means, or None for keys the view handles itself (arrows, pages)."""
    key, mods = event.key(), event.modifiers()
    plain = not mods & (ALT | CTRL)
    if mods & ALT and key in (Key.Key_Up, Key.Key_Down):
        return CanvasKey.MOVE_UP if key == Key.Key_Up else CanvasKey.MOVE_DOWN
    if plain and key in (Key.Key_Return, Key.Key_Enter):
        return CanvasKey.EDIT
    if plain and key in (Key.Key_Delete, Key.Key_Backspace):
        return CanvasKey.DELETE
    if key == Key.Key_D and mods == CTRL:
        return CanvasKey.DUPLICATE
    return next((command for standard, command in _STANDARD if event.matches(standard)), None)
