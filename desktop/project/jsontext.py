"""Reading JSON nobody vouches for: limits first, then plain ``json``, never anything that runs code.

Every failure becomes a :class:`ProjectFileError` with the line and column when they are known. Limits are
checked before the expensive or risky step they protect: the size before reading, the nesting depth (with
a scan that cannot recurse) before ``json.loads``, whose C scanner recurses once per nesting level.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from desktop.project.errors import ProjectFileError
from desktop.project.texts import say, shown

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Larger files are refused unread: a real project is a few hundred kilobytes at most."""

MAX_DEPTH = 64
"""Deepest nesting of objects and lists; a project needs about a dozen levels (ONBUILD triggers add three)."""

JsonPath = tuple[str | int, ...]

# A JSON string, or an unterminated one up to the end of the text. The two branches after the opening quote
# cannot both match the same character, so the scan is linear even on hostile input.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}:,]|[^\s\[\]{}:,"]+', re.DOTALL)
_BOM = "\ufeff"


class _DuplicateKey(Exception):
    pass


class _NotANumber(Exception):
    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


def parse_json(data: bytes) -> tuple[Any, str]:
    """The JSON value in a file's bytes, and the text it was read from (to locate later problems).

    Raises:
        ProjectFileError: too large, not UTF-8 text, nested too deep, not JSON, a duplicate key, NaN.
    """
    if len(data) > MAX_FILE_BYTES:
        raise too_big(len(data))
    text = _decode(data)
    if text.startswith(_BOM):
        # Some editors add a byte order mark; a space in its place keeps every column where it was.
        text = " " + text[1:]
    if not text.strip():
        raise ProjectFileError(say("load.empty"))
    if nesting_depth(text) > MAX_DEPTH:
        raise ProjectFileError(say("load.too_deep", limit=MAX_DEPTH))
    try:
        value = json.loads(text, object_pairs_hook=_object_without_duplicates, parse_constant=_refuse)
    except json.JSONDecodeError as error:
        if error.pos == len(text) - len(text.lstrip()):
            # Not even its first character reads as JSON: some other file, not a damaged project.
            raise ProjectFileError(say("load.not_json")) from None
        raise ProjectFileError(
            say("load.damaged", line=error.lineno, column=error.colno, reason=error.msg),
            error.lineno,
            error.colno,
        ) from None
    except _DuplicateKey:
        raise _duplicate_key_error(text) from None
    except _NotANumber as error:
        raise _at_token(text, error.word, say("load.not_a_number", word=error.word)) from None
    except RecursionError:  # the pre-scan makes this unreachable in practice: the last line of defence
        raise ProjectFileError(say("load.too_deep", limit=MAX_DEPTH)) from None
    except ValueError:  # an integer with thousands of digits (Python's int conversion limit)
        raise ProjectFileError(say("load.huge_number")) from None
    return value, text


def too_big(size: int) -> ProjectFileError:
    """The error for a file over :data:`MAX_FILE_BYTES`."""
    mebi = 1024 * 1024
    return ProjectFileError(say("load.too_big", size=f"{size / mebi:.1f}", limit=MAX_FILE_BYTES // mebi))


def nesting_depth(text: str) -> int:
    """How deeply objects and lists nest, computed without recursion (brackets inside strings ignored)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_BRACKET_STEP.__getitem__, brackets)), default=0)


def locate(text: str, path: JsonPath) -> tuple[int, int]:
    """The 1-based line and column where the value at ``path`` starts, or (0, 0) when it is not there."""
    for value_path, offset, _token in _values(text):
        if value_path == path:
            return line_and_column(text, offset)
    return 0, 0


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        # Columns count characters, not bytes: locate the bad byte in the text decoded up to it.
        head = data[: error.start].decode("utf-8", "replace")
        line, column = line_and_column(head, len(head))
        raise ProjectFileError(say("load.not_text", line=line, column=column), line, column) from None


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _DuplicateKey
    return result


def _refuse(word: str) -> None:
    raise _NotANumber(word)


def _duplicate_key_error(text: str) -> ProjectFileError:
    seen: set[JsonPath] = set()
    for path, offset, _token in _values(text):
        if path in seen and path and isinstance(path[-1], str):
            line, column = line_and_column(text, offset)
            return ProjectFileError(
                say("load.duplicate_key", line=line, column=column, key=shown(path[-1])),
                line,
                column,
                format_path(path),
            )
        seen.add(path)
    return ProjectFileError(say("load.duplicate_key", line=0, column=0, key="?"))


def _at_token(text: str, word: str, message: str) -> ProjectFileError:
    for path, offset, token in _values(text):
        if token == word:
            line, column = line_and_column(text, offset)
            return ProjectFileError(
                say("located", line=line, column=column, message=message), line, column, format_path(path)
            )
    return ProjectFileError(message)


def _values(text: str) -> Iterator[tuple[JsonPath, int, str]]:
    """Every value of a JSON text in order: its path, where it starts, and its first token.

    Only used on text ``json.loads`` accepted (or accepted but for a duplicate key or NaN), to find where
    something is; a duplicate key yields the same path twice.
    """
    # Each frame: [key or index of the value being read, whether an object expects a key next].
    frames: list[list[Any]] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        top = frames[-1] if frames else None
        if token in (",", ":"):
            if token == "," and top is not None:
                if isinstance(top[0], int):
                    top[0] += 1
                else:
                    top[1] = True
            continue
        if token in ("]", "}"):
            if frames:
                frames.pop()
            continue
        if top is not None and top[1] and token.startswith('"'):
            top[0], top[1] = _key(token), False
            continue
        yield tuple(frame[0] for frame in frames), match.start(), token
        if token == "[":
            frames.append([0, False])
        elif token == "{":
            frames.append(["", True])


def _key(token: str) -> str:
    try:
        key = json.loads(token)
    except ValueError:
        return token
    return key if isinstance(key, str) else token


def format_path(path: JsonPath) -> str:
    """``("document", "blocks", 4, "params")`` -> ``document.blocks[4].params``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            out += f".{part}" if out else part
        else:
            out += f"[{shown(part)}]"
    return out
