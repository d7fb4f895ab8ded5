"""hadolint's rules through the real bundled binary: each finding lands on the block that made its line."""

from __future__ import annotations

import pytest

from desktop.blocks.kinds import Kind
from desktop.blocks.model import new_block
from desktop.dockerfile import import_text, render
from desktop.lint import HadolintState, Severity, Source, find_hadolint, lint_document

pytestmark = pytest.mark.skipif(
    find_hadolint() is None, reason="the bundled hadolint binary is not installed"
)

# code, Dockerfile, the start of the block that must carry the finding
CASES = [
    ("DL3006", "FROM ubuntu\nRUN echo hi\n", "FROM ubuntu"),
    ("DL3007", "FROM ubuntu:latest\nRUN echo hi\n", "FROM ubuntu:latest"),
    (
        "DL3008",
        "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl "
        "&& rm -rf /var/lib/apt/lists/*\n",
        "RUN apt-get",
    ),
    (
        "DL3009",
        "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=8.0\n",
        "RUN",
    ),
    ("DL3013", "FROM python:3.12\nRUN pip install --no-cache-dir flask\n", "RUN pip"),
    (
        "DL3015",
        "FROM debian:12\nRUN apt-get install -y curl=8.0 && rm -rf /var/lib/apt/lists/*\n",
        "RUN apt-get",
    ),
    ("DL3018", "FROM alpine:3.20\nRUN apk add --no-cache curl\n", "RUN apk"),
    ("DL3020", "FROM alpine:3.20\nADD app.py /app/\n", "ADD"),
    ("DL3025", "FROM alpine:3.20\nCMD python app.py\n", "CMD"),
    ("DL4006", "FROM alpine:3.20\nRUN wget -q -O - https://example.com/x.tgz | tar xz\n", "RUN wget"),
    ("DL3002", "FROM alpine:3.20\nUSER app\nRUN echo hi\nUSER root\n", "USER root"),
    ("DL3003", "FROM alpine:3.20\nRUN cd /tmp && ls\n", "RUN cd"),
    ("DL3059", "FROM alpine:3.20\nRUN echo one\nRUN echo two\n", "RUN echo two"),
    ("DL3000", "FROM alpine:3.20\nWORKDIR app\n", "WORKDIR"),
    ("DL3004", "FROM alpine:3.20\nRUN sudo ls\n", "RUN sudo"),
    ("DL3014", "FROM debian:12\nRUN apt-get install curl=8.0\n", "RUN apt-get"),
    ("DL3016", "FROM node:22\nRUN npm install -g express\n", "RUN npm"),
    ("DL3019", "FROM alpine:3.20\nRUN apk add curl=8.9.1-r0\n", "RUN apk"),
    ("DL3042", "FROM python:3.12\nRUN pip install flask==3.0.3\n", "RUN pip"),
    ("DL4000", "FROM alpine:3.20\nMAINTAINER someone@example.com\n", "MAINTAINER"),
    ("SC2086", "FROM alpine:3.20\nRUN for f in *; do echo $f; done\n", "RUN for"),
]


@pytest.mark.parametrize(("code", "text", "prefix"), CASES, ids=[case[0] for case in CASES])
def test_rule_lands_on_its_block(code, text, prefix, block_id):
    doc = import_text(text)
    report = lint_document(doc)
    assert report.hadolint_status.state is HadolintState.OK, report.hadolint_status
    matching = [f for f in report.findings if f.code == code]
    assert matching, f"{code} not reported; got {[f.code for f in report.findings]}"
    target = block_id(doc, prefix)
    assert {f.block_id for f in matching} == {target}
    finding = matching[0]
    assert finding.line == render(doc).lines_of(target).first
    assert finding.message  # hadolint's own words
    assert finding.title and finding.explanation
    prefix_link = (
        "https://www.shellcheck.net/wiki/"
        if code.startswith("SC")
        else "https://github.com/hadolint/hadolint/wiki/"
    )
    assert finding.link == prefix_link + code
    assert finding.source is (Source.SHELLCHECK if code.startswith("SC") else Source.HADOLINT)


def test_severity_is_hadolints_level():
    report = lint_document(import_text("FROM ubuntu\nRUN echo one\nRUN echo two\n"))
    levels = {f.code: f.severity for f in report.findings}
    assert levels["DL3006"] is Severity.WARNING
    assert levels["DL3059"] is Severity.INFO


def test_multi_line_run_findings_map_to_that_run(block_id):
    text = (
        "FROM debian:12\n"
        "# a comment\n"
        "RUN apt-get update \\\n"
        "    # a comment inside the continuation\n"
        "    && apt-get install -y curl \\\n"
        "    && cd /tmp \\\n"
        "    && echo $HOME\n"
        "WORKDIR /app\n"
        "RUN sudo ls\n"
    )
    doc = import_text(text)
    report = lint_document(doc)
    run = block_id(doc, "RUN apt-get")
    on_run = {f.code for f in report.for_block(run)}
    assert {"DL3008", "DL3009", "DL3015", "DL3003", "SC2086"} <= on_run
    assert {f.line for f in report.for_block(run)} == {3}
    assert {f.code for f in report.for_block(block_id(doc, "RUN sudo"))} == {"DL3004"}


