"""Checking a Dockerfile: hadolint's rules plus our own checks that know the build folder and the engine.

Every finding is attached to the block whose line it concerns and comes with a plain-language explanation
for beginners (texts in resources/lint/rules.<lang>.json).
"""

from desktop.lint.api import UNAVAILABLE_CODE, lint_document, own_problems
from desktop.lint.findings import (
    Finding,
    HadolintState,
    HadolintStatus,
    LintReport,
    Problem,
    Severity,
    Source,
    group_by_block,
)
from desktop.lint.hadolint import find_hadolint
from desktop.lint.texts import load_texts

__all__ = [
    "UNAVAILABLE_CODE",
    "Finding",
    "HadolintState",
    "HadolintStatus",
    "LintReport",
    "Problem",
    "Severity",
    "Source",
    "find_hadolint",
    "group_by_block",
    "lint_document",
    "load_texts",
    "own_problems",
]
