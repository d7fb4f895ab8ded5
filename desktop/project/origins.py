"""Checking that a block's remembered original text says what its parameters say.

An unchanged imported block renders as its original text, not from its parameters. A project file could
pair harmless parameters (what the block shows) with other text (what Docker would build), so before the
text is trusted it is read again, the way import reads it, and must give back exactly the same parameters.
"""

from __future__ import annotations

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Document
from desktop.dockerfile.importer import BOM, import_text

# Ends the parser directives and gives the probe an instruction, so a comment alone is a valid file.
_PROBE_HEAD = "FROM scratch\n"


def untrusted_origins(doc: Document) -> list[int]:
    """The indexes of the blocks whose original text would be rendered but does not say what they say.

    Consecutive unchanged blocks are read again together, as one piece of Dockerfile: for a document
    nobody edited since import that is a single read of the whole text. Only when a run of blocks does not
    read back as itself is each of its blocks checked alone, to find the one at fault (or to accept blocks
    that were moved next to each other and read differently together but correctly alone).
    """
    escape = doc.escape
    untrusted: list[int] = []
    run: list[int] = []
    for index, block in enumerate([*doc.blocks, None]):
        if block is not None and block.is_pristine(escape):
            run.append(index)
            continue
        if run and not _run_reads_back(doc, run, escape):
            untrusted += [i for i in run if not origin_matches(doc.blocks[i], at_start=i == 0)]
        run = []
    return untrusted


def _run_reads_back(doc: Document, run: list[int], escape: str) -> bool:
    blocks = [doc.blocks[index] for index in run]
    text = "".join(block.origin.text for block in blocks if block.origin is not None)
    head = "" if run[0] == 0 else ("# escape=`\n" if escape == "`" else "") + _PROBE_HEAD
    try:
        read = import_text(head + text).blocks
    except Exception:  # any failure to read the text means it cannot be trusted this way
        return False
    read = read[head.count("\n") :]
    # Equal origins mean the same cut into blocks, the same escape character and the same parameters.
    return len(read) == len(blocks) and all(
        mine.kind is theirs.kind and mine.origin == theirs.origin
        for mine, theirs in zip(blocks, read, strict=True)
    )


def origin_matches(block: Block, *, at_start: bool = False) -> bool:
    """Whether reading the block's original text gives exactly one block, equal to the original parameters.

    The text is read in a small probe file that sets the same escape character and, but for directives,
    follows a FROM line, as the block would in a real Dockerfile. ``at_start``: the block opens the file,
    where a byte order mark is not part of the text (import drops it there, and only there).
    """
    origin = block.origin
    if origin is None:
        return False
    text = origin.text.removeprefix(BOM) if at_start else origin.text
    if block.kind is Kind.DIRECTIVE:
        probe, skip = text + ("" if text.endswith("\n") else "\n") + _PROBE_HEAD, 0
    else:
        head = "# escape=`\n" if origin.escape == "`" else ""
        probe, skip = head + _PROBE_HEAD + text, 2 if head else 1
    try:
        blocks = import_text(probe).blocks
    except Exception:  # any failure to read the text means it cannot be trusted
        return False
    read = blocks[:1] if block.kind is Kind.DIRECTIVE else blocks[skip:]
    return len(read) == 1 and read[0].kind is block.kind and read[0].params == origin.params
