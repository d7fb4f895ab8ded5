"""One of a few values: a combo box showing the catalog's words for each value."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QSizePolicy, QVBoxLayout, QWidget

from ui.widgets.fields.base import EditMode, FieldContext, ValueEditor


class ChoiceField(ValueEditor):
    """A CHOICE parameter; picking a value writes at once.

    An optional choice offers "Not set" for the empty value; a value the catalog does not know (read
    from a file) is shown as written so that nothing is silently changed.
    """

    def __init__(self, context: FieldContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent=parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"field-{context.name}")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.set_accessible(self.combo, context.label, context.info.help)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self._fill(None)
        # activated fires only for the user's choice, never for setCurrentIndex.
        self.combo.activated.connect(self._picked)

    def _fill(self, current: str | None) -> None:
        self.combo.clear()
        if not self.context.spec.required:
            self.combo.addItem(self.tr("Not set"), "")
        for value, label in self.context.info.choices:
            if value:
                self.combo.addItem(label, value)
        if current is not None and self.combo.findData(current) < 0:
            self.combo.addItem(current or self.tr("Not set"), current)

    def _picked(self, index: int) -> None:
        self.emit_value(str(self.combo.itemData(index)), EditMode.ACTION)

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        index = self.combo.findData(text)
        if index < 0:
            self._fill(text)
            index = self.combo.findData(text)
        if self.combo.currentIndex() != index:
            self.combo.setCurrentIndex(index)

    def focus_widgets(self) -> list[QWidget]:
        return [self.combo]
