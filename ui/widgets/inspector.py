"""The inspector: the form of the selected block, validating as the user types.

Every change goes through ``controller.apply(SetParams(...))``. Typing is written after a short pause
(``TYPING_PAUSE_MS``), and the controller merges consecutive changes of the same field into one undo step;
a click (a check box, a choice, a list row added or moved) is an undo step of its own.
When the document changes elsewhere (undo, redo, another view), the form shows the new values without
moving the cursor of the field being typed in, and without writing anything back.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from desktop.blocks.base_images import run_example
from desktop.blocks.catalog import catalog_entry
from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block
from desktop.blocks.operations import Change, ChangeKind, Operation, RenameStage, SetParams
from desktop.blocks.validate import FieldIssue, validate_block
from desktop.blocks.values import tag_apart
from desktop.lint import LintReport
from ui.controller import DocumentController
from ui.widgets.fields.base import FRAME_NAME, EditMode, FieldEditor
from ui.widgets.fields.block_header import BlockHeader
from ui.widgets.fields.command import CommandField
from ui.widgets.fields.form import BlockForm
from ui.widgets.fields.lint_notes import LintNotes
from ui.widgets.fields.messages import severity_colour
from ui.widgets.quiet_scroll_bar import QuietScrollBar, lay_out_only_to_show_or_hide

TYPING_PAUSE_MS = 250
MARGIN = 12


class InspectorWidget(QWidget):
    """The settings of the selected block.

    Shows a friendly hint when nothing is selected, the number of blocks when several are, and
    otherwise the block's header, its fields (advanced ones under "More options") and the checker's
    findings about it. The whole form scrolls vertically and wraps its texts at any width.

    Attributes:
        tab_after: the widget Tab goes from into the form (the window sets its canvas): a form made for a
            newly chosen block would otherwise come after every other widget of the window in Tab's
            order, the status bar included. None: the form's own order only.
    """

    def __init__(self, controller: DocumentController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("Inspector")
        self.setAccessibleName(self.tr("Block settings"))
        self._block_id: str | None = None
        self._kind: Kind | None = None
        self._escape = controller.document.escape
        self._pending: dict[str, Any] = {}
        self._writing = False
        self._shape_issues: list[FieldIssue] = []
        self._explanation_open = False  # the one-line summary shows; the rest on demand
        self.form: BlockForm | None = None
        self.header: BlockHeader | None = None
        self.tab_after: QWidget | None = None
        self.notes: LintNotes | None = None
        self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.flush)
        self._restyle_later = QTimer(self, singleShot=True, interval=0)
        self._restyle_later.timeout.connect(self._rebuild_for_new_look)

        self.stack = QStackedWidget(self)
        self.hint = self._message_page(
            self.tr("Select a block to see and change its settings."), "InspectorHint"
        )
        self.several = self._message_page("", "InspectorSeveral")
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("InspectorScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        # Not a stop of its own for Tab (it showed no focus at all): the keyboard goes to its fields, and the
        # area scrolls to the field that takes it.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # A field growing or shrinking by a line changes the page's height: Qt laid the area out again and
        # repainted the inspector and its bar each time (~3 ms on X11, Fusion's groove most of it).
        self.scroll_area.setVerticalScrollBar(QuietScrollBar(Qt.Orientation.Vertical, self.scroll_area))
        lay_out_only_to_show_or_hide(self.scroll_area)
        for page in (self.hint, self.several, self.scroll_area):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._apply_style()

        controller.selectionChanged.connect(self._selection_changed)
        controller.changed.connect(self._document_changed)
        controller.lintChanged.connect(self._lint_changed)
        controller.projectReplaced.connect(self._project_replaced)
        self._selection_changed(controller.selection())

    # --- public API ----------------------------------------------------------------------------------

    def current_block_id(self) -> str | None:
        """The id of the block whose form is shown, or None."""
        return self._block_id

    def focus_first_field(self) -> bool:
        """Put the keyboard focus in the first field of the form (the canvas's Enter key); False if none."""
        if self.form is None:
            return False
        target = self.form.first_input()
        if target is None:
            return False
        self.scroll_area.ensureWidgetVisible(target)
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if isinstance(target, QLineEdit):
            target.selectAll()  # typing replaces the value, as when tabbing into a field
        return True

    def field_editor(self, param: str) -> FieldEditor:
        """The editor of one parameter of the shown block (KeyError when there is none)."""
        if self.form is None:
            raise KeyError(param)
        return self.form.editor(param)

    def flush(self) -> None:
        """Write what the user typed now, instead of after the pause."""
        self._write(separate_step=False)

    def _write(self, separate_step: bool) -> None:
        self._timer.stop()
        if not self._pending or self._block_id is None:
            self._pending = {}
            return
        values, self._pending = self._pending, {}
        block = self._block()
        if block is None:
            return
        changed = {name: value for name, value in values.items() if block.params.get(name) != value}
        if not changed:
            return
        operation: Operation = SetParams(block.id, changed)
        if block.kind is Kind.FROM and set(changed) == {"stage_name"}:
            # The stage's links (COPY --from, FROM <stage>) follow its new name in the same step.
            operation = RenameStage(block.id, str(changed["stage_name"]))
        stack = self.controller.undo_stack
        self._writing = True
        try:
            if separate_step:
                # The controller merges changes of the same field (typing). A click is a step of its own: in
                # a macro it neither merges into the typing before it nor takes in the typing after it.
                stack.beginMacro(operation.title)
            self.controller.apply(operation)
        finally:
            if separate_step:
                stack.endMacro()
            self._writing = False

    # --- pages ---------------------------------------------------------------------------------------

    def _message_page(self, text: str, name: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setMargin(24)
        return label

    def _apply_style(self) -> None:
        error = severity_colour(self, "error", for_frame=True).name()
        warning = severity_colour(self, "warning", for_frame=True).name()
        self.setStyleSheet(
            f"QFrame#{FRAME_NAME} {{ border: 2px solid transparent; border-radius: 4px; }}"
            f'QFrame#{FRAME_NAME}[issue="error"] {{ border-color: {error}; }}'
            f'QFrame#{FRAME_NAME}[issue="warning"] {{ border-color: {warning}; }}'
        )

    def changeEvent(self, event: QEvent) -> None:
        # Light and dark switched, or the window zoomed: the marking and message colours and the fonts and
        # sizes set when the form was built follow (it is built again once the events are over; after a
        # zoom it kept its old sizes, its words cut off at the panel's edge or far too big).
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange) and hasattr(
            self, "_restyle_later"
        ):
            if event.type() == QEvent.Type.PaletteChange:
                self._apply_style()
            self._restyle_later.start()  # once, however many such events come in a row
        super().changeEvent(event)

    def _rebuild_for_new_look(self) -> None:
        block = self._block()
        if block is not None and self.form is not None:
            self.flush()
            self._build(block)

    def _show_nothing(self, count: int) -> None:
        self._block_id, self._kind = None, None
        self._pending = {}
        self._clear_form()
        if count > 1:
            self.several.setText(
                self.tr("{count} blocks selected.\nSelect just one block to change its settings.").format(
                    count=count
                )
            )
            self.stack.setCurrentWidget(self.several)
        else:
            self.stack.setCurrentWidget(self.hint)

    def _clear_form(self) -> None:
        old = self.scroll_area.takeWidget()
        if old is not None:
            # Kept as our child until Qt deletes it in the event loop: the edit that led here may be running
            # inside it, and a parentless widget could be deleted by Python's collector in another thread.
            old.setParent(self)
            old.hide()
            old.deleteLater()
        self.form, self.header, self.notes = None, None, None

    def _build(self, block: Block) -> None:
        """A new form for a block."""
        self._clear_form()
        self._block_id, self._kind, self._escape = block.id, block.kind, self.controller.document.escape
        page = QWidget(self)  # a child from the start: its fields take our palette when they pick colours
        page.setObjectName("InspectorPage")
        # A field that changes height (a RUN command gaining or losing a line) resizes a page taller than
        # the panel: only what moved is painted again, not the whole page (bench/ui_edit_latency.py).
        page.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(16)
        self.header = BlockHeader(catalog_entry(block.kind), self._explanation_open, page)
        self.header.explanation.toggled.connect(self._remember_explanation)
        self.form = BlockForm(block.kind, self._escape, page)
        self.form.set_values(block.params)
        self.form.open_advanced_if_set(block.params)
        self._suggest_command(block)
        self.form.edited.connect(self._edited)
        self.form.focusChainChanged.connect(self._fix_tab_order)
        self.notes = LintNotes(page)
        layout.addWidget(self.header)
        layout.addWidget(self.form)
        layout.addWidget(self.notes)
        layout.addStretch(1)
        self.scroll_area.setWidget(page)
        self.stack.setCurrentWidget(self.scroll_area)
        self._refresh_shape_issues()
        self._show_issues()
        if self.controller.lint_report is not None:
            self.notes.set_findings(self.controller.lint_report.for_block(block.id))
        self._fix_tab_order()

    def _remember_explanation(self, is_open: bool) -> None:
        self._explanation_open = is_open
        self._fix_tab_order()

    def _fix_tab_order(self) -> None:
        """Tab goes through the header, then every field top to bottom, then the findings' links, all in
        the panel's place in the window (a form made for a newly chosen block would otherwise come after
        everything else, the status bar included)."""
        if self.header is None or self.form is None or self.notes is None:
            return
        chain = [*self.header.focus_widgets(), *self.form.focus_widgets(), *self.notes.links]
        before = self.tab_after
        for first, second in itertools.pairwise([before, *chain] if before is not None else chain):
            if first is not second:
                QWidget.setTabOrder(first, second)

    # --- the controller's news -----------------------------------------------------------------------

    def _selection_changed(self, ids: list[str]) -> None:
        if len(ids) == 1 and ids[0] == self._block_id and self.form is not None:
            return
        self.flush()
        if len(ids) != 1:
            self._show_nothing(len(ids))
            return
        block = self._block(ids[0])
        if block is None:
            self._show_nothing(0)
        else:
            self._build(block)

    def _document_changed(self, change: Change) -> None:
        if self._block_id is None or self.form is None:
            return
        block = self._block()
        if block is None:
            return  # it was removed: the selection changes next
        if block.kind is not self._kind or self.controller.document.escape != self._escape:
            self._pending = {}
            self._build(block)
            return
        concerns_me = change.kind is ChangeKind.RESET or self._block_id in change.block_ids
        if concerns_me and not self._writing:
            # Undo, redo or another view changed the block: its values win over unwritten typing.
            for name in change.params or tuple(self._pending):
                self._pending.pop(name, None)
        if concerns_me:
            # A parameter edit says which parameters changed: the other fields already show their values.
            only = frozenset(change.params) if change.kind is ChangeKind.PARAMS and change.params else None
            self.form.set_values(block.params, skip=frozenset(self._pending), only=only)
        if self._may_change_shape(change):
            self._refresh_shape_issues()
            self._suggest_command(block)  # moved to another stage, or the stage's image changed
        self._show_issues()

    def _suggest_command(self, block: Block) -> None:
        """A RUN's example command in the tool of its stage's image (when there is none to guess: the
        catalog's, also after the block moved to such a stage)."""
        if block.kind is not Kind.RUN or self.form is None:
            return
        editor = self.form.editor("command")
        if isinstance(editor, CommandField):
            example = run_example(self.controller.document, block.id)
            editor.suggest(example if example is not None else editor.command.context.example)

    def _version_apart(self, values: dict[str, Any]) -> dict[str, Any]:
        """``alpine:3.20`` typed as a FROM's image goes to its two fields when the user leaves the image:
        the Version field said "empty means latest" while the image named a version."""
        block = self._block()
        tag = str(block.params.get("tag") or "") if block is not None else ""
        apart = tag_apart(str(values["image"]), str(self._pending.get("tag", tag)))
        return values if apart is None else {**values, "image": apart[0], "tag": apart[1]}

    def _may_change_shape(self, change: Change) -> bool:
        """Whether a change can alter the issues of the block's place in the document (costly to check)."""
        if change.kind is not ChangeKind.PARAMS:
            return True  # blocks added, removed or moved
        # Only stage names and parser directives are compared between blocks.
        shape_kinds = (Kind.FROM, Kind.DIRECTIVE)
        return any((b := self._block(i)) is not None and b.kind in shape_kinds for i in change.block_ids)

    def _lint_changed(self, report: LintReport) -> None:
        if self.notes is not None and self._block_id is not None:
            self.notes.set_findings(report.for_block(self._block_id))
            self._fix_tab_order()

    def _project_replaced(self) -> None:
        self._timer.stop()
        self._pending = {}  # typing meant for the old project's block
        self._show_nothing(0)

    # --- editing -------------------------------------------------------------------------------------

    def _edited(self, values: dict[str, Any], mode: int) -> None:
        if self._block_id is None:
            return
        if mode == EditMode.FINISHED and self._kind is Kind.FROM and "image" in values:
            values = self._version_apart(values)
        if self._pending and (mode == EditMode.ACTION or set(values) != set(self._pending)):
            self.flush()  # the typing before a click, or in another field, is its own undo step
        self._pending.update(values)
        self._show_issues()
        if mode == EditMode.TYPING:
            self._timer.start()
        else:
            self._write(separate_step=mode == EditMode.ACTION)

    # --- validation ----------------------------------------------------------------------------------

    def _block(self, block_id: str | None = None) -> Block | None:
        wanted = block_id or self._block_id
        if wanted is None:
            return None
        try:
            return self.controller.block(wanted)
        except KeyError:
            return None

    def _stage_names_above(self, block_id: str) -> list[str]:
        names: list[str] = []
        for block in self.controller.document.blocks:
            if block.id == block_id:
                break
            if block.kind is Kind.FROM and block.params.get("stage_name"):
                names.append(str(block.params["stage_name"]).lower())
        return names

    def _refresh_shape_issues(self) -> None:
        """Issues about the block's place in the document (first instruction, duplicate stage names)."""
        block = self._block()
        if block is None:
            self._shape_issues = []
            return
        document = self.controller.document
        own = validate_block(block, document.escape, stage_names=self._stage_names_above(block.id))
        mine = self.controller.issues_by_block().get(block.id, [])
        self._shape_issues = [issue for issue in mine if issue not in own]

    def _show_issues(self) -> None:
        """Validate the block as the user sees it (typing not yet written included) and show the messages."""
        block = self._block()
        if block is None or self.form is None:
            return
        if not self._pending:
            # Nothing typed and not yet written: the controller's check of the document has the block's
            # issues, those of its place included (the same checks, done once per change for every view).
            self.form.show_issues(list(self.controller.issues_by_block().get(block.id, ())))
            return
        probe = Block(block.kind, {**block.params, **self._pending}, None, block.id)
        issues = validate_block(probe, self._escape, stage_names=self._stage_names_above(block.id))
        self.form.show_issues(issues + self._shape_issues)
