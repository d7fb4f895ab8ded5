"""Finding heredoc markers (``<<EOF``, ``<<-EOF``, ``<<"EOF"``) on an instruction line, as BuildKit does."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKER = re.compile(r"^(\d*)<<(-?)([^<]*)\Z", re.DOTALL)
_SHELL_SPACES = " \t\r\n"


@dataclass(frozen=True)
class HeredocMarker:
    """One ``<<WORD`` on an instruction line: its terminator word and whether tabs are stripped."""

    name: str
    chomp: bool


def shell_words(line: str, keep_quotes: bool) -> list[str]:
    """Split like a POSIX shell (no expansion): quotes group, a backslash escapes the next character.

    Args:
        line: the text to split.
        keep_quotes: keep quote characters and backslashes in the words (BuildKit's RawQuotes/RawEscapes).

    Raises:
        ValueError: a quote is never closed.
    """
    words: list[str] = []
    buf: list[str] = []
    started = False
    pos = 0
    while pos < len(line):
        ch = line[pos]
        if ch in _SHELL_SPACES:
            if started:
                words.append("".join(buf))
                buf, started = [], False
            pos += 1
            continue
        started = True
        if ch == "\\" and pos + 1 < len(line):
            if keep_quotes:
                buf.append(ch)
            buf.append(line[pos + 1])
            pos += 2
            continue
        if ch in ("'", '"'):
            end = pos + 1
            inner: list[str] = []
            while end < len(line) and line[end] != ch:
                if ch == '"' and line[end] == "\\" and end + 1 < len(line) and line[end + 1] in '"\\$`':
                    if keep_quotes:
                        inner.append("\\")
                    end += 1
                inner.append(line[end])
                end += 1
            if end >= len(line):
                raise ValueError(f"unterminated {ch} quote")
            if keep_quotes:
                buf.append(ch + "".join(inner) + ch)
            else:
                buf.append("".join(inner))
            pos = end + 1
            continue
        buf.append(ch)
        pos += 1
    if started:
        words.append("".join(buf))
    return words


def marker_from_word(word: str) -> HeredocMarker | None:
    """The heredoc a single word opens, if it is one (``<<EOF``, ``3<<-'END'``)."""
    match = _MARKER.match(word)
    if match is None or not match.group(3):
        return None
    try:
        names = shell_words(match.group(3), keep_quotes=False)
    except ValueError:
        return None
    if len(names) != 1 or not names[0]:
        return None
    return HeredocMarker(names[0], match.group(2) == "-")


def markers_in_line(line: str) -> list[HeredocMarker]:
    """Every heredoc opened on a logical instruction line, in order."""
    if "<<" not in line:
        return []
    try:
        words = shell_words(line, keep_quotes=True)
    except ValueError:
        return []  # BuildKit ignores the lexer's error here and finds no heredoc
    found = (marker_from_word(word) for word in words)
    return [marker for marker in found if marker is not None]
