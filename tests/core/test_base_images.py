"""A RUN block's suggested command follows the image its stage is built on: apk on Alpine, apt-get on
Debian and the official images built on it, no guess elsewhere."""

from __future__ import annotations

import pytest

from desktop.blocks.base_images import package_tool, run_example
from desktop.dockerfile import import_text


@pytest.mark.parametrize(
    ("base", "tool"),
    [
        ("alpine", "apk"),
        ("alpine:3.20", "apk"),
        ("docker.io/library/alpine:3.20", "apk"),
        ("python:3.12-alpine", "apk"),
        ("node:20-alpine3.19", "apk"),
        ("debian:12", "apt"),
        ("ubuntu", "apt"),
        ("python:3.12-slim", "apt"),
        ("node:20", "apt"),
        ("busybox", None),
        ("scratch", None),
        ("ghcr.io/someone/tool:1", None),
        ("localhost:5000/python:3.12-alpine", "apk"),  # a registry's port is no version
    ],
)
def test_the_tool_follows_the_stages_image(base: str, tool: str | None) -> None:
    doc = import_text(f"FROM {base}\nRUN true\n")
    assert package_tool(doc, doc.blocks[1].id) == tool


def test_a_stage_built_on_an_earlier_stage_follows_it_and_each_stage_has_its_own() -> None:
    doc = import_text(
        "ARG V=1\nFROM alpine:3.20 AS base\nRUN a\n"
        "FROM debian:12 AS other\nRUN b\nFROM base AS final\nRUN c\n"
    )
    by_command = {b.params.get("command"): b.id for b in doc.blocks}
    assert package_tool(doc, by_command["a"]) == "apk"
    assert package_tool(doc, by_command["b"]) == "apt"
    assert package_tool(doc, by_command["c"]) == "apk"  # FROM base: the base stage's Alpine
    assert package_tool(doc, doc.blocks[0].id) is None  # before any stage


def test_an_image_called_like_a_stage_is_not_that_stage() -> None:
    # FROM build:1 names an image called build (a stage has no version), as the stage rename knows too.
    doc = import_text("FROM alpine:3.20 AS build\nFROM build:1\nRUN x\nFROM build\nRUN y\n")
    assert package_tool(doc, doc.blocks[2].id) is None
    assert package_tool(doc, doc.blocks[4].id) == "apk"


def test_a_loop_of_stages_is_no_guess_and_no_hang() -> None:
    doc = import_text("FROM b AS a\nFROM a AS b\nRUN x\n")
    assert package_tool(doc, doc.blocks[-1].id) is None


def test_the_example_is_a_command_of_that_tool() -> None:
    doc = import_text("FROM alpine\nRUN true\nFROM debian\nRUN true\nFROM busybox\nRUN true\n")
    runs = [b.id for b in doc.blocks if b.params.get("command") == "true"]
    assert run_example(doc, runs[0]).startswith("apk add")
    assert run_example(doc, runs[1]).startswith("apt-get update")
    assert run_example(doc, runs[2]) is None
