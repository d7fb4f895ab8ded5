"""An editable table of short texts, one row per item: the base of the list, pairs and ARG editors.

Each row remembers the words it was given by the document, so a cell the user did not touch is written
back exactly as it was (quotes and all), and only a cell the user typed in is written anew.

A row added with "Add" is a draft until the user types in it: drafts are not part of the value, so an
empty row never shows up as an error while the user is about to fill it in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.blocks.validate import quote_word, unquote_word
from ui.widgets.fields.base import EditMode, FieldContext, ValueEditor
from ui.widgets.fields.text import set_line_text


@dataclass(frozen=True)
class Column:
    """One column of a rows editor.

    Attributes:
        title: the header, and part of each cell's accessible name.
        placeholders: example values, the first for row 1, the second for row 2 ...; later rows have none.
        quoted: cells show the value without quotes and write it quoted when it needs quotes.
        stretch: share of the width.
    """

    title: str
    placeholders: tuple[str, ...] = ()
    quoted: bool = False
    stretch: int = 1

    def placeholder(self, row: int) -> str:
        return self.placeholders[row] if row < len(self.placeholders) else ""


class Row(QWidget):
    """The line edits and buttons of one item."""

    def __init__(self, owner: RowsEditor, raw: list[str] | None) -> None:
        super().__init__(owner.rows_box)
        self.raw = raw
        self.draft = raw is None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.edits: list[QLineEdit] = []
        for column in owner.columns:
            edit = QLineEdit(self)
            edit.setMinimumWidth(60)
            layout.addWidget(edit, column.stretch)
            self.edits.append(edit)
        self.buttons: list[QToolButton] = []
        if owner.reorderable:
            self.up = self._button("↑", layout)
            self.down = self._button("↓", layout)
        self.remove = self._button("✕", layout)

    def _button(self, text: str, layout: QHBoxLayout) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout.addWidget(button)
        self.buttons.append(button)
        return button

    def texts(self) -> list[str]:
        return [edit.text() for edit in self.edits]


class RowsEditor(ValueEditor):
    """A LIST-like parameter edited as rows of line edits; subclasses say how rows map to items."""

    columns: tuple[Column, ...] = ()
    reorderable = False

    def __init__(self, context: FieldContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent=parent)
        self.columns = self.make_columns(context)
        self.rows: list[Row] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        if len(self.columns) > 1:
            layout.addWidget(self._header())
        self.rows_box = QWidget(self)
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(4)
        layout.addWidget(self.rows_box)
        self.add_button = QPushButton(self.add_text(), self)
        self.add_button.setObjectName(f"field-{context.name}-add")
        self.add_button.setAccessibleName(f"{self.add_text()} ({context.label})")
        self.add_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.add_button.clicked.connect(self.add_row)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._rebuild([])

    # --- what subclasses define ------------------------------------------------------------------------

    def make_columns(self, context: FieldContext) -> tuple[Column, ...]:
        """The columns of this editor."""
        raise NotImplementedError

    def add_text(self) -> str:
        """The text of the add button."""
        return self.tr("+ Add an item")

    def words_of(self, item: Any) -> list[str]:
        """The raw words of one item, one per column."""
        raise NotImplementedError

    def item_of(self, row: Row) -> Any:
        """The item a row stands for now (use :meth:`cell` for each column)."""
        raise NotImplementedError

    # --- values --------------------------------------------------------------------------------------

    def display(self, column: int, word: str) -> str:
        """What a cell shows for a raw word."""
        return unquote_word(word, self.context.escape) if self.columns[column].quoted else word

    def encode(self, column: int, text: str) -> str:
        """The raw word a cell writes for what the user typed."""
        return quote_word(text, self.context.escape) if self.columns[column].quoted else text

    def cell(self, row: Row, column: int) -> str:
        """A cell's raw word: as the document wrote it when untouched, else the typed text encoded."""
        text = row.edits[column].text()
        if row.raw is not None and column < len(row.raw) and self.display(column, row.raw[column]) == text:
            return row.raw[column]
        return self.encode(column, text)

    def value(self) -> list[Any]:
        """The items of every row that is not a draft."""
        return [self.item_of(row) for row in self.rows if not row.draft]

    def set_value(self, value: Any) -> None:
        items = list(value) if isinstance(value, list) else []
        if items == self.value():
            return
        real = [row for row in self.rows if not row.draft]
        if len(real) != len(items):
            self._rebuild(items)
            return
        for row, item in zip(real, items, strict=True):
            row.raw = [str(word) for word in self.words_of(item)]
            for column, edit in enumerate(row.edits):
                word = row.raw[column] if column < len(row.raw) else ""
                set_line_text(edit, self.display(column, word))

    def focus_widgets(self) -> list[QWidget]:
        widgets: list[QWidget] = []
        for row in self.rows:
            widgets.extend(row.edits)
            widgets.extend(row.buttons)
        widgets.append(self.add_button)
        return widgets

    # --- rows ----------------------------------------------------------------------------------------

    def _header(self) -> QWidget:
        header = QWidget(self)
        layout = QHBoxLayout(header)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for column in self.columns:
            label = QLabel(column.title, header)
            label.setMinimumWidth(60)
            layout.addWidget(label, column.stretch)
        # Room for the row buttons, so the headers stand over their columns.
        layout.addSpacing(self._buttons_width())
        return header

    def _buttons_width(self) -> int:
        probe = QToolButton(self)  # only measured, never shown
        probe.hide()
        probe.setText("✕")
        probe.setAutoRaise(True)
        width = probe.sizeHint().width()
        probe.deleteLater()
        count = 3 if self.reorderable else 1
        return count * width + count * 4

    def _drop(self, row: Row) -> None:
        """Hide a row and let Qt delete it; its names go at once, so no search finds it meanwhile."""
        for edit in row.edits:
            edit.setObjectName("")
        row.hide()
        row.deleteLater()

    def _rebuild(self, items: list[Any]) -> None:
        for row in self.rows:
            self._drop(row)
        self.rows = []
        for item in items:
            self._append(self._new_row([str(word) for word in self.words_of(item)]))
        if not self.rows:
            self._append(self._new_row(None))
        self._renumber()

    def _new_row(self, raw: list[str] | None) -> Row:
        row = Row(self, raw)
        for column, edit in enumerate(row.edits):
            word = raw[column] if raw is not None and column < len(raw) else ""
            edit.setText(self.display(column, word))
            edit.setCursorPosition(0)  # a long value shows its beginning
            edit.textEdited.connect(lambda _text, r=row: self._typed(r))
            edit.editingFinished.connect(lambda r=row: self._finished(r))
            edit.returnPressed.connect(lambda r=row: self._return_pressed(r))
        row.remove.clicked.connect(lambda _c=False, r=row: self.remove_row(r))
        if self.reorderable:
            row.up.clicked.connect(lambda _c=False, r=row: self.move_row(r, -1))
            row.down.clicked.connect(lambda _c=False, r=row: self.move_row(r, 1))
            for edit in row.edits:
                self._shortcut(edit, "Alt+Up", functools.partial(self.move_row, row, -1))
                self._shortcut(edit, "Alt+Down", functools.partial(self.move_row, row, 1))
        return row

    def _shortcut(self, edit: QLineEdit, keys: str, slot: Callable[[], None]) -> None:
        shortcut = QShortcut(QKeySequence(keys), edit)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(slot)

    def _append(self, row: Row) -> None:
        self.rows.append(row)
        self.rows_layout.addWidget(row)
        row.show()

    def _renumber(self) -> None:
        """Placeholders and accessible names follow the row numbers; the tab order is set again."""
        label = self.context.label
        for index, row in enumerate(self.rows):
            number = index + 1
            for column, edit in enumerate(row.edits):
                edit.setPlaceholderText(self.columns[column].placeholder(index))
                part = self.columns[column].title if len(self.columns) > 1 else self.tr("item")
                edit.setAccessibleName(f"{label}, {part} {number}")
                edit.setObjectName(f"field-{self.context.name}-{index}-{column}")
            row.remove.setToolTip(self.tr("Remove item {number}").format(number=number))
            row.remove.setAccessibleName(row.remove.toolTip())
            if self.reorderable:
                row.up.setToolTip(self.tr("Move item {number} up (Alt+Up)").format(number=number))
                row.up.setAccessibleName(row.up.toolTip())
                row.up.setEnabled(index > 0)
                row.down.setToolTip(self.tr("Move item {number} down (Alt+Down)").format(number=number))
                row.down.setAccessibleName(row.down.toolTip())
                row.down.setEnabled(index < len(self.rows) - 1)
        self.focusChainChanged.emit()

    # --- user actions --------------------------------------------------------------------------------

    def _typed(self, row: Row) -> None:
        row.draft = False
        self.emit_value(self.value())

    def _finished(self, row: Row) -> None:
        if not row.draft:
            self.emit_value(self.value(), EditMode.FINISHED)

    def _return_pressed(self, row: Row) -> None:
        # Enter in the last filled row starts the next one: quick to type a list of files.
        if row is self.rows[-1] and any(row.texts()):
            self.add_row()

    def add_row(self) -> None:
        """Start a new (draft) row at the end and put the cursor in it."""
        empty = next((r for r in self.rows if r.draft and not any(r.texts())), None)
        if empty is None:
            empty = self._new_row(None)
            self._append(empty)
            self._renumber()
        empty.edits[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_row(self, row: Row) -> None:
        """Remove one row (and its item)."""
        index = self.rows.index(row)
        focused = QApplication.focusWidget()
        focus_next = focused is not None and row.isAncestorOf(focused)
        self.rows.remove(row)
        self._drop(row)
        if not self.rows:
            self._append(self._new_row(None))
        self._renumber()
        if not row.draft:
            self.emit_value(self.value(), EditMode.ACTION)
        if focus_next:
            target = self.rows[min(index, len(self.rows) - 1)]
            target.edits[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def move_row(self, row: Row, step: int) -> None:
        """Move a row up (step -1) or down (+1), keeping the focus on it."""
        index = self.rows.index(row)
        target = index + step
        if not 0 <= target < len(self.rows):
            return
        self.rows[index], self.rows[target] = self.rows[target], self.rows[index]
        self.rows_layout.removeWidget(row)
        self.rows_layout.insertWidget(target, row)
        self._renumber()
        self.emit_value(self.value(), EditMode.ACTION)
