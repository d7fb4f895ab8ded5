"""Dockerfile syntax highlighting: pygments' Dockerfile lexer feeding a ``QSyntaxHighlighter``.

In the spirit of superqt's pygments highlighter, with one difference that matters for Dockerfiles: a line
cannot be coloured on its own. A continuation (``\\`` at the end of a line) or a heredoc (``RUN <<EOF``)
decides how the following lines read. So the whole text is cut into pieces that are read alone: an
instruction with its continuation lines, a heredoc body, a comment line. Each piece is lexed once and its
per-line colour ranges are kept in a cache keyed by its text, so after an edit only the piece that
changed is lexed again (lexing a 300-instruction file from scratch takes ~20 ms; this takes well under
one), and only the lines whose ranges changed are painted again.

On top of pygments' tokens we mark what its lexer does not know: the flags of an instruction
(``--from=build``), heredoc markers and terminators, and heredoc bodies (a script for RUN, file content for
COPY and ADD).
"""

from __future__ import annotations

import bisect
import functools
import re
import time
from collections.abc import Generator, Iterator
from typing import NamedTuple

from pygments.lexer import Lexer
from pygments.lexers import BashLexer, DockerLexer
from pygments.style import StyleMeta
from pygments.styles import get_style_by_name
from pygments.token import Token, _TokenType
from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QFont, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from desktop.blocks.kinds import INSTRUCTION_KINDS

LIGHT_STYLE = "default"
"""The pygments style for light palettes."""
DARK_STYLE = "monokai"
"""The pygments style for dark palettes."""
MIN_CONTRAST = 4.5
"""Every token colour keeps at least this contrast (WCAG) with the editor's background: projectors fade."""

Range = tuple[int, int, _TokenType]  # start column, length (both in UTF-16 units, as Qt counts), token type
LineRanges = tuple[Range, ...]

_DIRECTIVE = re.compile(r"#\s*([A-Za-z_]+)\s*=\s*(\S*)\s*$")
_HEREDOC = re.compile(r"<<(-?)\s*([\"']?)([A-Za-z0-9_.\-]+)\2")
# pygments knows only the backslash: under "# escape=`" a backtick ends a continued line; lex it as one.
_BACKTICK_END = re.compile(r"`([ \t]*)$", re.MULTILINE)
_HEREDOC_KINDS = frozenset({"RUN", "COPY", "ADD"})
_CACHE_LIMIT = 8192


class _Piece(NamedTuple):
    """Consecutive lines read alone: ``kind`` is "docker", "script", "content" or "terminator"."""

    kind: str
    text: str  # the lines joined with "\n"


def is_dark(palette: QPalette) -> bool:
    """Whether a palette is dark (its text background is darker than its text)."""
    return (
        palette.color(QPalette.ColorRole.Base).lightness()
        < palette.color(QPalette.ColorRole.Text).lightness()
    )


def token_ranges(text: str) -> list[LineRanges]:
    """The colour ranges of every line of a Dockerfile, as the highlighter applies them.

    Args:
        text: the whole Dockerfile (lines separated by "\\n").

    Returns:
        One tuple of ``(start, length, token type)`` per line; later ranges override earlier ones.
    """
    return Lexed.of(text.split("\n")).ranges


class Lexed(NamedTuple):
    """The lines of a Dockerfile with their colour ranges, and where the cutting into pieces may restart.

    Attributes:
        lines: the text's lines.
        escape: the escape character the pieces were cut with.
        ranges: one tuple of ranges per line.
        starts: per line, whether a piece that depends on no line above it begins there (not a line
            inside a continued instruction, not a heredoc body or terminator).
    """

    lines: list[str]
    escape: str
    ranges: list[LineRanges]
    starts: list[bool]

    @classmethod
    def of(cls, lines: list[str]) -> Lexed:
        """Every line lexed."""
        escape = _escape_of(lines)
        ranges: list[LineRanges] = []
        starts: list[bool] = []
        for _line, top, piece in _pieces(lines, escape):
            _add_piece(ranges, starts, top, piece)
        return cls(lines, escape, ranges, starts)


