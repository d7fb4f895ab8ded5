"""The text hadolint reads, and how its line numbers map back to the rendered Dockerfile.

hadolint's parser refuses any line that directly follows a heredoc's closing word (hadolint#960,
language-docker#99): ``EOF`` followed by ``RUN ...`` gives a bogus DL1000 "unexpected 'R'" and no other
finding at all. Docker itself reads such files fine. So hadolint gets one extra empty line after every
heredoc block, and we map its line numbers back to ours.

A block our own checks already find broken (an empty image, an instruction Docker does not know) is left
out of hadolint's text the same way: its lines become comments (a FROM becomes ``FROM scratch``, keeping its
stage name, so the stage and references to it still read). hadolint stops at the first line it cannot
read, so one broken block used to cost every other finding of the file, and its one problem came twice:
in our words, then as hadolint's "could not read this line".
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Document
from desktop.dockerfile.importer import physical_lines
from desktop.dockerfile.render import Rendered


@dataclass(frozen=True)
class HadolintInput:
    """Text for hadolint, and for each of its lines the rendered line it came from.

    Attributes:
        text: what hadolint reads.
        origin_lines: ``origin_lines[n - 1]`` is the rendered line of hadolint's line ``n`` (an inserted
            empty line maps to the line before it).
    """

    text: str
    origin_lines: tuple[int, ...]

    def rendered_line(self, line: int) -> int:
        """The rendered line for one of hadolint's; lines past the end clamp to the last one."""
        if not self.origin_lines:
            return max(line, 1)
        index = min(max(line, 1), len(self.origin_lines)) - 1
        return self.origin_lines[index]


def _has_heredocs(block: Block) -> bool:
    target = block.params.get("trigger") if block.kind is Kind.ONBUILD else block
    return isinstance(target, Block) and bool(target.params.get("heredocs"))


def hadolint_input(doc: Document, rendered: Rendered, left_out: Collection[str] = ()) -> HadolintInput:
    """Prepare a rendered document for hadolint.

    Args:
        doc: the document.
        rendered: its rendering.
        left_out: ids of blocks hadolint is not to read (our own checks report them broken): their lines
            are made comments, a FROM's first line ``FROM scratch [AS name]``; line numbers stay.
    """
    lines = physical_lines(rendered.text)  # only "\n" ends a line, as for Docker and our source map
    by_id = {block.id: block for block in doc.blocks}
    heredoc_ends = {span.last for span in rendered.spans if _has_heredocs(by_id[span.block_id])}
    stand_ins = _stand_ins(rendered, by_id, left_out)
    out: list[str] = []
    origin: list[int] = []
    for number, line in enumerate(lines, start=1):
        out.append(_with_ending(stand_ins[number], line) if number in stand_ins else line)
        origin.append(number)
        # Only where another line follows: at the very end hadolint copes, and the text stays as it was.
        if number in heredoc_ends and number not in stand_ins and number < len(lines) and line.endswith("\n"):
            out.append("\r\n" if line.endswith("\r\n") else "\n")
            origin.append(number)
    return HadolintInput("".join(out), tuple(origin))


def _stand_ins(rendered: Rendered, by_id: dict[str, Block], left_out: Collection[str]) -> dict[int, str]:
    """The text hadolint reads instead of each line of the blocks left out, by rendered line."""
    stand_ins: dict[int, str] = {}
    for span in rendered.spans:
        if span.block_id not in left_out:
            continue
        block = by_id[span.block_id]
        for number in range(span.first, span.last + 1):
            stand_ins[number] = "#"
        if block.kind is Kind.FROM:
            name = str(block.params.get("stage_name") or "")
            named = _STAGE_NAME.fullmatch(name) is not None
            stand_ins[span.first] = f"FROM scratch AS {name}" if named else "FROM scratch"
    return stand_ins


def _with_ending(text: str, line: str) -> str:
    """``text`` with the line ending of ``line`` (none on a last line without one)."""
    if line.endswith("\r\n"):
        return text + "\r\n"
    return text + "\n" if line.endswith("\n") else text


_STAGE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")  # a name Docker accepts for a stage
