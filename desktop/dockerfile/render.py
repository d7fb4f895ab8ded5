"""Blocks to Dockerfile text, with a source map from lines to blocks.

Untouched imported blocks give back their original text; edited and new blocks are written canonically.
Rendering is deterministic: the same document always gives the same text.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from desktop.blocks.kinds import Kind, ParamType, params_of
from desktop.blocks.model import Block, Document, Params
from desktop.dockerfile.importer import BOM, read_at_file_start
from desktop.dockerfile.lexing import ENCODING, ERRORS, WHITESPACE_RUN, NotStringArray, parse_json_array

# Renders a kind's arguments from its parameters, the escape character and the line ending.
_ArgRenderer = Callable[[Params, str, str], str]
_FLAG_SPECIAL = frozenset(b"\t\n\v\f\r \x85\xa0'\"\\")


class LineSpan(NamedTuple):
    """The lines one block produced: 1-based, inclusive. A block that produced no line is absent.

    A named tuple: one is made per block on every render, so it must be cheap."""

    block_id: str
    first: int
    last: int


@dataclass(frozen=True)
class Rendered:
    """A rendered document: its text and which lines each block produced."""

    text: str
    spans: tuple[LineSpan, ...]

    def block_at_line(self, line: int) -> str | None:
        """The id of the block that produced a 1-based line, or None past the end."""
        firsts = [span.first for span in self.spans]
        index = bisect.bisect_right(firsts, line) - 1
        if index >= 0 and self.spans[index].first <= line <= self.spans[index].last:
            return self.spans[index].block_id
        return None

    def lines_of(self, block_id: str) -> LineSpan | None:
        """Where a block's lines are, or None if it produced none."""
        return next((span for span in self.spans if span.block_id == block_id), None)


def render(doc: Document) -> Rendered:
    """The document as Dockerfile text, with its source map."""
    return lay_out(doc).rendered


@dataclass
class Layout:
    """A render with what :class:`desktop.dockerfile.render_memo.RenderMemo` needs to redo part of it.

    Attributes:
        rendered: the text and source map.
        blocks: the document's blocks at the time (the objects themselves).
        escape, newline: the document's escape character and line ending at the time.
        texts: each block's own text, "" when it produced none.
        starts: where each block's text begins in ``rendered.text`` (0 for every block before the first
            text: those render as the start of the file).
        span_of: for each block, its index in ``rendered.spans``, or -1 when it produced no line.
    """

    rendered: Rendered
    blocks: list[Block]
    escape: str
    newline: str
    texts: list[str]
    starts: list[int]
    span_of: list[int]


def lay_out(doc: Document) -> Layout:
    """Render the document, keeping each block's text and place (:func:`render` gives just the result)."""
    escape, newline = doc.escape, doc.newline
    parts: list[str] = []
    spans: list[LineSpan] = []
    texts: list[str] = []
    starts: list[int] = []
    span_of: list[int] = []
    line = 1
    length = 0
    last_index = len(doc.blocks) - 1
    for index, block in enumerate(doc.blocks):
        if parts and not parts[-1].endswith("\n"):
            parts.append(newline)  # the file used to end here without a line break
            length += len(newline)
        text = block_text(block, index, last_index, not parts, escape, newline)
        texts.append(text)
        starts.append(length)
        if not text:
            span_of.append(-1)
            continue
        parts.append(text)
        length += len(text)
        count = line_count(text)
        span_of.append(len(spans))
        spans.append(LineSpan(block.id, line, line + count - 1))
        line += count
    rendered = Rendered("".join(parts), tuple(spans))
    return Layout(rendered, list(doc.blocks), escape, newline, texts, starts, span_of)


def line_count(text: str) -> int:
    """How many lines a block's text takes (a last line without a line break counts)."""
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def render_text(doc: Document) -> str:
    """Just the text."""
    return render(doc).text


def block_text(block: Block, index: int, last_index: int, at_start: bool, escape: str, newline: str) -> str:
    """A block's text at a place in a document: its original text while it is untouched, else canonical.

    Args:
        block: the block.
        index, last_index: its position and the document's last position.
        at_start: whether nothing is written before it (a byte-order mark reads as one only there).
        escape, newline: the document's escape character and line ending.
    """
    origin = block.origin
    if origin is not None and block.is_pristine(escape):
        closed = not (origin.open_end and index != last_index)
        if closed and (not origin.text.startswith(BOM) or _bom_was_stripped(block) == at_start):
            return origin.text
    return render_block(block, escape, newline)


def _bom_was_stripped(block: Block) -> bool:
    """Whether import read this text as the start of a file, where a byte-order mark is not content.

    Anywhere else the mark is part of the line, which then reads as an unknown instruction starting with it.
    """
    keyword = block.params.get("keyword")
    if not (block.kind is Kind.UNKNOWN and isinstance(keyword, str) and keyword.startswith(BOM)):
        return True
    # An unknown word starting with a mark: the line was either read as it is, or after the file's own mark
    # (a file that starts with two marks). Reading it again as the start of a file tells which.
    origin = block.origin
    assert origin is not None
    return read_at_file_start(origin.text, origin.escape) == (block.kind, origin.params)


def render_block(block: Block, escape: str = "\\", newline: str = "\n") -> str:
    """A block written canonically, ending with a line break."""
    p = block.params
    if block.kind is Kind.DIRECTIVE:
        return f"# {p['name']}={p['value']}{newline}"
    if block.kind is Kind.COMMENT:
        return "".join(f"#{' ' if line else ''}{line}{newline}" for line in str(p["text"]).split("\n"))
    if block.kind is Kind.BLANK:
        return newline * max(int(p["count"]), 0)
    head = instruction_line(block, escape, newline)
    return head + newline + _heredoc_bodies(block, newline)


