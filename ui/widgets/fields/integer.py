"""A whole number: a spin box."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QSpinBox, QVBoxLayout, QWidget

from ui.widgets.fields.base import EditMode, FieldContext, ValueEditor

MAXIMUM = 999


class IntField(ValueEditor):
    """An INT parameter (the number of blank lines)."""

    def __init__(self, context: FieldContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent=parent)
        self.spin = QSpinBox(self)
        self.spin.setObjectName(f"field-{context.name}")
        self.spin.setRange(0, MAXIMUM)
        self.set_accessible(self.spin, context.label, context.info.help)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)
        self._setting = False
        self.spin.valueChanged.connect(self._changed)
        self.spin.editingFinished.connect(lambda: self.emit_value(self.spin.value(), EditMode.FINISHED))

    def _changed(self, value: int) -> None:
        if not self._setting:
            self.emit_value(int(value))

    def set_value(self, value: Any) -> None:
        number = value if isinstance(value, int) and not isinstance(value, bool) else 0
        if self.spin.value() == number:
            return
        self._setting = True
        try:
            self.spin.setValue(min(max(number, 0), MAXIMUM))
        finally:
            self._setting = False

    def focus_widgets(self) -> list[QWidget]:
        return [self.spin]
