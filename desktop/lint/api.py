"""Linting a document: hadolint on the rendered text, then our own checks, every finding on its block."""

from __future__ import annotations

from pathlib import Path

from desktop.blocks.model import Document
from desktop.blocks.validate import validate_document
from desktop.dockerfile.render import Rendered, render
from desktop.lint.arg_checks import arg_problems
from desktop.lint.context_checks import buildkit_problems, missing_sources
from desktop.lint.findings import (
    Finding,
    HadolintState,
    HadolintStatus,
    LintReport,
    Problem,
    Severity,
    sort_findings,
)
from desktop.lint.hadolint import DEFAULT_TIMEOUT, HadolintRun, find_hadolint, run_hadolint
from desktop.lint.hadolint_input import hadolint_input
from desktop.lint.stage_checks import stage_problems
from desktop.lint.texts import LintTexts, load_texts
from desktop.paths import resource_path

UNAVAILABLE_CODE = "DB000"
"""The finding that says hadolint could not run (no block; the report's status has the detail)."""

# hadolint rules that say less well what one of our own findings on the same block says.
_SUPERSEDED_BY = {"DB004": frozenset({"DL3022", "DL3023", "DL3024", "DL3006"})}


def lint_document(
    doc: Document,
    context_dir: Path | None = None,
    buildkit_available: bool | None = None,
    hadolint: Path | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    locale: str | None = None,
) -> LintReport:
    """Check a document with hadolint and with our own checks.

    Blocking: it runs a subprocess (well under a second); from asyncio, call it with ``asyncio.to_thread``.
    Never raises because hadolint is missing or misbehaves: that becomes ``hadolint_status`` and one
    ``DB000`` finding, and our own checks run anyway.

    Args:
        doc: the document.
        context_dir: the build folder; when given, COPY/ADD sources are looked for in it.
        buildkit_available: whether the engine builds with BuildKit (None: not known yet).
        hadolint: the hadolint executable to use instead of the bundled one.
        timeout: seconds hadolint may take.
        locale: the user's language (``de``, ``pt_BR``); None reads it from the environment. English
            wherever there is no translation.

    Returns:
        Every finding, whole-file findings first, then by line, worst first.
    """
    texts = load_texts(locale)
    rendered = render(doc)
    own = [
        word_problem(problem, rendered, texts)
        for problem in own_problems(doc, context_dir, buildkit_available)
    ]
    status, from_hadolint = _hadolint_findings(doc, rendered, hadolint, timeout, texts)
    superseded = {
        (finding.block_id, code) for finding in own for code in _SUPERSEDED_BY.get(finding.code, frozenset())
    }
    kept = [f for f in from_hadolint if (f.block_id, f.code) not in superseded]
    return LintReport(sort_findings(own + kept), status)


def own_problems(doc: Document, context_dir: Path | None, buildkit_available: bool | None) -> list[Problem]:
    """Our own checks only (no subprocess; fast enough to run on every edit)."""
    problems = missing_sources(doc, context_dir) if context_dir is not None else []
    problems += buildkit_problems(doc, buildkit_available)
    problems += arg_problems(doc)
    problems += stage_problems(doc)
    return problems


def word_problem(problem: Problem, rendered: Rendered, texts: LintTexts) -> Finding:
    """One of our problems as a finding, in the user's words, on its block's first line."""
    rule = texts.rule(problem.code)
    span = rendered.lines_of(problem.block_id) if problem.block_id is not None else None
    return Finding(
        code=problem.code,
        severity=problem.severity,
        message=texts.message(problem.code, problem.variant, **problem.fields),
        title=rule.title,
        explanation=rule.explanation,
        link=rule.link,
        block_id=problem.block_id,
        line=span.first if span is not None else None,
    )


def _config() -> Path | None:
    # Our own config, so that a .hadolint.yaml in the user's home or folder cannot change what we report.
    try:
        return resource_path("lint", "hadolint.yaml")
    except FileNotFoundError:
        return None


def _hadolint_findings(
    doc: Document, rendered: Rendered, explicit: Path | None, timeout: float, texts: LintTexts
) -> tuple[HadolintStatus, list[Finding]]:
    binary = find_hadolint(explicit)
    if binary is None:
        if explicit is not None:
            message = texts.status("not_found", path=str(explicit))
        else:
            message = texts.status("not_installed")
        shown = str(explicit) if explicit is not None else None
        status = HadolintStatus(HadolintState.NOT_FOUND, message, "no hadolint executable found", shown)
        return status, [_unavailable(status, texts)]
    prepared = hadolint_input(doc, rendered, _broken_blocks(doc))
    run = run_hadolint(prepared.text, binary, config=_config(), timeout=timeout)
    if run.state is not HadolintState.OK:
        status = HadolintStatus(run.state, _failure_message(run, timeout, texts), run.detail, str(binary))
        return status, [_unavailable(status, texts)]
    findings = []
    for issue in run.issues:
        line = prepared.rendered_line(issue.line)
        rule = texts.rule(issue.code)
        findings.append(
            Finding(
                code=issue.code,
                severity=issue.severity,
                message=issue.message,
                title=rule.title,
                explanation=rule.explanation,
                link=rule.link,
                block_id=rendered.block_at_line(line),
                line=line,
            )
        )
    return HadolintStatus(HadolintState.OK, "", run.detail, str(binary)), findings


def _broken_blocks(doc: Document) -> frozenset[str]:
    """The blocks our own checks find broken: hadolint reads the file without them (see hadolint_input)."""
    return frozenset(
        issue.block_id for issue in validate_document(doc) if issue.severity == "error" and issue.block_id
    )


def _failure_message(run: HadolintRun, timeout: float, texts: LintTexts) -> str:
    if run.state is HadolintState.TIMED_OUT:
        return texts.status("timed_out", seconds=f"{timeout:g}")
    if run.state is HadolintState.BAD_OUTPUT:
        return texts.status("bad_output")
    return texts.status("failed")


def _unavailable(status: HadolintStatus, texts: LintTexts) -> Finding:
    rule = texts.rule(UNAVAILABLE_CODE)
    return Finding(
        code=UNAVAILABLE_CODE,
        severity=Severity.WARNING,
        message=status.message,
        title=rule.title,
        explanation=rule.explanation,
        link=rule.link,
        block_id=None,
        line=None,
    )
