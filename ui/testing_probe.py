"""The end-to-end test's eyes: where things are on the screen, written to a JSON file while the window runs.

The end-to-end test (``tests/e2e``) drives the real application with a real mouse and keyboard in an X
server. To know where to press, it needs the screen positions of the palette entries, the canvas rows and
the inspector's fields, and to know when an action has landed it needs the document as the window holds
it. With ``DOCKBLOCKS_E2E_GEOMETRY=/some/file.json`` set, :func:`install_if_requested` starts a
:class:`GeometryProbe` that rewrites that file (atomically) whenever what it would say has changed, a few
times a second. Without the variable nothing is installed and nothing is written: users never see it.

The file holds (every rectangle ``[x, y, width, height]`` in global screen pixels, ``visible`` being the
part not clipped by scrolling or by the panels around it, absent when nothing of it shows):

- ``widgets``: objectName -> rect, visible, enabled, focus, and the ``text``/``checked`` of inputs, for
  every shown widget of every shown window (a dialog's names win over the main window's);
- ``palette``: Kind value -> rect/visible of its entry; ``canvas``: the rows in order (stages and blocks)
  and the position the drop indicator shows; ``document``: kinds, rendered text, preview text, selection,
  undo position, clean flag and file path; ``windows``: the shown top-level windows (dialogs included).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPoint, QRect, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

ENV_VAR = "DOCKBLOCKS_E2E_GEOMETRY"
INTERVAL_MS = 100
_TEXT_LIMIT = 4000  # characters of a text field kept in the file; the test never needs more

Rect = list[int]


def install_if_requested(window: QWidget, environ: Mapping[str, str] | None = None) -> GeometryProbe | None:
    """Start a probe over ``window`` when ``DOCKBLOCKS_E2E_GEOMETRY`` names a file; else do nothing."""
    target = (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
    if not target:
        return None
    return GeometryProbe(window, Path(target))


def _rect(rect: QRect) -> Rect:
    return [rect.x(), rect.y(), rect.width(), rect.height()]


def _global(widget: QWidget, local: QRect) -> QRect:
    return QRect(widget.mapToGlobal(local.topLeft()), local.size())


def _clipped(widget: QWidget, local: QRect) -> QRect:
    """The part of ``local`` (widget coordinates) that shows on screen: clipped by every ancestor."""
    shown = _global(widget, local).intersected(_global(widget, widget.rect()))
    parent = widget.parentWidget()
    while parent is not None and not shown.isEmpty():
        shown = shown.intersected(_global(parent, parent.rect()))
        if parent.isWindow():
            break
        parent = parent.parentWidget()
    return shown


def _place(widget: QWidget, local: QRect | None = None) -> dict[str, Any]:
    area = widget.rect() if local is None else local
    place: dict[str, Any] = {"rect": _rect(_global(widget, area))}
    shown = _clipped(widget, area)
    if not shown.isEmpty():
        place["visible"] = _rect(shown)
    return place


def _widget_entry(widget: QWidget, focused: QWidget | None) -> dict[str, Any]:
    entry = _place(widget)
    entry["class"] = widget.metaObject().className()
    entry["enabled"] = widget.isEnabled()
    entry["focus"] = widget is focused
    if isinstance(widget, QLineEdit):
        entry["text"] = widget.text()[:_TEXT_LIMIT]
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        entry["text"] = widget.toPlainText()[:_TEXT_LIMIT]
    elif isinstance(widget, QComboBox):
        entry["text"] = widget.currentText()
    elif isinstance(widget, QAbstractButton):
        entry["text"] = widget.text()
        entry["checked"] = widget.isChecked()
    return entry


class GeometryProbe(QObject):
    """Writes the window's geometry and document state to a JSON file whenever they change.

    Attributes:
        path: the file written (replaced atomically, so a reader never sees half of it).
        writes: how many times the file was written.
    """

    def __init__(self, window: QWidget, path: Path, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(window)
        self._window = window
        self.path = path
        self.writes = 0
        self._last = ""
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.write_if_changed)
        self._timer.start()

    # --- the file ------------------------------------------------------------------------------------

    def write_if_changed(self) -> bool:
        """Write the file when what it says has changed; True when it was written."""
        try:
            state = json.dumps(self.snapshot(), sort_keys=True, ensure_ascii=False)
        except Exception as error:  # the probe must never take the window down; say what went wrong
            state = json.dumps({"probe_error": f"{type(error).__name__}: {error}"})
        if state == self._last:
            return False
        self._last = state
        self.writes += 1
        record = state[:-1] + f', "seq": {self.writes}}}'
        temp = self.path.with_name(f".{self.path.name}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_text(record, encoding="utf-8")
            os.replace(temp, self.path)
        except OSError:
            return False
        return True

    # --- what it says --------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Everything the file says, as plain data."""
        app = QApplication.instance()
        focused = QApplication.focusWidget()
        windows = self._shown_windows()
        modal = QApplication.activeModalWidget()
        active = QApplication.activeWindow()
        state: dict[str, Any] = {
            "pid": os.getpid(),
            "ratio": self._window.devicePixelRatioF(),
            "windows": [self._window_entry(w) for w in windows],
            "active_window": active.objectName() if active is not None else None,
            "modal": modal.objectName() if modal is not None else None,
            "focus": focused.objectName() if focused is not None else None,
            "widgets": self._widgets(windows, focused),
            "running": isinstance(app, QApplication),
        }
        state.update(self._panels())
        return state

    def _shown_windows(self) -> list[QWidget]:
        """The main window first, then the other shown top-level windows (dialogs, menus)."""
        others = [
            w
            for w in QApplication.topLevelWidgets()
            if w is not self._window and w.isVisible() and w.objectName() != ""
        ]
        return [self._window, *others] if self._window.isVisible() else others

    def _window_entry(self, window: QWidget) -> dict[str, Any]:
        return {
            "name": window.objectName(),
            "class": window.metaObject().className(),
            "title": window.windowTitle(),
            "rect": _rect(QRect(window.mapToGlobal(QPoint(0, 0)), window.size())),
            "modal": window.isModal(),
        }

    def _widgets(self, windows: list[QWidget], focused: QWidget | None) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for window in windows:  # later windows (dialogs) win: they are what the user looks at
            mine: dict[str, Any] = {}
            for widget in [window, *window.findChildren(QWidget)]:
                name = widget.objectName()
                if not name or name.startswith("qt_") or name in mine or not widget.isVisible():
                    continue
                mine[name] = _widget_entry(widget, focused)
            found.update(mine)
        return found

    def _panels(self) -> dict[str, Any]:
        panel = getattr(self._window, "panel", None)
        controller = getattr(self._window, "controller", None)
        on_start_page = getattr(self._window, "is_showing_start_page", None)
        state: dict[str, Any] = {"start_page": bool(on_start_page()) if callable(on_start_page) else False}
        # Asking for a panel makes the editor panels; the probe leaves that to the window.
        ready = getattr(self._window, "is_editor_ready", lambda: True)
        if callable(panel) and ready():
            state["palette"] = self._palette(panel("palette"))
            state["canvas"] = self._canvas(panel("canvas"))
            inspector = panel("inspector")
            current = getattr(inspector, "current_block_id", None)
            state["inspector_block"] = current() if callable(current) else None
            editor = getattr(panel("preview"), "editor", None)
            state["preview_text"] = editor.toPlainText() if isinstance(editor, QPlainTextEdit) else None
        if controller is not None:
            state["document"] = self._document(controller)
        return state

    def _palette(self, palette: QWidget) -> dict[str, Any]:
        view, model = getattr(palette, "view", None), getattr(palette, "model", None)
        if not isinstance(view, QAbstractItemView) or model is None:
            return {}
        entries: dict[str, Any] = {}
        for group_row in range(model.rowCount()):
            group = model.index(group_row, 0)
            for row in range(model.rowCount(group)):
                index = model.index(row, 0, group)
                kind = model.kind_at(index)
                if kind is not None:
                    entries[str(kind.value)] = _place(view.viewport(), view.visualRect(index))
        return entries

    def _canvas(self, canvas: QWidget) -> dict[str, Any]:
        from ui.models.document_model import BlockRole  # the canvas has imported it: free here

        model = getattr(canvas, "document_model", None)
        if not isinstance(canvas, QAbstractItemView) or model is None:
            return {}
        rows: list[dict[str, Any]] = []
        viewport = canvas.viewport()
        for stage_row in range(model.rowCount()):
            stage = model.index(stage_row, 0)
            rows.append({"stage": stage_row, **_place(viewport, canvas.visualRect(stage))})
            for row in range(model.rowCount(stage)):
                index: QModelIndex = model.index(row, 0, stage)
                entry = {"id": model.block_id(index), "kind": model.data(index, BlockRole.KIND)}
                rows.append({**entry, **_place(viewport, canvas.visualRect(index))})
        indicator = getattr(canvas, "drop_indicator_position", None)
        return {
            "rows": rows,
            "viewport": _place(viewport),
            "drop_indicator": indicator() if callable(indicator) else None,
        }

    def _document(self, controller: Any) -> dict[str, Any]:
        stack = controller.undo_stack
        path = controller.path
        return {
            "kinds": [block.kind.value for block in controller.document.blocks],
            "ids": [block.id for block in controller.document.blocks],
            "text": controller.rendered.text,
            "selection": controller.selection(),
            "undo_index": stack.index(),
            "undo_count": stack.count(),
            "undo_text": stack.undoText(),
            "clean": stack.isClean(),
            "path": str(path) if path is not None else None,
        }