def update_ranges(
    old: Lexed, lines: list[str], same_head: int = 0, same_tail: int = 0
) -> tuple[Lexed, tuple[int, int]]:
    """``Lexed.of(lines)``, reusing what ``old`` knows of the lines an edit left alone.

    Args:
        old: the lexing of the text before the edit.
        lines: the text's lines after it.
        same_head, same_tail: how many lines at the top and at the bottom the caller knows the edit left
            as they were (a hint: the comparison starts after them; more may be equal).

    Returns:
        The new lexing, and the lines (first, end) outside which the ranges are ``old``'s, shifted.
    """
    escape = _escape_of(lines)
    if escape != old.escape or not old.lines:
        return Lexed.of(lines), (0, len(lines))
    old_lines, limit = old.lines, min(len(old.lines), len(lines))
    head = min(same_head, limit)
    while head < limit and old_lines[head] == lines[head]:
        head += 1
    tail = max(0, min(same_tail, limit - head))
    while tail < limit - head and old_lines[-1 - tail] == lines[-1 - tail]:
        tail += 1
    start = min(head, len(old_lines) - 1)
    while start > 0 and not old.starts[start]:
        start -= 1  # back to the start of the piece the first changed line belongs to
    ranges, starts = old.ranges[:start], old.starts[:start]
    shift = len(lines) - len(old_lines)
    unchanged_from = len(lines) - tail  # from this line on, the lines are old ones (shifted)
    end = len(lines)
    for line, top, piece in _pieces(lines, escape, start):
        if top and line >= unchanged_from and old.starts[line - shift]:
            # The same lines, cut from the same kind of place as before: the rest reads as it did.
            ranges.extend(old.ranges[line - shift :])
            starts.extend(old.starts[line - shift :])
            end = line
            break
        _add_piece(ranges, starts, top, piece)
    return Lexed(lines, escape, ranges, starts), (start, end)


def _add_piece(ranges: list[LineRanges], starts: list[bool], top: bool, piece: _Piece) -> None:
    piece_ranges = _piece_ranges(piece.kind, piece.text)
    ranges.extend(piece_ranges)
    starts.append(top)
    starts.extend([False] * (len(piece_ranges) - 1))


def _escape_of(lines: list[str]) -> str:
    """The escape character from an ``# escape=`` parser directive at the top, else a backslash."""
    for line in lines:
        match = _DIRECTIVE.match(line)
        if match is None:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("`", "\\"):
            return match.group(2)
    return "\\"


def _pieces(lines: list[str], escape: str, index: int = 0) -> Iterator[tuple[int, bool, _Piece]]:
    """Cut the file into pieces that lex the same alone as in the whole file, from line ``index`` (a piece
    start): (the piece's first line, whether it depends on no line above it, the piece)."""
    count = len(lines)
    while index < count:
        first = index
        line = lines[index]
        stripped = line.lstrip()
        if not stripped or stripped[0] == "#":
            yield first, True, _Piece("docker", line)
            index += 1
            continue
        # An instruction and its continuation lines (comments and empty lines inside it do not end it).
        while index + 1 < count and (
            line.rstrip(" \t").endswith(escape) or (index > first and _is_skipped(line))
        ):
            index += 1
            line = lines[index]
        index += 1
        instruction = line if index == first + 1 else "\n".join(lines[first:index])
        lexed = instruction if escape == "\\" else _BACKTICK_END.sub("\\\\\\1", instruction)
        yield first, True, _Piece("docker", lexed)
        if "<<" in instruction and stripped.split(None, 1)[0].upper() in _HEREDOC_KINDS:
            index = yield from _heredoc_bodies(lines, index, stripped[:3].upper() == "RUN", instruction)


