"""A yes/no option: a check box labelled with the field's label."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from ui.widgets.fields.base import EditMode, FieldContext, ValueEditor


class BoolField(ValueEditor):
    """A BOOL parameter; a click writes at once."""

    shows_label = False

    def __init__(self, context: FieldContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent=parent)
        self.box = QCheckBox(context.label, self)
        self.box.setObjectName(f"field-{context.name}")
        self.set_accessible(self.box, context.label, context.info.help)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box)
        # clicked (not toggled) fires only for the user's clicks and key presses, never for setChecked.
        self.box.clicked.connect(lambda checked: self.emit_value(bool(checked), EditMode.ACTION))

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))

    def focus_widgets(self) -> list[QWidget]:
        return [self.box]
