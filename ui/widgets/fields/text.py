"""One line of text: QLineEdit with the catalog's example as placeholder."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ui.widgets.fields.base import EditMode, FieldContext, ValueEditor


def set_line_text(edit: QLineEdit, text: str) -> None:
    """Show a value in a line edit without emitting edits; where the user is typing, the cursor stays put."""
    if edit.text() == text:
        return
    cursor = edit.cursorPosition()
    edit.setText(text)  # setText does not emit textEdited, which is what editors listen to
    # Where the user is typing the cursor stays put; elsewhere a long value shows its beginning.
    edit.setCursorPosition(min(cursor, len(text)) if edit.hasFocus() else 0)


class TextField(ValueEditor):
    """A TEXT parameter."""

    def __init__(self, context: FieldContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent=parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"field-{context.name}")
        self.edit.setPlaceholderText(context.example)
        self.edit.setClearButtonEnabled(False)
        self.set_accessible(self.edit, context.label, context.info.help)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.edit.textEdited.connect(lambda text: self.emit_value(text))
        # Leaving the field or pressing Enter writes at once instead of waiting for the pause.
        self.edit.editingFinished.connect(lambda: self.emit_value(self.edit.text(), EditMode.FINISHED))

    def set_value(self, value: Any) -> None:
        set_line_text(self.edit, "" if value is None else str(value))

    def focus_widgets(self) -> list[QWidget]:
        return [self.edit]
