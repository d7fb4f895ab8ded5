"""DB003: build arguments used where Docker gives them no value."""

from __future__ import annotations

import pytest

from desktop.dockerfile import import_text, render
from desktop.lint import Severity, lint_document, own_problems
from desktop.lint.variables import Reference, references, shell_references


def _db003(text: str) -> list[tuple[str, str, str]]:
    """(start of the block's text, variant, name) for every DB003 problem."""
    doc = import_text(text)
    starts = {b.id: (b.origin.text if b.origin else "").split("\n", 1)[0] for b in doc.blocks}
    return [
        (starts[p.block_id], p.variant, p.fields["name"])
        for p in own_problems(doc, None, True)
        if p.code == "DB003" and p.block_id is not None
    ]


@pytest.mark.parametrize(
    "text",
    [
        # A global ARG on FROM lines, re-declared to use it inside the stage.
        "ARG VERSION=3.20\nFROM alpine:$VERSION\nARG VERSION\nRUN echo $VERSION\n",
        "ARG VERSION=3.20\nFROM alpine:${VERSION}\nFROM alpine:${VERSION} AS second\n",
        # Declared in the stage before use, in every place Docker or the shell expands it.
        'FROM alpine:3.20\nARG DIR=/app\nWORKDIR $DIR\nCOPY . ${DIR}/\nENV HOME_DIR=$DIR\nRUN ls "$DIR"\n',
        "FROM alpine:3.20\nARG A=1 B=${A}2\nRUN echo $B\n",
        # ENV-defined names and names we cannot know (the image's environment, the shell's own variables).
        "FROM python:3.12\nENV PATH=/opt/venv/bin:$PATH\nENV APP=/app\nWORKDIR $APP\nRUN echo $HOME $APP\n",
        "FROM alpine:3.20\nRUN for f in *; do echo $f; done\n",
        # Predefined arguments.
        "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nARG TARGETOS TARGETARCH\n"
        "RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .\n",
        "FROM alpine:3.20\nRUN wget -e use_proxy=yes -e http_proxy=$HTTP_PROXY https://example.com\n",
        "FROM alpine:3.20\nRUN echo $SOURCE_DATE_EPOCH\n",
        # Quoting and escaping keep the text literal.
        "FROM alpine:3.20\nRUN echo '$LATE'\nARG LATE\n",
        "FROM alpine:3.20\nRUN echo \\$LATE\nARG LATE\n",
        "FROM alpine:3.20\nWORKDIR /a\\$LATE\nARG LATE\n",
        "# escape=`\nFROM alpine:3.20\nWORKDIR /a`$LATE\nARG LATE\n",
        # The exec form runs no shell: $LATE stays as written.
        'FROM alpine:3.20\nRUN ["echo", "$LATE"]\nARG LATE\n',
        # ARGs and ENVs of the stage this one is built from.
        "FROM alpine:3.20 AS base\nARG VERSION=1\nENV MODE=prod\nFROM base AS app\nRUN echo $VERSION $MODE\n",
        # CMD runs later, in the container: not a build-time expansion.
        "FROM alpine:3.20\nCMD echo $LATE\nARG LATE\n",
        # A default for a FROM variable nobody declared.
        "FROM alpine:${VERSION:-3.20}\n",
    ],
)
def test_arguments_in_scope_are_fine(text):
    assert _db003(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ARG VERSION=3.20\nFROM alpine:$VERSION\nRUN echo $VERSION\n",
            [("RUN echo $VERSION", "global", "VERSION")],
        ),
        (
            "FROM alpine:3.20\nRUN echo ${NAME}\nARG NAME=x\n",
            [("RUN echo ${NAME}", "later", "NAME")],
        ),
        (
            "FROM alpine:3.20\nCOPY ${SRC:-app}/ /app/\nARG SRC\n",
            [("COPY ${SRC:-app}/ /app/", "later", "SRC")],
        ),
        (
            "FROM alpine:3.20\nWORKDIR /srv/$APP\nENV X=$APP\nUSER $APP\nARG APP=web\n",
            [
                ("WORKDIR /srv/$APP", "later", "APP"),
                ("ENV X=$APP", "later", "APP"),
                ("USER $APP", "later", "APP"),
            ],
        ),
        (
            "FROM alpine:3.20 AS one\nARG PORT=80\nFROM alpine:3.20 AS two\nEXPOSE $PORT\n",
            [("EXPOSE $PORT", "other_stage", "PORT")],
        ),
        (
            "FROM golang:1.22\nRUN GOARCH=$TARGETARCH go build .\n",
            [("RUN GOARCH=$TARGETARCH go build .", "platform", "TARGETARCH")],
        ),
        (
            "FROM alpine:3.20\nRUN --mount=type=cache,id=$CACHE_ID,target=/c true\nARG CACHE_ID\n",
            [("RUN --mount=type=cache,id=$CACHE_ID,target=/c true", "later", "CACHE_ID")],
        ),
        (
            "FROM alpine:3.20\nRUN <<EOF\necho $LATE\nEOF\nARG LATE\n",
            [("RUN <<EOF", "later", "LATE")],
        ),
        (
            # One finding per name and block, however often it is used there.
            "FROM alpine:3.20\nRUN echo $A $A ${A}\nARG A\n",
            [("RUN echo $A $A ${A}", "later", "A")],
        ),
        ("FROM alpine:$VERSION\n", [("FROM alpine:$VERSION", "from_undeclared", "VERSION")]),
        (
            "FROM alpine:3.20\nARG BASE=debian\nFROM $BASE:12\n",
            [("FROM $BASE:12", "from_stage_arg", "BASE")],
        ),
    ],
)
def test_arguments_out_of_scope_are_reported(text, expected):
    assert _db003(text) == expected


def test_finding_wording_line_and_severity(block_id):
    doc = import_text("ARG VERSION=3.20\nFROM alpine:$VERSION\n\nRUN echo $VERSION\nFROM node:$NODE\n")
    report = lint_document(doc)
    found = [f for f in report.findings if f.code == "DB003"]
    assert [(f.block_id, f.line, f.severity) for f in found] == [
        (block_id(doc, "RUN echo"), 4, Severity.WARNING),
        (block_id(doc, "FROM node"), 5, Severity.ERROR),
    ]
    assert found[0].message.startswith("$VERSION is declared before the first FROM")
    assert "ARG VERSION" in found[0].message
    assert found[1].message.startswith("This FROM uses $NODE, but no ARG NODE is declared")
    assert found[0].link == "https://docs.docker.com/build/building/variables/#scoping"
    assert render(doc).lines_of(found[0].block_id).first == 4


@pytest.mark.parametrize(
    ("text", "escape", "expected"),
    [
        ("$A ${B} ${C:-x} ${D-y} ${E:+z} $1 $$ $", "\\", ["A", "B", "C", "D", "E"]),
        ("${A:-$B}", "\\", ["A", "B"]),
        ("'$A' \"$B\" \"'$C'\"", "\\", ["B", "C"]),
        ("\\$A `$B", "\\", ["B"]),
        ("\\$A `$B", "`", ["A"]),
        ("$(echo $A) $((1 + 2))", "\\", ["A"]),
        ("it's $A", "\\", []),  # an unclosed single quote swallows the rest, as in the shell
    ],
)
def test_references(text, escape, expected):
    assert [ref.name for ref in references(text, escape)] == expected


def test_defaults_are_recognised():
    assert references("${A:-1} ${B-2} ${C:+3} $D") == [
        Reference("A", True),
        Reference("B", True),
        Reference("C", False),
        Reference("D", False),
    ]
    assert shell_references("echo \\$A $B") == [Reference("B")]
