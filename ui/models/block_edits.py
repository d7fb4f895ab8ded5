"""Edits the palette and the canvas share: new blocks, inserting, moving, removing, and the clipboard.

Every edit goes through ``controller.apply`` so it lands on the undo stack. The drag-and-drop and clipboard
payloads follow the window's shared MIME contract:

- ``application/x-dockblocks-kind``: a kind from the palette, its value in UTF-8 (``b"RUN"``).
- ``application/x-dockblocks-block-ids``: blocks dragged inside the canvas, a JSON list of ids.
- ``application/x-dockblocks-blocks``: copied blocks, a JSON list of ``block_to_data`` objects, with the
  blocks' Dockerfile lines as ``text/plain`` beside it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QMimeData

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Document, Params, new_block
from desktop.blocks.operations import InsertBlocks, MoveBlocks, RemoveBlocks, duplicates_of
from desktop.dockerfile import DockerfileSyntaxError, import_text
from desktop.dockerfile.render import render_block
from desktop.project.errors import ProjectFileError
from desktop.project.schema import BlockReader, block_to_data
from ui.controller import DocumentController

KIND_MIME = "application/x-dockblocks-kind"
BLOCK_IDS_MIME = "application/x-dockblocks-block-ids"
BLOCKS_MIME = "application/x-dockblocks-blocks"
TEXT_MIME = "text/plain"

# A few kinds start filled in, like a Scratch block that comes with a value: a FROM needs an image to be
# any use, and "go to /app" plus "copy the project there" is what nearly every first Dockerfile says.
# Every other new block starts empty, its face saying what to fill in and the inspector showing the field.
STARTER_PARAMS: dict[Kind, Params] = {
    Kind.FROM: {"image": "alpine"},
    Kind.WORKDIR: {"path": "/app"},
    Kind.COPY: {"sources": ["."], "dest": "/app/"},
}


class PasteError(ValueError):
    """The clipboard holds nothing that can become blocks; ``str(error)`` is one sentence for the user."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("BlockEdits", text)


def starter_block(kind: Kind) -> Block:
    """A new block of a kind, as the palette hands it out."""
    return new_block(kind, **STARTER_PARAMS.get(kind, {}))


def index_after_selection(controller: DocumentController) -> int:
    """Where a new block goes from the keyboard: after the last selected block, else at the end."""
    doc = controller.document
    positions = [doc.find(block_id) for block_id in controller.selection()]
    return max(positions) + 1 if positions else len(doc.blocks)


def insert_blocks(controller: DocumentController, index: int, blocks: list[Block]) -> None:
    """Insert blocks at a document index as one undo step, then select them."""
    if not blocks:
        return
    controller.apply(InsertBlocks(index, blocks))
    controller.select([b.id for b in blocks])


def insert_kind(controller: DocumentController, kind: Kind, index: int) -> str:
    """Insert a new block of a kind at a document index, select it and return its id."""
    block = starter_block(kind)
    insert_blocks(controller, index, [block])
    return block.id


def moved_order(ids: Sequence[str], moving: Sequence[str], to_index: int) -> list[str]:
    """The order of ``ids`` after ``MoveBlocks(moving, to_index)``, computed without touching a document."""
    chosen = set(moving)
    target = min(max(to_index, 0), len(ids))
    shift = sum(1 for i in ids[:target] if i in chosen)
    rest = [i for i in ids if i not in chosen]
    at = target - shift
    return rest[:at] + [i for i in ids if i in chosen] + rest[at:]


def move_blocks(controller: DocumentController, block_ids: Sequence[str], to_index: int) -> bool:
    """Move blocks before the block now at ``to_index``; returns False (and does nothing) for a no-op.

    A drop right where the blocks already are must not add an empty step to the undo history.
    """
    order = [b.id for b in controller.document.blocks]
    alive = [i for i in block_ids if i in set(order)]
    if not alive or moved_order(order, alive, to_index) == order:
        return False
    controller.apply(MoveBlocks(alive, to_index))
    controller.select(alive)
    return True


def remove_blocks(controller: DocumentController, block_ids: Sequence[str]) -> bool:
    """Delete blocks as one undo step; returns False when none of them exists."""
    order = {b.id for b in controller.document.blocks}
    alive = [i for i in block_ids if i in order]
    if not alive:
        return False
    controller.apply(RemoveBlocks(alive))
    return True


def apply_drop(controller: DocumentController, data: QMimeData, *, copy: bool, position: int) -> bool:
    """Do what a drop at a document position means; returns False when it means nothing.

    A palette kind becomes a new block; canvas blocks move there (with ``copy``, copies of them go there);
    copied blocks are pasted there.
    """
    kind = kind_from_mime(data)
    if kind is not None:
        insert_kind(controller, kind, position)
        return True
    ids = ids_from_mime(data)
    if ids:
        if not copy:
            return move_blocks(controller, ids, position)
        chosen = set(ids)
        insert_blocks(controller, position, [b.clone() for b in controller.document.blocks if b.id in chosen])
        return True
    if data.hasFormat(BLOCKS_MIME):
        try:
            blocks = blocks_from_mime(data)
        except PasteError:
            return False
        insert_blocks(controller, position, blocks)
        return True
    return False


