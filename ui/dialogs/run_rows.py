"""A small editable list for the run dialog: one row of line edits (and maybe a check box) per item.

Used for published ports, environment variables and volumes. Rows whose cells are all empty are not
part of the value, so "Add" never shows an error before the user typed anything.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class EditRow(QWidget):
    """The line edits of one item, a check box if the list has one, and a remove button."""

    def __init__(self, owner: RowsList, values: list[str], checked: bool) -> None:
        super().__init__(owner)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edits: list[QLineEdit] = []
        for index, (placeholder, accessible) in enumerate(owner.columns):
            edit = QLineEdit(values[index] if index < len(values) else "", self)
            edit.setPlaceholderText(placeholder)
            edit.setAccessibleName(accessible)
            edit.setObjectName(f"{owner.objectName()}Cell{index}")
            edit.textChanged.connect(owner.changed)
            layout.addWidget(edit, 1)
            if index + 1 < len(owner.columns) and owner.separator:
                layout.addWidget(QLabel(owner.separator, self))
            self.edits.append(edit)
        self.check: QCheckBox | None = None
        if owner.check_text:
            self.check = QCheckBox(owner.check_text, self)
            self.check.setChecked(checked)
            self.check.setObjectName(f"{owner.objectName()}Check")
            self.check.setAccessibleName(owner.check_text)
            self.check.toggled.connect(owner.changed)
            layout.addWidget(self.check)
        remove = QToolButton(self)
        remove.setText("✕")
        remove.setToolTip(owner.remove_text)
        remove.setAccessibleName(owner.remove_text)
        remove.setObjectName(f"{owner.objectName()}Remove")
        remove.clicked.connect(lambda: owner.remove_row(self))
        layout.addWidget(remove)

    def texts(self) -> list[str]:
        return [edit.text().strip() for edit in self.edits]

    def is_empty(self) -> bool:
        return not any(self.texts())


class RowsList(QWidget):
    """Rows of line edits with an "Add" button under them.

    Signals:
        changed(): a cell, a check box, or the rows themselves changed.
    """

    changed = Signal()

    def __init__(
        self,
        name: str,
        columns: list[tuple[str, str]],
        add_text: str,
        remove_text: str,
        separator: str = "",
        check_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """``columns``: (placeholder, accessible name) per cell; ``separator`` is shown between cells."""
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(add_text)
        self.columns = columns
        self.separator = separator
        self.check_text = check_text
        self.remove_text = remove_text
        self.rows: list[EditRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._rows_box = QVBoxLayout()
        layout.addLayout(self._rows_box)
        self.add_button = QPushButton(add_text, self)
        self.add_button.setObjectName(f"{name}Add")
        self.add_button.setAccessibleName(add_text)
        self.add_button.clicked.connect(lambda: self.add_row([], focus=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def add_row(self, values: list[str], checked: bool = False, focus: bool = False) -> EditRow:
        row = EditRow(self, values, checked)
        self.rows.append(row)
        self._rows_box.addWidget(row)
        if focus:
            row.edits[0].setFocus()
        self.changed.emit()
        return row

    def remove_row(self, row: EditRow) -> None:
        if row in self.rows:
            self.rows.remove(row)
            row.hide()
            row.deleteLater()
            self.changed.emit()

    def values(self) -> list[tuple[list[str], bool]]:
        """The filled rows: their texts and whether their check box is ticked."""
        return [
            (row.texts(), row.check.isChecked() if row.check is not None else False)
            for row in self.rows
            if not row.is_empty()
        ]