def _is_skipped(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped[0] == "#"


def _heredoc_bodies(
    lines: list[str], index: int, is_run: bool, instruction: str
) -> Generator[tuple[int, bool, _Piece], None, int]:
    """The bodies and terminator lines of the heredocs an instruction opens; returns the next line index."""
    body_kind = "script" if is_run else "content"
    for match in _HEREDOC.finditer(instruction):
        strip_tabs, name = match.group(1) == "-", match.group(3)
        start = index
        while index < len(lines) and (lines[index].lstrip("\t") if strip_tabs else lines[index]) != name:
            index += 1
        if index > start:
            yield start, False, _Piece(body_kind, "\n".join(lines[start:index]))
        if index < len(lines):
            yield index, False, _Piece("terminator", lines[index])
            index += 1
    return index


@functools.lru_cache(maxsize=_CACHE_LIMIT)
def _piece_ranges(kind: str, text: str) -> tuple[LineRanges, ...]:
    """The per-line ranges of one piece (cached: most pieces do not change between two edits)."""
    if kind == "terminator":
        return (((0, _utf16_len(text), Token.Literal.String.Delimiter),) if text else (),)
    if kind == "content":
        return tuple(() for _ in text.split("\n"))
    lexer: Lexer = _LEXERS["bash" if kind == "script" else "docker"]
    spans = [(start, len(value), ttype) for start, ttype, value in lexer.get_tokens_unprocessed(text)]
    if kind == "docker":
        spans.extend(_extra_spans(text))
    return _split_lines(text, spans)


_LEXERS: dict[str, Lexer] = {"docker": DockerLexer(), "bash": BashLexer()}
_KEYWORD = re.compile(r"\s*([A-Za-z]+)\b")
_INSTRUCTIONS = frozenset(kind.value for kind in INSTRUCTION_KINDS)
_FLAG_GAP = re.compile(r"(?:[ \t]+|[\\`][ \t]*\n)*")
_FLAG = re.compile(r"--[A-Za-z][\w-]*")
_WORD_END = re.compile(r"\s")
_INNER_COMMENT = re.compile(r"\n[ \t]*(#[^\n]*)")


def _extra_spans(text: str) -> list[tuple[int, int, _TokenType]]:
    """Spans pygments' lexer does not know: flags, ONBUILD's trigger keyword, heredoc markers."""
    out: list[tuple[int, int, _TokenType]] = []
    match = _KEYWORD.match(text)
    if match is None or text.lstrip().startswith("#"):
        return out
    position = match.end()
    keyword = match.group(1).upper()
    # pygments misses a keyword alone on its line ("EXPOSE", unfinished) and takes "FROMX" for FROM.
    out.append((match.start(1), len(keyword), Token.Keyword if keyword in _INSTRUCTIONS else Token.Name))
    if keyword == "ONBUILD":
        trigger = _KEYWORD.match(text, position)
        if trigger is not None and trigger.group(1).upper() in _INSTRUCTIONS:
            out.append((trigger.start(1), len(trigger.group(1)), Token.Keyword))
            position = trigger.end()
    while True:
        position = _FLAG_GAP.match(text, position).end()  # type: ignore[union-attr]  # matches ""
        flag = _FLAG.match(text, position)
        if flag is None:
            break
        end_match = _WORD_END.search(text, flag.end())
        end = end_match.start() if end_match else len(text)
        out.append((position, flag.end() - position, Token.Name.Attribute))
        if end > flag.end():
            out.append((flag.end(), end - flag.end(), Token.Literal.String))
        position = end
    out.extend(
        (m.start(), m.end() - m.start(), Token.Literal.String.Delimiter) for m in _HEREDOC.finditer(text)
    )
    # Comment lines inside a continued instruction: Docker drops them; the shell lexer does not know that.
    out.extend((m.start(1), len(m.group(1)), Token.Comment) for m in _INNER_COMMENT.finditer(text))
    return out


def _split_lines(text: str, spans: list[tuple[int, int, _TokenType]]) -> tuple[LineRanges, ...]:
    """Spans over the piece's text, cut at line breaks, as ranges per line in UTF-16 units."""
    starts = [0]
    for line in text.split("\n")[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    lines: list[list[Range]] = [[] for _ in starts]
    for start, length, ttype in spans:
        end = start + length
        if ttype is Token.Text or ttype in Token.Text.Whitespace:
            continue  # plain text takes the editor's own colour
        at, row = start, bisect.bisect_right(starts, start) - 1
        while at < end and row < len(starts):
            row_end = starts[row + 1] - 1 if row + 1 < len(starts) else len(text)
            piece_end = min(end, row_end)
            if piece_end > at:
                lines[row].append((at - starts[row], piece_end - at, ttype))
            at, row = row_end + 1, row + 1
    return tuple(
        _to_utf16(text_line, tuple(ranges)) for text_line, ranges in zip(text.split("\n"), lines, strict=True)
    )


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _to_utf16(line: str, ranges: LineRanges) -> LineRanges:
    """Ranges in code points to UTF-16 units (Qt's string indexes); the same unless the line has emoji."""
    if line.isascii() or all(ord(c) < 0x10000 for c in line):
        return ranges
    offsets = [0]
    for char in line:
        offsets.append(offsets[-1] + (2 if ord(char) >= 0x10000 else 1))
    return tuple((offsets[s], offsets[s + n] - offsets[s], t) for s, n, t in ranges)


class DockerfileHighlighter(QSyntaxHighlighter):
    """Colours a ``QTextDocument`` holding a Dockerfile, following the palette (light or dark).

    The text is lexed again in pieces when it changes (before Qt repaints the edited lines); afterwards,
    lines the edit did not touch whose colours changed anyway (below a new heredoc marker, say) are
    repainted too.

    Attributes:
        last_update_ms: how long the last re-reading of the text took, in milliseconds.
    """

    def __init__(self, document: QTextDocument, dark: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dark = dark
        self._text: str | None = None
        self._lexed = Lexed([], "\\", [], [])
        self._formats: dict[_TokenType, QTextCharFormat] = {}
        self._base = QColor("#ffffff")
        self._repainting = False
        self._changed_lines: tuple[int, int] | None = None
        self._expected: tuple[str, int, int] | None = None  # see expect_text
        self.last_update_ms = 0.0
        # Our handler must see the change before QSyntaxHighlighter's own (slots run in connection order).
        document.contentsChange.connect(self._before_qt)
        self.setDocument(document)
        document.contentsChange.connect(self._after_qt)
        if parent is None:
            self.setParent(document)

    @property
    def dark(self) -> bool:
        return self._dark

    def set_palette(self, palette: QPalette) -> None:
        """Take colours for this palette's background (light or dark style, contrast adjusted)."""
        self._dark = is_dark(palette)
        self._base = palette.color(QPalette.ColorRole.Base)
        self._formats.clear()
        self.rehighlight()

    def expect_text(self, text: str | None, same_head: int = 0, same_tail: int = 0) -> None:
        """Say what the document's text is about to become, by an edit that keeps ``same_head`` lines at
        the top and ``same_tail`` at the bottom as they are (None: forget it, the edit is done).

        The next change then needs neither a copy of the whole text out of the document nor a comparison
        of the lines the edit left alone. When the text after the change is not this one after all, the
        first line that differs has the text read from the document again (see :meth:`highlightBlock`).
        """
        self._expected = None if text is None else (text, same_head, same_tail)

    def line_ranges(self, line: int) -> LineRanges:
        """The ranges of a 0-based line (for tests and tooltips)."""
        self._refresh()
        ranges = self._lexed.ranges
        return ranges[line] if 0 <= line < len(ranges) else ()

    def highlightBlock(self, text: str) -> None:
        line = self.currentBlock().blockNumber()
        lines = self._lexed.lines
        if line >= len(lines) or lines[line] != text:
            self._refresh()  # a highlight Qt started on its own (first show, rehighlight) before a change
        ranges = self._lexed.ranges[line] if line < len(self._lexed.ranges) else ()
        for start, length, ttype in ranges:
            self.setFormat(start, length, self._format(ttype))
        self.setCurrentBlockState(_signature(ranges))

    # --- internals -----------------------------------------------------------------------------------

    def _before_qt(self, _position: int, removed: int, added: int) -> None:
        if not self._repainting and (removed or added):
            self._refresh()

    def _after_qt(self, _position: int, _removed: int, _added: int) -> None:
        """Repaint lines whose colours changed though Qt did not repaint them (far below an edit)."""
        if self._repainting or self._changed_lines is None:
            return
        first, last = self._changed_lines
        self._changed_lines = None
        self._repainting = True
        try:
            block = self.document().findBlockByNumber(first)
            ranges = self._lexed.ranges
            for line in range(first, min(last, len(ranges))):
                if not block.isValid():
                    break
                if block.userState() != _signature(ranges[line]):
                    self.rehighlightBlock(block)
                block = block.next()
        finally:
            self._repainting = False

    def _refresh(self) -> None:
        expected, self._expected = self._expected, None
        text, head, tail = expected if expected is not None else (self.document().toPlainText(), 0, 0)
        if text == self._text:
            return
        started = time.perf_counter()
        self._text = text
        self._lexed, self._changed_lines = update_ranges(self._lexed, text.split("\n"), head, tail)
        self.last_update_ms = (time.perf_counter() - started) * 1000

    def _format(self, ttype: _TokenType) -> QTextCharFormat:
        found = self._formats.get(ttype)
        if found is None:
            found = self._formats[ttype] = _char_format(
                get_style_by_name(DARK_STYLE if self._dark else LIGHT_STYLE), ttype, self._base
            )
        return found


def _signature(ranges: LineRanges) -> int:
    """A block state standing for a line's ranges: Qt repaints the next line while states change."""
    return hash(ranges) & 0x3FFFFFFF


def _char_format(style: StyleMeta, ttype: _TokenType, base: QColor) -> QTextCharFormat:
    while not style.styles_token(ttype) and ttype.parent is not None:
        ttype = ttype.parent
    spec = style.style_for_token(ttype)
    text_colour = style.style_for_token(Token.Text)["color"]
    out = QTextCharFormat()
    if spec["color"] and spec["color"] != text_colour:
        out.setForeground(readable(QColor("#" + spec["color"]), base))
    if spec["bold"]:
        out.setFontWeight(QFont.Weight.Bold)
    if spec["italic"]:
        out.setFontItalic(True)
    return out


def readable(colour: QColor, background: QColor, minimum: float = MIN_CONTRAST) -> QColor:
    """The colour, made darker on a light background (lighter on a dark one) until it is readable."""
    towards_dark = background.lightnessF() >= 0.5
    out = QColor(colour)
    for _ in range(20):
        if contrast(out, background) >= minimum:
            break
        h, s, lightness, a = out.getHslF()
        lightness = max(0.0, lightness - 0.05) if towards_dark else min(1.0, lightness + 0.05)
        out = QColor.fromHslF(h, s, lightness, a)
    return out


def contrast(one: QColor, two: QColor) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)
