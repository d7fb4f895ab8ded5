"""What every field editor of the inspector shares: its context, its signals, how it is marked.

A field editor shows one parameter of a block (or, for the shell/exec switch, the few parameters that
belong together) and reports what the user typed. It never writes to the document itself: the form
collects the edits and the inspector turns them into ``SetParams`` operations, so every edit is undoable.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QWidget

from desktop.blocks.catalog import ParamInfo, catalog_entry
from desktop.blocks.kinds import Kind, ParamSpec
from desktop.blocks.validate import FieldIssue
from desktop.i18n import load_texts


class EditMode(enum.IntEnum):
    """How an edit came about, which decides when it is written and how it is undone."""

    TYPING = 0  # a key in a field: written after a pause, merged with the typing before it
    FINISHED = 1  # the user left the field or pressed Enter: written at once, still part of the typing
    ACTION = 2  # a click or a choice (check box, list row added, form switched): at once, its own undo step


FRAME_NAME = "FieldFrame"
"""objectName of every editor frame; the inspector's style sheet draws a coloured frame by its ``issue``."""


@functools.cache
def _examples() -> dict[str, str]:
    return {str(k): str(v) for k, v in load_texts("validation").get("examples", {}).items()}


def example_of(kind: Kind, name: str) -> str:
    """The example value of a field (``alpine`` for FROM's image), or "" when the catalog has none."""
    return _examples().get(f"{kind.name}.{name}", "")


@dataclass(frozen=True)
class FieldContext:
    """Everything an editor needs to know about the parameter it shows.

    Attributes:
        kind: the block's kind.
        spec: the parameter's declaration.
        info: its label, help and choice labels from the catalog.
        escape: the document's escape character (for quoting words).
    """

    kind: Kind
    spec: ParamSpec
    info: ParamInfo
    escape: str

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def label(self) -> str:
        return self.info.label

    @property
    def example(self) -> str:
        return example_of(self.kind, self.spec.name)

    @classmethod
    def of(cls, kind: Kind, spec: ParamSpec, escape: str) -> FieldContext:
        """The context of one parameter of a kind."""
        return cls(kind, spec, catalog_entry(kind).param(spec.name), escape)


class FieldEditor(QFrame):
    """Base of every field editor.

    Subclasses fill the frame, emit ``edited`` when the user changes something and implement
    ``set_values`` (from the document: no signal, cursor kept) and ``focus_widgets``.

    Signals:
        edited(dict, int): new parameter values and how they came (an :class:`EditMode`): typing is
            written after a pause, a finished typing at once, and an action (a click) at once as an undo
            step of its own.
        focusChainChanged(): rows were added or removed, so the tab order must be set again.
    """

    edited = Signal(dict, int)
    focusChainChanged = Signal()

    owns_help = False
    """True when the editor shows its own help text (the form then shows none under it)."""
    shows_label = True
    """False when the editor carries its label itself (a check box)."""

    def __init__(
        self, context: FieldContext, params: tuple[str, ...] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.params: tuple[str, ...] = params or (context.name,)
        self.setObjectName(FRAME_NAME)
        self.setProperty("issue", "")
        self.setProperty("field", context.name)

    def set_values(self, params: Mapping[str, Any]) -> None:
        """Show the block's values (from the document); must not emit ``edited``."""
        raise NotImplementedError

    def focus_widgets(self) -> list[QWidget]:
        """The widgets that take keyboard focus, top to bottom; the first one is the label's buddy."""
        raise NotImplementedError

    def help_text(self) -> str:
        """The help sentence shown under the field (the catalog's by default)."""
        return self.context.info.help

    def buddy(self) -> QWidget | None:
        """The input the field's label names and Enter focuses (the first focus widget by default)."""
        widgets = self.focus_widgets()
        return widgets[0] if widgets else None

    def row_issues(self, issues: list[FieldIssue]) -> list[FieldIssue]:
        """Which of the issues on this editor's parameters the form shows under it (all by default)."""
        return issues

    def set_issue_level(self, level: str) -> None:
        """Mark the frame: "error", "warning" or "" (restyled at once)."""
        if self.property("issue") == level:
            return
        self.setProperty("issue", level)
        style = self.style()
        style.unpolish(self)
        style.polish(self)
        self.update()

    def set_accessible(self, widget: QWidget, name: str, description: str = "") -> None:
        """Give one input its accessible name (its label) and description (the help)."""
        widget.setAccessibleName(name)
        if description:
            widget.setAccessibleDescription(description)


class ValueEditor(FieldEditor):
    """An editor for exactly one parameter value."""

    def set_values(self, params: Mapping[str, Any]) -> None:
        self.set_value(params.get(self.context.name))

    def set_value(self, value: Any) -> None:
        """Show one value from the document without emitting ``edited``."""
        raise NotImplementedError

    def emit_value(self, value: Any, mode: EditMode = EditMode.TYPING) -> None:
        """Report the user's new value."""
        self.edited.emit({self.context.name: value}, int(mode))


def muted_colour(widget: QWidget) -> QColor:
    """A text colour between the window's text and background: readable, yet quieter than labels."""
    palette = widget.palette()
    text, back = palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window)
    # 70 % text, 30 % background keeps a contrast above 4.5:1 on both light and dark palettes.
    return QColor(
        round(text.red() * 0.7 + back.red() * 0.3),
        round(text.green() * 0.7 + back.green() * 0.3),
        round(text.blue() * 0.7 + back.blue() * 0.3),
    )


def help_label(text: str, parent: QWidget) -> QLabel:
    """A word-wrapped help sentence under a field, in the quieter colour."""
    label = QLabel(text, parent)
    label.setObjectName("FieldHelp")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, muted_colour(parent))
    label.setPalette(palette)
    return label
