"""Reading a build folder's ``.dockerignore`` the way Docker does (moby/patternmatcher).

A file the ignore file leaves out is not sent to the builder, so COPY cannot find it even though it is
right there in the folder: a classic beginner puzzle, which DB001 explains.

Rules: one pattern a line; ``#`` starts a comment line; ``!`` re-includes what an earlier line left out;
the last pattern that matches decides; a pattern that matches a folder covers everything inside it.
``*`` is any run of characters but ``/``, ``?`` one such character, ``**`` any number of folders.
"""

from __future__ import annotations

import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path

IGNORE_FILE = ".dockerignore"


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    exclusion: bool  # a "!" line: puts back what earlier lines left out


def _clean(pattern: str) -> str:
    # On Windows "\\" separates folders (Docker's client cleans paths the OS's way); elsewhere it escapes.
    cleaned = posixpath.normpath(pattern.replace("\\", "/") if sys.platform == "win32" else pattern)
    return cleaned[1:] if len(cleaned) > 1 and cleaned.startswith("/") else cleaned


def _compile(pattern: str) -> re.Pattern[str]:
    """patternmatcher's translation of one pattern into a regular expression."""
    out = ["^"]
    index, size = 0, len(pattern)
    while index < size:
        char = pattern[index]
        index += 1
        if char == "*":
            if index < size and pattern[index] == "*":
                index += 1
                if index < size and pattern[index] == "/":
                    index += 1
                out.append(".*" if index >= size else "(.*/)?")
            else:
                out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "\\":
            if index < size:
                out.append(re.escape(pattern[index]))
                index += 1
            else:
                out.append(re.escape("\\"))
        elif char == "[" and "]" in pattern[index + 1 :]:
            close = pattern.index("]", index + 1)
            out.append(_character_class(pattern[index:close]))
            index = close + 1
        else:
            out.append(re.escape(char))
    out.append("$")
    return re.compile("".join(out), re.DOTALL)


def _character_class(body: str) -> str:
    """A ``[...]`` class: ``[!a]`` and ``[^a]`` negate; characters Python reads specially are escaped."""
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    inner = "".join("\\" + char if char in "[&~|" else char for char in body)
    return "[" + ("^" if negate else "") + inner + "]"


class DockerIgnore:
    """The patterns of one ``.dockerignore``."""

    def __init__(self, lines: list[str]) -> None:
        self._patterns: list[_Pattern] = []
        for raw in lines:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            exclusion = line.startswith("!")
            body = line[1:].strip() if exclusion else line
            if not body:
                continue
            try:
                self._patterns.append(_Pattern(_compile(_clean(body)), exclusion))
            except re.error:
                continue  # Docker refuses such a file with its own message; we just skip the line

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def excludes(self, relative: str) -> bool:
        """Whether a path inside the build folder (``/``-separated) is left out of the build."""
        path = _clean(relative)
        parents = posixpath.dirname(path).split("/") if "/" in path else []
        matched = False
        for pattern in self._patterns:
            if pattern.exclusion != matched:
                continue  # only a "!" line can change an exclusion, and only a plain line a non-match
            match = pattern.regex.match(path) is not None
            if not match:
                match = any(pattern.regex.match("/".join(parents[: i + 1])) for i in range(len(parents)))
            if match:
                matched = not pattern.exclusion
        return matched


def read_dockerignore(folder: Path) -> DockerIgnore:
    """The build folder's ignore rules (none when it has no readable ``.dockerignore``)."""
    try:
        text = (folder / IGNORE_FILE).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return DockerIgnore([])
    return DockerIgnore(text.splitlines())
