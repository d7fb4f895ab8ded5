"""The open project as the window sees it: one document, its undo stack, the selection, the rendered text
and the lint findings. Every widget reads from here and edits through ``apply``; none keeps its own copy.
"""

from __future__ import annotations

import contextlib
import copy
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Document
from desktop.blocks.operations import Change, ChangeKind, Operation
from desktop.dockerfile.render import Rendered
from desktop.dockerfile.render_memo import RenderMemo
from desktop.project import Project

if TYPE_CHECKING:
    from desktop.blocks.validate import FieldIssue, IssueMemo
    from desktop.lint import LintReport

LINT_DELAY_MS = 400  # wait for a pause in typing before checking again


class OperationCommand(QUndoCommand):
    """One core operation on the undo stack."""

    def __init__(self, controller: DocumentController, operation: Operation) -> None:
        super().__init__(operation.title)
        self._controller = controller
        self.operation = operation

    def redo(self) -> None:
        self._controller._changed(self.operation.apply(self._controller.document))
        # Some operations name themselves only once they know what they moved or removed.
        self.setText(self.operation.title)

    def undo(self) -> None:
        self._controller._changed(self.operation.revert(self._controller.document))

    def id(self) -> int:
        # One id for every command, so the stack offers each the next one: the operation decides whether
        # it takes it in (Operation.absorb), which only typing-like edits do.
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:
        theirs = getattr(other, "operation", None)
        if not isinstance(theirs, Operation) or not self.operation.absorb(theirs):
            return False
        # Typing taken back (the same value again, the editor's own undo) leaves no step: the stack drops it.
        self.setObsolete(self.operation.changes_nothing())
        self.setText(self.operation.title)  # "Rename stage build to compiler": from the first to the last
        return True


class _LintSignals(QObject):
    done = Signal(int, object)


class _LintJob(QRunnable):
    def __init__(
        self, generation: int, document: Document, context: Path | None, signals: _LintSignals
    ) -> None:
        super().__init__()
        self._generation, self._document, self._context, self._signals = (
            generation,
            document,
            context,
            signals,
        )

    def run(self) -> None:
        from desktop.lint import lint_document  # imported by _start_lint on the GUI thread already

        report = lint_document(self._document, context_dir=self._context)
        # RuntimeError: the project was closed while it was being checked, and nobody waits for the report.
        with contextlib.suppress(RuntimeError):
            self._signals.done.emit(self._generation, report)


