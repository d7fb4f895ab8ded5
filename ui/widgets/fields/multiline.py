"""Several lines of text: a shell command (each line break is written as a line continuation) or a comment."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from ui.widgets.fields.base import EditMode, FieldContext, ValueEditor

MIN_LINES = 2
MAX_LINES = 12


def set_plain_text(edit: QPlainTextEdit, text: str) -> None:
    """Show a text; where the user is typing, the cursor (clamped) and the scroll position stay put."""
    if edit.toPlainText() == text:
        return
    position = edit.textCursor().position()
    scroll = edit.verticalScrollBar().value()
    blocked = edit.blockSignals(True)
    edit.setPlainText(text)
    edit.blockSignals(blocked)
    if not edit.hasFocus():
        return
    cursor = edit.textCursor()
    cursor.setPosition(min(position, len(text)))
    edit.setTextCursor(cursor)
    edit.verticalScrollBar().setValue(scroll)


class GrowingPlainTextEdit(QPlainTextEdit):
    """A plain-text editor as tall as its text (between MIN_LINES and MAX_LINES), Tab moving the focus."""

    def __init__(self, monospace: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if monospace:
            self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        # Tab moves to the next field, as in every other form field (keyboard users must not be trapped).
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit())
        self._fit()

    def _fit(self) -> None:
        lines = max(MIN_LINES, min(MAX_LINES, int(self.document().size().height())))
        height = self.fontMetrics().lineSpacing() * lines
        margins = self.contentsMargins()
        frame = 2 * self.frameWidth() + int(2 * self.document().documentMargin())
        self.setFixedHeight(height + frame + margins.top() + margins.bottom())


class MultilineField(ValueEditor):
    """A MULTILINE parameter (``command``: monospace; ``text`` of a comment: the normal font)."""

    def __init__(self, context: FieldContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent=parent)
        self.edit = GrowingPlainTextEdit(monospace=context.name == "command", parent=self)
        self.edit.setObjectName(f"field-{context.name}")
        self.edit.setPlaceholderText(context.example)
        self.set_accessible(self.edit, context.label, context.info.help)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self._shown = ""
        self.edit.textChanged.connect(self._typed)
        self.edit.installEventFilter(self)

    def _typed(self) -> None:
        text = self.edit.toPlainText()
        if text != self._shown:
            self._shown = text
            self.emit_value(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            self.emit_value(self.edit.toPlainText(), EditMode.FINISHED)
        return super().eventFilter(watched, event)

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        self._shown = text
        set_plain_text(self.edit, text)

    def focus_widgets(self) -> list[QWidget]:
        return [self.edit]
