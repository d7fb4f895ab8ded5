"""Dockerfile text to blocks, losing nothing.

The text is cut into blocks the way BuildKit's parser walks it (directives, comments, blank lines,
instructions with their continuation lines and heredoc bodies). Every block keeps its exact text, so
rendering an untouched document gives back the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.blocks.kinds import HEREDOC_KINDS, Kind
from desktop.blocks.model import Block, Document, Origin, Params, copy_params, new_block
from desktop.dockerfile.errors import DockerfileSyntaxError
from desktop.dockerfile.heredoc import markers_in_line
from desktop.dockerfile.instructions import Breaks, read_instruction
from desktop.dockerfile.lexing import (
    DIRECTIVE_LINE,
    ENCODING,
    ERRORS,
    GO_SPACE_CHARS,
    VALID_DIRECTIVES,
    continuation_pattern,
    is_comment,
    trim_continuation,
    trim_left_space,
    trim_newline,
)

_PHYSICAL_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
BOM = "\ufeff"
_NOT_INSTRUCTIONS = frozenset({Kind.COMMENT, Kind.BLANK, Kind.DIRECTIVE})
MAX_LINE = 64 * 1024 - 1  # bufio.Scanner's limit in BuildKit


def physical_lines(text: str) -> list[str]:
    """Lines with their endings; only ``\\n`` ends a line, as in BuildKit."""
    return _PHYSICAL_LINE.findall(text)


def import_bytes(data: bytes) -> Document:
    """Import a Dockerfile read from disk; any byte sequence is kept as it is."""
    return import_text(data.decode(ENCODING, ERRORS))


def import_text(text: str) -> Document:
    """Import Dockerfile text into a document of blocks.

    Raises:
        DockerfileSyntaxError: the text is not a Dockerfile BuildKit would accept.
    """
    return _Importer(text).run()


@dataclass
class _Importer:
    text: str
    lines: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    escape: str = "\\"
    directives_done: bool = False
    seen: set[str] = field(default_factory=set)
    pos: int = 0

    def __post_init__(self) -> None:
        self.lines = physical_lines(self.text)
        # What the parser reads: the same lines, without a byte-order mark at the very start.
        self.content = list(self.lines)
        if self.content and self.content[0].startswith(BOM):
            self.content[0] = self.content[0][1:]
        self.continuation = continuation_pattern(self.escape)

    def run(self) -> Document:
        if self.content and max(map(len, self.content)) > MAX_LINE:
            index = next(i for i, line in enumerate(self.content) if len(line) > MAX_LINE)
            raise DockerfileSyntaxError(
                f"This line is longer than {MAX_LINE} characters, more than Docker accepts; split it "
                "with a line continuation.",
                index + 1,
            )
        newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
        while self.pos < len(self.lines):
            self._step()
        if all(b.kind in _NOT_INSTRUCTIONS for b in self.blocks):
            raise DockerfileSyntaxError(
                "This file has no instructions. A Dockerfile starts with FROM, for example: FROM alpine.",
                max(len(self.lines), 1),
            )
        return Document(self.blocks, newline)

    def _directive(self, token: str, index: int) -> tuple[str, str] | None:
        """BuildKit's directive parser: only at the very top, each at most once."""
        if self.directives_done:
            return None
        match = DIRECTIVE_LINE.match(token)
        if match is None or match.group(1).lower() not in VALID_DIRECTIVES:
            self.directives_done = True
            return None
        name, value = match.group(1).lower(), match.group(2)
        if name in self.seen:
            raise DockerfileSyntaxError(
                f"The '{name}' parser directive appears twice; keep only the first one.", index + 1
            )
        self.seen.add(name)
        if name == "escape":
            if value not in ("\\", "`"):
                raise DockerfileSyntaxError(
                    f"The escape character can only be \\ or `, not {value!r}.",
                    index + 1,
                    token.find(value) + 1,
                )
            self.escape = value
            self.continuation = continuation_pattern(value)
        return name, value

    def _step(self) -> None:
        index = self.pos
        token = self.content[index].rstrip("\r\n").lstrip(GO_SPACE_CHARS)
        directive = None if self.directives_done else self._directive(token, index)
        if directive is not None:
            self._add(new_block(Kind.DIRECTIVE, name=directive[0], value=directive[1]), index + 1)
        elif token.startswith("#"):
            self._extend_or_add(Kind.COMMENT, index, _comment_text(token))
        else:
            first, end = trim_continuation(token, self.continuation)
            if end and first == "":
                self._extend_or_add(Kind.BLANK, index, "")
            else:
                self._instruction(index, first, end)

    def _add(self, block: Block, end: int, open_end: bool = False) -> None:
        start = self.pos
        self.pos = end
        text = self.lines[start] if end == start + 1 else "".join(self.lines[start:end])
        block.origin = Origin(text, copy_params(block.params), self.escape, open_end)
        self.blocks.append(block)

    def _extend_or_add(self, kind: Kind, index: int, text: str) -> None:
        last = self.blocks[-1] if self.blocks else None
        # Consecutive comment lines make one comment block; consecutive blank lines one blank block.
        if last is not None and last.kind is kind and last.origin is not None and not last.origin.open_end:
            raw = last.origin.text + self.lines[index]
            if kind is Kind.COMMENT:
                last.params["text"] = f"{last.params['text']}\n{text}"
            else:
                last.params["count"] += 1
            last.origin = Origin(raw, copy_params(last.params), self.escape)
            self.pos = index + 1
            return
        block = new_block(kind, text=text) if kind is Kind.COMMENT else new_block(kind, count=1)
        self._add(block, index + 1)

    def _instruction(self, index: int, first: str, end: bool) -> None:
        cursor = index + 1
        if end:  # the common case: a one-line instruction, kept quick
            block = read_instruction(first, self.escape, cursor)
            if "<<" in first:
                cursor = self._heredocs(block, first, index, cursor)
            self.pos = index
            self._add(block, cursor)
            return
        pieces = [first]
        while not end and cursor < len(self.lines):
            token = trim_newline(self.content[cursor])
            self._directive(token, cursor)
            cursor += 1
            if is_comment(token) or trim_left_space(token) == "":
                continue  # comments and empty lines inside a continuation are skipped
            piece, end = trim_continuation(token, self.continuation)
            pieces.append(piece)
        offsets, total = [], 0
        for piece in pieces[:-1]:
            total += len(piece)
            offsets.append(total)
        line = "".join(pieces)
        block = read_instruction(line, self.escape, index + 1, Breaks(offsets))
        cursor = self._heredocs(block, line, index, cursor)
        self.pos = index
        self._add(block, cursor, open_end=not end)

    def _heredocs(self, block: Block, line: str, index: int, cursor: int) -> int:
        if "<<" not in line:
            return cursor
        target = block.params.get("trigger") if block.kind is Kind.ONBUILD else block
        if not isinstance(target, Block) or target.kind not in HEREDOC_KINDS:
            return cursor
        if target.params.get("form") == "exec":
            return cursor
        bodies = []
        for marker in markers_in_line(line):
            content: list[str] = []
            terminated = False
            while cursor < len(self.lines):
                raw = self.lines[cursor]
                cursor += 1
                candidate = trim_newline(raw)
                if marker.chomp:
                    candidate = candidate.lstrip("\t")
                if candidate == marker.name:
                    bodies.append([marker.name, "".join(content), raw])
                    terminated = True
                    break
                content.append(raw)
            if not terminated:
                raise DockerfileSyntaxError(
                    f"The heredoc that starts here is never closed: add a line with just {marker.name} "
                    "after its content.",
                    index + 1,
                )
        target.params["heredocs"] = bodies
        return cursor


def _comment_text(token: str) -> str:
    body = token[1:]
    return body[1:] if body.startswith(" ") else body


def read_at_file_start(text: str, escape: str) -> tuple[Kind, Params] | None:
    """The kind and parameters of the first block ``text`` makes when read as the start of a file.

    There a leading byte-order mark is not content; None when the text makes no block there.
    """
    importer = _Importer(text, escape=escape)
    try:
        importer._step()
    except DockerfileSyntaxError:
        return None
    first = importer.blocks[0] if importer.blocks else None
    return None if first is None else (first.kind, first.params)