def test_edited_block_still_maps_after_line_counts_change(block_id):
    doc = import_text("FROM ubuntu\nRUN echo hi\nRUN cd /tmp\n")
    first_run = doc.blocks[1]
    first_run.params["command"] = "echo one\n&& echo two\n&& echo three"  # now spans three lines
    doc.blocks.insert(1, new_block(Kind.COMMENT, text="added\ncomment"))
    report = lint_document(doc)
    cd_block = block_id(doc, "RUN cd")
    cd_findings = [f for f in report.findings if f.code == "DL3003"]
    assert [f.block_id for f in cd_findings] == [cd_block]
    assert cd_findings[0].line == render(doc).lines_of(cd_block).first == 7


def test_heredoc_followed_by_an_instruction_is_linted(block_id):
    # hadolint alone fails to parse this (hadolint#960); the module works around it.
    text = (
        "# syntax=docker/dockerfile:1\nFROM alpine:3.20\n"
        "RUN <<EOF\necho hi\nEOF\nRUN cd /tmp\nCOPY <<EOF /a\nx\nEOF\nUSER root\n"
    )
    doc = import_text(text)
    report = lint_document(doc, buildkit_available=True)
    codes = {f.code for f in report.findings}
    assert "DL1000" not in codes
    assert {f.block_id for f in report.findings if f.code == "DL3003"} == {block_id(doc, "RUN cd")}
    assert [f.line for f in report.findings if f.code == "DL3003"] == [6]
    assert {f.block_id for f in report.findings if f.code == "DL3002"} == {block_id(doc, "USER root")}
    assert [f.line for f in report.findings if f.code == "DL3002"] == [10]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_escape_directive_and_line_endings_keep_lines(newline, block_id):
    text = newline.join(["# escape=`", "FROM ubuntu", "RUN echo a `", "  && cd /x", "RUN sudo ls", ""])
    doc = import_text(text)
    report = lint_document(doc)
    assert {f.block_id for f in report.findings if f.code == "DL3003"} == {block_id(doc, "RUN echo a")}
    assert [f.line for f in report.findings if f.code == "DL3004"] == [5]


@pytest.mark.parametrize(
    ("text", "broken", "hadolints_double"),
    [
        ("FROM alpine:3.20\nFOO bar\nRUN apt-get install curl\n", "FOO", "DL1000"),
        ("FROM \nRUN apt-get install curl\n", "FROM", "DL1000"),
        ("FROM alpine:3.20 AS base\nEXPOSE 70000\nRUN apt-get install curl\n", "EXPOSE", "DL3011"),
    ],
)
def test_a_block_our_checks_find_broken_is_reported_once_and_costs_no_other_finding(
    text, broken, hadolints_double, block_id
):
    # hadolint stops at the first line it cannot read: a broken block cost every other finding of the
    # file, and its one problem came twice. It now reads the file without the broken block.
    doc = import_text(text)
    report = lint_document(doc)
    assert report.hadolint_status.state is HadolintState.OK, report.hadolint_status
    codes = [f.code for f in report.findings]
    assert hadolints_double not in codes and "DL1000" not in codes
    assert "DL3008" in codes  # the RUN below still gets hadolint's advice
    assert not [f for f in report.findings if f.block_id == block_id(doc, broken)]


def test_a_line_hadolint_cannot_read_is_a_dl1000_on_its_block(block_id):
    # Docker reads it (our checks see nothing wrong), hadolint's parser does not: its word stands.
    doc = import_text("FROM alpine:3.20\nRUN echo hi\nEXPOSE 80/sctp\n")  # hadolint knows no SCTP
    report = lint_document(doc)
    parse_errors = [f for f in report.findings if f.code == "DL1000"]
    assert [f.block_id for f in parse_errors] == [block_id(doc, "EXPOSE")]
    assert parse_errors[0].severity is Severity.ERROR


def test_inline_ignore_pragma_is_honoured():
    report = lint_document(import_text("# hadolint ignore=DL3006\nFROM ubuntu\n"))
    assert "DL3006" not in {f.code for f in report.findings}


def test_hadolint_settings_from_the_environment_are_ignored(monkeypatch):
    monkeypatch.setenv("HADOLINT_IGNORE", "DL3006")
    report = lint_document(import_text("FROM ubuntu\n"))
    assert "DL3006" in {f.code for f in report.findings}


def test_clean_dockerfile_has_no_findings():
    text = (
        "FROM python:3.12-slim\n"
        "WORKDIR /app\n"
        "COPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\n"
        "USER 1000\n"
        'CMD ["python", "app.py"]\n'
    )
    report = lint_document(import_text(text))
    assert report.hadolint_status.ok
    assert report.findings == []
    assert report.worst_severity() is None
