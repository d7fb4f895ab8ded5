"""Checking a Dockerfile: hadolint's rules plus our own checks that know the build folder and the engine.

Every finding is attached to the block whose line it concerns and comes with a plain-language explanation
for beginners (texts in resources/lint/rules.<lang>.json).

The names below are loaded when first used (PEP 562): the window imports ``desktop.lint.dockerignore``
at start, and the checks themselves (and hadolint's runner) cost ~20 ms of start-up the first picture
does not need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_WHERE = {
    "UNAVAILABLE_CODE": "api",
    "lint_document": "api",
    "own_problems": "api",
    "Finding": "findings",
    "HadolintState": "findings",
    "HadolintStatus": "findings",
    "LintReport": "findings",
    "Problem": "findings",
    "Severity": "findings",
    "Source": "findings",
    "group_by_block": "findings",
    "find_hadolint": "hadolint",
    "load_texts": "texts",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next lookup is an ordinary one
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
