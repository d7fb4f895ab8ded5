"""ONBUILD's trigger: which instruction runs later, in builds based on this image, and its own form.

The trigger is a whole block inside the ONBUILD block. Editing one of its fields writes a new trigger
(the old one with that field changed) as the ONBUILD's ``trigger`` parameter, so it is undone in one step
like any other field.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFrame, QSizePolicy, QVBoxLayout, QWidget

from desktop.blocks.catalog import catalog_entry
from desktop.blocks.kinds import INSTRUCTION_KINDS, Kind
from desktop.blocks.model import Block, copy_params, copy_value, new_block
from desktop.blocks.validate import FieldIssue, validate_block
from ui.widgets.fields.base import EditMode, FieldContext, ValueEditor, help_label

TRIGGER_KINDS = tuple(k for k in INSTRUCTION_KINDS if k not in (Kind.FROM, Kind.MAINTAINER, Kind.ONBUILD))
"""What BuildKit accepts after ONBUILD (FROM, MAINTAINER and ONBUILD itself are refused)."""


def kind_title(kind: Kind) -> str:
    """``Run a command (RUN)``: the catalog title with the instruction's name."""
    return f"{catalog_entry(kind).title} ({kind.value})"


class TriggerField(ValueEditor):
    """A BLOCK parameter: a kind chooser with its help, and under them the form of the trigger."""

    owns_help = True  # the help belongs under the chooser, above the trigger's own fields

    def __init__(self, context: FieldContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent=parent)
        from ui.widgets.fields.form import BlockForm  # the form builds this field: imported late

        self._form_class = BlockForm
        self.form: BlockForm | None = None
        self._current: Block | None = None
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"field-{context.name}")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(10)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.set_accessible(self.combo, context.label, context.info.help)
        self.combo.activated.connect(self._picked)
        # The trigger's own fields sit in an indented box, so it is clear they belong to the trigger.
        self.box = QFrame(self)
        self.box.setObjectName("TriggerBox")
        self.box.setFrameShape(QFrame.Shape.StyledPanel)
        self.box_layout = QVBoxLayout(self.box)
        self.box_layout.setContentsMargins(10, 8, 8, 8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.combo)
        layout.addWidget(help_label(context.info.help, self))
        layout.addWidget(self.box)
        self._fill(None)
        self.box.hide()

    def _fill(self, current: Kind | None) -> None:
        self.combo.clear()
        self.combo.addItem(self.tr("Choose an instruction…"), "")
        for kind in TRIGGER_KINDS:
            self.combo.addItem(kind_title(kind), kind.value)
        if current is not None and self.combo.findData(current.value) < 0:
            self.combo.addItem(kind_title(current), current.value)

    def _picked(self, index: int) -> None:
        value = str(self.combo.itemData(index))
        if not value:
            self._show(None)
            self.emit_value(None, EditMode.ACTION)
            return
        kind = Kind(value)
        if self._current is not None and self._current.kind is kind:
            return
        trigger = new_block(kind)
        self._show(trigger)
        self.emit_value(copy_value(trigger), EditMode.ACTION)

    def _show(self, trigger: Block | None) -> None:
        """Show a trigger: a new form when its kind changed, else only its values."""
        old_kind = self._current.kind if self._current is not None else None
        self._current = copy_value(trigger) if trigger is not None else None
        new_kind = trigger.kind if trigger is not None else None
        if new_kind is not old_kind or (self.form is None and trigger is not None):
            if self.form is not None:
                self.form.hide()
                self.form.deleteLater()
                self.form = None
            if trigger is not None:
                self.form = self._form_class(trigger.kind, self.context.escape, self.box)
                self.form.edited.connect(self._nested_edit)
                self.form.focusChainChanged.connect(self.focusChainChanged)
                self.box_layout.addWidget(self.form)
            self.focusChainChanged.emit()
        self.box.setVisible(trigger is not None)
        index = self.combo.findData(new_kind.value if new_kind is not None else "")
        if index < 0 and new_kind is not None:
            self._fill(new_kind)
            index = self.combo.findData(new_kind.value)
        self.combo.setCurrentIndex(index)
        if self.form is not None and trigger is not None:
            self.form.set_values(trigger.params)
            if new_kind is not old_kind:
                self.form.open_advanced_if_set(trigger.params)
            self._validate()

    def _nested_edit(self, values: dict[str, Any], mode: int) -> None:
        if self._current is None:
            return
        params = copy_params(self._current.params)
        params.update({name: copy_value(value) for name, value in values.items()})
        self._current = Block(self._current.kind, params, self._current.origin, self._current.id)
        self._validate()
        self.emit_value(copy_value(self._current), EditMode(mode))

    def _validate(self) -> None:
        if self.form is not None and self._current is not None:
            self.form.show_issues(validate_block(self._current, self.context.escape))

    def set_value(self, value: Any) -> None:
        trigger = value if isinstance(value, Block) else None
        if trigger == self._current and (trigger is None or self.form is not None):
            return
        self._show(trigger)

    def row_issues(self, issues: list[FieldIssue]) -> list[FieldIssue]:
        # The trigger's own form shows its fields' messages; here only what concerns the choice itself.
        if self._current is not None and self._current.kind in TRIGGER_KINDS:
            return []
        return issues

    def focus_widgets(self) -> list[QWidget]:
        return [self.combo, *(self.form.focus_widgets() if self.form is not None else [])]
