"""Edits of a document as reversible operations.

Every change the window makes goes through one of these, so undo/redo works for every edit, and each
operation reports what it changed (a ``Change``) so views refresh only that. The Qt layer wraps them in
``QUndoCommand``s; the core knows nothing of Qt.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from desktop.blocks.model import (
    STAGE_REFERENCE_PARAM,
    Block,
    Document,
    ParamValue,
    copy_value,
    referred_stage,
)


class ChangeKind(enum.Enum):
    INSERTED = "inserted"  # blocks at positions
    REMOVED = "removed"  # blocks at positions (before removal)
    MOVED = "moved"  # blocks now at positions
    PARAMS = "params"  # one block's parameters
    RESET = "reset"  # the whole list of blocks


@dataclass(frozen=True)
class Change:
    """What an operation changed.

    Attributes:
        kind: the sort of change.
        block_ids: the blocks concerned, in document order.
        positions: their indexes (after the change; before it for REMOVED).
        params: for PARAMS, the names of the parameters that changed.
    """

    kind: ChangeKind
    block_ids: tuple[str, ...] = ()
    positions: tuple[int, ...] = ()
    params: tuple[str, ...] = ()


class Operation(ABC):
    """A reversible edit. ``apply`` then ``revert`` leaves the document exactly as it was."""

    title: str = ""  # for the Edit menu: "Add RUN", "Move 2 blocks", "Change image"

    @abstractmethod
    def apply(self, doc: Document) -> Change: ...

    @abstractmethod
    def revert(self, doc: Document) -> Change: ...

    def absorb(self, later: Operation) -> bool:
        """Take an edit made just after this one into it, so both are one undo step; False when the two
        stay separate steps (the default). Called once both were applied."""
        return False

    def changes_nothing(self) -> bool:
        """Whether, applied, it left the document as it found it (typing that was taken back)."""
        return False


@dataclass
class InsertBlocks(Operation):
    """Insert blocks at an index (dropped from the palette, pasted, duplicated)."""

    index: int
    blocks: list[Block]
    title: str = ""

    def __post_init__(self) -> None:
        self.index = max(0, self.index)
        if not self.title:
            self.title = _describe("Add", self.blocks)

    def apply(self, doc: Document) -> Change:
        index = min(self.index, len(doc.blocks))
        doc.blocks[index:index] = self.blocks
        self.index = index
        return Change(ChangeKind.INSERTED, _ids(self.blocks), tuple(range(index, index + len(self.blocks))))

    def revert(self, doc: Document) -> Change:
        positions = tuple(doc.find(b.id) for b in self.blocks)
        for position in sorted(positions, reverse=True):
            del doc.blocks[position]
        return Change(ChangeKind.REMOVED, _ids(self.blocks), positions)


@dataclass
class RemoveBlocks(Operation):
    """Remove blocks (Del, dragged out of the canvas, cut)."""

    block_ids: Sequence[str]
    title: str = ""
    _removed: list[tuple[int, Block]] = field(default_factory=list, repr=False)

    def apply(self, doc: Document) -> Change:
        positions = sorted({doc.find(block_id) for block_id in self.block_ids})
        self._removed = [(p, doc.blocks[p]) for p in positions]
        if not self.title:
            self.title = _describe("Delete", [b for _p, b in self._removed])
        for position in reversed(positions):
            del doc.blocks[position]
        return Change(ChangeKind.REMOVED, _ids(b for _p, b in self._removed), tuple(positions))

    def revert(self, doc: Document) -> Change:
        for position, block in self._removed:
            doc.blocks.insert(position, block)
        return Change(
            ChangeKind.INSERTED, _ids(b for _p, b in self._removed), tuple(p for p, _b in self._removed)
        )


@dataclass
class MoveBlocks(Operation):
    """Move blocks so that they stand, in their current order, before the block now at ``to_index``.

    ``to_index`` counts positions in the document as it is before the move (a drop indicator's position),
    ``len(doc.blocks)`` meaning the end.
    """

    block_ids: Sequence[str]
    to_index: int
    title: str = ""
    _before: list[str] = field(default_factory=list, repr=False)

    def apply(self, doc: Document) -> Change:
        self._before = [b.id for b in doc.blocks]
        moving_ids = set(self.block_ids)
        moving = [b for b in doc.blocks if b.id in moving_ids]
        if not self.title:
            self.title = _describe("Move", moving)
        target = min(max(self.to_index, 0), len(doc.blocks))
        shift = sum(1 for b in doc.blocks[:target] if b.id in moving_ids)
        rest = [b for b in doc.blocks if b.id not in moving_ids]
        at = target - shift
        doc.blocks[:] = rest[:at] + moving + rest[at:]
        return Change(ChangeKind.MOVED, _ids(moving), tuple(range(at, at + len(moving))))

    def revert(self, doc: Document) -> Change:
        by_id = {b.id: b for b in doc.blocks}
        doc.blocks[:] = [by_id[block_id] for block_id in self._before]
        ids = tuple(block_id for block_id in self._before if block_id in set(self.block_ids))
        return Change(ChangeKind.MOVED, ids, tuple(doc.find(i) for i in ids))


@dataclass
class SetParams(Operation):
    """Change parameters of one block (an inspector field)."""

    block_id: str
    values: dict[str, ParamValue]
    title: str = ""
    _old: dict[str, ParamValue] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.title:
            names = ", ".join(name.replace("_", " ") for name in self.values)
            self.title = f"Change {names}"

    def apply(self, doc: Document) -> Change:
        block = doc.blocks[doc.find(self.block_id)]
        self._old = {name: copy_value(block.params.get(name)) for name in self.values}
        block.params.update({name: copy_value(value) for name, value in self.values.items()})
        return self._change(doc)

    def revert(self, doc: Document) -> Change:
        doc.blocks[doc.find(self.block_id)].params.update(self._old)
        return self._change(doc)

    def absorb(self, later: Operation) -> bool:
        """Typing in one field is one undo step, not one per key: a later edit of the same fields of the
        same block is taken in (our old values kept, its new ones taken)."""
        if not isinstance(later, SetParams) or later.block_id != self.block_id:
            return False
        if set(later.values) != set(self.values):
            return False
        self.values = dict(later.values)
        return True

    def changes_nothing(self) -> bool:
        return self.values == self._old

    def _change(self, doc: Document) -> Change:
        return Change(ChangeKind.PARAMS, (self.block_id,), (doc.find(self.block_id),), tuple(self.values))


@dataclass
class RenameStage(Operation):
    """Rename a stage, and every reference to it below in the same step, so the links hold: ``COPY
    --from=<name>`` and ``FROM <name>`` (a stage built on it). Renamed from or to nothing, the references
    are left as they are (they would point nowhere)."""

    block_id: str
    name: str
    title: str = "Rename stage"
    _old: dict[str, dict[str, ParamValue]] = field(default_factory=dict, repr=False)
    _new: dict[str, dict[str, ParamValue]] = field(default_factory=dict, repr=False)

    def apply(self, doc: Document) -> Change:
        index = doc.find(self.block_id)
        stage = doc.blocks[index]
        before = str(stage.params.get("stage_name") or "")
        edits = {stage.id: {"stage_name": self.name}}
        if before and self.name:
            for block in doc.blocks[index + 1 :]:
                if referred_stage(block).lower() == before.lower():  # stage names ignore case
                    edits[block.id] = {STAGE_REFERENCE_PARAM[block.kind]: self.name}
        self._old = {
            i: {n: copy_value(doc.blocks[doc.find(i)].params.get(n)) for n in e} for i, e in edits.items()
        }
        self._new = edits
        for block_id, values in edits.items():
            doc.blocks[doc.find(block_id)].params.update(values)
        self._name_title()
        return self._change(doc)

    def revert(self, doc: Document) -> Change:
        for block_id, values in self._old.items():
            doc.blocks[doc.find(block_id)].params.update({n: copy_value(v) for n, v in values.items()})
        return self._change(doc)

    def absorb(self, later: Operation) -> bool:
        """Typing a stage's new name is one step: a later rename of the same stage is taken in (what it
        changed first keeps the values from before this one)."""
        if not isinstance(later, RenameStage) or later.block_id != self.block_id:
            return False
        self._old = {**later._old, **self._old}
        self._new = {**self._new, **later._new}
        self.name = later.name
        self._name_title()
        return True

    def changes_nothing(self) -> bool:
        return all(self._old[i] == self._new.get(i) for i in self._old)

    def _name_title(self) -> None:
        old_name = str(self._old[self.block_id]["stage_name"] or "")
        renamed = old_name and self.name
        self.title = f"Rename stage {old_name} to {self.name}" if renamed else "Change stage name"

    def _change(self, doc: Document) -> Change:
        ids = tuple(sorted(self._old, key=doc.find))
        names = tuple(sorted({name for values in self._old.values() for name in values}))
        return Change(ChangeKind.PARAMS, ids, tuple(doc.find(i) for i in ids), names)


@dataclass
class ReplaceBlocks(Operation):
    """Replace every block at once (the text was edited directly and imported again)."""

    blocks: list[Block]
    newline: str | None = None
    title: str = "Edit the Dockerfile as text"
    session: int | None = None
    """The stretch of editing the text it came from (None: none): the replacements of one stretch, one
    after another, are one undo step, and typing taken back with the editor's own undo leaves none."""
    _old: tuple[list[Block], str] | None = field(default=None, repr=False)

    def apply(self, doc: Document) -> Change:
        self._old = (list(doc.blocks), doc.newline)
        doc.blocks[:] = self.blocks
        if self.newline:
            doc.newline = self.newline
        return Change(ChangeKind.RESET)

    def revert(self, doc: Document) -> Change:
        assert self._old is not None, "revert before apply"
        doc.blocks[:], doc.newline = self._old
        return Change(ChangeKind.RESET)

    def absorb(self, later: Operation) -> bool:
        if not isinstance(later, ReplaceBlocks) or self.session is None or later.session != self.session:
            return False
        self.blocks, self.newline = later.blocks, later.newline or self.newline
        return True

    def changes_nothing(self) -> bool:
        if self._old is None:
            return False
        old_blocks, old_newline = self._old
        return self.newline in (None, old_newline) and _same_blocks(old_blocks, self.blocks)


def duplicates_of(doc: Document, block_ids: Sequence[str]) -> InsertBlocks:
    """Copies of the blocks, inserted right after the last of them (Ctrl+D)."""
    positions = sorted({doc.find(block_id) for block_id in block_ids})
    copies = [doc.blocks[p].clone() for p in positions]
    return InsertBlocks(positions[-1] + 1, copies, title=_describe("Duplicate", copies))


def _same_blocks(one: Sequence[Block], other: Sequence[Block]) -> bool:
    """The same blocks (by id), of the same kinds, with the same parameters, in the same order."""
    return len(one) == len(other) and all(
        a.id == b.id and a.kind is b.kind and a.params == b.params for a, b in zip(one, other, strict=True)
    )


def _ids(blocks: Iterable[Block]) -> tuple[str, ...]:
    return tuple(b.id for b in blocks)


def _describe(verb: str, blocks: Sequence[Block]) -> str:
    if len(blocks) == 1:
        kind = blocks[0].kind
        return f"{verb} {kind.value if kind.is_instruction else kind.value + ' line'}"
    return f"{verb} {len(blocks)} blocks"
