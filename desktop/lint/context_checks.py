"""Checks that need what hadolint cannot know: the build folder (DB001, DB005) and the builder (DB002).

DB001: a COPY/ADD source that is not in the build folder, so the build would stop with "not found".
DB002: a feature only BuildKit understands; the classic builder stops at it.
DB005: the chosen build folder itself is missing.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Document
from desktop.dockerfile.heredoc import marker_from_word
from desktop.dockerfile.render import flag_words
from desktop.lint.findings import Problem, Severity

_GLOB_CHARACTERS = frozenset("*?[")
# Flags the classic builder accepts; every other flag on these instructions is BuildKit-only.
_CLASSIC_FLAGS = {
    Kind.COPY: frozenset({"--from", "--chown"}),
    Kind.ADD: frozenset({"--chown"}),
    Kind.RUN: frozenset(),
}


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


def source_present(context_dir: Path, source: str) -> bool:
    """Whether a COPY/ADD source names something in the build folder (a pattern: matches something)."""
    relative = _relative(source)
    if not relative or relative == ".":
        return True  # the folder itself
    if _GLOB_CHARACTERS & set(relative):
        try:
            return next(iter(context_dir.glob(relative)), None) is not None
        except (ValueError, OSError):
            return True  # a pattern Python cannot read: say nothing rather than something wrong
    return (context_dir / relative).exists()


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
    problems: list[Problem] = []
    for block in doc.blocks:  # ONBUILD triggers run in someone else's build folder: not checked
        if block.kind not in (Kind.COPY, Kind.ADD) or _copies_from_elsewhere(block):
            continue
        for source in block.params.get("sources") or []:
            if _skipped(str(source)) or source_present(context_dir, str(source)):
                continue
            fields = {"source": str(source), "folder": context_dir.name or str(context_dir)}
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
