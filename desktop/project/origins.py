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


def untrusted_origin(doc: Document) -> int | None:
    """The index of the first block whose original text would be rendered but does not match it, or None."""
    escape = doc.escape
    for index, block in enumerate(doc.blocks):
        if block.is_pristine(escape) and not origin_matches(block, at_start=index == 0):
            return index
    return None


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
