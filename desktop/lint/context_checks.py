"""Checks that need what hadolint cannot know: the build folder (DB001, DB005) and the builder (DB002).

DB001: a COPY/ADD source that is not in the build folder (or that .dockerignore leaves out), so the build
would stop with "not found".
DB002: a feature only BuildKit understands; the classic builder stops at it.
DB005: the chosen build folder itself is missing.
"""

from __future__ import annotations

import enum
import posixpath
from pathlib import Path

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Document
from desktop.dockerfile.heredoc import marker_from_word
from desktop.dockerfile.render import flag_words
from desktop.lint.dockerignore import DockerIgnore, read_dockerignore
from desktop.lint.findings import Problem, Severity

_GLOB_CHARACTERS = frozenset("*?[")
# Flags the classic builder accepts; every other flag on these instructions is BuildKit-only.
_CLASSIC_FLAGS = {
    Kind.COPY: frozenset({"--from", "--chown"}),
    Kind.ADD: frozenset({"--chown"}),
    Kind.RUN: frozenset(),
}


class SourceState(enum.Enum):
    """What the builder will find for one COPY/ADD source."""

    PRESENT = "present"
    MISSING = "missing"  # nothing by that name (or matching that pattern) in the folder
    IGNORED = "ignored"  # there, but .dockerignore leaves it out of the build


def _is_remote(source: str) -> bool:
    return "://" in source or source.startswith("git@")


def _skipped(source: str) -> bool:
    """Sources we cannot or need not look for in the folder."""
    return (
        not source
        or "$" in source  # decided by a variable at build time
        or _is_remote(source)  # ADD downloads it
        or source.startswith("<<")  # a heredoc: the content is right there in the Dockerfile
        or marker_from_word(source) is not None
    )


def _relative(source: str) -> str:
    """A source as a path inside the build folder: Docker reads ``/x`` and ``../x`` as ``x`` there."""
    return posixpath.normpath("/" + source.replace("\\", "/")).lstrip("/")


def source_state(context_dir: Path, source: str, ignore: DockerIgnore | None = None) -> SourceState:
    """Whether a COPY/ADD source names something the builder will see in the build folder.

    Args:
        context_dir: the build folder.
        source: the source as written (a path, a folder or a pattern such as ``*.py``).
        ignore: the folder's ``.dockerignore`` rules, if any.
    """
    relative = _relative(source)
    if not relative or relative == ".":
        return SourceState.PRESENT  # the folder itself
    if _GLOB_CHARACTERS & set(relative):
        try:
            matches = (path.relative_to(context_dir).as_posix() for path in context_dir.glob(relative))
            found = False
            for match in matches:  # lazily: the first match the builder sees settles it
                found = True
                if not (ignore and ignore.excludes(match)):
                    return SourceState.PRESENT
        except (ValueError, OSError):
            return SourceState.PRESENT  # a pattern Python cannot read: better silent than wrong
        return SourceState.IGNORED if found else SourceState.MISSING
    if not (context_dir / relative).exists():
        return SourceState.MISSING
    return SourceState.IGNORED if ignore and ignore.excludes(relative) else SourceState.PRESENT


def source_present(context_dir: Path, source: str) -> bool:
    """Whether a source is in the folder at all (``.dockerignore`` not considered)."""
    return source_state(context_dir, source) is SourceState.PRESENT


def _copies_from_elsewhere(block: Block) -> bool:
    """COPY --from takes its sources from a stage or an image, not the build folder."""
    p = block.params
    return bool(p.get("from_stage")) or any(
        str(flag).lower().startswith("--from") for flag in p.get("extra_flags") or []
    )


def missing_sources(doc: Document, context_dir: Path) -> list[Problem]:
    """DB001 for every COPY/ADD source missing from the build folder; DB005 if the folder is missing."""
    if not context_dir.is_dir():
        return [Problem("DB005", "missing", Severity.WARNING, None, {"folder": str(context_dir)})]
    ignore = read_dockerignore(context_dir)
    problems: list[Problem] = []
    for block in doc.blocks:  # ONBUILD triggers run in someone else's build folder: not checked
        if block.kind not in (Kind.COPY, Kind.ADD) or _copies_from_elsewhere(block):
            continue
        for source in block.params.get("sources") or []:
            if _skipped(str(source)):
                continue
            state = source_state(context_dir, str(source), ignore)
            if state is SourceState.PRESENT:
                continue
            fields = {"source": str(source), "folder": context_dir.name or str(context_dir)}
            if state is SourceState.IGNORED:
                variant = "ignored"
            else:
                variant = "pattern" if _GLOB_CHARACTERS & set(str(source)) else "missing"
            problems.append(Problem("DB001", variant, Severity.ERROR, block.id, fields))
    return problems


def buildkit_features(block: Block) -> list[str]:
    """The BuildKit-only features a block uses, as the user would recognise them (``--mount``, ``<<EOF``).

    ONBUILD triggers are left out: they run in a later build, on whatever builder that one uses.
    """
    if block.kind not in _CLASSIC_FLAGS:
        return []
    features: list[str] = []
    for flag in flag_words(block):
        name = flag.partition("=")[0].lower()
        if name not in _CLASSIC_FLAGS[block.kind] and name not in features:
            features.append(name)
    for name, _content, _end in block.params.get("heredocs") or []:
        marker = f"<<{name}"
        if marker not in features:
            features.append(marker)
    return features


def buildkit_problems(doc: Document, buildkit_available: bool | None) -> list[Problem]:
    """DB002 for every block that needs BuildKit.

    Args:
        doc: the document.
        buildkit_available: True: nothing to report; False: the engine has none, each is an error;
            None: not known yet, each is a note.
    """
    if buildkit_available:
        return []
    variant, severity = (
        ("missing", Severity.ERROR) if buildkit_available is False else ("unknown", Severity.INFO)
    )
    problems: list[Problem] = []
    for block in doc.blocks:
        features = buildkit_features(block)
        if features:
            fields = {"instruction": block.kind.value, "features": ", ".join(features)}
            problems.append(Problem("DB002", variant, severity, block.id, fields))
    return problems
