"""What a stage is built on, as far as a beginner's example needs to know: which tool installs packages.

A RUN block suggests a command to start from. ``apt-get`` does not exist on Alpine and ``apk`` not on
Debian, so the suggestion follows the image the block's stage starts from: Alpine (and official images
with an Alpine tag) install with ``apk``, Debian, Ubuntu and the official language images built on Debian
with ``apt-get``. For anything else there is no guess.
"""

from __future__ import annotations

from typing import Literal

from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Document, referred_stage
from desktop.blocks.values import split_image_ref
from desktop.i18n import load_texts
from desktop.image_names import short_image

PackageTool = Literal["apk", "apt"]

_ALPINE = frozenset({"alpine"})
_DEBIAN = frozenset({"debian", "ubuntu"})
# Official images whose default variant is built on Debian; their "-alpine" tags are built on Alpine.
_ON_DEBIAN_UNLESS_TAGGED = frozenset(
    {
        "python",
        "node",
        "ruby",
        "golang",
        "rust",
        "php",
        "perl",
        "openjdk",
        "eclipse-temurin",
        "nginx",
        "httpd",
    }
)
_FOLLOWED = 16  # stages followed through FROM <earlier stage> at most (a loop is a mistake, not a hang)


def run_example(doc: Document, block_id: str, locale: str | None = None) -> str | None:
    """A command to start a RUN block from, for the image its stage is built on (None: no guess)."""
    tool = package_tool(doc, block_id)
    if tool is None:
        return None
    texts = load_texts("validation", locale)
    return str(texts["run_examples"][tool])


def package_tool(doc: Document, block_id: str) -> PackageTool | None:
    """The package tool of the stage holding ``block_id`` (None: unknown, or the block is before any)."""
    first = _stage_from(doc, block_id)
    for _ in range(_FOLLOWED):
        if first is None:
            return None
        earlier = _named_stage(doc, referred_stage(first).strip().lower(), before=first.id)
        if earlier is None:
            image = str(first.params.get("image") or "").strip().lower()
            return _tool_of(image, str(first.params.get("tag") or "").lower())
        first = earlier
    return None


def _tool_of(image: str, tag: str) -> PackageTool | None:
    ref = split_image_ref(short_image(image))  # a registry's port is no tag: localhost:5000/alpine
    name, tag = ref.name, tag or ref.tag
    if name in _ALPINE or "alpine" in tag:
        return "apk"
    if name in _DEBIAN or name in _ON_DEBIAN_UNLESS_TAGGED:
        return "apt"
    return None


def _stage_from(doc: Document, block_id: str) -> Block | None:
    """The FROM that starts the stage holding the block (the block itself when it is a FROM)."""
    found: Block | None = None
    for block in doc.blocks:
        if block.kind is Kind.FROM:
            found = block
        if block.id == block_id:
            return found
    return None


def _named_stage(doc: Document, name: str, before: str) -> Block | None:
    """The FROM above ``before`` whose stage is called ``name`` (stage names ignore case)."""
    found: Block | None = None
    for block in doc.blocks:
        if block.id == before:
            return found
        if block.kind is Kind.FROM and str(block.params.get("stage_name") or "").lower() == name and name:
            found = block
    return None
