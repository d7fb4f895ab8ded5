"""The format version moves with the block kinds: the version of a file fixes which fields it may hold."""

from __future__ import annotations

import hashlib

from desktop.blocks.kinds import Kind, params_of
from desktop.project import FORMAT_VERSION

# What format version 1 holds: every kind with its parameters and their types. Adding, removing or retyping
# one changes what a file may contain, so older readers must see a newer version number, not an unknown
# parameter. When this test fails: raise FORMAT_VERSION, add the migration from the previous version
# (docs/project-format.md, "Versions"), document the change, then record the new fingerprint here.
# Exception: while no release of Dockblocks has shipped the current version, nobody has such files yet;
# then update docs/project-format.md and this fingerprint in place.
FINGERPRINTS = {1: "57863b6e19891ccd"}


def _schema_lines() -> list[str]:
    return [f"{kind.value}.{spec.name}:{spec.type.value}" for kind in Kind for spec in params_of(kind)]


def test_the_kinds_and_parameters_are_those_of_the_current_format_version() -> None:
    lines = _schema_lines()
    fingerprint = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
    assert fingerprint == FINGERPRINTS[FORMAT_VERSION], (
        "The block kinds or parameters changed, so project files change: raise FORMAT_VERSION, add a "
        f"migration and record the fingerprint {fingerprint} for the new version (or, before the current "
        "version was ever released, update it in place; see the comment above). Parameters now:\n"
        + "\n".join(lines)
    )
