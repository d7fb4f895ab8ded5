"""Several lines of text: a shell command (each line break is written as a line continuation) or a comment."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QTextEdit, QVBoxLayout, QWidget

from ui.widgets.fields.base import EditMode, FieldContext, ValueEditor

MIN_LINES = 2
MAX_LINES = 12


def set_plain_text(edit: QTextEdit, text: str) -> None:
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


class GrowingTextEdit(QTextEdit):
    """A plain-text editor as tall as its wrapped text (MIN_LINES to MAX_LINES lines), Tab moving the focus.

    A QTextEdit rather than a QPlainTextEdit: its document knows the height of every wrapped line, so the
    editor can grow to show all of a long command without a scroll bar.
    """

    def __init__(self, monospace: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)
        if monospace:
            self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        # Tab moves to the next field, as in every other form field (keyboard users must not be trapped).
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        # No scroll bar while the field grows to show every line: one that came for a moment, between a
        # new text and the new height, flickered, and showing and hiding it cost a relayout each time.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A new height relays out the whole form below the field and repaints it. When the text changed
        # elsewhere (the preview, undo), that waits for the next turn of the event loop, so the window
        # first shows the edit where the user made it; as the user types here, the field grows at once.
        self._fit_later = QTimer(self, singleShot=True, interval=0)
        self._fit_later.timeout.connect(self._fit)
        self.document().documentLayout().documentSizeChanged.connect(self._size_changed)
        self._fit()

    def _size_changed(self, _size: object = None) -> None:
        if self.hasFocus() or not self.isVisible():
            self._fit()
        else:
            self._fit_later.start()

    def _fit(self) -> None:
        line = self.fontMetrics().lineSpacing()
        margin = 2 * self.document().documentMargin()
        tallest = MAX_LINES * line + margin
        wanted = self.document().size().height()
        text_height = min(max(wanted, MIN_LINES * line + margin), tallest)
        margins = self.contentsMargins()
        self.setFixedHeight(round(text_height) + margins.top() + margins.bottom())
        scrolls = wanted > tallest  # past MAX_LINES lines
        policy = Qt.ScrollBarPolicy.ScrollBarAsNeeded if scrolls else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        if self.verticalScrollBarPolicy() != policy:
            self.setVerticalScrollBarPolicy(policy)


class MultilineField(ValueEditor):
    """A MULTILINE parameter (``command``: monospace; ``text`` of a comment: the normal font)."""

    def __init__(self, context: FieldContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent=parent)
        self.edit = GrowingTextEdit(monospace=context.name == "command", parent=self)
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
