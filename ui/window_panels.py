"""Making the main window's panels: each from its own module, imported only when the panel is made.

The window shows its start page first. The editor panels (palette, canvas, block settings, Dockerfile
preview, findings) sit behind it, so the window may make them, with the splitters and the dock that hold
them, just after its first picture (:meth:`ui.mainwindow.MainWindow.build_editor`): their modules (the
item views, pygments, the block forms) and their construction then cost nothing before the window
appears.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from ui.window_texts import say

_log = logging.getLogger(__name__)

# name -> (module, class, objectName). Each class is made with the panel's arguments (see MainWindow).
PANELS: dict[str, tuple[str, str, str]] = {
    "palette": ("ui.widgets.palette", "PaletteWidget", "Palette"),
    "canvas": ("ui.widgets.canvas", "CanvasWidget", "Canvas"),
    "inspector": ("ui.widgets.inspector", "InspectorWidget", "Inspector"),
    "preview": ("ui.widgets.preview", "PreviewWidget", "Preview"),
    "findings": ("ui.widgets.findings", "FindingsWidget", "Findings"),
    "start_page": ("ui.widgets.start_page", "StartPage", "StartPage"),
}
EDITOR_PANELS = ("palette", "canvas", "inspector", "preview", "findings")  # the ones that can wait


def make_panel(name: str, *args: object, margin: int = 8) -> tuple[QWidget, bool]:
    """Make one panel; a panel that cannot be made becomes a one-sentence note instead (and is logged).

    Args:
        name: a key of :data:`PANELS`.
        args: what the panel's class is made with.
        margin: the note's margin in pixels.

    Returns:
        The widget (its objectName set) and whether it is the real panel (False: the note).
    """
    module_name, class_name, object_name = PANELS[name]
    try:
        # Importing here, not at the top: a panel's module costs start-up time only when it is made.
        make = getattr(importlib.import_module(module_name), class_name)
        widget: QWidget = make(*args)
        made = True
    except Exception:  # one broken panel must not keep the whole window from opening
        _log.exception("the %s could not be made", name)
        from PySide6.QtCore import Qt  # here: Qt's enums are built on first use, not before the first picture

        note = QLabel(say("panel.missing", panel=say(f"panel.{name}")))
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.setMargin(margin)
        note.setAccessibleName(say(f"panel.{name}"))
        widget, made = note, False
    if not widget.objectName():
        widget.setObjectName(object_name)
    return widget, made


def bind_toggle(window: QWidget, action: QAction, object_name: str) -> None:
    """Keep a View menu entry and the matching toggle button of a panel (found by objectName) in step.

    The entry is switched off when the window has no such toggle (its panel could not be made).
    """
    button = window.findChild(QAbstractButton, object_name)
    other = button if button is not None else window.findChild(QAction, object_name)
    if other is None or not other.isCheckable():
        action.setEnabled(False)
        return
    if action.isChecked():  # switched on from the menu before the panel was made (entries start off)
        other.setChecked(True)
    action.setChecked(other.isChecked())
    action.toggled.connect(other.setChecked)
    other.toggled.connect(action.setChecked)
