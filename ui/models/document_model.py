"""The document as a tree for the canvas: stages at the top level, their blocks as children.

The model keeps no blocks of its own, only which block ids sit under which stage; everything it shows is
read from the controller's document by id. It follows the controller's ``changed`` signal: an edit inside
the existing stages becomes row removals and insertions (so views keep their place), an edit that adds,
removes or reorders stages becomes a reset, and a parameter change becomes ``dataChanged`` of only the rows
that show something new: the edited block, its stage's heading when it is the stage's FROM, and any block
whose problems changed with it (every row when a stage name changed, since summaries mention them). One
key press in a 300-block project must not re-measure and repaint 300 rows.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QMimeData, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor

from desktop.blocks.catalog import catalog_entry
from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block
from desktop.blocks.operations import Change, ChangeKind
from desktop.blocks.summary import summarize
from desktop.blocks.validate import FieldIssue
from desktop.lint import LintReport
from desktop.lint.findings import Finding
from ui.controller import DocumentController
from ui.models import block_edits
from ui.models.block_roles import AnyIndex, BlockRole, Face, keyword_of, kind_decoration, problem_counts
from ui.models.row_diff import plan_row_changes
from ui.models.two_level_model import TwoLevelModel

_ROOT_FLAGS = Qt.ItemFlag.ItemIsDropEnabled
_STAGE_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled
_BLOCK_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemNeverHasChildren
)
GLOBAL_KEY = ""  # the stage key of the part before the first FROM (stages are keyed by their FROM's id)

__all__ = [  # the roles and row pieces live in block_roles; views import them from here too
    "AnyIndex",
    "BlockRole",
    "DocumentModel",
    "Face",
    "keyword_of",
    "kind_decoration",
    "problem_counts",
]


@dataclass
class _StageRow:
    key: str  # GLOBAL_KEY or the id of the stage's FROM block
    ids: list[str]


class DocumentModel(TwoLevelModel):
    """Stages and their blocks, read from a :class:`DocumentController`.

    Top-level rows are the stages from ``Document.stages()`` (the part before the first FROM only when it
    holds blocks); each stage's children are its blocks, its FROM first. One column.
    """

    def __init__(self, controller: DocumentController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._rows: list[_StageRow] = self._structure()
        self._by_id: dict[str, Block] = {b.id: b for b in controller.document.blocks}
        self._summaries: dict[str, str] = {}
        # Faces by block id: the canvas asks for a face several times per painted row (its size, its paint,
        # the tab of the row below); each is made again only when the block, its problems or summary change.
        self._faces: dict[str, Face] = {}
        self._stage_names = tuple(controller.document.stage_names())  # what the summaries were made with
        self._shown_issues: dict[str, list[FieldIssue]] | None = None  # as last announced to views
        self._shown_report: LintReport | None = controller.lint_report
        self._places: dict[str, tuple[int, int]] | None = None  # block id -> (stage row, row), made on demand
        controller.changed.connect(self._on_changed)
        controller.projectReplaced.connect(self._reset)
        controller.lintChanged.connect(self._on_lint)

    # --- reading helpers for views -------------------------------------------------------------------

    @property
    def controller(self) -> DocumentController:
        return self._controller

    def block_id(self, index: AnyIndex) -> str | None:
        """The id of the block at an index, None for a stage row or an invalid index."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._rows[index.internalId() - 1].ids[index.row()]

    def is_stage(self, index: AnyIndex) -> bool:
        return self.is_group(index)

    def face(self, index: AnyIndex) -> Face | None:
        """What a block row shows, as ``index.data(BlockRole.FACE)`` answers, without the trip through Qt
        (views of this model ask for it several times per painted row); None for a stage row."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._face(self._by_id[self._rows[index.internalId() - 1].ids[index.row()]])

    def face_above(self, index: AnyIndex) -> Face | None:
        """The face of the block row just above a block row in its stage; None for the stage's first."""
        if not index.isValid() or index.internalId() == 0 or index.row() == 0:
            return None
        return self._face(self._by_id[self._rows[index.internalId() - 1].ids[index.row() - 1]])

    def is_last_in_stage(self, index: AnyIndex) -> bool:
        """Whether a block row is the last of its stage (its row carries the stage container's foot)."""
        if not index.isValid() or index.internalId() == 0:
            return False
        return index.row() == len(self._rows[index.internalId() - 1].ids) - 1

    def block_index(self, block_id: str) -> QModelIndex:
        """The index of a block, invalid when the model does not show it."""
        if self._places is None:
            self._places = {i: (s, r) for s, row in enumerate(self._rows) for r, i in enumerate(row.ids)}
        place = self._places.get(block_id)
        return self.createIndex(place[1], 0, place[0] + 1) if place else QModelIndex()

    def stage_ids(self, stage_row: int) -> list[str]:
        """The ids of the blocks under a stage row, in order."""
        return list(self._rows[stage_row].ids)

    def stage_start(self, stage_row: int) -> int:
        """The document position of a stage row's first block."""
        return sum(len(row.ids) for row in self._rows[:stage_row])

    def document_position(self, row: int, parent: AnyIndex) -> int:
        """The document position a drop at (row, parent) inserts at, as ``dropMimeData`` reads it.

        Top level: before stage ``row`` (``-1`` or past the last stage: the end). Under a stage: before
        its block ``row`` (``-1``: the end of that stage). On a block: right after it.
        """
        total = sum(len(r.ids) for r in self._rows)
        if not parent.isValid():
            return total if row < 0 or row >= len(self._rows) else self.stage_start(row)
        if self.is_stage(parent):
            start, count = self.stage_start(parent.row()), len(self._rows[parent.row()].ids)
            return start + (count if row < 0 else min(row, count))
        stage_row = parent.internalId() - 1
        return self.stage_start(stage_row) + parent.row() + 1

    # --- QAbstractItemModel (index, parent and the counts: TwoLevelModel) ------------------------------

    def group_count(self) -> int:
        return len(self._rows)

    def item_count(self, group_row: int) -> int:
        return len(self._rows[group_row].ids)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        # Views ask for every painted row: the flags are made once (an enum "|" is a Python call each).
        if not index.isValid():
            return _ROOT_FLAGS
        return _STAGE_FLAGS if index.internalId() == 0 else _BLOCK_FLAGS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._stage_data(index.row(), role)
        block = self._by_id[self._rows[index.internalId() - 1].ids[index.row()]]
        return self._block_data(block, role)

    # --- drag and drop -------------------------------------------------------------------------------

    def mimeTypes(self) -> list[str]:
        return [block_edits.KIND_MIME, block_edits.BLOCK_IDS_MIME, block_edits.BLOCKS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        chosen = {self.block_id(i) for i in indexes} - {None}
        return block_edits.ids_mime([b.id for b in self._controller.document.blocks if b.id in chosen])

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        return any(data.hasFormat(kind) for kind in self.mimeTypes())

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        """Insert a palette kind, move (or with CopyAction copy) canvas blocks, or paste copied blocks."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        return self.drop_at(data, action, self.document_position(row, parent))

    def drop_at(self, data: QMimeData, action: Qt.DropAction, position: int) -> bool:
        """Apply a drop at a document position (the canvas computes it from its drop indicator)."""
        return block_edits.apply_drop(
            self._controller, data, copy=action == Qt.DropAction.CopyAction, position=position
        )

    # --- what the rows show --------------------------------------------------------------------------

    def _stage_data(self, row: int, role: int) -> object:
        stage = self._rows[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._stage_title(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            count = len(stage.ids)
            return self.tr("{title}, {count} blocks").format(title=self._stage_title(row), count=count)
        if role == BlockRole.IS_HEADER:
            return True
        if role == BlockRole.BLOCK_ID:
            return ""
        if role == BlockRole.STAGE_INDEX:
            return row - 1 if self._rows[0].key == GLOBAL_KEY else row
        return None

    def _stage_title(self, row: int) -> str:
        key = self._rows[row].key
        if key == GLOBAL_KEY:
            return self.tr("Before the first stage: build settings")
        number = row if self._rows[0].key == GLOBAL_KEY else row + 1
        params = self._by_id[key].params
        name = str(params.get("stage_name") or "")
        image = str(params.get("image") or "")
        if image and params.get("tag"):
            image += f":{params['tag']}"
        title = self.tr("Stage {number}").format(number=number)
        if name:
            title = self.tr("{title} · {name}").format(title=title, name=name)
        if image:
            title = self.tr("{title} (from {image})").format(title=title, image=image)
        return title

    def _block_data(self, block: Block, role: int) -> object:
        if role == BlockRole.FACE:  # what the canvas paints, first: asked for every painted row
            return self._face(block)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._summary(block)
        if role == BlockRole.BLOCK_ID:
            return block.id
        if role == BlockRole.KIND:
            return block.kind.value
        if role == BlockRole.KEYWORD:
            return keyword_of(block.kind)
        if role == BlockRole.COLOUR:
            return QColor(catalog_entry(block.kind).colour)
        if role == BlockRole.TITLE:
            return catalog_entry(block.kind).title
        if role == BlockRole.GROUP:
            return catalog_entry(block.kind).group
        if role == BlockRole.ICON_NAME:
            return catalog_entry(block.kind).icon
        if role == Qt.ItemDataRole.DecorationRole:
            return kind_decoration(block.kind)
        if role == BlockRole.ISSUES:
            return self._issues_of(block.id)
        if role == BlockRole.FINDINGS:
            return self._findings_of(block.id)
        if role == BlockRole.PROBLEMS:
            return problem_counts(self._issues_of(block.id), self._findings_of(block.id))
        if role == BlockRole.IS_HEADER:
            return False
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(block)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible_text(block)
        return None

    def _face(self, block: Block) -> Face:
        face = self._faces.get(block.id)
        if face is None:
            info = catalog_entry(block.kind)
            problems = problem_counts(self._issues_of(block.id), self._findings_of(block.id))
            keyword, summary = keyword_of(block.kind), self._summary(block)
            face = Face(block.kind.value, info.group, info.colour, info.icon, keyword, summary, problems)
            self._faces[block.id] = face
        return face

    def _summary(self, block: Block) -> str:
        text = self._summaries.get(block.id)
        if text is None:
            text = summarize(block, self._stage_names)
            self._summaries[block.id] = text
        return text

    def _issues_of(self, block_id: str) -> list[FieldIssue]:
        # The whole document's check also finds what only shows in context (a first line that is not
        # FROM, a stage name used twice); the controller does it once per change, for every view.
        return list(self._controller.issues_by_block().get(block_id, ()))

    def _findings_of(self, block_id: str) -> list[Finding]:
        report = self._controller.lint_report
        return report.for_block(block_id) if report is not None else []

    def _tooltip(self, block: Block) -> str:
        info = catalog_entry(block.kind)
        lines = [f"<b>{html.escape(keyword_of(block.kind))} — {html.escape(info.title)}</b>"]
        problems = [i.message for i in self._issues_of(block.id)]
        problems += [f"{f.title}: {f.explanation}" for f in self._findings_of(block.id)]
        if problems:
            lines += [f"• {html.escape(p)}" for p in problems]
        else:
            lines.append(html.escape(info.what))
        return "<br>".join(lines)

    def _accessible_text(self, block: Block) -> str:
        text = self.tr("{keyword} block: {summary}").format(
            keyword=block.kind.value if block.kind.is_instruction else catalog_entry(block.kind).title,
            summary=self._summary(block),
        )
        errors, warnings = problem_counts(self._issues_of(block.id), self._findings_of(block.id))
        if errors:
            text += self.tr(", 1 error") if errors == 1 else self.tr(", {n} errors").format(n=errors)
        if warnings:
            text += self.tr(", 1 warning") if warnings == 1 else self.tr(", {n} warnings").format(n=warnings)
        return text

    # --- following the controller --------------------------------------------------------------------

    def _structure(self) -> list[_StageRow]:
        rows = [
            _StageRow(s.from_block.id if s.from_block else GLOBAL_KEY, [b.id for b in s.blocks])
            for s in self._controller.document.stages()
        ]
        return [r for r in rows if r.key != GLOBAL_KEY or r.ids]

    def _forget_derived(self) -> None:
        self._summaries.clear()
        self._faces.clear()
        self._stage_names = tuple(self._controller.document.stage_names())
        self._shown_issues = None
        self._shown_report = self._controller.lint_report

    def _stage_names_changed(self) -> bool:
        return tuple(self._controller.document.stage_names()) != self._stage_names

    def _reset(self) -> None:
        self.beginResetModel()
        self._rows = self._structure()
        self._places = None
        self._by_id = {b.id: b for b in self._controller.document.blocks}
        self._forget_derived()
        self.endResetModel()

    def _on_changed(self, change: Change) -> None:
        if change.kind is ChangeKind.PARAMS:
            self._params_changed(change.block_ids)
            return
        if change.kind is ChangeKind.RESET:
            self._reset()
            return
        if self._stage_names_changed():
            self._forget_derived()  # a FROM with a name came, went or moved: summaries may read otherwise
        target = self._structure()
        if [r.key for r in target] != [r.key for r in self._rows]:
            self._reset()  # stages came, went or swapped: rebuild, the canvas restores its selection
            return
        # Blocks still reachable through old rows must resolve until those rows are gone.
        self._by_id.update({b.id: b for b in self._controller.document.blocks})
        for stage_row, wanted in enumerate(target):
            self._sync_stage(stage_row, wanted.ids)
        self._by_id = {b.id: b for b in self._controller.document.blocks}
        self._refresh_all()

    def _sync_stage(self, stage_row: int, wanted: list[str]) -> None:
        parent = self.createIndex(stage_row, 0, 0)
        ids = self._rows[stage_row].ids
        removals, insertions = plan_row_changes(ids, wanted)
        for first, last in removals:  # back to front, so earlier positions stay right
            self.beginRemoveRows(parent, first, last)
            del ids[first : last + 1]
            self._places = None
            self.endRemoveRows()
        for first, new_ids in insertions:  # front to back, positions in the final order
            self.beginInsertRows(parent, first, first + len(new_ids) - 1)
            ids[first:first] = new_ids
            self._places = None
            self.endInsertRows()

    def _params_changed(self, block_ids: tuple[str, ...]) -> None:
        """Refresh the rows that show something new after blocks' parameters changed."""
        document = self._controller.document
        edited = [document.blocks[document.find(block_id)] for block_id in block_ids]
        # Only a FROM's parameters name stages; summaries and checks of other blocks mention stage names
        # ("Continue from stage build").
        if any(block.kind is Kind.FROM for block in edited) and self._stage_names_changed():
            self._forget_derived()
            self._refresh_all()
            return
        for block in edited:
            self._summaries.pop(block.id, None)
            self._faces.pop(block.id, None)
            self._by_id[block.id] = block
        rows = [self.block_index(i) for i in block_ids]
        rows += [self.createIndex(n, 0, 0) for n, stage in enumerate(self._rows) if stage.key in block_ids]
        old, new = self._shown_issues, self._controller.issues_by_block()
        self._shown_issues = new
        if old is None:
            self._refresh_all()
            return
        # A change in one block can raise or settle problems of others (two stages with one name).
        others = {i for i in old.keys() | new.keys() if old.get(i) != new.get(i)} - set(block_ids)
        for block_id in others:
            self._faces.pop(block_id, None)
        rows += [self.block_index(i) for i in others if i in self._by_id]
        for index in rows:
            if index.isValid():
                self.dataChanged.emit(index, index)

    def _refresh_all(self) -> None:
        self._shown_issues = self._controller.issues_by_block()
        self._faces.clear()  # problems (and after a reset, blocks) may differ anywhere
        for stage_row, row in enumerate(self._rows):
            stage = self.createIndex(stage_row, 0, 0)
            self.dataChanged.emit(stage, stage)
            if row.ids:
                first = self.createIndex(0, 0, stage_row + 1)
                last = self.createIndex(len(row.ids) - 1, 0, stage_row + 1)
                self.dataChanged.emit(first, last)

    def _on_lint(self, report: LintReport) -> None:
        old, self._shown_report = self._shown_report, report
        if old is None:
            self._refresh_all()
            return
        # Only the blocks whose findings changed show new badges.
        before, after = old.by_block, report.by_block
        for block_id in {i for i in before.keys() | after.keys() if before.get(i) != after.get(i)}:
            self._faces.pop(block_id or "", None)
            index = self.block_index(block_id) if block_id is not None else QModelIndex()
            if index.isValid():
                self.dataChanged.emit(index, index)
