"""The item data roles of the block views, and the small pieces a block row is made of."""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon

from desktop.blocks.catalog import catalog_entry
from desktop.blocks.kinds import Kind
from desktop.blocks.validate import FieldIssue
from desktop.lint.findings import Finding, Severity
from ui.icons import icon

AnyIndex = QModelIndex | QPersistentModelIndex


class BlockRole(enum.IntEnum):
    """Item data roles shared by the document model, the palette model and the block delegate."""

    BLOCK_ID = Qt.ItemDataRole.UserRole + 1  # str; "" for stage rows
    KIND = enum.auto()  # the Kind value, e.g. "RUN"
    COLOUR = enum.auto()  # QColor of the kind's group
    ISSUES = enum.auto()  # list[FieldIssue] from field validation
    FINDINGS = enum.auto()  # list[Finding] from the last lint check
    IS_HEADER = enum.auto()  # bool: a stage row (canvas) or a group row (palette)
    KEYWORD = enum.auto()  # what the block face shows in bold: "RUN", "#" for a comment
    TITLE = enum.auto()  # the kind's catalog title, "Run a command"
    ICON_NAME = enum.auto()  # the icon file name from the catalog
    PROBLEMS = enum.auto()  # (errors, warnings): counts for the badges
    STAGE_INDEX = enum.auto()  # int: -1 for the part before the first FROM, then 0, 1, …
    GROUP = enum.auto()  # the palette group id of the kind ("commands"), for theme colours
    FACE = enum.auto()  # a Face: all a block face shows, in one call (None for stage rows)


class Face(NamedTuple):
    """What a block's face on the canvas shows, asked for in one item-data call.

    Every call from a view into a Python model costs ~10 µs; painting a face asked a dozen of them, and
    an edit repaints the edited block's face at once.
    """

    kind: str  # the Kind value
    group: str  # the palette group id (theme colours)
    colour: str  # the group's catalog colour ("#4c6ef5")
    icon: str  # the icon file name
    keyword: str  # the bold word
    summary: str  # the one line after it
    problems: tuple[int, int]  # (errors, warnings)


@functools.cache
def kind_decoration(kind: Kind) -> QIcon:
    """The kind's icon in its catalog colour, for views that show plain icons (the decoration role)."""
    info = catalog_entry(kind)
    return icon(info.icon, QColor(info.colour))


def keyword_of(kind: Kind) -> str:
    """The word on a block face: the instruction, or a sign for the lines that are not instructions."""
    return {Kind.COMMENT: "#", Kind.BLANK: "¶", Kind.DIRECTIVE: "#!"}.get(kind, kind.value)


def problem_counts(issues: Sequence[FieldIssue], findings: Sequence[Finding]) -> tuple[int, int]:
    """(errors, warnings) of a block: red badge for what breaks the build, amber for everything else."""
    errors = sum(1 for i in issues if i.severity == "error")
    errors += sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(issues) + len(findings) - errors
    return errors, warnings
