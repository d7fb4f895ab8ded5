"""DB004: references to build stages that do not exist, come too late or go round in a circle."""

from __future__ import annotations

import pytest

from desktop.dockerfile import import_text
from desktop.lint import Severity, find_hadolint, lint_document, own_problems
from desktop.lint.stage_checks import stage_parents


def _db004(text: str) -> list[tuple[str, str, Severity]]:
    """(first line of the block, variant, severity) for every DB004 problem."""
    doc = import_text(text)
    starts = {b.id: (b.origin.text if b.origin else "").split("\n", 1)[0] for b in doc.blocks}
    return [
        (starts[p.block_id], p.variant, p.severity)
        for p in own_problems(doc, None, True)
        if p.code == "DB004" and p.block_id is not None
    ]


@pytest.mark.parametrize(
    "text",
    [
        "FROM golang:1.22 AS build\nRUN go build -o /out\nFROM alpine:3.20\nCOPY --from=build /out /app\n",
        "FROM golang:1.22 AS Build\nFROM alpine:3.20\nCOPY --from=BUILD /out/app /app\n",  # names ignore case
        "FROM golang:1.22\nFROM alpine:3.20\nCOPY --from=0 /out/app /app\n",
        "FROM alpine:3.20\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n",
        "FROM alpine:3.20\nCOPY --from=ghcr.io/acme/tools /bin/tool /bin/\n",
        "FROM alpine:3.20\nCOPY --from=docker.io/library/busybox /bin/busybox /bin/\n",
        "FROM alpine:3.20\nCOPY --from=busybox@sha256:abc /bin/busybox /bin/\n",
        "ARG STAGE=build\nFROM alpine:3.20 AS build\nFROM alpine:3.20\nCOPY --from=$STAGE /a /a\n",
        "FROM alpine:3.20 AS base\nRUN echo base\nFROM base AS app\nRUN echo app\n",
        "FROM alpine:3.20 AS deps\nFROM alpine:3.20\nRUN --mount=type=bind,from=deps,target=/d cp -r /d /\n",
        "FROM alpine\nFROM nginx AS nginx\n",  # a bare image name that is no stage is just an image on FROM
    ],
)
def test_good_stage_references(text):
    assert _db004(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "FROM alpine:3.20\nCOPY --from=builder /out/app /app\n",
            [("COPY --from=builder /out/app /app", "unknown", Severity.WARNING)],
        ),
        (
            "FROM alpine:3.20\nRUN --mount=type=cache,from=cache-stage,target=/c true\n",
            [("RUN --mount=type=cache,from=cache-stage,target=/c true", "unknown", Severity.WARNING)],
        ),
        (
            "FROM alpine:3.20\nCOPY --from=tools /x /x\nFROM alpine:3.20 AS tools\n",
            [("COPY --from=tools /x /x", "later", Severity.WARNING)],
        ),
        (
            "FROM alpine:3.20\nCOPY --from=1 /x /x\nFROM alpine:3.20\n",
            [("COPY --from=1 /x /x", "later", Severity.WARNING)],
        ),
        (
            "FROM alpine:3.20 AS app\nCOPY --from=app /x /y\n",
            [("COPY --from=app /x /y", "self", Severity.ERROR)],
        ),
        (
            "FROM alpine:3.20\nCOPY --from=0 /x /y\n",
            [("COPY --from=0 /x /y", "self", Severity.ERROR)],
        ),
        (
            "FROM golang:1.22\nFROM alpine:3.20\nCOPY --from=2 /x /y\n",
            [("COPY --from=2 /x /y", "index", Severity.ERROR)],
        ),
        (
            "FROM alpine:3.20 AS one\nCOPY --from=two /a /a\nFROM alpine:3.20 AS two\nCOPY --from=one /b /b",
            [
                ("COPY --from=two /a /a", "cycle", Severity.ERROR),
                ("COPY --from=one /b /b", "cycle", Severity.ERROR),
            ],
        ),
        (
            "FROM base\nRUN echo\nFROM alpine:3.20 AS base\n",
            [("FROM base", "from_later", Severity.ERROR)],
        ),
        (
            "FROM alpine:3.20 AS build\nFROM debian:12 AS build\n",
            [("FROM debian:12 AS build", "duplicate", Severity.ERROR)],
        ),
    ],
)
def test_bad_stage_references(text, expected):
    assert _db004(text) == expected


def test_unknown_stage_wording(block_id):
    doc = import_text("FROM alpine:3.20\nCOPY --from=builder /out/app /app\n")
    report = lint_document(doc)
    found = [f for f in report.findings if f.code == "DB004"]
    assert [f.block_id for f in found] == [block_id(doc, "COPY --from=builder")]
    assert found[0].line == 2
    assert found[0].message.startswith("There is no stage named builder; if you meant an image, ")
    assert "builder:latest" in found[0].message
    assert found[0].link == "https://docs.docker.com/build/building/multi-stage/"


def test_index_wording():
    doc = import_text("FROM golang:1.22\nFROM alpine:3.20\nCOPY --from=7 /x /y\n")
    messages = [f.message for f in lint_document(doc).findings if f.code == "DB004"]
    assert messages == ["There is no stage number 7: this file has 2 stage(s), numbered from 0 to 1."]


@pytest.mark.skipif(find_hadolint() is None, reason="the bundled hadolint is not installed")
@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("FROM alpine:3.20\nCOPY --from=builder /a /a\n", "DL3022"),
        ("FROM alpine:3.20 AS app\nCOPY --from=app /a /a\n", "DL3023"),
        ("FROM alpine:3.20 AS build\nFROM alpine:3.20 AS build\n", "DL3024"),
        ("FROM later\nFROM alpine:3.20 AS later\n", "DL3006"),
    ],
)
def test_our_finding_replaces_hadolints_vaguer_one_on_the_same_block(text, hidden):
    report = lint_document(import_text(text))
    codes = [f.code for f in report.findings]
    assert "DB004" in codes
    assert hidden not in codes


def test_stage_parents():
    doc = import_text(
        "FROM alpine:3.20 AS base\nFROM base AS mid\nFROM MID AS top\nFROM base:1 AS image\nFROM later\n"
        "FROM alpine:3.20 AS later\n"
    )
    assert stage_parents(doc) == {1: 0, 2: 1}
