"""LintReport: grouping by block, order, counts and the worst severity."""

from __future__ import annotations

from desktop.dockerfile import import_text
from desktop.lint import (
    Finding,
    HadolintState,
    HadolintStatus,
    LintReport,
    Severity,
    Source,
    group_by_block,
    lint_document,
)
from desktop.lint.findings import sort_findings


def _finding(code: str, severity: Severity, block_id: str | None, line: int | None) -> Finding:
    return Finding(code, severity, "message", "title", "explanation", None, block_id, line)


FINDINGS = [
    _finding("DL3059", Severity.INFO, "b2", 3),
    _finding("DB001", Severity.ERROR, "b2", 3),
    _finding("DL3006", Severity.WARNING, "b1", 1),
    _finding("DB000", Severity.WARNING, None, None),
    _finding("SC2086", Severity.STYLE, "b2", 3),
]


def test_sorting_puts_file_findings_first_then_lines_then_the_worst():
    assert [f.code for f in sort_findings(FINDINGS)] == ["DB000", "DL3006", "DB001", "DL3059", "SC2086"]


def test_grouping_by_block():
    groups = group_by_block(FINDINGS)
    assert [f.code for f in groups["b2"]] == ["DL3059", "DB001", "SC2086"]
    assert [f.code for f in groups[None]] == ["DB000"]
    report = LintReport(sort_findings(FINDINGS), HadolintStatus(HadolintState.OK))
    assert [f.code for f in report.for_block("b2")] == ["DB001", "DL3059", "SC2086"]
    assert report.for_block("nope") == []
    assert [f.code for f in report.for_document()] == ["DB000"]
    assert report.worst_severity() is Severity.ERROR
    assert report.worst_severity("b1") is Severity.WARNING
    assert report.worst_severity("nope") is None
    assert report.counts() == {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 1, Severity.STYLE: 1}


def test_sources():
    assert [f.source for f in FINDINGS[:4]] == [
        Source.HADOLINT,
        Source.DOCKBLOCKS,
        Source.HADOLINT,
        Source.DOCKBLOCKS,
    ]
    assert FINDINGS[4].source is Source.SHELLCHECK


def test_a_document_of_only_comments_and_a_from_lints_without_trouble():
    doc = import_text("# just a comment\n\nFROM scratch\n")
    report = lint_document(doc, buildkit_available=False)
    assert [f.code for f in report.findings if f.code != "DB000"] == []
