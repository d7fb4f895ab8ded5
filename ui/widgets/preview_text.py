"""Text helpers of the Dockerfile preview, without widgets: the smallest edit between two texts, matching
re-imported blocks to the blocks they replace, and the explanation of a block split for display.
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Sequence

from desktop.blocks.model import Block
from desktop.blocks.summary import explain_line
from desktop.dockerfile.render import Rendered
from desktop.i18n import format_text, load_texts


def display_text(text: str) -> str:
    """The rendered text as the editor holds it (Qt keeps "\\n" line breaks only)."""
    return text.replace("\r\n", "\n")


def block_texts(rendered: Rendered) -> dict[str, str]:
    """The text of each block's lines in a rendered document, by block id."""
    lines = display_text(rendered.text).split("\n")
    return {span.block_id: "\n".join(lines[span.first - 1 : span.last]) for span in rendered.spans}


def keep_ids(old: Sequence[Block], rendered: Rendered, new: list[Block]) -> list[Block]:
    """Give re-imported blocks the ids of the old blocks whose text and kind they share, in order.

    So after editing one line as text, every other block is still "the same block": the selection and the
    undo history keep pointing at it.
    """
    texts = block_texts(rendered)
    old_keys = [(b.kind, texts.get(b.id, "").rstrip("\n")) for b in old]
    new_keys = [(b.kind, display_text(b.origin.text if b.origin else "").rstrip("\n")) for b in new]
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for match in matcher.get_matching_blocks():
        for offset in range(match.size):
            new[match.b + offset].id = old[match.a + offset].id
    return new


def smallest_edit(old: str, new: str) -> tuple[int, int, str]:
    """Whole lines to replace in ``old`` to get ``new``: (start, end, replacement), string indexes.

    The texts are compared in large slices (string comparison runs in C), not line by line: a 300-line
    preview changes one line after most edits, and finding it must not cost a loop over every line.
    """
    head = _common_prefix_length(old, new)
    if head == len(old) == len(new):
        return len(old), len(old), ""
    tail = _common_suffix_length(old, new, min(len(old), len(new)) - head)
    start = old.rfind("\n", 0, head) + 1  # the start of the line holding the first difference
    end = old.find("\n", len(old) - tail)  # the end of the line holding the last one
    if end < 0:
        end = len(old)
    return start, end, new[start : len(new) - (len(old) - end)]


def _common_prefix_length(one: str, two: str) -> int:
    """How many characters the two texts share at their start (a binary search over slices)."""
    low, high = 0, min(len(one), len(two))
    while low < high:
        middle = (low + high + 1) // 2
        if one[low:middle] == two[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix_length(one: str, two: str, limit: int) -> int:
    """How many characters (at most ``limit``) the two texts share at their end."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if one[len(one) - middle : len(one) - low] == two[len(two) - middle : len(two) - low]:
            low = middle
        else:
            high = middle - 1
    return low


def explanation_beside(block: Block, stage_names: Sequence[str]) -> tuple[str, str]:
    """The explanation to show beside a block's code, and the whole explanation for its tooltip.

    Beside the code, the quoted instruction at the start of the explanation would only repeat the line:
    the sentence after it is shown (capitalised).
    """
    _head, sentence, full = explanation_parts(block, stage_names)
    return (sentence[:1].upper() + sentence[1:]) or full, full


def explanation_parts(block: Block, stage_names: Sequence[str]) -> tuple[str, str, str]:
    """A block's explanation (``explain_line``) as (the instruction it quotes, the sentence, the whole).

    The whole is the catalog's ``explain.format`` filled with the two; when it cannot be taken apart
    (a translation with another shape), the head is "" and the sentence is the whole.
    """
    full = explain_line(block, stage_names)
    _before, separator, _after = _format_pieces()
    if separator and separator in full:
        head, _sep, sentence = full.rpartition(separator)
        return head, sentence, full
    return "", full, full


def explanation_html(block: Block, stage_names: Sequence[str]) -> str:
    """The whole explanation as rich text, the quoted instruction in bold."""
    head, sentence, full = explanation_parts(block, stage_names)
    if not head:
        return html.escape(full)
    template = str(load_texts("blocks")["explain"].get("format", "{head}: {sentence}"))
    return format_text(template, head=f"<b>{html.escape(head)}</b>", sentence=html.escape(sentence))


def _format_pieces() -> tuple[str, str, str]:
    """The explanation format's text before {head}, between the two, and after {sentence}."""
    template = str(load_texts("blocks")["explain"].get("format", "{head}: {sentence}"))
    before, _head, rest = template.partition("{head}")
    between, _sentence, after = rest.partition("{sentence}")
    return before, between, after


def utf16_index(text: str, index: int) -> int:
    """A Python string index as a Qt one (UTF-16 units)."""
    prefix = text[:index]
    return index if prefix.isascii() else len(prefix.encode("utf-16-le")) // 2
