"""The fields of one block kind, built from its typed parameters: a row per field, advanced ones folded.

The form shows values and issues and reports edits; it does not know the controller. The inspector
(or, for ONBUILD, the trigger field) decides what an edit does.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.blocks.kinds import COMMAND_KINDS, Kind, ParamSpec, ParamType, params_of
from desktop.blocks.model import new_block
from desktop.blocks.validate import FieldIssue
from ui.widgets.fields.args import ArgsField
from ui.widgets.fields.base import FieldContext, FieldEditor, help_label, muted_colour
from ui.widgets.fields.boolean import BoolField
from ui.widgets.fields.choice import ChoiceField
from ui.widgets.fields.collapsible import Collapsible
from ui.widgets.fields.command import CommandField
from ui.widgets.fields.heredocs import HeredocsField
from ui.widgets.fields.integer import IntField
from ui.widgets.fields.list_field import ListField
from ui.widgets.fields.messages import IssueList
from ui.widgets.fields.multiline import MultilineField
from ui.widgets.fields.pairs import PairsField
from ui.widgets.fields.text import TextField

COMMAND_PARAMS = ("form", "command", "args")
ROW_SPACING = 14

_EDITORS: dict[ParamType, type[FieldEditor]] = {
    ParamType.TEXT: TextField,
    ParamType.MULTILINE: MultilineField,
    ParamType.BOOL: BoolField,
    ParamType.INT: IntField,
    ParamType.CHOICE: ChoiceField,
    ParamType.LIST: ListField,
    ParamType.PAIRS: PairsField,
    ParamType.ARGS: ArgsField,
    ParamType.HEREDOCS: HeredocsField,
}


def make_editor(kind: Kind, spec: ParamSpec, escape: str, parent: QWidget | None = None) -> FieldEditor:
    """The editor for one parameter (the ONBUILD trigger gets a chooser with a nested form)."""
    if spec.type is ParamType.BLOCK:
        from ui.widgets.fields.trigger import TriggerField  # the trigger holds a form: imported late

        return TriggerField(FieldContext.of(kind, spec, escape), parent)
    editor_class: Any = _EDITORS[spec.type]
    return editor_class(FieldContext.of(kind, spec, escape), parent)  # type: ignore[no-any-return]


class FieldRow(QWidget):
    """A field: its label (the editor's buddy), the editor, the help sentence and the messages."""

    def __init__(self, editor: FieldEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.setObjectName(f"row-{editor.context.name}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        context = editor.context
        self.label: QLabel | None = None
        if editor.shows_label:
            self.label = QLabel(self._label_html(context), self)
            self.label.setObjectName("FieldLabel")
            self.label.setWordWrap(True)
            self.label.setTextFormat(Qt.TextFormat.RichText)
            buddy = editor.buddy()
            if buddy is not None:
                self.label.setBuddy(buddy)
            layout.addWidget(self.label)
        layout.addWidget(editor)
        self.help: QLabel | None = None
        if not editor.owns_help and editor.help_text():
            self.help = help_label(editor.help_text(), self)
            layout.addWidget(self.help)
        self.issues = IssueList(self)
        layout.addWidget(self.issues)
        self._shown: list[FieldIssue] | None = None  # what show_issues last showed, and for which input
        self._described: QWidget | None = None

    def _label_html(self, context: FieldContext) -> str:
        text = f"<b>{html.escape(context.label)}</b>"
        if context.spec.required:
            note = html.escape(self.tr("required"))
            text += f" <span style='color:{muted_colour(self).name()}'>({note})</span>"
        return text

    def show_issues(self, issues: list[FieldIssue]) -> None:
        """Show the issues of the row's parameters and mark the editor's frame by the worst one."""
        shown = self.editor.row_issues(issues)
        buddy = self.editor.buddy()
        if shown == self._shown and buddy is self._described:
            return  # most edits leave a field's problems as they were: nothing to show again
        self._shown, self._described = list(shown), buddy
        self.issues.set_issues(shown)
        severities = {issue.severity for issue in shown}
        level = "error" if "error" in severities else "warning" if severities else ""
        self.editor.set_issue_level(level)
        description = " ".join(issue.message for issue in shown) or self.editor.help_text()
        if buddy is not None:
            buddy.setAccessibleDescription(description)


class BlockForm(QWidget):
    """Every field of a block kind.

    Signals:
        edited(dict, int): new parameter values and their :class:`EditMode`.
        focusChainChanged(): focusable widgets were added or removed.
    """

    edited = Signal(dict, int)
    focusChainChanged = Signal()

    def __init__(self, kind: Kind, escape: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName("BlockForm")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(ROW_SPACING)
        self.block_issues = IssueList(self)
        self.block_issues.setObjectName("BlockIssues")
        layout.addWidget(self.block_issues)
        self.rows: list[FieldRow] = []
        self.advanced: Collapsible | None = None
        main, advanced = self._editors(escape)
        for editor in main:
            layout.addWidget(self._row(editor))
        if advanced:
            self.advanced = Collapsible(self.tr("More options"), "MoreOptions", self)
            self.advanced.body_layout.setSpacing(ROW_SPACING)
            self.advanced.toggled.connect(lambda _open: self.focusChainChanged.emit())
            for editor in advanced:
                self.advanced.body_layout.addWidget(self._row(editor))
            layout.addWidget(self.advanced)

    def _editors(self, escape: str) -> tuple[list[FieldEditor], list[FieldEditor]]:
        main: list[FieldEditor] = []
        advanced: list[FieldEditor] = []
        for spec in params_of(self.kind):
            if self.kind in COMMAND_KINDS and spec.name in COMMAND_PARAMS:
                if spec.name == "command":
                    main.append(CommandField(self.kind, escape, self))
                continue
            (advanced if spec.advanced else main).append(make_editor(self.kind, spec, escape, self))
        return main, advanced

    def _row(self, editor: FieldEditor) -> FieldRow:
        row = FieldRow(editor, self)
        editor.edited.connect(self.edited)
        editor.focusChainChanged.connect(self.focusChainChanged)
        self.rows.append(row)
        return row

    # --- reading and showing -------------------------------------------------------------------------

    def editor(self, param: str) -> FieldEditor:
        """The editor showing a parameter (KeyError when the kind has none)."""
        for row in self.rows:
            if param in row.editor.params:
                return row.editor
        raise KeyError(param)

    def editors(self) -> list[FieldEditor]:
        return [row.editor for row in self.rows]

    def set_values(
        self,
        params: Mapping[str, Any],
        skip: frozenset[str] = frozenset(),
        only: frozenset[str] | None = None,
    ) -> None:
        """Show a block's values, except in editors of the ``skip`` parameters (the user is typing there).

        Args:
            params: the block's parameters.
            skip: parameters whose editors keep what they show.
            only: when given, just the editors of these parameters are updated (the others' values did not
                change: an edit of one field need not re-set every other).
        """
        for row in self.rows:
            names = row.editor.params
            if not skip.intersection(names) and (only is None or only.intersection(names)):
                row.editor.set_values(params)
        if self.kind is Kind.HEALTHCHECK:
            # With "no health check" the command and timings mean nothing: they are shown but inactive.
            checking = str(params.get("mode", "")).upper() != "NONE"
            for row in self.rows:
                if row.editor.context.name not in ("mode", "extra_flags"):
                    in_use = any(params.get(p) for p in row.editor.params if p != "form")
                    row.setEnabled(checking or in_use)

    def open_advanced_if_set(self, params: Mapping[str, Any]) -> None:
        """Open "More options" when one of them differs from a new block's value, else close it."""
        if self.advanced is None:
            return
        defaults = new_block(self.kind).params
        in_use = any(
            params.get(spec.name) != defaults.get(spec.name)
            for spec in params_of(self.kind)
            # How paths are written (form) is chosen for them anyway; it alone does not open the section.
            if spec.advanced and spec.name not in COMMAND_PARAMS
        )
        self.advanced.set_open(in_use)

    def show_issues(self, issues: list[FieldIssue]) -> None:
        """Messages for the whole block at the top, each field's under it."""
        self.block_issues.set_issues([issue for issue in issues if not issue.field])
        for row in self.rows:
            row.show_issues([issue for issue in issues if issue.field in row.editor.params])

    def focus_widgets(self) -> list[QWidget]:
        """Every focusable widget of the form, top to bottom."""
        widgets: list[QWidget] = []
        for row in self.rows:
            if self.advanced is not None and self.advanced.body.isAncestorOf(row):
                continue
            widgets.extend(row.editor.focus_widgets())
        if self.advanced is not None:
            widgets.append(self.advanced.button)
            for row in self.rows:
                if self.advanced.body.isAncestorOf(row):
                    widgets.extend(row.editor.focus_widgets())
        return widgets

    def first_input(self) -> QWidget | None:
        """The input of the first field that can take the focus."""
        for row in self.rows:
            buddy = row.editor.buddy()
            if buddy is not None and row.isEnabled() and row.isVisibleTo(self):
                return buddy
        return None