def duplicate_selected(controller: DocumentController) -> None:
    """Copies of the selected blocks right after the last of them (Ctrl+D), then selected."""
    ids = controller.selection()
    if ids:
        operation = duplicates_of(controller.document, ids)
        controller.apply(operation)
        controller.select([b.id for b in operation.blocks])


def delete_selected(controller: DocumentController) -> None:
    """Delete the selected blocks; the block after them is selected next, so Del can go on from there."""
    ids = controller.selection()
    if not ids:
        return
    doc = controller.document
    first = min(doc.find(i) for i in ids)
    remove_blocks(controller, ids)
    if doc.blocks:
        controller.select([doc.blocks[min(first, len(doc.blocks) - 1)].id])


def move_selected(controller: DocumentController, step: int) -> None:
    """Move the selected blocks one place up (``step`` < 0) or down; past a FROM they change stage."""
    doc, ids = controller.document, controller.selection()
    positions = sorted(doc.find(i) for i in ids)
    if not positions:
        return
    target = positions[0] - 1 if step < 0 else positions[-1] + 2
    if 0 <= target <= len(doc.blocks):
        move_blocks(controller, ids, target)


def kind_from_mime(mime: QMimeData) -> Kind | None:
    """The palette kind a drag carries, or None."""
    if not mime.hasFormat(KIND_MIME):
        return None
    word = bytes(mime.data(KIND_MIME).data()).decode("utf-8", "replace").strip()
    try:
        return Kind(word)
    except ValueError:
        return None


def ids_mime(block_ids: Sequence[str]) -> QMimeData:
    """The payload of a drag of canvas blocks."""
    mime = QMimeData()
    mime.setData(BLOCK_IDS_MIME, json.dumps(list(block_ids)).encode("utf-8"))
    return mime


def ids_from_mime(mime: QMimeData) -> list[str]:
    """The block ids a canvas drag carries (empty when it carries none or something unreadable)."""
    if not mime.hasFormat(BLOCK_IDS_MIME):
        return []
    try:
        data = json.loads(bytes(mime.data(BLOCK_IDS_MIME).data()).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return []
    return [str(i) for i in data] if isinstance(data, list) else []


def blocks_mime(doc: Document, block_ids: Sequence[str]) -> QMimeData:
    """Clipboard content for blocks: their data for pasting as blocks, their lines for any text editor."""
    chosen = set(block_ids)
    blocks = [b for b in doc.blocks if b.id in chosen]
    mime = QMimeData()
    mime.setData(BLOCKS_MIME, json.dumps([block_to_data(b) for b in blocks]).encode("utf-8"))
    mime.setText("".join(_block_text(b, doc) for b in blocks))
    return mime


def _block_text(block: Block, doc: Document) -> str:
    # An untouched imported block is copied as it was written (its spacing, its comments' layout).
    if block.origin is not None and block.is_pristine(doc.escape) and not block.origin.open_end:
        text = block.origin.text
        return text if text.endswith(("\n", "\r")) else text + doc.newline
    return render_block(block, doc.escape, doc.newline)


def blocks_from_mime(mime: QMimeData) -> list[Block]:
    """New blocks (with new ids) from the clipboard: copied blocks, else Dockerfile text.

    Raises:
        PasteError: the clipboard holds neither; the message says what to do.
    """
    if mime.hasFormat(BLOCKS_MIME):
        try:
            data = json.loads(bytes(mime.data(BLOCKS_MIME).data()).decode("utf-8"))
            if isinstance(data, list):
                reader = BlockReader()
                return [reader.block(item, ("clipboard", n)) for n, item in enumerate(data)]
        except (UnicodeDecodeError, json.JSONDecodeError, ProjectFileError):
            pass  # damaged block data: the text copy beside it may still be good
    text = mime.text() if mime.hasText() else ""
    if not text.strip():
        raise PasteError(_tr("The clipboard holds no blocks: copy a block or some Dockerfile lines first."))
    return blocks_from_text(text)


def blocks_from_text(text: str) -> list[Block]:
    """Blocks imported from pasted Dockerfile text.

    Raises:
        PasteError: the text cannot be read, or none of it is a Dockerfile instruction.
    """
    try:
        blocks = import_text(text).blocks
    except DockerfileSyntaxError as error:
        message = _tr("The copied text could not be read as a Dockerfile: {problem}")
        raise PasteError(message.format(problem=str(error))) from None
    instructions = [b for b in blocks if b.kind.is_instruction]
    if instructions and all(b.kind is Kind.UNKNOWN for b in instructions):
        raise PasteError(
            _tr("The copied text is not Dockerfile instructions: copy lines that start with FROM, RUN, COPY…")
        )
    return blocks