def instruction_line(block: Block, escape: str, newline: str = "\n") -> str:
    """Keyword, flags and arguments; line breaks in a command become line continuations."""
    p = block.params
    keyword = str(p["keyword"]) if block.kind is Kind.UNKNOWN else block.kind.value
    words = [keyword, *(_render_flag(f) for f in flag_words(block))]
    args = _ARGS[block.kind](p, escape, newline)
    if args.startswith("--"):
        words.append("--")  # keeps arguments that begin with -- from being read as flags
    if args:
        words.append(args)
    line = " ".join(words)
    if block.kind is Kind.ONBUILD:
        return line  # the trigger already wrote its own continuations
    return line.replace("\n", f"{escape}{newline}")


def flag_words(block: Block) -> list[str]:
    """The block's flags as BuildKit reads them (``--name=value``), in canonical order."""
    out: list[str] = []
    for spec in params_of(block.kind):
        value = block.params.get(spec.name)
        if not spec.flag or not value:
            continue
        if spec.type is ParamType.BOOL:
            out.append(spec.flag)
        elif spec.type is ParamType.LIST:
            out.extend(f"{spec.flag}={item}" for item in value)
        else:
            out.append(f"{spec.flag}={value}")
    out.extend(block.params.get("extra_flags") or [])
    return out


def _render_flag(flag: str) -> str:
    body = flag[2:]
    data = body.encode(ENCODING, ERRORS)
    if body and not any(byte in _FLAG_SPECIAL for byte in data):
        return flag
    return '--"' + body.replace("\\", "\\\\").replace('"', '\\"') + '"'


def exec_json(items: list[str]) -> str:
    """The exec (JSON) form of a list of arguments."""
    return json.dumps(items, ensure_ascii=False)


def _command(p: Params, _escape: str, _nl: str) -> str:
    if p.get("form") == "exec":
        return exec_json(list(p["args"]))
    return str(p.get("command", ""))


def _healthcheck(p: Params, escape: str, nl: str) -> str:
    rest = _command(p, escape, nl)
    mode = str(p.get("mode", ""))
    return f"{mode} {rest}" if mode and rest else mode or rest


def paths_need_exec_form(items: list[str]) -> bool:
    """Whether paths can only be written in the JSON form: one is empty or has a space, or the
    space-separated text would itself read as a JSON list."""
    if any(item == "" or WHITESPACE_RUN.search(item) or "\n" in item for item in items):
        return True
    try:
        return parse_json_array(" ".join(items)) is not None
    except NotStringArray:
        return True


def _paths(p: Params, _escape: str, _nl: str) -> str:
    items = list(p["paths"]) if "paths" in p else [*p["sources"], *([p["dest"]] if p["dest"] else [])]
    if not items:
        return ""
    if p.get("form") == "exec" or paths_need_exec_form(items):
        return exec_json(items)
    return " ".join(items)


def _pairs(p: Params, escape: str, nl: str) -> str:
    pairs = [list(pair) for pair in p["pairs"]]
    if p.get("legacy") and len(pairs) == 1:
        return f"{pairs[0][0]} {pairs[0][1]}"
    words = [f"{key}={value}" for key, value in pairs]
    # Three or more pairs read best one per line.
    return "\n    ".join(words) if len(words) > 2 else " ".join(words)


def _arg(p: Params, _escape: str, _nl: str) -> str:
    return " ".join("=".join(item) for item in p["args"])


def _text(key: str) -> _ArgRenderer:
    return lambda p, _e, _n: str(p.get(key, ""))


def _from(p: Params, _escape: str, _nl: str) -> str:
    ref = (
        str(p["image"])
        + (f":{p['tag']}" if p.get("tag") else "")
        + (f"@{p['digest']}" if p.get("digest") else "")
    )
    words = [ref] if ref else []
    if p.get("stage_name"):
        words += ["AS", str(p["stage_name"])]
    return " ".join(words + list(p.get("extra_args") or []))


def _onbuild(p: Params, escape: str, nl: str) -> str:
    trigger = p.get("trigger")
    if not isinstance(trigger, Block):
        return ""
    return instruction_line(trigger, escape, nl)


def _heredoc_bodies(block: Block, newline: str) -> str:
    target = block.params.get("trigger") if block.kind is Kind.ONBUILD else block
    if not isinstance(target, Block):
        return ""
    out = []
    for _name, content, terminator in target.params.get("heredocs") or []:
        out.append(content)
        if content and not content.endswith("\n"):
            out.append(newline)
        out.append(terminator if terminator.endswith("\n") else terminator + newline)
    return "".join(out)


_ARGS = {
    Kind.FROM: _from,
    Kind.RUN: _command,
    Kind.CMD: _command,
    Kind.ENTRYPOINT: _command,
    Kind.SHELL: _command,
    Kind.HEALTHCHECK: _healthcheck,
    Kind.ADD: _paths,
    Kind.COPY: _paths,
    Kind.VOLUME: _paths,
    Kind.EXPOSE: lambda p, _e, _n: " ".join(p["ports"]),
    Kind.ENV: _pairs,
    Kind.LABEL: _pairs,
    Kind.ARG: _arg,
    Kind.USER: _text("user"),
    Kind.WORKDIR: _text("path"),
    Kind.STOPSIGNAL: _text("signal"),
    Kind.MAINTAINER: _text("name"),
    Kind.ONBUILD: _onbuild,
    Kind.UNKNOWN: _text("arguments"),
}
