"""The text hadolint reads, and how its line numbers map back to the rendered Dockerfile.

hadolint's parser refuses any line that directly follows a heredoc's closing word (hadolint#960,
language-docker#99): ``EOF`` followed by ``RUN ...`` gives a bogus DL1000 "unexpected 'R'" and no other
finding at all. Docker itself reads such files fine. So hadolint gets one extra empty line after every
heredoc block, and we map its line numbers back to ours.
"""

from __future__ import annotations

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


def hadolint_input(doc: Document, rendered: Rendered) -> HadolintInput:
    """Prepare a rendered document for hadolint."""
    lines = physical_lines(rendered.text)  # only "\n" ends a line, as for Docker and our source map
    by_id = {block.id: block for block in doc.blocks}
    heredoc_ends = {span.last for span in rendered.spans if _has_heredocs(by_id[span.block_id])}
    out: list[str] = []
    origin: list[int] = []
    for number, line in enumerate(lines, start=1):
        out.append(line)
        origin.append(number)
        # Only where another line follows: at the very end hadolint copes, and the text stays as it was.
        if number in heredoc_ends and number < len(lines) and line.endswith("\n"):
            out.append("\r\n" if line.endswith("\r\n") else "\n")
            origin.append(number)
    return HadolintInput("".join(out), tuple(origin))
