"""Hints for the build failures beginners meet most, read from the engine's message and the step's output.

The engine's own message stays visible; a hint adds one sentence saying what to change. Some failures
also tell which block to blame better than the step does: a parse error names a line of the Dockerfile,
a missing base image names the image of a FROM block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block
from desktop.dockerfile.render import Rendered
from desktop.engine.build_progress import Failure
from desktop.engine.build_steps import StepMapper
from desktop.i18n import format_text, load_texts
from desktop.image_names import short_image

TOPIC = "build"

_INSTALL = re.compile(r"\b(?P<command>(?:apt-get|apt|yum|dnf|microdnf|zypper)\s+(?:-\S+\s+)*install)\b")
_YES = re.compile(r"(?:^|\s)(?:-y|--yes|--assume-yes|-[a-zA-Z]*y[a-zA-Z]*|-n|--non-interactive)(?:\s|$)")
_ABORTED = ("Do you want to continue? [Y/n] Abort", "Is this ok [y/N]: Operation aborted", "Abort.")
_MISSING_FILE = (
    re.compile(r'"(?P<path>[^"]+)":? not found'),
    re.compile(r"excluded by \.dockerignore: stat (?P<path>\S+): file does not exist"),
    re.compile(r"(?:lstat|stat) (?P<path>\S+): no such file or directory"),
)
_UNKNOWN_INSTRUCTION = re.compile(
    r"(?:line (?P<line>\d+): )?unknown instruction: (?P<keyword>\S+)", re.IGNORECASE
)
_PARSE_LINE = re.compile(r"parse error (?:on )?line (?P<line>\d+)")
_REGISTRY_UNREACHABLE = (
    "no such host",
    "dial tcp",
    "connection refused",
    "i/o timeout",
    "TLS handshake timeout",
    "network is unreachable",
    "server misbehaving",
)
_IMAGE_MISSING = (
    re.compile(r"https?://(?P<host>[^/\s]+)/v2/(?P<image>[^\s\"]+?)/manifests/(?P<tag>[^\s\"/]+)"),
    re.compile(r"pull access denied for (?P<image>[^,\s]+)"),
    re.compile(r"failed to resolve source metadata for (?P<image>\S+):\s"),
    re.compile(r"(?P<image>\S+): not found$"),
    re.compile(r"manifest for (?P<image>\S+) not found"),
    re.compile(r"No such image: (?P<image>\S+)"),
    re.compile(r"repository (?P<image>\S+) not found"),
)
_KILLED = re.compile(r"(?:non-zero code|exit code): 137\b")
_COMMAND_MISSING = (
    re.compile(r'exec: "(?P<command>[^"]+)": executable file not found'),
    re.compile(
        r"^(?:/bin/)?(?:ba|da|a)?sh: (?:\d+: |line \d+: )?(?P<command>[^\s:]+): (?:command )?not found$"
    ),
    re.compile(r"^(?P<command>[^\s:]+): command not found$"),
)


@dataclass(frozen=True)
class Diagnosis:
    """A hint for the user and, when the message tells better than the step, the block to blame."""

    hint: str | None
    block_id: str | None


def diagnose(failure: Failure, mapper: StepMapper, rendered: Rendered | None, context_dir: Path) -> Diagnosis:
    """What to tell a beginner about a failed build.

    Args:
        failure: what the engine said, the failing step and its last lines.
        mapper: maps images and steps to the blocks of the built document.
        rendered: the rendered Dockerfile with its source map (for errors naming a line).
        context_dir: the build folder (named in the hint about missing files).
    """
    texts = load_texts(TOPIC)
    message = failure.message
    block_id = failure.block_id

    keyword = _UNKNOWN_INSTRUCTION.search(message)
    if keyword is not None:
        line = keyword["line"] or _group(_PARSE_LINE.search(message), "line")
        if line and rendered is not None:
            block_id = rendered.block_at_line(int(line)) or block_id
        hint = format_text(texts["hint.unknown_instruction"], keyword=keyword["keyword"].upper())
        return Diagnosis(hint, block_id)

    syntax = _syntax_directive(mapper)
    fetching_reader = "gateway" in message or failure.step_name.startswith("resolve image config for")
    if syntax is not None and fetching_reader:
        value = str(syntax.params.get("value") or "")
        return Diagnosis(format_text(texts["hint.syntax_frontend"], value=value), syntax.id)

    image_diagnosis = _base_image(failure, mapper, texts)
    if image_diagnosis is not None:
        return image_diagnosis

    command = _install_command(mapper, block_id, failure)
    if command is not None and any(marker in line for line in failure.tail for marker in _ABORTED):
        return Diagnosis(format_text(texts["hint.install_without_yes"], command=command), block_id)

    for line in reversed(failure.tail):
        missing = _first(_COMMAND_MISSING, line.strip())
        if missing is not None:
            return Diagnosis(format_text(texts["hint.command_not_found"], command=missing), block_id)
    missing = _first(_COMMAND_MISSING[:1], message)
    if missing is not None:
        return Diagnosis(format_text(texts["hint.command_not_found"], command=missing), block_id)

    if _KILLED.search(message):
        return Diagnosis(texts["hint.killed"], block_id)

    path = _first(_MISSING_FILE, message)
    if path is not None and _is_copy(mapper, block_id, failure):
        hint = format_text(texts["hint.file_missing"], path=path.lstrip("/"), folder=str(context_dir))
        return Diagnosis(hint, block_id)
    return Diagnosis(None, block_id)


def _syntax_directive(mapper: StepMapper) -> Block | None:
    """The ``# syntax=`` line, which makes BuildKit fetch a Dockerfile reader image before anything else."""
    for block in mapper.document.blocks:
        if block.kind is Kind.DIRECTIVE and str(block.params.get("name") or "").lower() == "syntax":
            return block
        if block.kind.is_instruction:
            return None
    return None