class DocumentController(QObject):
    """The project being edited.

    Signals:
        changed(Change): after every edit, undo and redo, with what changed.
        renderedChanged(Rendered): the Dockerfile text and source map after a change.
        selectionChanged(list[str]): the ids of the selected blocks, in document order.
        lintChanged(LintReport): fresh findings (checked in a worker thread after a pause in editing).
        projectReplaced(): a different project was opened or created (views rebuild everything).
    """

    changed = Signal(object)
    renderedChanged = Signal(object)
    selectionChanged = Signal(list)
    lintChanged = Signal(object)
    projectReplaced = Signal()

    def __init__(self, project: Project | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project or Project()
        self.path: Path | None = None
        self.undo_stack = QUndoStack(self)
        self._selection: list[str] = []
        self._render_memo = RenderMemo()  # after a parameter edit, only the edited block is rendered again
        self._rendered = self._render_memo.render(self.project.document)
        self.lint_report: LintReport | None = None
        self._lint_generation = 0
        self._lint_signals = _LintSignals(self)
        self._lint_signals.done.connect(self._lint_done)
        self._lint_timer = QTimer(self, singleShot=True, interval=LINT_DELAY_MS)
        self._lint_timer.timeout.connect(self._start_lint)
        self._lint_pool = QThreadPool(self)
        self._lint_pool.setMaxThreadCount(1)
        # Field problems: every view asks after every edit, so they are worked out once per change, and
        # only the changed blocks are checked again (the memo keeps the others'). The memo, and the
        # validation module (~11 ms to import), come with the first check: the start page needs neither.
        self._issue_memo: IssueMemo | None = None
        self._field_issues: list[FieldIssue] | None = None
        self._issues_by_block: dict[str, list[FieldIssue]] | None = None

    # --- reading -------------------------------------------------------------------------------------

    @property
    def document(self) -> Document:
        return self.project.document

    @property
    def rendered(self) -> Rendered:
        return self._rendered

    def block(self, block_id: str) -> Block:
        """The block with that id (KeyError when there is none)."""
        return self.document.blocks[self.document.find(block_id)]

    def selection(self) -> list[str]:
        return list(self._selection)

    def field_issues(self) -> list[FieldIssue]:
        """The field problems of the document (``validate_document``), in file order; the same list until
        the next change: read it, never change it."""
        if self._field_issues is None:
            from desktop.blocks.validate import IssueMemo, validate_document

            if self._issue_memo is None:
                self._issue_memo = IssueMemo()
            self._field_issues = validate_document(self.document, memo=self._issue_memo)
        return self._field_issues

    def issues_by_block(self) -> dict[str, list[FieldIssue]]:
        """:meth:`field_issues` by block id ("" for the whole document's); read it, never change it."""
        if self._issues_by_block is None:
            grouped: dict[str, list[FieldIssue]] = {}
            for issue in self.field_issues():
                grouped.setdefault(issue.block_id, []).append(issue)
            self._issues_by_block = grouped
        return self._issues_by_block

    # --- editing -------------------------------------------------------------------------------------

    def apply(self, operation: Operation) -> None:
        """Do an edit, as one undoable step."""
        self.undo_stack.push(OperationCommand(self, operation))

    def select(self, block_ids: list[str]) -> None:
        """Select blocks (unknown ids are ignored); emits selectionChanged when the selection changes."""
        order = {b.id: i for i, b in enumerate(self.document.blocks)}
        chosen = sorted({i for i in block_ids if i in order}, key=order.__getitem__)
        if chosen != self._selection:
            self._selection = chosen
            self.selectionChanged.emit(list(chosen))

    def replace_project(self, project: Project, path: Path | None) -> None:
        """Show another project: clears undo history and selection."""
        self.project, self.path = project, path
        self.undo_stack.clear()
        self._selection = []
        self._render_memo.forget()
        self._rendered = self._render_memo.render(project.document)
        self._forget_issues()
        self.projectReplaced.emit()
        self.renderedChanged.emit(self._rendered)
        self.selectionChanged.emit([])
        self.schedule_lint(immediately=True)

    def schedule_lint(self, immediately: bool = False) -> None:
        """Check the document again after a pause (or at once)."""
        self._lint_timer.start(0 if immediately else LINT_DELAY_MS)

    def wait_for_lint(self, timeout_ms: int = 30000) -> bool:
        """Block until a running check ends (tests and shutdown)."""
        return self._lint_pool.waitForDone(timeout_ms)

    # --- internals -----------------------------------------------------------------------------------

    def _forget_issues(self, block_ids: tuple[str, ...] | None = None) -> None:
        """Check these blocks again (all when None), and the document's shape in any case."""
        if self._issue_memo is not None:  # none yet: nothing was checked, nothing to forget
            self._issue_memo.forget(block_ids)
        self._field_issues = self._issues_by_block = None

    def _recheck(self, block_ids: tuple[str, ...]) -> bool:
        """After a parameter edit, check only the edited blocks, when no other block's issues can change.

        Other blocks' issues and the document's (a missing FROM, a stage name used twice, misplaced
        directives) depend on stage names and directives only: an edit of any other kind of block leaves
        them as they were, and walking the whole document again (~0.3 ms on 300 blocks) is not needed.
        Returns False when the whole document must be checked again instead.
        """
        grouped, memo = self._issues_by_block, self._issue_memo
        if grouped is None or memo is None:
            return False  # nobody asked since the last change: the next question checks (with the memo)
        blocks = [self.block(block_id) for block_id in block_ids]
        if any(block.kind in (Kind.FROM, Kind.DIRECTIVE) for block in blocks):
            return False
        updated = dict(grouped)
        for block in blocks:
            checked = memo.recheck(block)
            if checked is None:
                return False
            before, after = checked
            # Keep what the document's checks said about the block (it may be a misplaced first line).
            placed = [issue for issue in grouped.get(block.id, []) if issue not in before]
            updated[block.id] = after + placed
            if not updated[block.id]:
                del updated[block.id]
        self._issues_by_block = updated
        self._field_issues = None  # made again from the memo when asked (the findings list, the gutter)
        return True

    def _changed(self, change: Change) -> None:
        if change.kind is ChangeKind.PARAMS:
            self._rendered = self._render_memo.render(self.document, change.block_ids)
        else:
            self._render_memo.forget()
            self._rendered = self._render_memo.render(self.document)
        if change.kind is ChangeKind.PARAMS:
            if not self._recheck(change.block_ids):
                self._forget_issues(change.block_ids)  # parameters change in place: the memo cannot tell
        elif change.kind is ChangeKind.RESET:
            self._forget_issues()
        else:
            # Blocks added, removed or moved keep their parameters; the memo sees new places by itself.
            self._forget_issues(())
        if change.kind in (ChangeKind.REMOVED, ChangeKind.RESET):
            alive = {b.id for b in self.document.blocks}
            self.select([i for i in self._selection if i in alive])
        self.changed.emit(change)
        self.renderedChanged.emit(self._rendered)
        self.schedule_lint()

    def _start_lint(self) -> None:
        # The checks are imported at the first check, not at start (~20 ms), and here, not in the worker.
        import desktop.lint.api  # noqa: F401

        self._lint_generation += 1
        # The check runs in a worker thread: give it a copy, so edits meanwhile cannot disturb it.
        snapshot = Document([copy.deepcopy(b) for b in self.document.blocks], self.document.newline)
        job = _LintJob(self._lint_generation, snapshot, self.project.context_dir, self._lint_signals)
        self._lint_pool.start(job)

    def _lint_done(self, generation: int, report: LintReport) -> None:
        if generation != self._lint_generation:
            return  # an older check finished after a newer one started
        self.lint_report = report
        self.lintChanged.emit(report)
