"""Inline files (heredocs): which ones the command opens, read only, and an editor for each one's text.

Adding or removing a heredoc means changing the command that opens it (``<<EOF``), so this editor only
changes the text between the opening line and the closing word.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.widgets.fields.base import FieldContext, ValueEditor
from ui.widgets.fields.multiline import GrowingTextEdit, set_plain_text


def _shown(content: str) -> str:
    # The line break before the closing word belongs to the format, not to the user's text.
    return content[:-1] if content.endswith("\n") else content


class HeredocsField(ValueEditor):
    """A HEREDOCS parameter: ``[name, content, closing line]`` per inline file."""

    def __init__(self, context: FieldContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent=parent)
        self._items: list[list[str]] = []
        self._edits: list[GrowingTextEdit] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._empty = QLabel(self.tr("This block has no inline files."), self)
        self._empty.setWordWrap(True)
        self._layout.addWidget(self._empty)
        self._parts: list[QWidget] = []

    def _rebuild(self) -> None:
        for part in self._parts:
            part.hide()
            part.deleteLater()
        self._parts, self._edits = [], []
        self._empty.setVisible(not self._items)
        for index, (name, content, _end) in enumerate(self._items):
            summary = QLabel(
                self.tr("Inline file {name}, {count} line(s):").format(
                    name=name, count=len(_shown(content).split("\n")) if content else 0
                ),
                self,
            )
            summary.setWordWrap(True)
            edit = GrowingTextEdit(monospace=True, parent=self)
            edit.setObjectName(f"field-{self.context.name}-{index}")
            edit.setPlainText(_shown(content))
            self.set_accessible(edit, f"{self.context.label}: {name}", self.context.info.help)
            summary.setBuddy(edit)
            edit.textChanged.connect(lambda i=index: self._typed(i))
            self._layout.addWidget(summary)
            self._layout.addWidget(edit)
            self._parts += [summary, edit]
            self._edits.append(edit)
        self.focusChainChanged.emit()

    def _typed(self, index: int) -> None:
        text = self._edits[index].toPlainText()
        name, content, end = self._items[index]
        if text == _shown(content):
            return
        self._items[index] = [name, text + "\n" if text else "", end]
        self.emit_value([list(item) for item in self._items])

    def set_value(self, value: Any) -> None:
        items = [[str(part) for part in item] for item in value] if isinstance(value, list) else []
        if items == self._items:
            return
        same_shape = [i[0] for i in items] == [i[0] for i in self._items]
        self._items = items
        if not same_shape:
            self._rebuild()
            return
        for edit, (_name, content, _end) in zip(self._edits, items, strict=True):
            blocked = edit.blockSignals(True)
            set_plain_text(edit, _shown(content))
            edit.blockSignals(blocked)

    def focus_widgets(self) -> list[QWidget]:
        return list(self._edits)