def _base_image(failure: Failure, mapper: StepMapper, texts: dict[str, Any]) -> Diagnosis | None:
    """A FROM whose image is neither on the engine nor to be had from its registry."""
    message = failure.message
    image = _image_in(message)
    block_id = mapper.from_block_for_image(image) if image else None
    step_is_from = failure.step_name.split("] ", 1)[-1].split(" : ", 1)[-1].upper().startswith("FROM ")
    if block_id is None and step_is_from:
        block_id = failure.block_id
    if block_id is None:
        return None
    if image is None:
        block = mapper.document.blocks[mapper.document.find(block_id)]
        tag = str(block.params.get("tag") or "")
        image = str(block.params.get("image") or "") + (f":{tag}" if tag else "")
    unreachable = any(marker in message for marker in _REGISTRY_UNREACHABLE)
    key = "hint.base_image_unreachable" if unreachable else "hint.base_image_missing"
    return Diagnosis(format_text(texts[key], image=short_image(image)), block_id)


def _image_in(message: str) -> str | None:
    for pattern in _IMAGE_MISSING:
        found = pattern.search(message)
        if found is None:
            continue
        names = found.groupdict()
        if names.get("tag"):  # a registry URL: /v2/<name>/manifests/<tag>
            host = names.get("host") or ""
            prefix = "" if host in ("registry-1.docker.io", "index.docker.io") else host + "/"
            return f"{prefix}{found['image']}:{found['tag']}"
        return found["image"]
    return None


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    for pattern in patterns:
        found = pattern.search(text)
        if found is not None:
            return next(value for value in found.groups() if value)
    return None


def _group(found: re.Match[str] | None, name: str) -> str | None:
    return found[name] if found is not None else None


def _block_kind(mapper: StepMapper, block_id: str | None) -> Kind | None:
    if block_id is None:
        return None
    try:
        return mapper.document.blocks[mapper.document.find(block_id)].kind
    except KeyError:
        return None


def _is_from(mapper: StepMapper, block_id: str) -> bool:
    return _block_kind(mapper, block_id) is Kind.FROM


def _is_copy(mapper: StepMapper, block_id: str | None, failure: Failure) -> bool:
    if _block_kind(mapper, block_id) in (Kind.COPY, Kind.ADD):
        return True
    return bool(re.search(r"\b(?:COPY|ADD)\b", failure.message + " " + failure.step_name))


def _install_command(mapper: StepMapper, block_id: str | None, failure: Failure) -> str | None:
    """The install command of the failing RUN when it lacks a "yes" flag, as written."""
    text = failure.step_name
    if block_id is not None and _block_kind(mapper, block_id) is Kind.RUN:
        block = mapper.document.blocks[mapper.document.find(block_id)]
        text = str(block.params.get("command") or "") or " ".join(map(str, block.params.get("args") or ()))
    for part in re.split(r"&&|\|\||;|\n", text):
        found = _INSTALL.search(part)
        if found is not None and _YES.search(part) is None:
            return " ".join(found["command"].split())
    return None
