"""``.dockerignore`` with the docker CLI's own semantics (moby/patternmatcher and its ignorefile reader).

Users copy ``.dockerignore`` files between projects and expect what ``docker build`` does, quirks included,
so this follows the Go code rule by rule rather than gitignore or :mod:`fnmatch`:

- lines starting with ``#`` are comments; blank lines are skipped; each line is trimmed;
- a pattern is cleaned like Go's ``filepath.Clean`` (``a/./b/`` is ``a/b``) and a leading ``/`` is dropped,
  so ``/build`` and ``build`` are the same and a trailing ``/`` changes nothing;
- ``*`` and ``?`` never cross a ``/``; ``**`` crosses any number of folders (``**/x``, ``a/**``, ``a/**/b``);
  ``[a-z]`` classes and ``\\`` escapes work as in Go's ``filepath.Match``;
- a pattern that matches a folder excludes everything inside it;
- ``!pattern`` brings matching paths back; the last matching line wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

IGNORE_FILE = ".dockerignore"
_UTF8_BOM = "\ufeff"
_REGEX_SPECIAL = ".+()|{}$"  # regexp metacharacters that mean nothing special in filepath.Match


class DockerignoreError(ValueError):
    """A pattern the docker CLI would refuse too (a lone ``!``, an unclosed ``[``, a trailing ``\\``)."""


def read_patterns(text: str) -> list[str]:
    """The patterns of a ``.dockerignore`` file, cleaned as the CLI's ignorefile reader does."""
    patterns: list[str] = []
    for number, raw in enumerate(text.splitlines()):
        line = raw.removeprefix(_UTF8_BOM) if number == 0 else raw
        if line.startswith("#"):
            continue
        pattern = line.strip()
        if not pattern:
            continue
        invert = pattern.startswith("!")
        if invert:
            pattern = pattern[1:].strip()
        if pattern:
            pattern = clean_path(pattern)
            if len(pattern) > 1 and pattern.startswith("/"):
                pattern = pattern[1:]
        patterns.append("!" + pattern if invert else pattern)
    return patterns


def read_ignore_file(context_dir: Path) -> list[str]:
    """The patterns of ``context_dir/.dockerignore``; none when the file is absent.

    Raises:
        OSError: the file exists but cannot be read.
    """
    try:
        data = (context_dir / IGNORE_FILE).read_bytes()
    except FileNotFoundError:
        return []
    return read_patterns(data.decode("utf-8", "replace"))


def clean_path(path: str) -> str:
    """Go's ``filepath.Clean`` for slash-separated paths: ``.`` and ``..`` resolved, slashes collapsed."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append(part)
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


class _MatchType(Enum):
    EXACT = 1
    PREFIX = 2
    SUFFIX = 3
    REGEX = 4


@dataclass(frozen=True)
class Pattern:
    """One compiled line: ``text`` without its ``!``; ``exclusion`` when it was a ``!`` line."""

    text: str
    exclusion: bool
    match_type: _MatchType
    regex: re.Pattern[str] | None

    def matches(self, path: str) -> bool:
        """Whether a slash-separated path relative to the context matches this pattern alone."""
        if self.match_type is _MatchType.EXACT:
            return path == self.text
        if self.match_type is _MatchType.PREFIX:
            return path.startswith(self.text[:-2])
        if self.match_type is _MatchType.SUFFIX:
            suffix = self.text[2:]
            return path.endswith(suffix) or (suffix.startswith("/") and path == suffix[1:])
        assert self.regex is not None
        return self.regex.fullmatch(path) is not None


def compile_pattern(raw: str) -> Pattern:
    """Compiles one pattern as patternmatcher.New and Pattern.compile do.

    Raises:
        DockerignoreError: the pattern is malformed.
    """
    text = clean_path(raw.strip())
    exclusion = text.startswith("!")
    if exclusion:
        if len(text) == 1:
            raise DockerignoreError('The line "!" excludes nothing; write what to bring back after the "!".')
        text = text[1:]
    _check_syntax(text)
    regex_text = ""
    match_type = _MatchType.EXACT
    position = 0
    step = 0
    while position < len(text):
        char = text[position]
        position += 1
        if char == "*":
            if position < len(text) and text[position] == "*":
                position += 1
                if position < len(text) and text[position] == "/":  # "**/" works like "**"
                    position += 1
                if position >= len(text):  # "**" at the end takes everything below, as gitignore does
                    if match_type is _MatchType.EXACT:
                        match_type = _MatchType.PREFIX
                    else:
                        regex_text += ".*"
                        match_type = _MatchType.REGEX
                else:
                    regex_text += "(?:.*/)?"
                    match_type = _MatchType.REGEX
                if step == 0:
                    match_type = _MatchType.SUFFIX
            else:
                regex_text += "[^/]*"
                match_type = _MatchType.REGEX
        elif char == "?":
            regex_text += "[^/]"
            match_type = _MatchType.REGEX
        elif char in _REGEX_SPECIAL:
            regex_text += "\\" + char
        elif char == "\\":
            if position < len(text):
                regex_text += re.escape(text[position])
                position += 1
            else:
                regex_text += "\\\\"
        elif char in "[]":
            regex_text += char
            match_type = _MatchType.REGEX
        else:
            regex_text += char
        step += 1
    regex = None
    if match_type is _MatchType.REGEX:
        try:
            regex = re.compile(regex_text, re.DOTALL)
        except re.error as error:
            raise DockerignoreError(
                f'The pattern "{raw}" is not valid ({error}); check its brackets.'
            ) from None
    return Pattern(text, exclusion, match_type, regex)


def _check_syntax(text: str) -> None:
    """Refuses what Go's ``filepath.Match`` calls a bad pattern: an unclosed ``[`` or a trailing ``\\``."""
    position = 0
    while position < len(text):
        char = text[position]
        if char == "\\":
            if position + 1 >= len(text):
                raise DockerignoreError(
                    f'The pattern "{text}" ends with a lone "\\"; remove it or double it.'
                )
            position += 2
            continue
        if char == "[":
            close = position + 1
            if close < len(text) and text[close] == "^":
                close += 1
            while close < len(text) and text[close] != "]":
                close += 2 if text[close] == "\\" else 1
            if close >= len(text) or close == position + 1:
                raise DockerignoreError(f'The pattern "{text}" opens a "[" it never closes; add the "]".')
            position = close
        position += 1


@dataclass(frozen=True)
class ParentMatch:
    """Which patterns matched a folder, handed to its children (patternmatcher's MatchInfo)."""

    matched: tuple[bool, ...] = ()


class DockerIgnore:
    """The compiled patterns of one ``.dockerignore``.

    Args:
        patterns: the lines as :func:`read_patterns` returns them.

    Raises:
        DockerignoreError: a pattern is malformed.
    """

    def __init__(self, patterns: Iterable[str]) -> None:
        compiled = [compile_pattern(p) for p in patterns if p.strip()]
        self.patterns: tuple[Pattern, ...] = tuple(compiled)
        self.has_exclusions = any(p.exclusion for p in compiled)

    @classmethod
    def from_context(cls, context_dir: Path, keep: Sequence[str] = ()) -> DockerIgnore:
        """The ``.dockerignore`` of a build folder, never excluding ``keep`` nor ``.dockerignore`` itself.

        The CLI always sends the Dockerfile and ``.dockerignore``, even when the file lists them: it adds
        ``!name`` for each one that would be excluded.
        """
        patterns = read_ignore_file(context_dir)
        matcher = cls(patterns)
        extra = [f"!{name}" for name in (IGNORE_FILE, *keep) if matcher.is_excluded(name)]
        return cls([*patterns, *extra]) if extra else matcher

    def is_excluded(self, path: str) -> bool:
        """Whether a slash-separated path relative to the context is left out (MatchesOrParentMatches)."""
        excluded = False
        parent = path.rsplit("/", 1)[0] if "/" in path else "."
        parent_parts = parent.split("/")
        for pattern in self.patterns:
            if pattern.exclusion != excluded:
                continue
            match = pattern.matches(path)
            if not match and parent != ".":
                match = any(
                    pattern.matches("/".join(parent_parts[: i + 1])) for i in range(len(parent_parts))
                )
            if match:
                excluded = not pattern.exclusion
        return excluded

    def check(self, path: str, parent: ParentMatch) -> tuple[bool, ParentMatch]:
        """Whether ``path`` is excluded, reusing its folder's results (MatchesUsingParentResults).

        Returns:
            The answer and what to pass when checking the entries inside ``path``.
        """
        known = parent.matched
        excluded = False
        result = [False] * len(self.patterns)
        for index, pattern in enumerate(self.patterns):
            match = bool(known) and known[index]
            if not match:
                if pattern.exclusion != excluded:
                    continue
                match = pattern.matches(path)
                if not match and not known and "/" in path:
                    parts = path.split("/")[:-1]
                    match = any(pattern.matches("/".join(parts[: i + 1])) for i in range(len(parts)))
            result[index] = match
            if match:
                excluded = not pattern.exclusion
        return excluded, ParentMatch(tuple(result))

    def may_bring_back_inside(self, folder: str) -> bool:
        """Whether a ``!`` line may bring back something inside an excluded folder (so it is walked)."""
        if not self.has_exclusions:
            return False
        prefix = folder + "/"
        return any(p.exclusion and (p.text + "/").startswith(prefix) for p in self.patterns)
