"""What a check found: one finding per problem, attached to the block whose line it concerns."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    """How much a finding matters, with hadolint's four levels (most serious first)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    STYLE = "style"

    @property
    def rank(self) -> int:
        """0 for the most serious level; sorts findings worst first."""
        return list(Severity).index(self)


class Source(enum.StrEnum):
    """Which checker made a finding."""

    HADOLINT = "hadolint"  # DL codes: Dockerfile rules
    SHELLCHECK = "shellcheck"  # SC codes: shell commands in RUN, checked by hadolint through ShellCheck
    DOCKBLOCKS = "dockblocks"  # DB codes: our own checks that need the build folder or the engine


def source_of(code: str) -> Source:
    """The checker a rule code belongs to, from its prefix."""
    if code.startswith("SC"):
        return Source.SHELLCHECK
    if code.startswith("DB"):
        return Source.DOCKBLOCKS
    return Source.HADOLINT


@dataclass(frozen=True)
class Finding:
    """One problem in the Dockerfile.

    Attributes:
        code: the rule code (``DL3006``, ``SC2086``, ``DB001``).
        severity: how much it matters.
        message: what the checker itself said: hadolint's own words for DL/SC codes, ours for DB codes.
        title: a short plain-language headline for beginners.
        explanation: what is wrong, why it matters and what to do, in plain words.
        link: a page that explains the rule in depth, or None.
        block_id: the block whose text the finding is about; None when it concerns the whole file.
        line: the 1-based line of the rendered Dockerfile, or None when it concerns no line.
    """

    code: str
    severity: Severity
    message: str
    title: str
    explanation: str
    link: str | None
    block_id: str | None
    line: int | None

    @property
    def source(self) -> Source:
        """Which checker made it."""
        return source_of(self.code)


class HadolintState(enum.StrEnum):
    """How the hadolint run went."""

    OK = "ok"
    NOT_FOUND = "not_found"  # no binary where we looked, or not at the path we were given
    FAILED = "failed"  # could not start, crashed or exited with an error
    TIMED_OUT = "timed_out"  # stopped after the time limit
    BAD_OUTPUT = "bad_output"  # answered something that is not its JSON report


@dataclass(frozen=True)
class HadolintStatus:
    """The outcome of one hadolint run.

    Attributes:
        state: how it went.
        message: one sentence for the user; empty when it went well.
        detail: technical detail for logs (stderr excerpt, exit code); never shown as the main message.
        binary: the executable that was run (or looked for), if any.
    """

    state: HadolintState
    message: str = ""
    detail: str = ""
    binary: str | None = None

    @property
    def ok(self) -> bool:
        return self.state is HadolintState.OK


@dataclass(frozen=True)
class LintReport:
    """Every finding for one document, worst and earliest first, and how the hadolint run went.

    When hadolint could not run, ``findings`` also holds one ``DB000`` finding (no block) that says so,
    so a list of findings alone never hides that the check was incomplete.
    """

    findings: list[Finding]
    hadolint_status: HadolintStatus
    by_block: dict[str | None, list[Finding]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_block", group_by_block(self.findings))

    def for_block(self, block_id: str) -> list[Finding]:
        """The findings attached to one block (empty when it has none)."""
        return list(self.by_block.get(block_id, ()))

    def for_document(self) -> list[Finding]:
        """The findings that concern the whole file rather than one block."""
        return list(self.by_block.get(None, ()))

    def worst_severity(self, block_id: str | None = None) -> Severity | None:
        """The most serious severity among all findings, or among one block's; None when there are none."""
        pool = self.findings if block_id is None else self.by_block.get(block_id, [])
        return min((f.severity for f in pool), key=lambda s: s.rank, default=None)

    def counts(self) -> dict[Severity, int]:
        """How many findings there are of each severity (every severity present, zero included)."""
        counts = dict.fromkeys(Severity, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts


def group_by_block(findings: Iterable[Finding]) -> dict[str | None, list[Finding]]:
    """Findings keyed by block id (None for whole-file findings), each list in the given order."""
    groups: dict[str | None, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.block_id, []).append(finding)
    return groups


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Whole-file findings first, then by line, then worst first, then by code."""
    return sorted(
        findings,
        key=lambda f: (f.line is not None, f.line or 0, f.severity.rank, f.code, f.message),
    )


@dataclass(frozen=True)
class Problem:
    """What one of our own checks found, before it is worded: the texts come from resources/lint/.

    Attributes:
        code: our rule code (``DB001`` ...).
        variant: which message of the rule fits (``rules.<code>.messages.<variant>`` in the texts).
        severity: how much it matters.
        block_id: the block it is about, or None for the whole file.
        fields: values for the message's placeholders.
    """

    code: str
    variant: str
    severity: Severity
    block_id: str | None
    fields: dict[str, str] = field(default_factory=dict)
