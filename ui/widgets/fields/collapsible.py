"""A section with a title button that opens and closes it ("More options", the block's explanation)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QToolButton, QVBoxLayout, QWidget


class Collapsible(QWidget):
    """A title button with an arrow, and a body shown only while the section is open.

    Signals:
        toggled(bool): the section was opened (True) or closed (False) by the user or by ``set_open``.
    """

    toggled = Signal(bool)

    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.button = QToolButton(self)
        self.button.setObjectName(f"{object_name}Toggle")
        self.button.setText(title)
        self.button.setAccessibleName(title)
        self.button.setCheckable(True)
        self.button.setAutoRaise(True)
        # A link-like title: no pressed-in look while the section is open, the arrow says that.
        self.button.setStyleSheet("QToolButton { border: none; padding: 2px 0px; }")
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.body = QWidget(self)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.title_row = QHBoxLayout()
        self.title_row.setSpacing(12)
        self.title_row.addWidget(self.button)
        self.title_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self.title_row)
        layout.addWidget(self.body)
        self.button.toggled.connect(self._show)
        self._show(False)

    def _show(self, is_open: bool) -> None:
        self.button.setArrowType(Qt.ArrowType.DownArrow if is_open else Qt.ArrowType.RightArrow)
        self.body.setVisible(is_open)
        self.toggled.emit(is_open)

    def add_to_title(self, widget: QWidget) -> None:
        """Put a widget on the title's line, at its right end (a link that belongs with the section)."""
        self.title_row.addWidget(widget)

    def set_open(self, is_open: bool) -> None:
        """Open or close the section."""
        if self.button.isChecked() != is_open:
            self.button.setChecked(is_open)

    def is_open(self) -> bool:
        return self.button.isChecked()
